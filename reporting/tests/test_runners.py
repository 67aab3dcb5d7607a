"""The report job: every kind in every format, the snapshot hash, scope, failure, idempotency, language."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from reporting import pdf, runners, snapshots
from reporting.models import ReportRun
from reporting.runners import ReportRunner
from reporting.tests.conftest import PERIOD

TARGETS = {
    "plan_progress": ("plan", lambda w: {"plan": w.plan_a}),
    "national_overview": ("national", lambda w: {}),
    "alignment": ("national", lambda w: {}),
}


def make_run(world, user, kind: str, fmt: str, **extra) -> ReportRun:
    scope, target = TARGETS[kind]
    fields = {"kind": kind, "scope": scope, "format": fmt, "period": PERIOD, "requested_by": user, **target(world)}
    fields.update(extra)
    return ReportRun.objects.create(**fields)


def produce(world, user, kind: str, fmt: str, **extra) -> ReportRun:
    run = ReportRunner(make_run(world, user, kind, fmt, **extra)).run()
    run.refresh_from_db()
    assert run.status == "done", run.log
    return run


def read(run: ReportRun) -> bytes:
    with run.file.open("rb") as handle:
        return handle.read()


def pdf_text(run: ReportRun) -> str:
    """The PDF's text: pdftotext when installed, else the text of WeasyPrint's laid-out pages."""
    content = read(run)
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    document = pdf.pdf_document(run.snapshot, digest=run.snapshot_hash)
    texts: list[str] = []

    def walk(box):
        if getattr(box, "text", None):
            texts.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(texts)


# --- every kind and format -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(TARGETS))
def test_json_is_the_snapshot_and_the_hash_is_its_sha256(world, media, kind):
    run = produce(world, world.chief_a, kind, "json")
    assert json.loads(read(run)) == run.snapshot
    canonical = json.dumps(run.snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert run.snapshot_hash == hashlib.sha256(canonical).hexdigest()
    assert run.snapshot["report"]["as_of"] == "2021-12-31"
    assert run.progress == 100 and run.started_at and run.finished_at
    assert run.file.name.endswith(".json")


@pytest.mark.parametrize("kind", list(TARGETS))
def test_pdf_is_a_pdf_that_names_what_it_is_about(world, media, kind):
    run = produce(world, world.chief_a, kind, "pdf")
    content = read(run)
    assert content.startswith(b"%PDF")
    text = pdf_text(run)
    # The overview names the plan among those with off-track objectives.
    assert "Zonal security plan 5339 2020-2025" in text
    assert run.snapshot_hash in text.replace(" ", "").replace("\n", "")
    if kind == "national_overview":
        assert "Traffic safety" in text and "Information management" in text


@pytest.mark.parametrize("kind", list(TARGETS))
def test_xlsx_has_a_sheet_per_section_with_headers_formats_and_frozen_panes(world, media, kind):
    run = produce(world, world.chief_a, kind, "xlsx")
    workbook = load_workbook(io.BytesIO(read(run)))
    about = workbook["Report"]
    assert about["B7"].value == run.snapshot_hash
    sections = workbook.sheetnames[1:]
    assert len(sections) >= 2
    for name in sections:
        sheet = workbook[name]
        # The header stays in view; the coverage matrix keeps its priority columns in view too.
        assert sheet.freeze_panes == ("C2" if name == "Coverage" else "A2")
        assert sheet["A1"].font.bold and sheet["A1"].value


def test_xlsx_plan_progress_numbers_and_formats(world, media):
    run = produce(world, world.chief_a, "plan_progress", "xlsx")
    sheet = load_workbook(io.BytesIO(read(run)))["Objectives"]
    header = [c.value for c in sheet[1]]
    rows = {r[header.index("Code")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["S1"][header.index("Progress")] == pytest.approx(0.8)
    assert rows["S1"][header.index("Progress status")] == "On track"
    assert rows["S2"][header.index("Progress status")] == "Off track"
    progress_cell = sheet.cell(row=2, column=header.index("Progress") + 1)
    assert progress_cell.number_format == "0%"
    indicators = load_workbook(io.BytesIO(read(run)))["Indicators"]
    header = [c.value for c in indicators[1]]
    target = indicators.cell(row=2, column=header.index("Target date") + 1)
    assert target.is_date and target.number_format == "yyyy-mm-dd"


def test_csv_is_one_flat_table(world, media):
    run = produce(world, world.chief_a, "plan_progress", "csv")
    text = read(run).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["Objective code"], r["Indicator"]) for r in rows] == [
        ("S1", "Injury accidents"),
        ("S2", "Burglaries reported"),
    ]
    assert rows[0]["Progress (%)"] == "80"
    assert rows[0]["Overdue"] == "yes"
    assert rows[0]["Latest value"] == "84"


@pytest.mark.parametrize("kind", ["national_overview", "alignment"])
def test_csv_of_aggregate_reports(world, media, kind):
    run = produce(world, world.chief_a, kind, "csv")
    rows = list(csv.reader(io.StringIO(read(run).decode("utf-8-sig"))))
    assert len(rows) > 2 and all(len(r) == len(rows[0]) for r in rows)


# --- what the snapshot holds -------------------------------------------------------------------------


def test_plan_progress_snapshot(world, media):
    snapshot = produce(world, world.chief_a, "plan_progress", "json").snapshot
    plan = snapshot["plan"]
    assert (plan["title"], plan["status"], plan["zone"]) == (
        "Zonal security plan 5339 2020-2025",
        "approved",
        "5339 Brussel-Hoofdstad/Elsene",
    )
    objectives = {o["code"]: o for o in snapshot["objectives"]}
    assert objectives["S1"]["progress"] == pytest.approx(0.8)
    assert objectives["S1"]["progress_status"] == "on_track"
    road = objectives["S1"]["indicators"][0]
    assert (road["latest_value"], road["latest_period"], road["target_value"]) == ("84", "2021-Q3", "80")
    assert road["overdue"] is True and road["due_period"] == "2021-Q4"
    assert objectives["S2"]["progress_status"] == "off_track"
    assert [a["title"] for a in snapshot["actions_late"]] == ["Prevention campaign"]
    alignment = snapshot["alignment"]
    assert (alignment["adopted"], alignment["not_adopted"], alignment["undecided"]) == (1, 1, 1)


def test_a_zone_chiefs_report_holds_no_other_zones_draft(world, media):
    for kind in ("national_overview", "alignment"):
        own = json.dumps(produce(world, world.chief_a, kind, "json").snapshot)
        assert "Secret draft of Gent" not in own and "Draft objective of Gent" not in own
        theirs = json.dumps(produce(world, world.chief_b, kind, "json").snapshot)
        if kind == "alignment":
            assert "Secret draft of Gent" in theirs
    overview = produce(world, world.chief_b, "national_overview", "json").snapshot
    gent = next(d for d in overview["districts"] if d["label"] == "Gent")
    assert (gent["plans"], gent["objectives"]) == (1, 1)


def test_the_same_data_gives_the_same_hash(world, media):
    first = produce(world, world.committee, "national_overview", "json")
    second = produce(world, world.committee, "national_overview", "pdf")
    assert first.snapshot == {**second.snapshot, "report": {**second.snapshot["report"], "id": first.pk}}
    assert snapshots.snapshot_hash(first.snapshot) == first.snapshot_hash


def test_reports_are_in_the_requested_language(world, media):
    run = produce(world, world.chief_a, "plan_progress", "json", language="fr")
    # The language is applied while the snapshot is built (labels) and rendered.
    assert run.snapshot["report"]["language"] == "fr"
    from django.utils import translation

    with translation.override("fr"):
        expected = str(ReportRun.Kind.PLAN_PROGRESS.label)
    assert run.snapshot["report"]["kind_label"] == expected


# --- failure, cancellation, idempotency ---------------------------------------------------------------


def test_an_exception_marks_the_run_failed_with_its_message(world, media, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("the printer is on fire")

    monkeypatch.setattr(runners.renderers, "render", explode)
    run = ReportRunner(make_run(world, world.chief_a, "plan_progress", "pdf")).run()
    run.refresh_from_db()
    assert run.status == "failed"
    assert "Failed: the printer is on fire" in run.log
    assert run.finished_at and not run.file


def test_a_plan_no_longer_readable_fails_the_run_with_a_reason(world, media):
    run = make_run(world, world.chief_a, "plan_progress", "json", plan=world.draft_b)
    run = ReportRunner(run).run()
    assert run.status == "failed"
    assert "may no longer read the plan" in run.log


def test_running_twice_does_not_duplicate_the_file(world, media):
    run = produce(world, world.chief_a, "plan_progress", "xlsx")
    first_name, first_log = run.file.name, run.log
    ReportRunner(run).run()
    run.refresh_from_db()
    assert (run.file.name, run.log) == (first_name, first_log)
    # A redelivered task (the run still marked running) produces it again, in place.
    ReportRun.objects.filter(pk=run.pk).update(status="running")
    ReportRunner(ReportRun.objects.get(pk=run.pk)).run()
    run.refresh_from_db()
    assert run.status == "done" and run.file.name == first_name
    folder = (media / first_name).parent
    assert [p.name for p in folder.iterdir() if p.name.startswith(f"report-{run.pk}-")] == [
        first_name.rsplit("/", 1)[-1]
    ]


def test_a_cancelled_run_is_not_produced(world, media):
    run = make_run(world, world.chief_a, "plan_progress", "pdf", status="cancelled")
    ReportRunner(run).run()
    run.refresh_from_db()
    assert run.status == "cancelled" and not run.file and run.snapshot is None


def test_a_run_cancelled_while_running_stops_and_keeps_no_file(world, media, monkeypatch):
    original = snapshots.build

    def build_then_cancel(run, **kwargs):
        result = original(run, **kwargs)
        ReportRun.objects.filter(pk=run.pk).update(status="cancelled")
        return result

    monkeypatch.setattr(runners.snapshots, "build", build_then_cancel)
    run = ReportRunner(make_run(world, world.chief_a, "plan_progress", "json")).run()
    run.refresh_from_db()
    assert run.status == "cancelled" and not run.file
    assert not list(media.rglob(f"report-{run.pk}-*"))


def test_a_missing_run_is_nothing_to_do(db):
    assert ReportRunner.run_by_id(987654) is None


# --- the PDF loads nothing from the network ------------------------------------------------------------


def test_the_pdf_fetcher_refuses_remote_urls_and_files_elsewhere(settings):
    fetcher = pdf.LocalOnlyFetcher()
    for url in ("https://fonts.example.org/font.woff2", "http://127.0.0.1:8000/static/x.css", "ftp://x/y"):
        with pytest.raises(ValueError, match="Refused a remote resource"):
            fetcher.fetch(url)
    with pytest.raises(ValueError, match="outside the report's folders"):
        fetcher.fetch("file:///etc/passwd")
    css = settings.BASE_DIR / "templates" / "reporting" / "pdf" / "report.css"
    response = fetcher.fetch(css.as_uri())
    assert b"@page" in response.read()
    response.close()


def test_weasyprint_loads_only_when_a_pdf_is_rendered():
    """The web process and a worker's start never pay WeasyPrint's import; rendering a PDF does."""
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup(); "
        "import nsp.urls, reporting.tasks, demo.seed; "
        "print('weasyprint' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nsp.settings_test"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip().splitlines()[-1] == "False"
