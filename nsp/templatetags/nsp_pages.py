"""Template helpers for the pages: badges, progress bars, optional URLs, localised percentages.

Presentation only: what a badge or bar shows comes from the view (statuses from ``nsp.progress``
annotations, rights from ``restrict``); nothing here computes progress or decides permissions.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

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
    """0.425 → "43 %" (localised); None → an em dash."""
    if value is None or value == "":
        return "\u2014"
    share = Decimal(str(value)) * 100
    return f"{number_format(share, decimal_pos=0)} %"


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


CHART = {"width": 600, "height": 240, "left": 64, "right": 16, "top": 16, "bottom": 36}


@register.inclusion_tag("includes/chart.html")
def indicator_chart(indicator, measurements) -> dict:
    """An inline SVG of an indicator's values over time against its baseline and target (our own markup).

    Only geometry happens here: values are placed between the baseline date and the target date.
    """
    points = [(m.period_end, float(m.value), m.period) for m in measurements]
    baseline, target = float(indicator.baseline_value), float(indicator.target_value)
    low = min([baseline, target, *(v for _d, v, _p in points)])
    high = max([baseline, target, *(v for _d, v, _p in points)])
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    start, end = indicator.baseline_date, indicator.target_date
    span = max((end - start).days, 1)
    plot_w = CHART["width"] - CHART["left"] - CHART["right"]
    plot_h = CHART["height"] - CHART["top"] - CHART["bottom"]

    def x(day) -> float:
        share = min(max((day - start).days / span, 0.0), 1.0)
        return round(CHART["left"] + share * plot_w, 1)

    def y(value: float) -> float:
        return round(CHART["top"] + (high - value) / (high - low) * plot_h, 1)

    placed = [{"x": x(day), "y": y(value), "value": value, "period": period} for day, value, period in points]
    return {
        "indicator": indicator,
        "chart": CHART,
        "bottom": CHART["height"] - CHART["bottom"],
        "right": CHART["width"] - CHART["right"],
        "baseline_y": y(baseline),
        "target_y": y(target),
        "low": low,
        "high": high,
        "low_y": y(low),
        "high_y": y(high),
        "points": placed,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in placed),
        "start": start,
        "end": end,
    }


@register.filter
def unofficial(item) -> bool:
    """Whether the text shown in the current language is our own translation (``unofficial_languages``)."""
    from django.utils.translation import get_language

    codes = {code.strip() for code in (getattr(item, "unofficial_languages", "") or "").split(",") if code.strip()}
    return (get_language() or "en")[:2] in codes
