"""The dashboard's and the reports' charts, drawn by ``nsp.charts`` from an overview's data alone.

The page, the print view and the PDF call the same functions on the same dict (a selector's result or a
report's snapshot), so the picture is the same everywhere; no query runs here. Figures are rounded by
``nsp.figures``; texts follow the active language. Each chart has a table of the same figures
(``reporting.tables``) shown beside it and downloadable as CSV.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nsp import charts, figures
from nsp.progress import ProgressStatus


def _objectives_text(n: int) -> str:
    return ngettext("%(n)s objective", "%(n)s objectives", n) % {"n": figures.count_text(n)}


def _plans_text(n: int) -> str:
    return ngettext("%(n)s plan", "%(n)s plans", n) % {"n": figures.count_text(n)}


def progress_bars(key: str, title: str, rows: list[dict[str, Any]]) -> SafeString:
    """Progress per group (cluster, theme, district, province, programme): a bar, its percentage, its status."""
    bars = [
        charts.Bar(
            label=str(r["label"]),
            value=None if r["progress"] is None else figures.percent_share(r["progress"]),
            text=figures.percent_text(r["progress"], empty=str(ProgressStatus.NO_DATA.label)),
            status=r["progress_status"],
            note="" if r["progress"] is None else str(r["progress_status_label"]),
        )
        for r in rows
    ]
    measured = [r for r in rows if r["progress"] is not None]
    description = _(
        "%(groups)s groups, %(measured)s with data. Each bar is the mean progress of the objectives under the "
        "group, with its status in words; the table beside the chart lists the same figures."
    ) % {"groups": figures.count_text(len(rows)), "measured": figures.count_text(len(measured))}
    return charts.bar_chart(key=key, title=title, description=description, bars=bars, maximum=1.0)


def status_bars(key: str, title: str, rows: list[dict[str, Any]]) -> SafeString:
    """Status distribution per group: one stacked bar of its objectives by progress status."""
    from reporting.selectors import OBJECTIVE_STATUSES

    legend = [(s.value, str(s.label)) for s in OBJECTIVE_STATUSES]
    stacked = [
        charts.StackedRow(
            label=str(r["label"]),
            segments=[charts.Segment(s.value, str(s.label), r["statuses"].get(s.value, 0)) for s in OBJECTIVE_STATUSES],
        )
        for r in rows
    ]
    total = sum(r["objectives"] for r in rows)
    description = _(
        "%(objectives)s over %(groups)s groups, split by progress status (achieved, on track, at risk, off track, "
        "no data); every count is written in its segment and listed in the table beside the chart."
    ) % {"objectives": _objectives_text(total), "groups": figures.count_text(len(rows))}
    return charts.stacked_bar_chart(
        key=key, title=title, description=description, rows=stacked, legend=legend, total_text=_objectives_text
    )


def plans_by_status(key: str, rows: list[dict[str, Any]]) -> SafeString:
    """Zonal plans per workflow state: one bar per state, its count written after it."""
    bars = [charts.Bar(str(r["label"]), r["count"], figures.count_text(r["count"]), r["status"]) for r in rows]
    total = sum(r["count"] for r in rows)
    description = _("%(plans)s in %(states)s workflow states; the table beside the chart lists the same counts.") % {
        "plans": _plans_text(total),
        "states": figures.count_text(len(rows)),
    }
    return charts.bar_chart(
        key=key,
        title=_("Zonal plans per workflow state"),
        description=description,
        bars=bars,
        maximum=max([r["count"] for r in rows] or [1]) or 1,
        label_width=200,
    )


def overview_charts(data: dict[str, Any], *, prefix: str = "") -> dict[str, SafeString]:
    """Every chart of a national overview, by the key of the table that holds its figures (also with ``_``)."""
    drawn = {
        "states": plans_by_status(f"{prefix}states", data["plans_by_status"]),
        "clusters": progress_bars(f"{prefix}clusters", _("Progress per ISFD security cluster"), data["clusters"]),
        "cluster-statuses": status_bars(
            f"{prefix}cluster-statuses", _("Objectives per progress status and security cluster"), data["clusters"]
        ),
        "themes": progress_bars(f"{prefix}themes", _("Progress per cross-cutting theme"), data["themes"]),
        "theme-statuses": status_bars(
            f"{prefix}theme-statuses", _("Objectives per progress status and cross-cutting theme"), data["themes"]
        ),
        "districts": progress_bars(f"{prefix}districts", _("Progress per district"), data["districts"]),
    }
    return {**drawn, **{key.replace("-", "_"): chart for key, chart in drawn.items()}}


def trend_line(key: str, title: str, quarters: list[dict[str, Any]]) -> SafeString:
    """Progress as at the end of each quarter: one line, each quarter's percentage written over its point."""
    points = [
        charts.Point(dt.date.fromisoformat(q["end"]), figures.percent_share(q["progress"]), q["period"])
        for q in quarters
        if q["progress"] is not None
    ]
    start = dt.date.fromisoformat(quarters[0]["start"]) if quarters else dt.date.today()
    end = dt.date.fromisoformat(quarters[-1]["end"]) if quarters else start
    step = max(1, len(quarters) // 8)
    ticks = [(dt.date.fromisoformat(q["end"]), q["period"]) for q in quarters[::step]]
    description = _(
        "Mean progress of the objectives as at the end of each of %(quarters)s quarters, %(measured)s of them "
        "with data; the table beside the chart lists every quarter."
    ) % {"quarters": figures.count_text(len(quarters)), "measured": figures.count_text(len(points))}
    return charts.line_chart(
        key=key,
        title=title,
        description=description,
        lines=[charts.Line("progress", _("Progress"), points)],
        start=start,
        end=end,
        low=0.0,
        high=1.0,
        fmt=figures.percent_text,
        ticks=ticks,
        y_ticks=(0.0, 0.25, 0.5, 0.75, 1.0),
    )


def short_date(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- the zone annual report ---------------------------------------------------------------------------------


def _descendants(objectives: list[dict[str, Any]]) -> dict[int, list[dict]]:
    """Per top-level objective (tree order, ``depth``): itself and every objective under it."""
    groups: dict[int, list[dict]] = {}
    root = None
    for o in objectives:
        if o.get("depth", 0) == 0:
            root = o["id"]
        if root is not None:
            groups.setdefault(root, []).append(o)
    return groups


def plan_charts(snapshot: dict[str, Any], *, prefix: str = "") -> dict[str | int, SafeString]:
    """A zone annual report's charts: progress per strategic objective, the statuses of the objectives under
    each, the plan's progress at the end of each quarter of the year, and (by its id) each indicator against its
    trajectory."""
    from reporting.selectors import OBJECTIVE_STATUSES

    objectives = snapshot["objectives"]
    roots = [o for o in objectives if o.get("depth", 0) == 0]
    labelled = [{**o, "label": f"{o['code']} {o['title']}".strip()} for o in roots]
    groups = _descendants(objectives)
    stacked = []
    for o in labelled:
        counts = {s.value: 0 for s in OBJECTIVE_STATUSES}
        for member in groups.get(o["id"], []):
            counts[member["progress_status"]] = counts.get(member["progress_status"], 0) + 1
        stacked.append({"label": o["label"], "statuses": counts, "objectives": sum(counts.values())})
    drawn: dict[str | int, SafeString] = {
        "objectives": progress_bars(f"{prefix}objectives", _("Progress per strategic objective"), labelled),
        "objective_statuses": status_bars(
            f"{prefix}objective-statuses", _("Objectives per progress status, under each strategic objective"), stacked
        ),
    }
    if snapshot.get("quarters"):
        drawn["quarters"] = trend_line(
            f"{prefix}quarters", _("The plan's progress at the end of each quarter"), snapshot["quarters"]
        )
    for objective in objectives:
        for indicator in objective["indicators"]:
            points = [
                charts.Point(dt.date.fromisoformat(m["end"]), float(m["value"]), m["period"])
                for m in indicator.get("measurements", [])
            ]
            if not points or indicator["baseline_date"] is None or indicator["target_date"] is None:
                continue
            drawn[indicator["id"]] = charts.trajectory_chart(
                key=f"{prefix}indicator-{indicator['id']}",
                name=indicator["name"],
                baseline=float(indicator["baseline_value"]),
                baseline_date=dt.date.fromisoformat(indicator["baseline_date"]),
                target=float(indicator["target_value"]),
                target_date=dt.date.fromisoformat(indicator["target_date"]),
                measured=points,
            )
    return drawn
