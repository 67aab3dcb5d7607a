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
