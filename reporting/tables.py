"""A report's data snapshot as tables: one per section (XLSX sheets) and one flat table (CSV).

The snapshot (``reporting.snapshots``) is the only input; no query runs here, so every format shows
the same numbers. Labels are translated by the caller's active language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from nsp import figures


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # text, int, percent (a 0-1 share), number (a decimal string), date (ISO string), bool
    type: str = "text"
    # On a page: the row key holding the cell's link, and (percent) the status shown beside the bar.
    link: str = ""
    status: str = ""
    on_page: bool = True  # False: in the files only (the page says it in the cell before, e.g. a status badge)


@dataclass
class Table:
    name: str  # short: an XLSX sheet name (at most 31 characters)
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    key: str = ""  # the table's name in URLs (its CSV download) and element ids


def _status_columns(progress_label: str | None = None) -> list[Column]:
    return [
        Column("progress", progress_label or _("Progress"), "percent", status="progress_status"),
        Column("progress_status_label", _("Progress status"), on_page=False),
    ]


# --- plan progress ------------------------------------------------------------------------------


def _plan_progress_sections(snapshot: dict) -> list[Table]:
    plan = snapshot["plan"]
    facts = Table(
        _("Plan")[:31],
        _("Plan"),
        [Column("field", _("Field")), Column("value", _("Value"))],
        [
            {"field": _("Title"), "value": plan["title"]},
            {"field": _("Kind"), "value": plan["kind_label"]},
            {"field": _("Status"), "value": plan["status_label"]},
            {"field": _("Police zone"), "value": plan["zone"]},
            {"field": _("District"), "value": plan["district"]},
            {"field": capfirst(_("NSP edition")), "value": plan["nsp"]},
            {"field": _("Period"), "value": plan["period"]},
            {"field": _("Approved on"), "value": plan["approved_on"] or ""},
            {"field": _("Progress"), "value": _percent_text(plan["progress"])},
            {"field": _("Progress status"), "value": plan["progress_status_label"]},
        ],
    )
    objectives = Table(
        _("Objectives")[:31],
        _("Progress per objective"),
        [
            Column("code", _("Code")),
            Column("title", _("Objective")),
            Column("level_label", _("Level")),
            Column("indicators", _("Indicators"), "int"),
            Column("actions", _("Actions"), "int"),
            *_status_columns(),
        ],
        [{**o, "indicators": len(o["indicators"])} for o in snapshot["objectives"]],
    )
    indicators = Table(
        _("Indicators")[:31],
        _("Indicators"),
        indicator_columns(),
        [{"objective": o["code"] or o["title"], **i} for o in snapshot["objectives"] for i in o["indicators"]],
    )
    late = Table(
        _("Late actions")[:31],
        _("Actions past their due date and not done"),
        [
            Column("objective", _("Objective")),
            Column("title", _("Action")),
            Column("owner", _("Owner")),
            Column("due_date", _("Due"), "date"),
            Column("percent_complete", _("Complete (%)"), "int"),
            Column("status_label", _("Status")),
        ],
        snapshot["actions_late"],
    )
    tables = [facts, objectives, indicators, late]
    if snapshot.get("alignment") is not None:
        tables.append(_alignment_rows_table(snapshot["alignment"]["rows"], with_plan=False))
    return tables


def indicator_columns() -> list[Column]:
    # Built per call so the labels follow the active language.
    return [
        Column("objective", _("Objective")),
        Column("name", _("Indicator")),
        Column("unit", _("Unit")),
        Column("direction_label", _("Direction")),
        Column("baseline_value", _("Baseline"), "number"),
        Column("target_value", _("Target"), "number"),
        Column("target_date", _("Target date"), "date"),
        Column("latest_period", _("Latest period")),
        Column("latest_value", _("Latest value"), "number"),
        *_status_columns(),
        Column("overdue", _("Overdue"), "bool"),
    ]


def _plan_progress_flat(snapshot: dict) -> Table:
    plan = snapshot["plan"]
    columns = [
        Column("plan", _("Plan")),
        Column("objective_code", _("Objective code")),
        Column("objective", _("Objective")),
        Column("objective_progress", _("Objective progress"), "percent"),
        Column("objective_status", _("Objective status")),
        *indicator_columns()[1:],
    ]
    rows = []
    for o in snapshot["objectives"]:
        head = {
            "plan": plan["title"],
            "objective_code": o["code"],
            "objective": o["title"],
            "objective_progress": o["progress"],
            "objective_status": o["progress_status_label"],
        }
        rows += [{**head, **i} for i in o["indicators"]] or [head]
    return Table(_("Indicators")[:31], _("Plan progress"), columns, rows)


# --- national overview --------------------------------------------------------------------------


def _group_table(key: str, name: str, title: str, first: Column, rows: list[dict], *counts: Column) -> Table:
    return Table(name[:31], title, [first, *counts, *_status_columns()], rows, key=key)


def status_table(key: str, name: str, title: str, first: Column, rows: list[dict]) -> Table:
    """How many objectives of each group are in each progress status (the stacked status chart's data)."""
    from reporting.selectors import OBJECTIVE_STATUSES

    columns = [first, *(Column(f"status_{s.value}", str(s.label), "int") for s in OBJECTIVE_STATUSES)]
    columns.append(Column("objectives", _("Objectives"), "int"))
    flat = [
        {"label": r["label"], "objectives": r["objectives"], **{f"status_{k}": n for k, n in r["statuses"].items()}}
        for r in rows
    ]
    return Table(name[:31], title, columns, flat, key=key)


def overview_tables(snapshot: dict) -> list[Table]:
    """The national overview's tables, as the dashboard shows them and the reports print them."""
    name = Column("label", _("Name"))
    objectives = Column("objectives", _("Objectives"), "int")
    with_data = Column("objectives_with_data", _("With data"), "int")
    return [
        Table(
            _("Plans by status")[:31],
            _("Zonal plans per workflow state"),
            [Column("label", _("Status")), Column("count", _("Plans"), "int")],
            snapshot["plans_by_status"],
            key="states",
        ),
        _group_table(
            "clusters",
            _("Clusters"),
            _("Progress per ISFD security cluster"),
            name,
            snapshot["clusters"],
            objectives,
            with_data,
        ),
        status_table(
            "cluster-statuses",
            _("Cluster statuses"),
            _("Objectives per progress status and security cluster"),
            name,
            snapshot["clusters"],
        ),
        _group_table(
            "themes",
            _("Themes"),
            _("Progress per cross-cutting theme"),
            name,
            snapshot["themes"],
            objectives,
            with_data,
        ),
        status_table(
            "theme-statuses",
            _("Theme statuses"),
            _("Objectives per progress status and cross-cutting theme"),
            name,
            snapshot["themes"],
        ),
        _group_table(
            "districts",
            _("Districts"),
            _("Progress per district"),
            Column("label", _("District")),
            snapshot["districts"],
            Column("plans", _("Zonal plans"), "int"),
            objectives,
            with_data,
        ),
        Table(
            _("Off-track plans")[:31],
            _("Plans with the most off-track objectives"),
            [
                Column("title", _("Plan"), link="url"),
                Column("zone", _("Police zone")),
                Column("off_track", _("Off-track objectives"), "int"),
                Column("objectives", _("Objectives"), "int"),
            ],
            snapshot["off_track_plans"],
            key="off-track",
        ),
        Table(
            _("Overdue indicators")[:31],
            _("Overdue indicators"),
            [
                Column("name", _("Indicator"), link="url"),
                Column("plan", _("Plan")),
                Column("zone", _("Police zone")),
                Column("latest_period", _("Latest period")),
                Column("due_period", _("Due period")),
            ],
            snapshot["overdue_indicators"],
            key="overdue",
        ),
    ]


def _national_sections(snapshot: dict) -> list[Table]:
    tables = overview_tables(snapshot)
    if "trend" in snapshot:  # snapshots from version 2 on
        tables += trend_tables(snapshot["trend"]) + rollup_tables(snapshot["rollups"])
        tables.append(attention_table(snapshot["attention"]))
        tables += coverage_tables(snapshot["coverage"])
    return tables


def table_by_key(tables: list[Table], key: str) -> Table | None:
    return next((t for t in tables if t.key == key), None)


def _national_flat(snapshot: dict) -> Table:
    columns = [
        Column("section", _("Section")),
        Column("item", _("Item")),
        Column("count", _("Count"), "int"),
        *_status_columns(),
    ]
    rows: list[dict] = []
    rows += [
        {"section": _("Plans by status"), "item": r["label"], "count": r["count"]} for r in snapshot["plans_by_status"]
    ]
    for key, section in (("districts", _("District")), ("clusters", _("Cluster")), ("themes", _("Theme"))):
        for r in snapshot[key]:
            count = r["plans"] if key == "districts" else r["objectives"]
            rows.append({"section": section, "item": r["label"], "count": count, **_status_of(r)})
    rows += [
        {"section": _("Off-track objectives"), "item": r["title"], "count": r["off_track"]}
        for r in snapshot["off_track_plans"]
    ]
    rows += [
        {"section": _("Overdue indicator"), "item": f"{r['plan']}: {r['name']}", "count": None}
        for r in snapshot["overdue_indicators"]
    ]
    return Table(_("Overview")[:31], _("National overview"), columns, rows)


def _status_of(row: dict) -> dict:
    return {"progress": row["progress"], "progress_status_label": row["progress_status_label"]}


# --- alignment ----------------------------------------------------------------------------------


def _alignment_rows_table(rows: list[dict], *, with_plan: bool) -> Table:
    columns = [
        Column("priority_type", _("Type")),
        Column("number", _("Number"), "int"),
        Column("name", _("National priority")),
        Column("answer_label", _("Answer")),
        Column("objectives", _("Adopting objectives")),
        Column("justification", _("Justification")),
    ]
    if with_plan:
        columns = [Column("zone", _("Police zone")), Column("plan", _("Plan")), *columns]
    return Table(_("Alignment")[:31], _("National priorities adopted or not"), columns, rows)


def _alignment_sections(snapshot: dict) -> list[Table]:
    summary = Table(
        _("Zones")[:31],
        _("Alignment per zone"),
        [
            Column("zone", _("Police zone")),
            Column("district", _("District")),
            Column("plan", _("Plan")),
            Column("status_label", _("Plan status")),
            Column("adopted", _("Adopted"), "int"),
            Column("not_adopted", _("Not adopted"), "int"),
            Column("undecided", _("Undecided"), "int"),
        ],
        snapshot["plans"],
    )
    return [summary, _alignment_flat(snapshot)]


def _alignment_flat(snapshot: dict) -> Table:
    rows = [{"zone": p["zone"], "plan": p["plan"], **row} for p in snapshot["plans"] for row in p["rows"]]
    return _alignment_rows_table(rows, with_plan=True)


# --- trend, roll-ups, zones needing attention ----------------------------------------------------


def trend_tables(trend: dict) -> list[Table]:
    """The national trend (one row per quarter), then clusters and districts by quarter (one column each)."""
    national = Table(
        _("Trend")[:31],
        _("National progress at the end of each quarter"),
        [
            Column("period", _("Quarter")),
            Column("objectives", _("Objectives"), "int"),
            Column("objectives_with_data", _("With data"), "int"),
            *_status_columns(),
        ],
        trend["national"],
        key="trend",
    )

    def by_quarter(key: str, name: str, title: str, first: str, groups: list[dict]) -> Table:
        columns = [Column("label", first)] + [
            Column(f"q:{q['period']}", q["period"], "percent") for q in trend["quarters"]
        ]
        rows = [{"label": g["label"], **{f"q:{q['period']}": q["progress"] for q in g["quarters"]}} for g in groups]
        return Table(name[:31], title, columns, rows, key=key)

    return [
        national,
        by_quarter(
            "trend-clusters",
            _("Trend per cluster"),
            _("Progress per ISFD security cluster at the end of each quarter"),
            _("Cluster"),
            trend["clusters"],
        ),
        by_quarter(
            "trend-districts",
            _("Trend per district"),
            _("Progress per district at the end of each quarter"),
            _("District"),
            trend["districts"],
        ),
    ]


def rollup_tables(rollups: dict) -> list[Table]:
    objectives = Column("objectives", _("Objectives"), "int")
    with_data = Column("objectives_with_data", _("With data"), "int")
    return [
        _group_table(
            "provinces",
            _("Provinces"),
            _("Progress per province"),
            Column("label", _("Province")),
            rollups["provinces"],
            Column("plans", _("Zonal plans"), "int"),
            objectives,
            with_data,
        ),
        _group_table(
            "programmes",
            _("Programmes"),
            _("Progress per federal programme"),
            Column("label", _("Programme")),
            rollups["programmes"],
            objectives,
            with_data,
        ),
    ]


def attention_table(attention: dict) -> Table:
    return Table(
        _("Attention")[:31],
        _("Zones needing attention"),
        [
            Column("label", _("Police zone"), link="url"),
            Column("district", _("District")),
            Column("off_track", _("Off-track objectives"), "int"),
            Column("overdue", _("Overdue indicators"), "int"),
            Column("stale", _("Stale indicators"), "int"),
            Column("reasons", _("Why")),
        ],
        attention["zones"],
        key="attention",
    )


def collection_table(status: dict) -> Table:
    return Table(
        _("Data collection")[:31],
        _("Who reported the period being collected"),
        [
            Column("label", _("Police zone"), link="url"),
            Column("district", _("District")),
            Column("state_label", _("Reported")),
            Column("due", _("Indicators due"), "int"),
            Column("reported", _("With a measurement"), "int"),
            Column("missing", _("Missing"), "int"),
            Column("reminders_text", _("Reminders sent")),
        ],
        status["zones"],
        key="collection",
    )


def priority_table(data: dict) -> Table:
    """One national priority across the zones (a row of the coverage matrix, drilled down)."""
    return Table(
        _("Priority")[:31],
        _("Every zone's answer to this priority"),
        [
            Column("label", _("Police zone"), link="url"),
            Column("district", _("District")),
            Column("state_label", _("Answer")),
            Column("objective_codes", _("Adopting objectives")),
            Column("progress", _("Progress"), "percent", status="progress_status"),
            Column("progress_status_label", _("Progress status"), on_page=False),
            Column("justification", _("Justification")),
        ],
        data["zones"],
        key="priority",
    )


# --- coverage matrix -----------------------------------------------------------------------------


def coverage_tables(matrix: dict) -> list[Table]:
    """The coverage matrix as the page shows it (priorities by zones, totals) and as one row per cell."""
    from reporting.coverage import STATES, cell_texts

    cell_text = cell_texts()
    labels = matrix["labels"]
    zone_columns = [Column(f"zone:{z['key']}", z["label"]) for z in matrix["zones"]]
    total_columns = [Column(f"total:{state}", labels[state], "int") for state in STATES]
    wide_rows = []
    for row in matrix["priorities"]:
        wide_rows.append(
            {
                "code": row["code"],
                "label": f"{row['type_label']} {row['label']}",
                **{f"zone:{c['zone']}": cell_text(c) for c in row["cells"]},
                **{f"total:{state}": n for state, n in row["totals"].items()},
            }
        )
    wide_rows.append(
        {
            "code": "",
            "label": _("Priorities adopted per zone"),
            **{f"zone:{z['key']}": z["totals"]["adopted"] for z in matrix["zones"]},
            **{f"total:{state}": n for state, n in matrix["totals"].items()},
        }
    )
    wide = Table(
        _("Coverage")[:31],
        _("Coverage of the national priorities by the zones"),
        [Column("code", _("Code")), Column("label", _("National priority")), *zone_columns, *total_columns],
        wide_rows,
        key="coverage",
    )
    long_rows = [
        {
            **{k: z[k] for k in ("label", "district", "province", "plan", "plan_status_label")},
            "code": row["code"],
            "priority": f"{row['type_label']} {row['label']}",
            **c,
        }
        for row in matrix["priorities"]
        for z, c in zip(matrix["zones"], row["cells"], strict=True)
    ]
    long = Table(
        _("Coverage cells")[:31],
        _("Every zone's answer to every national priority"),
        [
            Column("label", _("Police zone")),
            Column("district", _("District")),
            Column("province", _("Province")),
            Column("plan", _("Plan")),
            Column("plan_status_label", _("Plan status")),
            Column("code", _("Code")),
            Column("priority", _("National priority")),
            Column("state_label", _("Answer")),
            Column("objectives", _("Adopting objectives"), "int"),
            Column("objective_codes", _("Objective codes")),
            *_status_columns(_("Progress of the adopting objectives")),
            Column("justification", _("Justification")),
        ],
        long_rows,
        key="coverage-cells",
    )
    return [wide, long]


# --- dispatch -----------------------------------------------------------------------------------


def _zone_annual_sections(snapshot: dict) -> list[Table]:
    quarters = Table(
        _("Quarters")[:31],
        _("The plan's progress at the end of each quarter"),
        [
            Column("period", _("Quarter")),
            Column("objectives", _("Objectives"), "int"),
            Column("objectives_with_data", _("With data"), "int"),
            *_status_columns(),
        ],
        snapshot.get("quarters", []),
        key="quarters",
    )
    return [*_plan_progress_sections(snapshot), quarters]


def _plan_document_sections(snapshot: dict) -> list[Table]:
    document = Table(
        _("Plan document")[:31],
        _("The plan document's sections in order"),
        [Column("number", _("Number")), Column("heading", _("Heading")), Column("body", _("Text (Markdown)"))],
        snapshot["document"]["sections"],
        key="document",
    )
    return [document, *_plan_progress_sections(snapshot)]


def _plan_document_flat(snapshot: dict) -> Table:
    return _plan_document_sections(snapshot)[0]


SECTIONS = {
    "plan_document": _plan_document_sections,
    "zone_annual": _zone_annual_sections,
    "plan_progress": _plan_progress_sections,
    "national_overview": _national_sections,
    "alignment": _alignment_sections,
}
FLAT = {
    "plan_document": _plan_document_flat,
    "zone_annual": _plan_progress_flat,
    "plan_progress": _plan_progress_flat,
    "national_overview": _national_flat,
    "alignment": _alignment_flat,
}


def sections(snapshot: dict) -> list[Table]:
    """One table per section of the report (a sheet each in XLSX)."""
    return SECTIONS[snapshot["report"]["kind"]](snapshot)


def flat(snapshot: dict) -> Table:
    """The report as one flat table (CSV)."""
    return FLAT[snapshot["report"]["kind"]](snapshot)


def _percent_text(share: float | None) -> str:
    return figures.percent_text(share, empty="\N{EN DASH}")
