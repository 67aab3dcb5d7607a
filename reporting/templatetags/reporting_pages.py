"""Template helpers of the dashboard pages. Presentation only: what a cell says comes from the selectors.

The coverage matrix's body is written here in Python rather than in a template loop: at national scale it has
178 zones by 19 priorities, and a template loop over 3,400 cells would cost more than the matrix's SQL.
"""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from nsp import figures
from reporting.coverage import ADOPTED, NO_PLAN, NOT_ADOPTED, STATES, UNDECIDED, cell_texts

register = template.Library()

# What a cell shows besides its pattern: the answer's symbol, and for an adoption the count and a status mark.
ANSWER_SYMBOLS = {ADOPTED: "\u2713", NOT_ADOPTED: "\u2717", UNDECIDED: "?", NO_PLAN: "\u2013"}
STATUS_SYMBOLS = {
    "achieved": "\u2605",
    "on_track": "\u2197",
    "at_risk": "!",
    "off_track": "\u2193",
    "no_data": "\u00b7",
}


def status_legend() -> list[tuple[str, str, str]]:
    from nsp.progress import ProgressStatus

    return [(s, STATUS_SYMBOLS[s], str(ProgressStatus(s).label)) for s in STATUS_SYMBOLS]


@register.simple_tag
def coverage_legend() -> dict:
    labels = {
        ADOPTED: _("Adopted (number of adopting objectives)"),
        NOT_ADOPTED: _("Not adopted (why: on hover, focus and in the detail)"),
        UNDECIDED: _("Undecided"),
        NO_PLAN: _("No plan (none you may read)"),
    }
    return {
        "answers": [(state, ANSWER_SYMBOLS[state], labels[state]) for state in STATES],
        "statuses": status_legend(),
    }


def _cell_parts(c: dict, text: str) -> tuple[str, str, str, str]:
    """What a cell shows whatever its zone: its classes, its symbols, its words (escaped) and its tooltip."""
    state = c["state"]
    shown = ANSWER_SYMBOLS[state]
    classes = f"cov cov--{state}"
    if state == ADOPTED:
        shown += f'{c["objectives"]}<span class="cov__status">{STATUS_SYMBOLS.get(c["progress_status"], "")}</span>'
        classes += f" cov--{c['progress_status']}"
    tip = f'<span class="cov__tip">{escape(c["justification"])}</span>' if c["justification"] else ""
    return classes, shown, escape(text), tip


@register.simple_tag
def coverage_body(matrix: dict, row_url: str, cell_url: str) -> SafeString:
    """The matrix's rows: the priority (a link to it across zones), its totals, then one cell per zone.

    ``row_url`` and ``cell_url`` are URLs with the placeholders ``__kind__``, ``__id__`` (and ``__zone__``).
    Built in one pass: each zone's escaped name and each distinct cell's markup are made once.
    """
    zones = [(escape(z["label"]), escape(z["key"])) for z in matrix["zones"]]
    text_of = cell_texts()
    parts: dict[tuple, tuple[str, str, str, str]] = {}
    out = []
    for row in matrix["priorities"]:
        before, _zone, after = escape(
            cell_url.replace("__kind__", row["kind"]).replace("__id__", str(row["id"]))
        ).partition("__zone__")
        link = row_url.replace("__kind__", row["kind"]).replace("__id__", str(row["id"]))
        totals = "".join(
            f'<td class="num cov-total" data-state="{state}">{figures.count_text(row["totals"][state])}</td>'
            for state in STATES
        )
        cells = []
        for c, (label, key) in zip(row["cells"], zones, strict=True):
            text = text_of(c)  # the words say the answer, the count, the progress, the status and why not
            found = parts.get((c["state"], text))
            if found is None:
                found = parts[(c["state"], text)] = _cell_parts(c, text)
            classes, shown, text, tip = found
            cells.append(
                f'<td class="{classes}"><a href="{before}{key}{after}" aria-label="{label}: {text}" '
                f'title="{label}: {text}">{shown}</a>{tip}</td>'
            )
        out.append(
            f'<tr><th scope="row" class="cov-priority"><a href="{escape(link)}">'
            f'<span class="cov-priority__code">{escape(row["code"])}</span> {escape(row["name"])}</a></th>'
            f"{totals}{''.join(cells)}</tr>"
        )
    # Every value above went through escape(); the rest is our own markup.
    return mark_safe("".join(out))  # nosec B308 B703


@register.filter
def iso_date(value: str, style: str = "DATE_FORMAT") -> str:
    """An ISO date of a snapshot ("2026-09-30") in the active language's format (30 septembre 2026)."""
    import datetime as dt

    from django.utils.formats import date_format

    if not value:
        return ""
    return date_format(dt.date.fromisoformat(str(value)[:10]), style)


@register.simple_tag
def coverage_cell_mark(c: dict) -> SafeString:
    """A cell of the printed coverage matrix: the answer's symbol (and count and status mark when adopted)."""
    shown = ANSWER_SYMBOLS[c["state"]]
    if c["state"] == ADOPTED:
        shown += f"{c['objectives']}{STATUS_SYMBOLS.get(c['progress_status'], '')}"
    return escape(shown)


@register.filter
def get_item_at(items, index):
    """``items[index]`` in a template (a row's cell by the zone's position)."""
    try:
        return items[int(index)]
    except (IndexError, TypeError, ValueError):
        return None
