"""How a figure is presented: the one rounding that pages, charts, PDF, XLSX and CSV share.

Progress is computed as a share in [0, 1] (``nsp.progress``) and kept unrounded in data snapshots; it is
rounded only here, once, when shown. A share is shown as a whole percentage rounded half up
(0.138 → 14 %, 0.125 → 13 %), never truncated and never rounded half to even, so the Brussels district
reads 14 % on the page, in the PDF, in the spreadsheet and in the CSV alike. Text follows the active
language's number format (``django.utils.formats``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

PERCENT_PLACES = 0
DASH = "\u2014"


def percent(share: float | Decimal | str | None) -> int | None:
    """A share as a whole percentage, half up: 0.138 → 14; None (no data) stays None."""
    if share is None or share == "":
        return None
    value = (Decimal(str(share)) * 100).quantize(Decimal(1).scaleb(-PERCENT_PLACES), rounding=ROUND_HALF_UP)
    return int(value)


def percent_share(share: float | Decimal | str | None) -> float | None:
    """The rounded percentage as a share again (0.138 → 0.14): an XLSX cell formatted ``0%`` holds this."""
    value = percent(share)
    return None if value is None else value / 100


def percent_text(share: float | Decimal | str | None, *, empty: str = DASH) -> str:
    """0.138 → "14 %" in the active language's number format; None → an em dash (or ``empty``)."""
    value = percent(share)
    return empty if value is None else f"{number_format(value, decimal_pos=0)} %"


def points_text(delta: float | None, *, empty: str = DASH) -> str:
    """A change between two shares in whole percentage points, signed: 0.05 → "+5", -0.031 → "-3" (a minus sign)."""
    value = percent(delta)
    if value is None:
        return empty
    sign = "+" if value > 0 else "\u2212" if value < 0 else "\u00b1"
    return f"{sign}{number_format(abs(value), decimal_pos=0)}"


def count_text(value: int | None, *, empty: str = DASH) -> str:
    """A count in the active language's format (thousands grouped as the language does)."""
    return empty if value is None else number_format(value, decimal_pos=0, force_grouping=True)


def number_text(value: float | Decimal | None, *, places: int = 2, empty: str = DASH) -> str:
    """A measured value in the active language's format, at most ``places`` decimals, no trailing zeros."""
    if value is None:
        return empty
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    shown = max(0, -exact.as_tuple().exponent)
    return number_format(exact, decimal_pos=shown, force_grouping=True)
