"""The coverage matrix against the alignment data: every state of a cell (adopted, not adopted, undecided, no
plan), the totals, the filters, the drill-downs and the files."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reporting import coverage
from reporting.tests.conftest import AS_OF
from tests.factories import NationalAlignmentFactory, PoliceZoneFactory, ZonalSecurityPlanFactory


def matrix_for(world, user, **filters):
    return coverage.coverage_matrix(user=user, nsp=world.nsp, as_of=AS_OF, **filters)


def cells(matrix) -> dict[tuple[str, str], dict]:
    return {(row["code"], c["zone"]): c for row in matrix["priorities"] for c in row["cells"]}


def test_every_state_of_a_cell_follows_the_alignments(world):
    matrix = matrix_for(world, world.committee)
    assert [r["code"] for r in matrix["priorities"]] == ["P1", "P2", "T1"]
    assert [z["key"] for z in matrix["zones"]] == [world.zone_a.key, world.zone_b.key]
    got = cells(matrix)
    road = got[("P1", world.zone_a.key)]
    # Adopted by S1 (0.8, on track): the count, the mean progress and its status.
    assert (road["state"], road["objectives"], road["objective_codes"]) == ("adopted", 1, "S1")
    assert (road["progress"], road["progress_status"]) == (pytest.approx(0.8), "on_track")
    drugs = got[("P2", world.zone_a.key)]
    assert (drugs["state"], drugs["justification"]) == ("not_adopted", "Handled by the federal police.")
    assert got[("T1", world.zone_a.key)]["state"] == "undecided"  # no answer yet
    # Zone B has only a draft, which the committee may not read: no plan.
    assert {got[(code, world.zone_b.key)]["state"] for code in ("P1", "P2", "T1")} == {"no_plan"}


def test_an_adoption_without_objective_is_undecided(world):
    NationalAlignmentFactory(plan=world.plan_a, theme=world.theme, phenomenon=None, adopted=True, justification="")
    assert cells(matrix_for(world, world.committee))[("T1", world.zone_a.key)]["state"] == "undecided"


def test_the_own_draft_is_a_plan_for_its_zone(world):
    got = cells(matrix_for(world, world.chief_b))
    assert {got[(code, world.zone_b.key)]["state"] for code in ("P1", "P2", "T1")} == {"undecided"}


def test_totals_per_row_and_column(world):
    matrix = matrix_for(world, world.committee)
    rows = {r["code"]: r["totals"] for r in matrix["priorities"]}
    assert rows["P1"] == {"adopted": 1, "not_adopted": 0, "undecided": 0, "no_plan": 1}
    assert rows["P2"] == {"adopted": 0, "not_adopted": 1, "undecided": 0, "no_plan": 1}
    zones = {z["key"]: z["totals"] for z in matrix["zones"]}
    assert zones[world.zone_a.key] == {"adopted": 1, "not_adopted": 1, "undecided": 1, "no_plan": 0}
    assert zones[world.zone_b.key]["no_plan"] == 3
    assert matrix["totals"] == {"adopted": 1, "not_adopted": 1, "undecided": 1, "no_plan": 3}


def test_filters(world):
    assert [z["key"] for z in matrix_for(world, world.committee, district=world.district_a)["zones"]] == [
        world.zone_a.key
    ]
    assert [z["key"] for z in matrix_for(world, world.committee, plan_status="none")["zones"]] == [world.zone_b.key]
    assert [z["key"] for z in matrix_for(world, world.committee, plan_status="approved")["zones"]] == [world.zone_a.key]
    assert matrix_for(world, world.committee, region="Wallonia")["zones"] == []
    assert matrix_for(world, world.committee, province="Nowhere")["zones"] == []


def test_the_plan_running_on_the_day_answers(world):

    later = ZonalSecurityPlanFactory(
        zone=world.zone_a,
        nsp=world.nsp,
        title="Next plan",
        status="approved",
        approved_on=dt.date(2026, 1, 1),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2031, 12, 31),
    )
    plans = coverage.zone_plans(user=world.committee, nsp=world.nsp, zones=[world.zone_a], as_of=AS_OF)
    assert plans[world.zone_a.pk].pk == world.plan_a.pk
    plans = coverage.zone_plans(user=world.committee, nsp=world.nsp, zones=[world.zone_a], as_of=dt.date(2027, 1, 1))
    assert plans[world.zone_a.pk].pk == later.pk


def test_the_query_count_does_not_grow_with_the_zones(world):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            matrix_for(world, world.committee)
        return len(queries)

    count()  # the viewer's roles are read once, on the first list
    before = count()
    for n in range(5):
        zone = PoliceZoneFactory(number=f"58{n:02d}", district=world.district_b)
        plan = ZonalSecurityPlanFactory(zone=zone, nsp=world.nsp, status="approved")
        NationalAlignmentFactory(plan=plan, phenomenon=world.drugs, adopted=False, justification="Not here.")
    assert count() == before


# --- the pages ---------------------------------------------------------------------------------------------


def test_the_matrix_page_links_every_cell_row_and_column(client, world):
    client.force_login(world.committee)
    response = client.get(reverse("reporting:coverage"), {"nsp": world.nsp.pk})
    assert response.status_code == 200
    html = response.content.decode()
    cell = reverse(
        "reporting:coverage-cell",
        kwargs={"nsp": world.nsp.pk, "kind": "phenomenon", "priority": world.drugs.pk, "zone": world.zone_a.key},
    )
    assert f'href="{cell}"' in html
    assert "Handled by the federal police." in html  # the justification, on hover and focus
    row = reverse(
        "reporting:coverage-priority",
        kwargs={"nsp": world.nsp.pk, "kind": "phenomenon", "priority": world.phenomenon.pk},
    )
    assert row in html
    assert reverse("zones:plan", kwargs={"pk": world.plan_a.pk}) in html  # the column opens the zone's plan
    assert 'aria-label="5339 Brussel-Hoofdstad/Elsene: Adopted by 1 objective, 80 %, On track"' in html


def test_the_cell_and_the_row(client, world):
    client.force_login(world.committee)
    cell = client.get(
        reverse(
            "reporting:coverage-cell",
            kwargs={
                "nsp": world.nsp.pk,
                "kind": "phenomenon",
                "priority": world.phenomenon.pk,
                "zone": world.zone_a.key,
            },
        )
    )
    assert cell.status_code == 200
    assert [o["code"] for o in cell.context["data"]["objectives"]] == ["S1"]
    assert reverse("nsp:objective", kwargs={"pk": world.road.pk}) in cell.content.decode()
    row = client.get(
        reverse(
            "reporting:coverage-priority",
            kwargs={"nsp": world.nsp.pk, "kind": "phenomenon", "priority": world.drugs.pk},
        )
    )
    assert row.status_code == 200
    answers = {z["key"]: z["state"] for z in row.context["data"]["zones"]}
    assert answers == {world.zone_a.key: "not_adopted", world.zone_b.key: "no_plan"}
    assert "Handled by the federal police." in row.content.decode()


def test_an_unknown_priority_is_a_404(client, world):
    client.force_login(world.committee)
    url = reverse("reporting:coverage-priority", kwargs={"nsp": world.nsp.pk, "kind": "nothing", "priority": 1})
    assert client.get(url).status_code == 404
    url = reverse("reporting:coverage-file", kwargs={"format": "pdf"})
    assert client.get(url).status_code == 404


def test_csv_and_xlsx_hold_the_matrix_as_shown(client, world):
    client.force_login(world.committee)
    response = client.get(reverse("reporting:coverage-file", kwargs={"format": "csv"}), {"nsp": world.nsp.pk})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    zone_a = header.index("5339 Brussel-Hoofdstad/Elsene")
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["P1"][zone_a] == "Adopted by 1 objective, 80 %, On track"
    assert by_code["P2"][zone_a] == "Not adopted: Handled by the federal police."
    assert by_code["T1"][zone_a] == "Undecided"
    assert by_code["P1"][header.index("5415 Gent")] == "No plan"
    assert by_code[""][zone_a] == "1"  # priorities adopted per zone
    response = client.get(reverse("reporting:coverage-file", kwargs={"format": "xlsx"}), {"nsp": world.nsp.pk})
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Coverage"]
    assert [c.value for c in sheet[1]][:3] == ["Code", "National priority", "5339 Brussel-Hoofdstad/Elsene"]
    assert sheet["C2"].value == "Adopted by 1 objective, 80 %, On track"
    long = workbook["Coverage cells"]
    header = [c.value for c in long[1]]
    first = [c.value for c in long[2]]
    assert first[header.index("Answer")] == "Adopted"
    assert first[header.index("Progress of the adopting objectives")] == 0.8


def test_the_row_downloads_as_csv(client, world):
    client.force_login(world.committee)
    url = reverse(
        "reporting:coverage-priority",
        kwargs={"nsp": world.nsp.pk, "kind": "phenomenon", "priority": world.phenomenon.pk},
    )
    page = client.get(url)
    assert "format=csv" in page.content.decode()
    rows = list(csv.DictReader(io.StringIO(client.get(url, {"format": "csv"}).content.decode("utf-8-sig"))))
    by_zone = {r["Police zone"]: r for r in rows}
    assert by_zone["5339 Brussel-Hoofdstad/Elsene"]["Progress (%)"] == "80"
    assert by_zone["5415 Gent"]["Answer"] == "No plan"


def test_the_matrix_is_built_from_a_pinned_number_of_flat_queries(world, django_assert_num_queries):
    """Zones, plans, their re-aligning addenda, alignments, adopting objectives, progress (two), priorities
    (two): nine queries once the viewer's roles are known, and no model instance per cell. As at a past day,
    two more: the plans' states and the answers recorded by then (``zones.as_at``; a third, their objectives,
    when some were: here the history is dated today)."""
    matrix_for(world, world.committee)  # the viewer's roles are read once, on the first list
    with django_assert_num_queries(11):
        matrix_for(world, world.committee)
    today = dt.date.today()
    with django_assert_num_queries(9):
        coverage.coverage_matrix(user=world.committee, nsp=world.nsp, as_of=today)
