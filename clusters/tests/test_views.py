"""Pages of the NSP reference: every role reads them, federal planners change them (all four languages)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from nsp.models import PlanStatus
from nsp.tests.test_views_scenario import build, form_data
from tests.factories import UserFactory, sign_in
from zones.models import NationalAlignment

pytestmark = pytest.mark.django_db


def test_edition_list_and_detail_for_any_role(client):
    world = build(PlanStatus.APPROVED)
    sign_in(client, "zone_planner", zone=world.zone)
    response = client.get(reverse("clusters:edition-list"))
    assert response.status_code == 200 and world.nsp.title in response.content.decode()
    response = client.get(reverse("clusters:edition", kwargs={"pk": world.nsp.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (world.ambition.title, str(world.phenomena[0]), str(world.theme), world.vision.title):
        assert text in html, text
    assert "Edit" not in html.split("<main", 1)[1].split("</h1>", 1)[0]
    assert reverse("clusters:edition-edit", kwargs={"pk": world.nsp.pk}) not in html


def test_phenomenon_page_lists_the_plans_that_adopt_it_and_the_progress(client):
    world = build(PlanStatus.APPROVED)
    world.alignment.adopted = True
    world.alignment.justification = ""
    world.alignment.save()
    world.alignment.objectives.add(world.objective)
    sign_in(client, "committee_member")
    response = client.get(reverse("clusters:phenomenon", kwargs={"pk": world.phenomena[0].pk}))
    assert response.status_code == 200
    assert response.context["adopted_by"] == [world.alignment]
    assert response.context["summary"].objectives == 1
    html = response.content.decode()
    assert world.plan.title in html and world.programme.title in html


def test_plans_a_user_may_not_read_stay_out_of_the_reference_pages(client):
    world = build(PlanStatus.DRAFT)
    sign_in(client, "committee_member")
    response = client.get(reverse("clusters:phenomenon", kwargs={"pk": world.phenomena[0].pk}))
    assert response.context["not_adopted_by"] == [] and world.plan.title not in response.content.decode()
    cluster = client.get(reverse("clusters:cluster", kwargs={"pk": world.phenomena[0].cluster_id}))
    assert cluster.status_code == 200 and cluster.context["summary"].objectives == 0


def test_theme_page(client):
    world = build(PlanStatus.APPROVED)
    NationalAlignment.objects.create(plan=world.plan, theme=world.theme, adopted=False, justification="Not here.")
    sign_in(client, "cppl_member")
    response = client.get(reverse("clusters:theme", kwargs={"pk": world.theme.pk}))
    assert response.status_code == 200 and "Not here." in response.content.decode()


def test_federal_planner_renames_a_phenomenon_in_every_language(client):
    world = build()
    phenomenon = world.phenomena[0]
    sign_in(client, "federal_planner")
    edit = reverse("clusters:phenomenon-edit", kwargs={"pk": phenomenon.pk})
    response = client.get(edit)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Name (French)" in html and 'lang="de"' in html
    data = form_data(
        response.context["form"],
        name_en="Burglary",
        name_fr="Cambriolage",
        name_nl="Inbraak",
        name_de="Einbruch",
        unofficial_languages=["de"],
    )
    assert client.post(edit, data).status_code == 302
    phenomenon.refresh_from_db()
    assert (phenomenon.name_fr, phenomenon.name_de, phenomenon.unofficial_languages) == (
        "Cambriolage",
        "Einbruch",
        "de",
    )
    with translation.override("de"):
        page = client.get(reverse("clusters:phenomenon", kwargs={"pk": phenomenon.pk}), HTTP_ACCEPT_LANGUAGE="de")
    assert "Einbruch" in page.content.decode() and "badge--unofficial" in page.content.decode()


def test_reference_edit_errors_come_back_and_save_nothing(client):
    world = build()
    sign_in(client, "federal_planner")
    edit = reverse("clusters:edition-edit", kwargs={"pk": world.nsp.pk})
    data = form_data(client.get(edit).context["form"], title_en="Renamed", period_end="2000-01-01")
    response = client.post(edit, data)
    assert response.status_code == 200 and response.context["form"].errors
    world.nsp.refresh_from_db()
    assert world.nsp.title_en != "Renamed"
    cluster_edit = reverse("clusters:cluster-edit", kwargs={"pk": world.phenomena[0].cluster_id})
    data = form_data(client.get(cluster_edit).context["form"], name_en="")
    response = client.post(cluster_edit, data)
    assert response.status_code == 200 and response.context["form"].errors["name_en"]


def test_ambition_and_theme_edits(client):
    world = build()
    sign_in(client, "federal_planner")
    edit = reverse("clusters:ambition-edit", kwargs={"pk": world.ambition.pk})
    assert client.post(edit, form_data(client.get(edit).context["form"], title_en="Quality first")).status_code == 302
    world.ambition.refresh_from_db()
    assert world.ambition.title_en == "Quality first"
    edit = reverse("clusters:theme-edit", kwargs={"pk": world.theme.pk})
    assert client.post(edit, form_data(client.get(edit).context["form"], name_nl="Cybercrime")).status_code == 302


@pytest.mark.parametrize("role", ["zone_chief", "committee_member", "programme_manager"])
def test_only_federal_planners_change_the_reference(client, role):
    world = build()
    scope = (
        {"zone": world.zone}
        if role == "zone_chief"
        else {"programme": world.programme}
        if role.startswith("programme")
        else {}
    )
    sign_in(client, role, **scope)
    for name, obj in (
        ("edition-edit", world.nsp),
        ("cluster-edit", world.phenomena[0].cluster),
        ("phenomenon-edit", world.phenomena[0]),
        ("theme-edit", world.theme),
        ("ambition-edit", world.ambition),
    ):
        target = reverse(f"clusters:{name}", kwargs={"pk": obj.pk})
        assert client.get(target).status_code == 403
        assert client.post(target, {"name_en": "x", "title_en": "x"}).status_code == 403
    world.theme.refresh_from_db()
    assert world.theme.name_en != "x"


def test_reference_needs_a_role_and_a_login(client):
    world = build()
    page = reverse("clusters:edition", kwargs={"pk": world.nsp.pk})
    assert client.get(page)["Location"].startswith(reverse("accounts:login"))
    client.force_login(UserFactory())
    assert client.get(page).status_code == 404
    assert client.get(reverse("clusters:phenomenon-edit", kwargs={"pk": world.phenomena[0].pk})).status_code == 404
