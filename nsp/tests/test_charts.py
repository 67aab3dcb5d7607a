"""The one chart module (``nsp.charts``): well-formed, accessible, CSP-safe SVG that names its numbers."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from nsp import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def assert_accessible_and_csp_safe(root: ET.Element, key: str) -> None:
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"chart-{key}-title chart-{key}-desc"
    assert root.find(f"{SVG}title").get("id") == f"chart-{key}-title"
    assert root.find(f"{SVG}desc").get("id") == f"chart-{key}-desc"
    for element in root.iter():
        assert "style" not in element.attrib, element.tag
        assert element.tag not in (f"{SVG}style", f"{SVG}script", f"{SVG}image", f"{SVG}foreignObject")
        assert not any(name.startswith("on") for name in element.attrib), element.attrib


def test_bar_chart_names_each_value_and_status_in_words():
    bars = [
        charts.Bar("Road safety", 0.14, "14 %", "on_track", "On track"),
        charts.Bar("Drugs & <trafficking>", None, "No data", "no_data"),
    ]
    root = parse(charts.bar_chart(key="t", title="Progress", description="Two groups.", bars=bars))
    assert_accessible_and_csp_safe(root, "t")
    said = texts(root)
    assert "14 % \u00b7 On track" in said and "No data" in said
    assert "Drugs & <trafficking>" in said  # escaped in the markup, read back as written
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("fill", "").startswith("url(#chart-t-")]
    assert len(rects) == 1  # nothing is drawn for "no data"


def test_stacked_bars_write_every_count_and_use_patterns():
    rows = [
        charts.StackedRow(
            "Cluster 1", [charts.Segment("on_track", "On track", 3), charts.Segment("off_track", "Off", 1)]
        )
    ]
    legend = [("on_track", "On track"), ("off_track", "Off track")]
    root = parse(
        charts.stacked_bar_chart(
            key="s", title="T", description="D", rows=rows, legend=legend, total_text=lambda n: f"{n} objectives"
        )
    )
    assert_accessible_and_csp_safe(root, "s")
    said = texts(root)
    assert {"3", "1", "4 objectives", "On track", "Off track"} <= set(said)
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert patterns == {"chart-s-on_track", "chart-s-off_track"}
    # A pattern has marks over its fill: not colour alone.
    hatch = next(p for p in root.iter(f"{SVG}pattern") if p.get("id") == "chart-s-on_track")
    assert len(list(hatch)) == 2


def test_line_chart_writes_its_points():
    points = [charts.Point(dt.date(2024, 3, 31), 0.1, "2024-Q1"), charts.Point(dt.date(2024, 6, 30), 0.25, "2024-Q2")]
    root = parse(
        charts.line_chart(
            key="l",
            title="Trend",
            description="Two quarters.",
            lines=[charts.Line("p", "Progress", points)],
            start=dt.date(2024, 1, 1),
            end=dt.date(2024, 6, 30),
            low=0,
            high=1,
            fmt=lambda v: f"{round(v * 100)} %",
        )
    )
    assert_accessible_and_csp_safe(root, "l")
    assert {"10 %", "25 %"} <= set(texts(root))
    assert root.find(f"{SVG}polyline") is not None
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "Progress \u2014 2024-Q2: 25 %" in titles
