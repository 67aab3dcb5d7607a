"""Charts drawn on the server as SVG: one small module for the pages, the print view and the PDF.

Why our own and not a library: docs/decisions.md ("Charts"). In short: four chart shapes, and each must be
readable without colour, without JavaScript and under a strict Content Security Policy, in the page and in
WeasyPrint alike. So an SVG here:

- is ``role="img"`` with a ``<title>`` and a ``<desc>`` (``aria-labelledby`` names both);
- writes every number it draws as text (localised by the caller's ``fmt``, rounded by ``nsp.figures``),
  and says each status in words; a status fill is also a pattern (hatching, dots, cross-hatching), so it
  never rests on colour alone;
- carries only presentation attributes (``fill``, ``stroke``) and class names: no ``style`` attribute, no
  ``<style>`` element, no script, nothing loaded from elsewhere; it looks the same with or without our CSS.

Only geometry and markup happen here; figures come in already computed and the caller renders the data
table beside the chart (the ``figure`` partials of the apps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
INK, MUTED, GRID, AXIS = "#1b1f24", "#4a5560", "#dde2e7", "#6b7785"
ACCENT = "#0b4c96"

# Status (progress, plan workflow, alignment answer) → (fill, pattern mark). The mark is drawn in white over
# the fill: none (solid), "hatch" (diagonal lines), "dots", "cross" (cross-hatching), "outline" (empty box).
SWATCHES: dict[str, tuple[str, str]] = {
    "achieved": ("#1f6b33", "solid"),
    "on_track": ("#3f9a57", "hatch"),
    "at_risk": ("#b36200", "dots"),
    "off_track": ("#b42318", "cross"),
    "no_data": ("#eef0f2", "outline"),
    "cancelled": ("#c9d0d6", "outline"),
    "draft": ("#eef0f2", "outline"),
    "adopted": ("#5a7fa8", "hatch"),
    "submitted": ("#0b4c96", "dots"),
    "approved": ("#1f6b33", "solid"),
    "closed": ("#4a5560", "cross"),
    "returned": ("#b42318", "cross"),
    "value": (ACCENT, "solid"),
}


def swatch(key: str) -> tuple[str, str]:
    return SWATCHES.get(key, (ACCENT, "solid"))


@dataclass(frozen=True)
class Bar:
    """One bar: a label, the value it is drawn to (None: nothing measured), its text, its status key."""

    label: str
    value: float | None
    text: str
    status: str = "value"
    note: str = ""  # said after the value, e.g. the status in words


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class StackedRow:
    label: str
    segments: Sequence[Segment]


@dataclass(frozen=True)
class Point:
    when: dt.date
    value: float
    label: str = ""  # e.g. the period, said in the point's tooltip


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    points: Sequence[Point]
    style: str = "solid"  # solid (measured), dashed (expected), dotted (target)
    colour: str = ACCENT
    show_values: bool = True


@dataclass
class _Svg:
    key: str
    title: str
    description: str
    height: int
    parts: list[str] = field(default_factory=list)

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def render(self) -> SafeString:
        ids = f"chart-{self.key}-title chart-{self.key}-desc"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" viewBox="0 0 {WIDTH} {self.height}" '
            f'width="{WIDTH}" height="{self.height}" role="img" aria-labelledby="{ids}" focusable="false" '
            f'font-family="{FONT}" font-size="12" preserveAspectRatio="xMinYMin meet">'
            f'<title id="chart-{self.key}-title">{escape(self.title)}</title>'
            f'<desc id="chart-{self.key}-desc">{escape(self.description)}</desc>'
        )
        # Every text and attribute value above went through escape(); the rest is our own markup.
        return mark_safe(head + "".join(self.parts) + "</svg>")  # nosec B308 B703


def _n(value: float) -> str:
    """A coordinate: at most one decimal, never localised."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, *, anchor: str = "start", fill: str = INK, size: int = 12, bold=False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="{fill}" font-size="{size}"{weight}>'
        f"{escape(text)}</text>"
    )


def _clip(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "\u2026"


def _defs(key: str, statuses: set[str]) -> str:
    """One pattern per status drawn: the fill, and white marks over it (none for "solid")."""
    patterns = []
    for status in sorted(statuses):
        colour, mark = swatch(status)
        pid = f"chart-{key}-{status}"
        marks = {
            "hatch": '<path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2" stroke="#ffffff" stroke-width="1.6"/>',
            "dots": '<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>',
            "cross": '<path d="M0,0 L8,8 M8,0 L0,8" stroke="#ffffff" stroke-width="1.3"/>',
            "outline": '<path d="M0,8 l8,-8" stroke="#9aa4ae" stroke-width="0.8"/>',
        }.get(mark, "")
        patterns.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{colour}"/>{marks}</pattern>'
        )
    return "<defs>" + "".join(patterns) + "</defs>"


def _fill(key: str, status: str) -> str:
    return f"url(#chart-{key}-{status})"


def _legend(key: str, items: Sequence[tuple[str, str]], y: float) -> str:
    """A legend row at ``y``: a patterned swatch and the label in words, per (status, label)."""
    out, x = [], 8.0
    for status, label in items:
        out.append(
            f'<rect x="{_n(x)}" y="{_n(y - 10)}" width="14" height="12" fill="{_fill(key, status)}" '
            f'stroke="{AXIS}" stroke-width="0.5"/>'
        )
        out.append(_text(x + 19, y, label, fill=INK, size=11))
        x += 19 + 7 * len(label) + 18
    return "".join(out)


# --- horizontal bars: progress per group, plans per state ------------------------------------------


def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    maximum: float = 1.0,
    label_width: int = 250,
) -> SafeString:
    """One horizontal bar per row, its value written after it (and its status in words, if any)."""
    row_h, top = 26, 8
    height = top + row_h * max(len(bars), 1) + 8
    svg = _Svg(key, title, description, height)
    svg.add(_defs(key, {b.status for b in bars}))
    plot_x, plot_w = label_width + 8, WIDTH - label_width - 8 - 170
    top_value = maximum or 1.0
    svg.add(
        f'<line x1="{plot_x}" y1="{top}" x2="{plot_x}" y2="{height - 8}" stroke="{AXIS}" stroke-width="1"/>'
        f'<line x1="{plot_x + plot_w}" y1="{top}" x2="{plot_x + plot_w}" y2="{height - 8}" stroke="{GRID}" '
        f'stroke-width="1" stroke-dasharray="3 3"/>'
    )
    for index, bar in enumerate(bars):
        y = top + index * row_h
        svg.add(
            f"<g><title>{escape(bar.label)}: {escape(bar.text)}{escape(' ' + bar.note if bar.note else '')}</title>"
        )
        svg.add(_text(label_width, y + 17, _clip(bar.label, 34), anchor="end"))
        end = plot_x
        if bar.value is not None:
            width = max(0.0, min(bar.value / top_value, 1.0)) * plot_w
            svg.add(
                f'<rect x="{plot_x}" y="{y + 5}" width="{_n(width)}" height="16" fill="{_fill(key, bar.status)}" '
                f'stroke="{AXIS}" stroke-width="0.5"/>'
            )
            end = plot_x + width
        words = bar.text + (f" \u00b7 {bar.note}" if bar.note else "")
        svg.add(_text(end + 6, y + 17, words, bold=bar.value is not None))
        svg.add("</g>")
    return svg.render()


# --- stacked bars: status distribution per cluster / theme ---------------------------------------------


def stacked_bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    rows: Sequence[StackedRow],
    legend: Sequence[tuple[str, str]],
    total_text: Callable[[int], str],
    label_width: int = 250,
) -> SafeString:
    """One bar per row split into its segments by count (share of the row's total), each count written in it."""
    row_h, top = 26, 30
    height = top + row_h * max(len(rows), 1) + 8
    svg = _Svg(key, title, description, height)
    svg.add(_defs(key, {status for status, _label in legend}))
    svg.add(_legend(key, legend, 16))
    plot_x, plot_w = label_width + 8, WIDTH - label_width - 8 - 110
    for index, row in enumerate(rows):
        y = top + index * row_h
        total = sum(s.count for s in row.segments)
        svg.add(_text(label_width, y + 17, _clip(row.label, 34), anchor="end"))
        x = float(plot_x)
        for segment in row.segments:
            if not segment.count:
                continue
            width = segment.count / total * plot_w
            light = swatch(segment.key)[1] == "outline"
            svg.add(
                f"<g><title>{escape(row.label)} \u2014 {escape(segment.label)}: {segment.count}</title>"
                f'<rect x="{_n(x)}" y="{y + 4}" width="{_n(width)}" height="18" fill="{_fill(key, segment.key)}" '
                f'stroke="#ffffff" stroke-width="1"/>'
            )
            if width >= 22:
                # A light plate under the count keeps it legible over any pattern.
                plate = 8 + 7 * len(str(segment.count))
                svg.add(
                    f'<rect x="{_n(x + width / 2 - plate / 2)}" y="{y + 6}" width="{plate}" height="14" rx="3" '
                    f'fill="#ffffff" fill-opacity="{0.0 if light else 0.85}"/>'
                )
                svg.add(_text(x + width / 2, y + 17, str(segment.count), anchor="middle", size=11, bold=True))
            svg.add("</g>")
            x += width
        svg.add(_text(plot_x + (plot_w if total else 0) + 6, y + 17, total_text(total), fill=MUTED))
    return svg.render()


# --- lines over time: the national trend, an indicator against its trajectory ---------------------------


def line_chart(
    *,
    key: str,
    title: str,
    description: str,
    lines: Sequence[Line],
    start: dt.date,
    end: dt.date,
    low: float,
    high: float,
    fmt: Callable[[float], str],
    ticks: Sequence[tuple[dt.date, str]] = (),
    y_ticks: Sequence[float] = (),
) -> SafeString:
    """Lines over dates between ``start`` and ``end``; values between ``low`` and ``high``, each point's written."""
    height, left, right, top, bottom = 280, 64, 24, 34, 44
    svg = _Svg(key, title, description, height)
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    span = max((end - start).days, 1)
    high = high if high > low else low + 1

    def x(day: dt.date) -> float:
        return left + min(max((day - start).days / span, 0.0), 1.0) * plot_w

    def y(value: float) -> float:
        return top + (high - min(max(value, low), high)) / (high - low) * plot_h

    legend_x = float(left)
    for line in lines:
        dash = {"dashed": ' stroke-dasharray="7 4"', "dotted": ' stroke-dasharray="2 3"'}.get(line.style, "")
        svg.add(
            f'<line x1="{_n(legend_x)}" y1="14" x2="{_n(legend_x + 24)}" y2="14" stroke="{line.colour}" '
            f'stroke-width="3"{dash}/>'
        )
        svg.add(_text(legend_x + 30, 18, line.label, size=11))
        legend_x += 30 + 7 * len(line.label) + 20
    for value in y_ticks or (low, high):
        svg.add(
            f'<line x1="{left}" y1="{_n(y(value))}" x2="{WIDTH - right}" y2="{_n(y(value))}" stroke="{GRID}" '
            f'stroke-width="1"/>'
        )
        svg.add(_text(left - 6, y(value) + 4, fmt(value), anchor="end", fill=MUTED, size=11))
    svg.add(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - right}" y2="{top + plot_h}" stroke="{AXIS}" '
        f'stroke-width="1"/><line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{AXIS}" '
        f'stroke-width="1"/>'
    )
    for day, label in ticks or ((start, ""), (end, "")):
        at = x(day)
        # A tick label at an edge of the plot grows inwards, so it is never cut off.
        anchor = "start" if at - left < 40 else "end" if WIDTH - right - at < 40 else "middle"
        svg.add(_text(at, top + plot_h + 18, label, anchor=anchor, fill=MUTED, size=11))
    for line in lines:
        dash = {"dashed": ' stroke-dasharray="7 4"', "dotted": ' stroke-dasharray="2 3"'}.get(line.style, "")
        placed = [(x(p.when), y(p.value), p) for p in line.points]
        if len(placed) > 1:
            points = " ".join(f"{_n(px)},{_n(py)}" for px, py, _p in placed)
            svg.add(
                f'<polyline points="{points}" fill="none" stroke="{line.colour}" stroke-width="2.5"'
                f' stroke-linejoin="round"{dash}/>'
            )
        if line.style != "solid":
            continue
        crowded = len(placed) > 12
        for index, (px, py, point) in enumerate(placed):
            said = f"{point.label}: {fmt(point.value)}" if point.label else fmt(point.value)
            svg.add(
                f"<g><title>{escape(line.label)} \u2014 {escape(said)}</title>"
                f'<circle cx="{_n(px)}" cy="{_n(py)}" r="4" fill="{line.colour}" stroke="#ffffff" stroke-width="1"/>'
            )
            if line.show_values and (not crowded or index in (0, len(placed) - 1)):
                svg.add(_text(px, py - 9, fmt(point.value), anchor="middle", size=11, bold=True))
            svg.add("</g>")
    return svg.render()


def trajectory_chart(
    *,
    key: str,
    name: str,
    baseline: float,
    baseline_date: dt.date,
    target: float,
    target_date: dt.date,
    measured: Sequence[Point],
) -> SafeString:
    """An indicator's measured series against the expected trajectory, a straight line from its baseline (on the
    baseline date) to its target (on the target date). Values in the active language's format."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    from nsp import figures

    values = [baseline, target, *(p.value for p in measured)]
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    lines = [
        Line(
            "expected",
            gettext("Expected trajectory"),
            [Point(baseline_date, baseline), Point(target_date, target)],
            style="dashed",
            colour=AXIS,
        ),
        Line("measured", gettext("Measured values"), measured),
    ]
    start_text, end_text = (
        date_format(baseline_date, "SHORT_DATE_FORMAT"),
        date_format(target_date, "SHORT_DATE_FORMAT"),
    )
    description = gettext(
        "%(count)s measured values against the expected trajectory from the baseline %(baseline)s (%(start)s) "
        "to the target %(target)s (%(end)s). The table lists every value."
    ) % {
        "count": figures.count_text(len(measured)),
        "baseline": figures.number_text(baseline),
        "start": start_text,
        "target": figures.number_text(target),
        "end": end_text,
    }
    return line_chart(
        key=key,
        title=gettext("Values of %(name)s over time") % {"name": name},
        description=description,
        lines=lines,
        start=min([baseline_date, *(p.when for p in measured)]),
        end=max([target_date, *(p.when for p in measured)]),
        low=low - pad,
        high=high + pad,
        fmt=figures.number_text,
        ticks=[(baseline_date, start_text), (target_date, end_text)],
        y_ticks=sorted({baseline, target}),
    )


def sparkline(
    key: str,
    values: Sequence[float],
    *,
    description: str,
    target: float | None = None,
    width: int = 112,
    height: int = 28,
) -> SafeString:
    """A word-sized line of recent values (oldest first) with the target as a dotted rule, for a table row.

    ``description`` says the values in words (the image's title), so the line never carries them alone.
    """
    pad = 3.0
    points = list(values)
    scale = [*points, *([target] if target is not None else [])]
    low, high = (min(scale), max(scale)) if scale else (0.0, 1.0)
    if high == low:
        low, high = low - 1, high + 1

    def y(value: float) -> float:
        return height - pad - (value - low) / (high - low) * (height - 2 * pad)

    step = (width - 2 * pad) / max(len(points) - 1, 1)
    parts = []
    if target is not None:
        parts.append(
            f'<line x1="{_n(pad)}" x2="{_n(width - pad)}" y1="{_n(y(target))}" y2="{_n(y(target))}" '
            f'stroke="{AXIS}" stroke-width="1" stroke-dasharray="2 2"/>'
        )
    coords = [(pad + i * step, y(v)) for i, v in enumerate(points)]
    if len(coords) > 1:
        line = " ".join(f"{_n(x)},{_n(yy)}" for x, yy in coords)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{ACCENT}" stroke-width="1.5"/>')
    if coords:
        x, yy = coords[-1]
        parts.append(f'<circle cx="{_n(x)}" cy="{_n(yy)}" r="2.5" fill="{ACCENT}"/>')
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="spark-{escape(key)}" focusable="false">'
        f'<title id="spark-{escape(key)}">{escape(description)}</title>'
    )
    # The key and the description went through escape(); the rest is our own markup with numbers.
    return mark_safe(head + "".join(parts) + "</svg>")  # nosec B308 B703
