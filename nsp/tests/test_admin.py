"""The Django admin: every model's pages, searches, the zone filters, reviewer rights, roles on the user page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.forms import CheckboxInput
from django.urls import reverse

from nsp import services
from nsp.models import Plan, RoleGroup, UserPreference
from programmes.models import ImprovementProject, Programme
from reporting.models import HomeVisit, OverdueReminder, ReportRun, ReportSubscription
from tests.factories import (
    ActionFactory,
    AmbitionFactory,
    CommentFactory,
    CrossCuttingThemeFactory,
    DistrictFactory,
    MeasurementFactory,
    NationalAlignmentFactory,
    ObjectiveFactory,
    PoliceZoneFactory,
    ProgrammeFactory,
    SecurityPhenomenonFactory,
    UserFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)
from zones.models import (
    Addendum,
    Expectation,
    LocalPoliceVision,
    MatrixCandidate,
    MatrixScore,
    Municipality,
    PlanSection,
    PlanTransition,
    PoliceZone,
    RegionalSecurityPlan,
    ZonalSecurityPlan,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
OUR_APPS = ("nsp", "clusters", "zones", "programmes", "reporting")
# Rows a service writes (grants, workflow, report and reminder jobs) or a plan of no kind: never added here.
NOT_ADDABLE = {
    "nsp.Plan",
    "nsp.DeletedItem",
    "nsp.RoleGroup",
    "zones.PlanTransition",
    "zones.Addendum",
    "zones.PlanSection",
    "zones.ZoneGroupObjectPermission",
    "programmes.ProgrammeGroupObjectPermission",
    "reporting.ReportRun",
    "reporting.OverdueReminder",
    "reporting.ReportSubscription",
    "reporting.HomeVisit",
}
# Plans and their content: written by the services only (pages and API); the admin shows them.
PLANNING = {
    "nsp.Objective",
    "nsp.Indicator",
    "nsp.Measurement",
    "nsp.Action",
    "nsp.Comment",
    "zones.ZonalSecurityPlan",
    "zones.RegionalSecurityPlan",
    "zones.PlanSection",
    "zones.Expectation",
    "zones.MatrixCandidate",
    "zones.MatrixScore",
    "zones.NationalAlignment",
    "zones.LocalPoliceVision",
    "programmes.Programme",
    "programmes.ImprovementProject",
}


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.test", "demo")


@pytest.fixture
def client_admin(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def one_of_each(superuser):
    """One row of every model the admin shows."""
    district = DistrictFactory(code="brussel-bruxelles", name="Brussel/Bruxelles", region="Brussels-Capital")
    zone = PoliceZoneFactory(
        number="5339", key="5339", name_nl="Brussel-Hoofdstad/Elsene", name_fr="Bruxelles-Capitale/Ixelles"
    )
    zone.district = district
    zone.save()
    zone.municipalities.add(Municipality.objects.create(nis_code="21009", name="Ixelles"))
    plan = ZonalSecurityPlanFactory(zone=zone)
    AmbitionFactory(nsp=plan.nsp)
    objective = ObjectiveFactory(plan=plan, code="S1", title="Fewer burglaries")
    MeasurementFactory(indicator__objective=objective)
    ActionFactory(objective=objective)
    services.objective_delete(actor=superuser, objective=ObjectiveFactory(plan=plan, code="S9"))  # a deleted item
    CommentFactory(plan=plan, author=superuser)
    alignment = NationalAlignmentFactory(plan=plan, phenomenon=SecurityPhenomenonFactory(nsp=plan.nsp))
    CrossCuttingThemeFactory(nsp=plan.nsp)
    Expectation.objects.create(plan=plan, source="mayors", text="Act on burglaries.")
    PlanSection.objects.create(plan=plan, key="mission", body="Serve the zone.")
    candidate = MatrixCandidate.objects.create(plan=plan, label="Burglaries", phenomenon=alignment.phenomenon)
    MatrixScore.objects.create(plan=plan, candidate=candidate, source="mayors", score=4)
    PlanTransition.objects.create(plan=plan, from_status="draft", to_status="adopted", by=superuser)
    Addendum.objects.create(plan=plan, number=1, reason="New phenomenon.", opened_by=superuser)
    LocalPoliceVision.objects.create(nsp=plan.nsp, title="Vision", text="The local police view.")
    RegionalSecurityPlan.objects.create(
        nsp=plan.nsp, title="Brussels regional plan", period_start=dt.date(2021, 1, 1), period_end=dt.date(2024, 12, 31)
    )
    programme = ProgrammeFactory(nsp=plan.nsp)
    ProgrammeFactory(nsp=plan.nsp, programme_type=Programme.Type.IMPROVEMENT_PROJECT)
    UserPreference.objects.create(user=user_with_role("zone_chief", zone=zone), language="nl")
    user_with_role("programme_manager", programme=programme)
    user_with_role("federal_reviewer", district=district)
    ReportRun.objects.create(kind="plan_progress", scope="plan", plan=plan, requested_by=superuser)
    OverdueReminder.objects.create(zone=zone, sent_on=dt.date(2024, 4, 15), indicators=[1, 2])
    ReportSubscription.objects.create(user=superuser, kind="national_overview", scope="national")
    HomeVisit.objects.create(user=superuser, seen_at=dt.datetime(2024, 4, 15, 9, tzinfo=dt.UTC))
    return {"zone": zone, "plan": plan, "district": district, "programme": programme}


def registered():
    """(model, model admin) for our apps and auth."""
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in (*OUR_APPS, "auth")
    ]


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """What the browser would post back unchanged: the main form and every inline formset."""
    data: dict = {}

    def collect(form) -> None:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)

    collect(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        collect(formset.management_form)
        for form in formset.forms:
            collect(form)
    return data


# --- every model's pages ---------------------------------------------------------------------------


def test_every_concrete_model_is_registered():
    missing = [
        model._meta.label
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical") and model not in admin.site._registry
    ]
    assert missing == []


def test_only_service_written_rows_refuse_the_add_page(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    not_addable = {
        model._meta.label
        for model, model_admin in registered()
        if model._meta.app_label in OUR_APPS and not model_admin.has_add_permission(request)
    }
    assert not_addable == NOT_ADDABLE | PLANNING


def test_every_page_answers(client_admin, one_of_each, rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    for model, model_admin in registered():
        label = model._meta.label
        assert client_admin.get(url(model, "changelist")).status_code == 200, label
        add = client_admin.get(url(model, "add"))
        assert add.status_code == (200 if model_admin.has_add_permission(request) else 403), label
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"no {label} to open"
        assert client_admin.get(url(model, "change", obj.pk)).status_code == 200, label
        history = client_admin.get(url(model, "history", obj.pk), follow=True)
        assert history.status_code == 200, label


def test_history_and_translation_admins_where_the_models_have_them():
    from modeltranslation.admin import TranslationAdmin
    from modeltranslation.translator import translator
    from simple_history.admin import SimpleHistoryAdmin

    for model, model_admin in registered():
        if model._meta.proxy:
            continue
        has_history = hasattr(model._meta, "simple_history_manager_attribute")
        assert isinstance(model_admin, SimpleHistoryAdmin) == has_history, model._meta.label
        translated = model in translator.get_registered_models()
        assert isinstance(model_admin, TranslationAdmin) == translated, model._meta.label
    translated = {model._meta.label for model in translator.get_registered_models()}
    assert {"nsp.NationalSecurityPlan", "nsp.Ambition", "clusters.SecurityCluster"} <= translated


def test_translated_reference_shows_every_language(client_admin, one_of_each):
    plan = one_of_each["plan"]
    page = client_admin.get(url(type(plan.nsp), "change", plan.nsp.pk)).content.decode()
    for code in ("en", "fr", "nl", "de"):
        assert f'name="title_{code}"' in page
        assert f'name="ambitions-0-text_{code}"' in page
    phenomenon = plan.nsp.phenomena.first()
    cluster_page = client_admin.get(url(type(phenomenon.cluster), "change", phenomenon.cluster_id)).content.decode()
    assert 'name="name_de"' in cluster_page and 'name="phenomena-0-name_fr"' in cluster_page


def test_plan_data_history_is_simple_history(client_admin, one_of_each):
    zone, plan = one_of_each["zone"], one_of_each["plan"]
    for model, pk in ((PoliceZone, zone.pk), (ZonalSecurityPlan, plan.pk), (type(plan.nsp), plan.nsp_id)):
        response = client_admin.get(url(model, "history", pk))
        assert "simple_history/object_history.html" in [t.name for t in response.templates], model


def test_no_cdn_assets(client_admin, one_of_each):
    plan = one_of_each["plan"]
    for model, pk in ((type(plan.nsp), plan.nsp.pk), (ZonalSecurityPlan, plan.pk), (PoliceZone, plan.zone_id)):
        page = client_admin.get(url(model, "change", pk)).content.decode()
        assert "googleapis" not in page and 'src="//' not in page and 'src="http' not in page


# --- query counts ----------------------------------------------------------------------------------


def _more_rows(model_name: str, plan) -> None:
    builders = {
        "objective": lambda: ObjectiveFactory(plan=plan, parent=None),
        "indicator": lambda: MeasurementFactory(indicator__objective__plan=plan),
        "measurement": lambda: MeasurementFactory(indicator__objective__plan=plan),
        "action": lambda: ActionFactory(objective__plan=plan),
        "comment": lambda: CommentFactory(plan=plan),
        "nationalalignment": lambda: NationalAlignmentFactory(plan=plan),
        "policezone": lambda: PoliceZoneFactory(),
        "zonalsecurityplan": lambda: ZonalSecurityPlanFactory(),
        "plan": lambda: ProgrammeFactory(),
        "rolegroup": lambda: user_with_role("zone_chief", zone=PoliceZoneFactory()),
        "group": lambda: user_with_role("programme_manager", programme=ProgrammeFactory()),
        "municipality": lambda: PoliceZoneFactory().municipalities.create(name=f"M{Municipality.objects.count()}"),
        "securityphenomenon": lambda: SecurityPhenomenonFactory(),
        "zonegroupobjectpermission": lambda: user_with_role("zone_planner", zone=PoliceZoneFactory()),
    }
    for _ in range(4):
        builders[model_name]()


@pytest.mark.parametrize(
    "model_name",
    [
        "objective",
        "indicator",
        "measurement",
        "action",
        "comment",
        "nationalalignment",
        "policezone",
        "zonalsecurityplan",
        "plan",
        "rolegroup",
        "group",
        "municipality",
        "securityphenomenon",
        "zonegroupobjectpermission",
    ],
)
def test_changelists_do_not_query_per_row(client_admin, one_of_each, model_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    model = next(m for m, _admin in registered() if m._meta.model_name == model_name)
    changelist = url(model, "changelist")
    client_admin.get(changelist)
    with CaptureQueriesContext(connection) as few:
        client_admin.get(changelist)
    _more_rows(model_name, one_of_each["plan"])
    with CaptureQueriesContext(connection) as many:
        response = client_admin.get(changelist)
    assert response.context["cl"].result_count >= 5
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- searches ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "query", "expected"),
    [
        (PoliceZone, "5339", "Brussel-Hoofdstad/Elsene"),
        (PoliceZone, "Ixelles", "Brussel-Hoofdstad/Elsene"),
        (ZonalSecurityPlan, "Elsene", "Zonal security plan 5339"),
        (Plan, "5339", "Zonal security plan 5339"),
        (RoleGroup, "5339", "zone:5339:zone_chief"),
        (Group, "5339", "zone:5339:zone_chief"),
    ],
)
def test_search_finds(client_admin, one_of_each, model, query, expected):
    response = client_admin.get(url(model, "changelist"), {"q": query})
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert response.context["cl"].result_count >= 1


def test_objective_search_by_zone_number_and_code(client_admin, one_of_each):
    from nsp.models import Objective

    ObjectiveFactory(title="Elsewhere", code="S9")
    found = client_admin.get(url(Objective, "changelist"), {"q": "5339"}).context["cl"].result_list
    assert [o.title for o in found] == ["Fewer burglaries"]
    found = client_admin.get(url(Objective, "changelist"), {"q": "S9"}).context["cl"].result_list
    assert [o.title for o in found] == ["Elsewhere"]


def test_cluster_search_in_french(client_admin):
    from clusters.models import SecurityCluster

    cluster = SecurityPhenomenonFactory().cluster
    cluster.name_fr = "Radicalisme, extrémisme violent et terrorisme"
    cluster.save()
    found = client_admin.get(url(SecurityCluster, "changelist"), {"q": "extrémisme"}).context["cl"].result_list
    assert list(found) == [cluster]


# --- police zones: completeness and reviewer rights -------------------------------------------------


def test_incomplete_filter_and_missing_column(client_admin):
    district = DistrictFactory()
    complete = PoliceZoneFactory(district=district)
    no_number = PoliceZoneFactory(number=None, key="pz-zonder-nummer", district=district)
    no_district = PoliceZoneFactory(district=None)
    no_name = PoliceZoneFactory(name_nl="", name_fr="", district=district)
    merged = PoliceZoneFactory(district=None, status=PoliceZone.Status.MERGED)

    incomplete = client_admin.get(url(PoliceZone, "changelist"), {"incomplete": "yes"})
    assert set(incomplete.context["cl"].result_list) == {no_number, no_district, no_name}
    assert {z for z in PoliceZone.objects.all() if z.missing} == {no_number, no_district, no_name}
    complete_list = client_admin.get(url(PoliceZone, "changelist"), {"incomplete": "no"}).context["cl"].result_list
    assert set(complete_list) == {complete, merged}

    page = incomplete.content.decode()
    assert '<td class="field-missing_display">district</td>' in page
    assert '<td class="field-missing_display">zone number</td>' in page


def test_completing_a_zone_in_the_admin(client_admin):
    zone = PoliceZoneFactory(number=None, key="pz-zonder-nummer", district=None, name_nl="", name_fr="")
    district = DistrictFactory()
    page = client_admin.get(url(PoliceZone, "change", zone.pk))
    data = form_data(page) | {"number": "5999", "name_fr": "ZP Nouvelle", "district": str(district.pk)}
    response = client_admin.post(url(PoliceZone, "change", zone.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    zone.refresh_from_db()
    assert zone.is_complete and zone.key == "pz-zonder-nummer"
    assert zone.history.count() >= 2


def test_saving_a_zone_in_another_district_moves_reviewer_rights(client_admin):
    brussels, gent = DistrictFactory(code="brussel-bruxelles"), DistrictFactory(code="gent")
    zone = PoliceZoneFactory(district=brussels)
    plan = ZonalSecurityPlanFactory(zone=zone, status="submitted")
    reviewer_brussels = user_with_role("federal_reviewer", district=brussels)
    reviewer_gent = user_with_role("federal_reviewer", district=gent)

    def reviews(user) -> bool:
        fresh = User.objects.get(pk=user.pk)
        return ZonalSecurityPlan.objects.restrict(fresh, "review").filter(pk=plan.pk).exists()

    assert reviews(reviewer_brussels) and not reviews(reviewer_gent)
    page = client_admin.get(url(PoliceZone, "change", zone.pk))
    response = client_admin.post(url(PoliceZone, "change", zone.pk), form_data(page) | {"district": str(gent.pk)})
    assert response.status_code == 302
    assert not reviews(reviewer_brussels) and reviews(reviewer_gent)


def test_a_zone_added_in_the_admin_gets_its_reviewers(client_admin):
    district = DistrictFactory()
    reviewer = user_with_role("federal_reviewer", district=district)
    page = client_admin.get(url(PoliceZone, "add"))
    data = form_data(page) | {"key": "5998", "number": "5998", "name_nl": "PZ Nieuw", "district": str(district.pk)}
    response = client_admin.post(url(PoliceZone, "add"), data)
    assert response.status_code == 302
    zone = PoliceZone.objects.get(key="5998")
    plan = ZonalSecurityPlanFactory(zone=zone, status="submitted")
    assert ZonalSecurityPlan.objects.restrict(User.objects.get(pk=reviewer.pk), "review").filter(pk=plan.pk).exists()


def test_municipalities_are_edited_inline_and_recorded_in_history(client_admin):
    zone = PoliceZoneFactory()
    ixelles = Municipality.objects.create(nis_code="21009", name="Ixelles")
    versions = zone.history.count()
    page = client_admin.get(url(PoliceZone, "change", zone.pk))
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    data = form_data(page) | {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-municipality": str(ixelles.pk)}
    assert client_admin.post(url(PoliceZone, "change", zone.pk), data).status_code == 302
    assert list(zone.municipalities.all()) == [ixelles]
    assert zone.history.count() > versions
    assert [m.municipality for m in zone.history.latest().municipalities.all()] == [ixelles]


def test_a_zone_key_and_a_district_code_are_read_only_once_created(client_admin):
    zone = PoliceZoneFactory()
    district = zone.district
    page = client_admin.get(url(PoliceZone, "change", zone.pk)).content.decode()
    assert 'name="key"' not in page
    page = client_admin.get(url(type(district), "change", district.pk)).content.decode()
    assert 'name="code"' not in page


# --- zonal plans: the workflow stays in the workflow ------------------------------------------------


def test_zonal_plan_status_and_dates_are_shown_but_not_inputs(client_admin):
    plan = ZonalSecurityPlanFactory()
    before = row_state(plan)
    page = client_admin.get(url(ZonalSecurityPlan, "change", plan.pk))
    html = page.content.decode()
    for name in ("status", "approved_on", "council_adopted_on", "title"):
        assert f'name="{name}"' not in html
    assert "change only through the workflow" in html
    data = {"title": "Renamed", "status": "approved", "approved_on": "2021-01-01"}
    assert client_admin.post(url(ZonalSecurityPlan, "change", plan.pk), data).status_code == 403
    assert row_state(plan) == before


def test_an_approved_plan_is_read_only_in_the_admin(client_admin):
    from nsp.models import Objective

    plan = ZonalSecurityPlanFactory(status="approved", approved_on=dt.date(2020, 6, 1))
    objective = ObjectiveFactory(plan=plan)
    page = client_admin.get(url(ZonalSecurityPlan, "change", plan.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client_admin.post(url(ZonalSecurityPlan, "change", plan.pk), {"title": "x"}).status_code == 403
    assert client_admin.post(url(Objective, "change", objective.pk), {"title": "x"}).status_code == 403
    assert client_admin.post(url(Objective, "delete", objective.pk), {"post": "yes"}).status_code == 403
    objective.refresh_from_db()
    assert objective.title != "x"


def test_a_zonal_plan_version_cannot_be_restored(client_admin):
    plan = ZonalSecurityPlanFactory()
    first = plan.history.earliest()
    plan.title = "Changed"
    plan.save()
    history_url = reverse("admin:zones_zonalsecurityplan_simple_history", args=[plan.pk, first.history_id])
    assert client_admin.get(history_url).status_code == 200
    assert client_admin.post(history_url, {"title": "Old"}).status_code == 403
    plan.refresh_from_db()
    assert plan.title == "Changed"


def test_objectives_are_listed_on_the_plan_with_links(client_admin, one_of_each):
    from nsp.models import Objective

    plan = one_of_each["plan"]
    html = client_admin.get(url(ZonalSecurityPlan, "change", plan.pk)).content.decode()
    objective = Objective.objects.get(title="Fewer burglaries")
    assert url(Objective, "change", objective.pk) in html
    for prefix in ("objectives", "alignments", "expectations", "addenda", "transitions"):
        assert f'id="{prefix}-group"' in html, prefix


def row_state(obj) -> tuple:
    """Every concrete field's value and the number of history rows: what a refused write must leave alone."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    values = {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}
    history = fresh.history.count() if hasattr(fresh, "history") else None
    return values, history


@pytest.mark.parametrize("label", sorted(PLANNING))
def test_planning_content_is_shown_never_written_in_the_admin(client_admin, one_of_each, label):
    model = apps.get_model(label)
    obj = model._default_manager.order_by("pk").first()
    before = row_state(obj)
    change = url(model, "change", obj.pk)
    page = client_admin.get(change)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    assert "deletelink" not in html
    # The way to change it: the application's page, where the services keep the rules and the history.
    assert f'href="{obj.get_absolute_url()}"' in html
    assert "changed on the application's pages" in html

    posted = form_data(page) if page.context.get("adminform") else {}
    written = posted | {name: "x" for name in ("title", "text", "body", "label", "name", "note")}
    assert client_admin.post(change, written).status_code == 403
    assert client_admin.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    changelist = client_admin.post(
        url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    assert changelist.status_code in (200, 302, 403)
    assert client_admin.get(url(model, "add")).status_code == 403
    assert row_state(obj) == before


def test_a_planning_version_cannot_be_restored_in_the_admin(client_admin, superuser):
    from nsp.models import Objective

    objective = ObjectiveFactory(title="Fewer burglaries")
    first = objective.history.earliest()
    services.objective_update(actor=superuser, objective=objective, title="Fewer break-ins")
    versions = objective.history.count()
    revert = reverse("admin:nsp_objective_simple_history", args=[objective.pk, first.history_id])
    page = client_admin.get(revert)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client_admin.post(revert, {"title": "Fewer burglaries"}).status_code == 403
    objective = Objective.objects.get(pk=objective.pk)
    assert objective.title == "Fewer break-ins" and objective.history.count() == versions


def test_an_edition_extension_is_not_a_plain_field_in_the_admin(client_admin):
    edition = ZonalSecurityPlanFactory().nsp
    html = client_admin.get(url(type(edition), "change", edition.pk)).content.decode()
    assert 'name="extended_to"' not in html and 'name="extension_decided_on"' not in html


@pytest.mark.parametrize("model_name", ["district", "zone", "edition"])
def test_reference_data_saved_in_the_admin_records_the_administrator(client_admin, superuser, model_name):
    zone = PoliceZoneFactory()
    obj = {"district": zone.district, "zone": zone, "edition": ZonalSecurityPlanFactory(zone=zone).nsp}[model_name]
    model = type(obj)
    page = client_admin.get(url(model, "change", obj.pk))
    field = "name" if model_name == "district" else ("name_fr" if model_name == "zone" else "title_fr")
    response = client_admin.post(url(model, "change", obj.pk), form_data(page) | {field: "Nouveau nom"})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    latest = model._default_manager.get(pk=obj.pk).history.latest()
    assert getattr(latest, field) == "Nouveau nom"
    assert latest.history_user == superuser and latest.history_type == "~"


# --- access ----------------------------------------------------------------------------------------


def test_a_user_without_staff_status_is_sent_away(client):
    client.force_login(user_with_role("zone_chief", zone=PoliceZoneFactory()))
    for path in (reverse("admin:index"), url(PoliceZone, "changelist"), url(User, "changelist")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


# --- users, groups and roles -------------------------------------------------------------------------


def test_the_user_page_shows_roles_and_scopes(client_admin):
    zone = PoliceZoneFactory(number="5339", key="5339", name_nl="Brussel-Hoofdstad/Elsene")
    user = user_with_role("zone_chief", zone=zone)
    from nsp import grants

    grants.role_grant(user=user, role="committee_member")
    html = client_admin.get(url(User, "change", user.pk)).content.decode()
    assert "Zone chief — 5339 Brussel-Hoofdstad/Elsene" in html
    assert "Coordinating Committee member — everywhere" in html
    assert 'name="_grant_role"' in html and 'name="role-zone"' in html
    # The role form sits inside the user form; the browser must still save the user without a role.
    assert re.search(r'<select name="role-role"[^>]*required', html) is None


def test_the_group_page_shows_the_role_scope(client_admin):
    zone = PoliceZoneFactory(number="5339", key="5339", name_nl="Brussel-Hoofdstad/Elsene")
    group = user_with_role("zone_planner", zone=zone).groups.get()
    listing = client_admin.get(url(Group, "changelist")).content.decode()
    assert "zone:5339:zone_planner" in listing and "5339 Brussel-Hoofdstad/Elsene" in listing
    html = client_admin.get(url(Group, "change", group.pk)).content.decode()
    assert "Brussel-Hoofdstad/Elsene" in html
    assert 'name="permissions"' not in html and 'name="name"' not in html


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_granting_and_revoking_a_role_from_the_user_page(client_admin):
    zone = PoliceZoneFactory(number="5339", key="5339")
    user = UserFactory(email="planner@example.test")
    change_url = url(User, "change", user.pk)
    page = client_admin.get(change_url)
    # Whatever else is on the form, Grant changes only the role.
    data = form_data(page) | {"email": "other@example.test"}

    response = client_admin.post(
        change_url, data | {"_grant_role": "1", "role-role": "zone_planner", "role-zone": zone.pk}
    )
    assert response.status_code == 302 and response["Location"] == change_url
    assert RoleGroup.objects.get(group__user=user).zone == zone
    assert any("Granted Zone planner" in m for m in messages_of(response))
    user.refresh_from_db()
    assert user.email == "planner@example.test"

    response = client_admin.post(
        change_url, data | {"_revoke_role": "1", "role-role": "zone_planner", "role-zone": zone.pk}
    )
    assert response.status_code == 302
    assert not user.groups.exists()
    assert any("Revoked Zone planner" in m for m in messages_of(response))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role-role": "zone_planner"}, "needs a zone"),
        ({"role-role": "federal_planner", "role-zone": "ZONE"}, "takes no zone"),
        ({"role-role": "admin", "role-zone": "ZONE"}, "takes no scope"),
        ({"role-role": "chief"}, "Select a valid choice"),
        ({"role-role": ""}, "This field is required"),
    ],
)
@pytest.mark.parametrize("button", ["_grant_role", "_revoke_role"])
def test_a_bad_role_from_the_user_page_shows_an_error_and_changes_nothing(client_admin, fields, message, button):
    zone = PoliceZoneFactory()
    user = user_with_role("admin")
    grant_count = (Group.objects.count(), RoleGroup.objects.count(), User.groups.through.objects.count())
    fields = {name: (zone.pk if value == "ZONE" else value) for name, value in fields.items()}
    response = client_admin.post(url(User, "change", user.pk), {button: "1", **fields})
    assert response.status_code == 302
    assert any(message in m for m in messages_of(response)), messages_of(response)
    assert (Group.objects.count(), RoleGroup.objects.count(), User.groups.through.objects.count()) == grant_count
    user.refresh_from_db()
    assert user.is_superuser


def test_only_a_superuser_hands_out_roles(client):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client.force_login(staff)
    response = client.post(url(User, "change", staff.pk), {"_grant_role": "1", "role-role": "admin"})
    assert response.status_code == 403
    staff.refresh_from_db()
    assert not staff.is_superuser


def test_the_role_filter_on_users(client_admin):
    chief = user_with_role("zone_chief", zone=PoliceZoneFactory())
    UserFactory()
    found = client_admin.get(url(User, "changelist"), {"role": "zone_chief"}).context["cl"].result_list
    assert list(found) == [chief]


# --- report runs -------------------------------------------------------------------------------------


def test_report_runs_are_read_only_but_deletable(client_admin, superuser):
    run = ReportRun.objects.create(kind="national_overview", scope="national", requested_by=superuser)
    html = client_admin.get(url(ReportRun, "change", run.pk)).content.decode()
    assert 'name="_save"' not in html
    assert client_admin.post(url(ReportRun, "change", run.pk), {"status": "done"}).status_code == 403
    assert client_admin.post(url(ReportRun, "delete", run.pk), {"post": "yes"}).status_code == 302
    assert not ReportRun.objects.filter(pk=run.pk).exists()


def test_improvement_projects_list_only_their_kind(client_admin):
    project = ProgrammeFactory(programme_type=Programme.Type.IMPROVEMENT_PROJECT)
    ProgrammeFactory()
    found = client_admin.get(url(ImprovementProject, "changelist")).context["cl"].result_list
    assert [p.pk for p in found] == [project.pk]
