"""The outside probe's findings (issue 9, S1-S9), each reproduced: hostile files, formula injection,
brute force, malformed bodies, production settings, empty filters.

The hostile files are built here, byte by byte; nothing binary is stored in the repository.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nsp import services
from nsp.api.testing import API, assert_error, client_for
from nsp.models import Measurement
from tests.factories import (
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    ZonalSecurityPlanFactory,
    sign_in,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = ZonalSecurityPlanFactory(
        status="approved", approved_on=dt.date(2020, 6, 1), council_adopted_on=dt.date(2020, 3, 1)
    )
    indicator = IndicatorFactory(objective=ObjectiveFactory(plan=plan, code="S1"), name="Burglaries")
    MeasurementFactory(indicator=indicator, period="2024-Q1", value=Decimal("90"))
    return plan


@pytest.fixture
def chief(plan):
    return user_with_role("zone_chief", zone=plan.zone)


def upload(client, plan, content: bytes, name: str):
    file = io.BytesIO(content)
    file.name = name
    return client.post(f"{API}zonal-plans/{plan.pk}/measurements/import/", {"file": file}, format="multipart")


def page_upload(client, plan, content: bytes, name: str):
    address = reverse("nsp:measurement-upload", args=[plan.pk])
    return client.post(address, {"file": SimpleUploadedFile(name, content)})


# --- hostile workbooks, written by hand -------------------------------------------------------------

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook_bytes(sheet_xml: bytes | str, *, level: int = 9) -> bytes:
    """The smallest XLSX that Excel and openpyxl open, with the given sheet XML."""
    if isinstance(sheet_xml, str):
        sheet_xml = sheet_xml.encode()
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{SHEET_NS}" xmlns:r="{REL_NS}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


def sheet(rows: str, dimension: str = "") -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}">'
    return f"{head}{declared}<sheetData>{rows}</sheetData></worksheet>"


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = '<row r="1">' + inline("A1", "indicator") + inline("B1", "period") + inline("C1", "value") + "</row>"


def measured(call):
    """Run ``call`` three times: once to warm the process up (imports, URL map), once timed, once with
    memory traced (tracing slows Python down); answer the result, the seconds and the peak allocation."""
    call()
    started = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        call()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, seconds, peak


def no_plan_lock(monkeypatch):
    def locked(plan_id):
        raise AssertionError("the plan was locked while a hostile file was still being read")

    monkeypatch.setattr(services, "lock_plan", locked)


# --- S1: a 1.6 KB workbook that declares a million rows -------------------------------------------


def s1_workbook() -> bytes:
    last = '<row r="1048576">' + inline("XFD1048576", "x") + "</row>"
    return workbook_bytes(sheet(HEADER + last, dimension="A1:XFD1048576"))


def test_s1_a_sheet_declaring_a_million_rows_is_refused_at_once(plan, chief, monkeypatch):
    content = s1_workbook()
    assert len(content) < 2048
    no_plan_lock(monkeypatch)
    response, seconds, peak = measured(lambda: upload(client_for(chief), plan, content, "s1.xlsx"))
    body = assert_error(response, 400)
    assert seconds < 1 and peak < 100 * 1024 * 1024
    assert "1048576 rows" in body["message"]
    assert body["extra"]["problems"][0]["field"] == "file"
    assert Measurement.objects.count() == 1


def test_s1_the_real_rows_are_bounded_too_when_the_dimension_is_left_out(plan, chief):
    # No <dimension>: the far row is refused when the stream reaches it, with its number.
    far_row = workbook_bytes(sheet(HEADER + '<row r="1048576">' + inline("A1048576", "x") + "</row>"))
    body = assert_error(upload(client_for(chief), plan, far_row, "far.xlsx"), 400)
    assert body["extra"]["problems"][0]["where"] == "row 1048576"
    wide = workbook_bytes(sheet(HEADER + '<row r="2">' + inline("XFD2", "x") + "</row>"))
    body = assert_error(upload(client_for(chief), plan, wide, "wide.xlsx"), 400)
    assert body["extra"]["problems"][0]["where"] == "row 2"


def test_s1_through_the_upload_page(plan, client):
    sign_in(client, "zone_chief", zone=plan.zone)
    response, seconds, peak = measured(lambda: page_upload(client, plan, s1_workbook(), "s1.xlsx"))
    assert response.status_code == 200 and seconds < 1 and peak < 100 * 1024 * 1024
    assert "1048576 rows" in response.content.decode()
    assert response.context["problems"][0]["field"] == "file"


# --- S2: a small zip that unpacks to a 50 MB sheet ------------------------------------------------


def test_s2_a_zip_bomb_is_refused_from_its_declared_size_without_locking_the_plan(plan, chief, monkeypatch):
    filler = ('<row r="2">' + inline("A2", "Burglaries") + inline("B2", "2024-Q2") + "</row>") * 1
    rows = HEADER + filler * ((50 * 1024 * 1024) // len(filler))
    content = workbook_bytes(sheet(rows), level=9)
    assert len(content) < 5 * 1024 * 1024
    del rows
    no_plan_lock(monkeypatch)
    response, seconds, _peak = measured(lambda: upload(client_for(chief), plan, content, "bomb.xlsx"))
    body = assert_error(response, 400)
    assert seconds < 2
    assert "unpacks to" in body["message"]


# --- S6: a value with a huge exponent -------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e1000000", "-1E+999999999", "1e-1000000", "9" * 5000])
def test_s6_a_huge_decimal_is_a_400_naming_the_row(plan, chief, value):
    content = f"indicator,period,value\nBurglaries,2024-Q2,84\nBurglaries,2024-Q3,{value}\n".encode()
    body = assert_error(upload(client_for(chief), plan, content, "huge.csv"), 400)
    assert [(p["where"], p["field"]) for p in body["extra"]["problems"]] == [("row 3", "value")]
    assert Measurement.objects.count() == 1


def test_s6_through_the_upload_page(plan, client):
    sign_in(client, "zone_chief", zone=plan.zone)
    content = b"indicator,period,value\nBurglaries,2024-Q2,1e1000000\n"
    response = page_upload(client, plan, content, "huge.csv")
    assert response.status_code == 200
    assert [(p["where"], p["field"]) for p in response.context["problems"]] == [("row 2", "value")]
    assert Measurement.objects.count() == 1


# --- S7: an unterminated quote, two file parts ----------------------------------------------------


def test_s7_an_open_quote_is_refused_with_its_row_instead_of_merging_rows(plan, chief):
    content = b'indicator,period,value,note\nBurglaries,2024-Q2,84,"forgot to close\nBurglaries,2024-Q3,85,\n'
    body = assert_error(upload(client_for(chief), plan, content, "quote.csv"), 400)
    assert body["extra"]["problems"][0]["where"] == "row 2"
    assert "quote" in body["message"]
    assert Measurement.objects.count() == 1


def test_s7_two_file_parts_are_refused(plan, chief):
    first = io.BytesIO(b"indicator,period,value\nBurglaries,2024-Q2,84\n")
    first.name = "a.csv"
    second = io.BytesIO(b"indicator,period,value\nBurglaries,2024-Q3,85\n")
    second.name = "b.csv"
    response = client_for(chief).post(
        f"{API}zonal-plans/{plan.pk}/measurements/import/", {"file": [first, second]}, format="multipart"
    )
    body = assert_error(response, 400)
    assert body["extra"]["problems"][0]["field"] == "file"
    assert Measurement.objects.count() == 1


def test_s7_two_file_parts_on_the_page(plan, client):
    sign_in(client, "zone_chief", zone=plan.zone)
    files = [SimpleUploadedFile(n, b"indicator,period,value\nBurglaries,2024-Q2,84\n") for n in ("a.csv", "b.csv")]
    response = client.post(reverse("nsp:measurement-upload", args=[plan.pk]), {"file": files})
    assert response.status_code == 200 and response.context["problems"][0]["field"] == "file"
    assert Measurement.objects.count() == 1


# --- S5: malformed bodies -------------------------------------------------------------------------


def test_s5_json_nested_a_thousand_deep_is_a_400_in_the_error_shape(client):
    body = "[" * 1000 + "]" * 1000
    response = client.post(f"{API}auth/token/", body, content_type="application/json")
    error = assert_error(response, 400)
    assert error["extra"]["code"] == "too_deep"
    # Deeper than Python's own recursion limit, and on an endpoint behind a login.
    response = client_for(user_with_role("committee_member")).post(
        f"{API}objectives/", "{" * 2 + '"a":' + "[" * 100_000, content_type="application/json"
    )
    assert_error(response, 400)


def test_s5_a_body_over_the_limit_is_a_413_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = client.post(f"{API}auth/token/", '{"username": "' + "x" * 2000 + '"}', content_type="application/json")
    assert_error(response, 413)


def test_s5_a_wrong_content_type_is_a_415(client):
    response = client.post(f"{API}auth/token/", "username=a", content_type="text/plain")
    assert_error(response, 415)


def test_s5_broken_json_is_a_400(client):
    assert_error(client.post(f"{API}auth/token/", '{"username": ', content_type="application/json"), 400)


def test_every_404_and_500_under_the_api_is_json(client, monkeypatch):
    for address in ("/api/v1/nothing-here", "/api/nothing", "/api/v1/objectives/999999/"):
        response = client_for(user_with_role("committee_member")).get(address, follow=True)
        assert response.status_code == 404, address
        assert response["Content-Type"].startswith("application/json") and response.json()["message"]

    from nsp.api import root

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(root.ApiRootView, "get", broken)
    api = client_for(user_with_role("committee_member"))
    api.raise_request_exception = False
    response = api.get(f"{API}")
    assert response.status_code == 500 and response["Content-Type"].startswith("application/json")
    assert response.json()["extra"]["code"] == "server_error"


# --- S8: production settings, CSP, sessions, Cache-Control, free-text bounds -----------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def deploy_check(tmp_path, **env):
    import os
    import subprocess
    import sys

    environment = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser suite's session for its own process (Playwright's event loop);
        # a deployment never has it, and the deploy check rightly refuses it.
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_SETTINGS_MODULE",
            "DEBUG",
            "SECURE_COOKIES",
            "HTTPS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "nsp.settings",
            "NSP_VAR_DIR": str(tmp_path),
            "DEBUG": "0",
            "SECRET_KEY": "x7#Qm2$vL9pR4tW8zK1nB6yH3jF5dS0aG-eU_iO!cX+rT&wM*qZ^hN@bV%lY(pA)",
            "ALLOWED_HOSTS": "nsp.police.example",
            **env,
        }
    )
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180)


def test_s8_https_gives_a_clean_deploy_check(tmp_path):
    done = deploy_check(tmp_path, HTTPS="1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
    # Without HTTPS=1 the same check names what is missing.
    plain = deploy_check(tmp_path)
    assert plain.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in plain.stdout + plain.stderr


def test_s8_https_settings(tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    env = {**os.environ, "HTTPS": "1", "DEBUG": "0", "NSP_VAR_DIR": str(tmp_path), "SECRET_KEY": "k" * 60}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "nsp.settings"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.stdout.split("\n")[-2] == "31536000 True ('HTTP_X_FORWARDED_PROTO', 'https') True True", out.stderr


def test_s8_content_security_policy_on_pages_and_the_api_docs(client):
    sign_in(client, "committee_member")
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["style-src-attr"] == "'none'" and directives["frame-ancestors"] == "'none'"
    docs = client.get("/api/docs/")
    html = docs.content.decode()
    nonce = html.split('<style nonce="', 1)[1].split('"', 1)[0]
    assert f"'nonce-{nonce}'" in docs["Content-Security-Policy"]
    assert "<script>" not in html  # every script from a file
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_s8_no_store_on_signed_in_pages_and_api_answers(client):
    sign_in(client, "committee_member")
    assert "no-store" in client.get("/")["Cache-Control"]
    assert "no-store" in client.get(f"{API}zonal-plans/")["Cache-Control"]
    assert "no-store" in client_for().get(f"{API}zonal-plans/")["Cache-Control"]


def test_s8_sessions_end_after_idle_time_and_absolute_lifetime(client, settings, monkeypatch):
    import time as clock

    sign_in(client, "committee_member")
    now = clock.time()
    assert client.get("/").status_code == 200
    monkeypatch.setattr(clock, "time", lambda: now + 29 * 60)
    assert client.get("/").status_code == 200  # 29 minutes idle: still in (and the clock slides)
    monkeypatch.setattr(clock, "time", lambda: now + 2 * 29 * 60)
    assert client.get("/").status_code == 200
    monkeypatch.setattr(clock, "time", lambda: now + 2 * 29 * 60 + 31 * 60)
    assert client.get("/").status_code == 302  # 31 minutes idle: signed out
    sign_in(client, "committee_member")
    start = clock.time()
    for minutes in range(0, 12 * 60, 20):
        monkeypatch.setattr(clock, "time", lambda m=minutes: start + m * 60)
        assert client.get("/").status_code == 200
    monkeypatch.setattr(clock, "time", lambda: start + 12 * 3600 + 60)
    assert client.get("/").status_code == 302  # busy all day, still signed out after 12 hours
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_s8_free_text_is_bounded_with_the_same_message_on_pages_and_api(plan, chief, client, settings):
    settings.TEXT_MAX_LENGTH = 100
    from nsp.models import Objective

    objective = Objective.objects.get(plan=plan)
    # A draft plan's objective for the API write.
    draft = ZonalSecurityPlanFactory(zone=plan.zone, period_start=dt.date(2026, 1, 1), period_end=dt.date(2031, 12, 31))
    body = {"plan": draft.pk, "title": "Fewer burglaries", "description": "x" * 101, "level": "strategic"}
    error = assert_error(client_for(chief).post(f"{API}objectives/", body, format="json"), 400)
    message = error["extra"]["fields"]["description"][0]
    assert message == "Ensure this text has at most 100 characters (it has 101)."
    # The measurement note through the upload (the bulk path) says the same.
    content = f"indicator,period,value,note\nBurglaries,2024-Q2,84,{'n' * 101}\n".encode()
    problems = assert_error(upload(client_for(chief), plan, content, "note.csv"), 400)["extra"]["problems"]
    assert problems == [{"where": "row 2", "row": 2, "field": "note", "message": message}]
    assert objective.description != "x" * 101


# --- S9: an empty filter means "not given" --------------------------------------------------------


@pytest.mark.parametrize("resource", ["zonal-plans", "programmes", "regional-plans", "actions"])
def test_s9_an_empty_filter_is_not_given(resource):
    api = client_for(user_with_role("committee_member"))
    everything = api.get(f"{API}{resource}/")
    assert everything.status_code == 200
    empty = api.get(f"{API}{resource}/?status=&search=&ordering=")
    assert empty.status_code == 200 and empty.json()["count"] == everything.json()["count"]
    assert api.get(f"{API}{resource}/?status=nonsense").status_code == 400


def test_s8_free_text_bound_on_a_page_form(client, settings):
    from nsp.models import Objective

    settings.TEXT_MAX_LENGTH = 100
    draft = ZonalSecurityPlanFactory()
    sign_in(client, "zone_chief", zone=draft.zone)
    data = {
        "level": "strategic",
        "code": "S9",
        "title": "Fewer burglaries",
        "description": "x" * 101,
        "kind": "priority",
        "domain": "security",
        "weight": "1",
        "position": "1",
    }
    response = client.post(reverse("nsp:objective-add", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "Ensure this text has at most 100 characters (it has 101)." in response.content.decode()
    assert not Objective.objects.filter(plan=draft, code="S9").exists()
