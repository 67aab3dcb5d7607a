"""Programme pages: every role reads them; federal planners create, change and delete programmes; a
programme's managers change their own programme and its content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nsp.tests.test_views_scenario import build, form_data, sql_lines
from programmes.models import Programme
from tests.factories import ObjectiveFactory, ProgrammeFactory, UserFactory, sign_in, user_with_role

pytestmark = pytest.mark.django_db


def url(name: str, programme) -> str:
    return reverse(f"programmes:{name}", kwargs={"pk": programme.pk})


def test_list_and_detail_for_any_role(client):
    world = build()
    manager = user_with_role("programme_manager", programme=world.programme)
    sign_in(client, "zone_planner", zone=world.zone)
    response = client.get(reverse("programmes:programme-list"))
    assert response.status_code == 200 and list(response.context["rows"]) == [world.programme]
    assert "Add a programme" not in response.content.decode()
    response = client.get(url("programme", world.programme))
    html = response.content.decode()
    assert response.status_code == 200
    assert manager.username in html and str(world.phenomena[0]) in html and world.programme_objective.title in html
    assert url("programme-edit", world.programme) not in html


def test_federal_planner_creates_a_programme(client):
    world = build()
    sign_in(client, "federal_planner")
    create = reverse("programmes:programme-create")
    assert client.get(create).status_code == 200
    data = {
        "nsp": world.nsp.pk,
        "title": "Cybercrime",
        "code": "cybercrime",
        "programme_type": "programme",
        "owning_unit": "DGJ/DJSOC",
        "period_start": "2016-01-01",
        "period_end": "2019-12-31",
        "status": "approved",
        "keep_tolerance": "0.05",
        "themes": [world.theme.pk],
    }
    response = client.post(create, data)
    programme = Programme.objects.get(code="cybercrime")
    assert response.status_code == 302 and response["Location"] == programme.get_absolute_url()
    assert list(programme.themes.all()) == [world.theme]
    response = client.post(create, {**data, "code": "cyber-2", "period_end": "2015-01-01"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Programme.objects.filter(code="cyber-2").exists()


def test_programme_links_must_belong_to_its_edition(client):
    world = build()
    other = ProgrammeFactory()
    sign_in(client, "federal_planner")
    create = reverse("programmes:programme-create")
    data = {
        "nsp": other.nsp_id,
        "title": "Drugs",
        "code": "drugs",
        "programme_type": "programme",
        "owning_unit": "DGJ",
        "period_start": "2016-01-01",
        "period_end": "2019-12-31",
        "status": "approved",
        "keep_tolerance": "0.05",
        "phenomena": [world.phenomena[0].pk],
    }
    response = client.post(create, data)
    assert response.status_code == 200
    assert "Link only phenomena and themes of the programme" in response.content.decode()
    assert not Programme.objects.filter(code="drugs").exists()


@pytest.mark.parametrize("role", ["programme_manager", "zone_chief", "committee_member"])
def test_only_federal_planners_create_programmes(client, role):
    world = build()
    scope = (
        {"programme": world.programme}
        if role == "programme_manager"
        else {"zone": world.zone}
        if role.startswith("zone")
        else {}
    )
    sign_in(client, role, **scope)
    assert client.get(reverse("programmes:programme-create")).status_code == 403
    assert client.post(reverse("programmes:programme-create"), {"title": "x"}).status_code == 403
    assert not Programme.objects.filter(title="x").exists()


def test_manager_changes_their_own_programme_only(client):
    world = build()
    other = ProgrammeFactory(nsp=world.nsp)
    sign_in(client, "programme_manager", programme=world.programme)
    edit = url("programme-edit", world.programme)
    data = form_data(client.get(edit).context["form"], description="Fight cybercrime together.")
    assert client.post(edit, data).status_code == 302
    world.programme.refresh_from_db()
    assert world.programme.description == "Fight cybercrime together."
    assert client.get(url("programme-edit", other)).status_code == 403
    assert client.post(url("programme-delete", world.programme)).status_code == 403
    assert "Edit" in client.get(url("programme", world.programme)).content.decode()


def test_federal_planner_deletes_a_programme(client):
    world = build()
    sign_in(client, "federal_planner")
    assert client.get(url("programme-delete", world.programme)).status_code == 200
    response = client.post(url("programme-delete", world.programme))
    assert response.status_code == 302 and response["Location"] == reverse("programmes:programme-list")
    assert not Programme.objects.filter(pk=world.programme.pk).exists()


def test_programme_pages_need_a_role_and_a_login(client):
    world = build()
    assert client.get(url("programme", world.programme))["Location"].startswith(reverse("accounts:login"))
    client.force_login(UserFactory())
    assert client.get(url("programme", world.programme)).status_code == 404
    assert client.get(url("programme-edit", world.programme)).status_code == 404


def test_programme_list_filters_and_answers_htmx_with_the_rows_only(client):
    world = build()
    other = ProgrammeFactory(nsp=world.nsp, title="Drugs programme", status="draft")
    sign_in(client, "committee_member")
    response = client.get(reverse("programmes:programme-list"), {"search": "Drugs"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"') and "<html" not in html
    assert list(response.context["rows"]) == [other]
    assert list(client.get(reverse("programmes:programme-list"), {"status": "approved"}).context["rows"]) == [
        world.programme
    ]


@pytest.mark.parametrize("count", [5, 50])
def test_programme_list_runs_a_fixed_number_of_queries(client, count):
    for _ in range(count):
        ObjectiveFactory(plan=ProgrammeFactory(period_start=dt.date(2016, 1, 1)))
    sign_in(client, "committee_member")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("programmes:programme-list"))
    assert response.status_code == 200 and len(response.context["rows"]) == min(count, 25)
    assert len(queries) == 7, sql_lines(queries)
