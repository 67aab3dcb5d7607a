"""Template helpers for the pages: badges, progress bars, optional URLs, localised percentages.

Presentation only: what a badge or bar shows comes from the view (statuses from ``nsp.progress``
annotations, rights from ``restrict``); nothing here computes progress or decides permissions.
"""

from __future__ import annotations

import re

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from nsp import charts, figures, selectors

register = template.Library()


@register.simple_tag
def url_or_empty(name: str, *args, **kwargs) -> str:
    """The URL of ``name``, or "" while the route does not exist yet (another app may add it later)."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


@register.filter
def percent(value) -> str:
    """0.425 → "43 %" (localised, rounded half up by ``nsp.figures``); None → an em dash."""
    return figures.percent_text(value)


@register.filter
def percent_value(value) -> int | None:
    """0.138 → 14: the whole percentage (``nsp.figures``), e.g. for a bar's width."""
    return figures.percent(value)


@register.filter
def points(value) -> str:
    """A change of a share in signed whole percentage points (``nsp.figures``): 0.05 → "+5"."""
    return figures.points_text(value)


@register.filter
def number(value) -> str:
    """A measured value in the active language's format, at most 2 decimals (``nsp.figures``); None → a dash."""
    return figures.number_text(None if value in (None, "") else value)


@register.filter
def count(value) -> str:
    """12345 → "12 345" in the active language's format (``nsp.figures``); None → an em dash."""
    return figures.count_text(None if value in (None, "") else int(value))


@register.inclusion_tag("includes/badge.html")
def badge(key: str, label, extra_class: str = "") -> dict:
    """A status badge: always text, the colour only repeats it."""
    return {"key": key or "none", "label": label, "extra_class": extra_class}


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (rows of a matrix, scores per source)."""
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def role_labels(roles) -> list:
    """The readable names of role keys (``zone_chief`` → "Zone chief"), in the matrix's order."""
    from nsp.roles import ADMIN, ROLES

    labels = []
    if ADMIN in (roles or ()):
        labels.append(_("Administrator"))
    labels += [role.label for name, role in ROLES.items() if name in (roles or ())]
    return labels


@register.inclusion_tag("includes/progress.html")
def progress(value, status, large: bool = False) -> dict:
    """A progress bar with its percentage and status in words (from ``nsp.progress`` annotations)."""
    from nsp.progress import ProgressStatus

    label = ProgressStatus(status).label if status in ProgressStatus.values else ""
    return {"value": value, "status": status or "no_data", "label": label, "large": large}


@register.inclusion_tag("includes/chart.html")
def indicator_chart(indicator, measurements) -> dict:
    """An indicator's measured values against the expected trajectory from its baseline to its target
    (``nsp.charts.trajectory_chart``, the one chart module); the page lists the same values beside it."""
    svg = charts.trajectory_chart(
        key=f"indicator-{indicator.pk}",
        name=indicator.name,
        baseline=float(indicator.baseline_value),
        baseline_date=indicator.baseline_date,
        target=float(indicator.target_value),
        target_date=indicator.target_date,
        measured=[charts.Point(m.period_end, float(m.value), m.period) for m in measurements],
    )
    return {"svg": svg}


@register.filter
def unofficial(item) -> bool:
    """Whether the text shown in the current language is our own translation (``unofficial_languages``)."""
    from django.utils.translation import get_language

    codes = {code.strip() for code in (getattr(item, "unofficial_languages", "") or "").split(",") if code.strip()}
    return (get_language() or "en")[:2] in codes


@register.filter
def markdown(text: str | None):
    """Text a person wrote in Markdown, as safe HTML (``nsp.markup``: no raw HTML, links checked)."""
    from nsp.markup import render_markdown

    return render_markdown(text)


@register.filter
def in_domain(rows, generated: str):
    """The objective rows (``nsp.selectors.objective_rows``, in tree order) a document chapter shows:
    ``objectives`` all; ``objectives:<domain>`` the subtrees of that domain's strategic objectives;
    ``objectives:other`` the subtrees of neither domain."""
    if not generated.startswith("objectives:"):
        return rows
    domain = generated.split(":", 1)[1]
    shown, current = [], None
    for row in rows:
        if row.depth == 0:
            current = row.objective.domain
        other = current not in ("security", "management")
        if (domain == "other" and other) or current == domain:
            shown.append(row)
    return shown


@register.filter
def tree_version(rows) -> str:
    """The shape version of the tree these rows show (``selectors.tree_shape_version``), for a drop to carry."""
    return selectors.tree_shape_version(
        (r.objective.pk, r.objective.parent_id, r.objective.position, r.objective.level) for r in rows
    )


def _render_once(context, template_name: str, key: tuple, **values) -> str:
    """``template_name`` rendered with ``values`` pushed on the context, once per page render for each ``key``: a
    second place showing the same thing (a zonal plan page shows each objective row in its tree and again in its
    document's chapters, the alignment table in its tab and again in the document) gets the same HTML back.

    ``key`` must hold everything the template reads that may differ between the places; the memo lives in the
    render's bottom ``render_context`` dict (where ``{% include %}`` caches its templates), so it ends with the
    render. The objects the key names by ``id`` are kept alive beside their HTML, so no id is reused meanwhile."""
    memo = context.render_context.dicts[0].setdefault(_render_once, {})
    kept = memo.get(key)
    if kept is None:
        tmpl = context.template.engine.get_template(template_name)
        with context.push(**values):
            kept = memo[key] = (tuple(values.values()), tmpl.render(context))
    return kept[1]


# The ids of a row's parts (``indicator-<pk>``, ``action-<pk>``, the editing slots): one element each per page.
_ROW_IDS = re.compile(r' id="(?:indicator|action|tree-slot)-[\w-]+"')


@register.simple_tag(takes_context=True)
def objective_row(context, row, anchors: bool = True) -> str:
    """``includes/objective_row.html`` for ``row`` (``selectors.ObjectiveRow``), rendered once per page for each
    way it can look: with or without the editing tools (``editable``) and the focus after an in-place edit. A
    reader's plan page shows each row twice, identical (the Objectives tab and the document's chapters), and
    renders it once; an editor's tab has the tools and the document not, so both are rendered.

    ``anchors=False`` (the document's copy) leaves out the ids of the row's parts, which the tab's copy holds:
    an id names one element of the page (duplicates break in-page links and assistive technology)."""
    key = (
        "objective_row",
        id(row),
        bool(context.get("editable")),
        context.get("focus_kind") or "",
        context.get("focus_pk"),
        context.get("focus_move"),
    )
    html = _render_once(context, "includes/objective_row.html", key, row=row)
    # Our own rendered (escaped) HTML with attributes taken out stays safe.
    return html if anchors else mark_safe(_ROW_IDS.sub("", html))  # nosec B308 B703


@register.simple_tag(takes_context=True)
def alignment_summary(context, rows) -> str:
    """``zones/partials/alignment_summary.html`` for these alignment rows (``zones.selectors.alignment_rows``),
    rendered once per page: the plan page shows the same table in its alignment tab and in its document."""
    return _render_once(context, "zones/partials/alignment_summary.html", ("alignment_summary", id(rows)), rows=rows)
