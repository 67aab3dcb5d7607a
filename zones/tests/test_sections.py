"""The plan document: sections as data, their services, the Markdown they are written in, the migration."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from nsp.exceptions import DomainError
from nsp.markup import link_allowed, render_markdown
from nsp.models import DeletedItem
from nsp.services import deleted_item_restore
from tests.factories import (
    NationalSecurityPlanFactory,
    PlanSectionFactory,
    PoliceZoneFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)
from zones import selectors, services, transfer
from zones.models import STANDARD_CHAPTERS, Chapter, PlanSection, ZonalSecurityPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief():
    zone = PoliceZoneFactory()
    return user_with_role("zone_chief", zone=zone), zone


@pytest.fixture
def plan(chief):
    user, zone = chief
    NationalSecurityPlanFactory(period_start=dt.date(2022, 1, 1), period_end=dt.date(2027, 12, 31))
    return services.zonal_plan_create(
        actor=user,
        zone=zone,
        title="Plan 2026-2031",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2031, 12, 31),
    )


def outline(plan, user):
    return [
        (item.number, item.section.heading)
        for item in selectors.document_sections(selectors.plan_document(user=user, plan=plan))
    ]


# --- a new plan and its standard chapters ---------------------------------------------------------------


def test_a_new_plan_starts_with_the_standard_chapters_in_order(plan, chief):
    numbers = outline(plan, chief[0])
    expected_count = sum(1 + len(children) for _key, children in STANDARD_CHAPTERS)
    assert len(numbers) == expected_count
    assert numbers[:3] == [("1", "Environment scan"), ("1.1", "Crime picture"), ("1.2", "Road safety")]
    assert ("4", "Argumentation matrix") in numbers and numbers[-1] == ("8", "Approval")
    history = PlanSection.history.filter(plan_id=plan.pk)
    assert history.count() == expected_count and set(history.values_list("history_user", flat=True)) == {chief[0].pk}


def test_standard_titles_are_translated_from_the_key(plan, chief):
    from django.utils import translation

    section = plan.sections.get(key=Chapter.CAPACITY)
    with translation.override("nl"):
        assert section.heading != "Capacity" and section.heading
    with translation.override("fr"):
        assert section.heading != "Capacity"


# --- add, edit, move, delete ----------------------------------------------------------------------------


def test_add_a_heading_of_its_own_goes_last_and_a_sub_heading_under_its_chapter(plan, chief):
    user = chief[0]
    own = services.section_create(actor=user, plan=plan, title="Drugs around the station", body="**Bad**")
    crime = plan.sections.get(key=Chapter.ENVIRONMENT)
    sub = services.section_create(actor=user, plan=plan, title="Night life", parent=crime)
    numbers = outline(plan, user)
    assert numbers[-1] == ("9", "Drugs around the station")
    assert ("1.5", "Night life") in numbers
    assert own.history.first().history_user == user and sub.parent_id == crime.pk


def test_a_sub_heading_cannot_take_sub_headings(plan, chief):
    user = chief[0]
    crime = plan.sections.get(key=Chapter.CRIME)
    with pytest.raises(DomainError) as error:
        services.section_create(actor=user, plan=plan, title="Too deep", parent=crime)
    assert "parent" in error.value.extra["fields"]


def test_a_section_needs_a_heading_or_a_key_and_standard_headings_stay(plan, chief):
    user = chief[0]
    with pytest.raises(DomainError):
        services.section_create(actor=user, plan=plan, title="   ")
    with pytest.raises(DomainError):
        services.section_update(actor=user, section=plan.sections.get(key=Chapter.MISSION), title="Our mission")
    with pytest.raises(DomainError):
        services.section_create(actor=user, plan=plan, key=Chapter.MISSION)


def test_database_refuses_a_second_standard_chapter_and_a_nameless_section(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanSection.objects.create(plan=plan, key=Chapter.MISSION, position=99)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanSection.objects.create(plan=plan, position=99)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanSection.objects.create(plan=plan, position=99, key=Chapter.MISSION, title="Both")


def test_database_refuses_a_parent_in_another_plan(plan):
    other = PlanSectionFactory()
    section = plan.sections.get(key=Chapter.CAPACITY)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanSection.objects.filter(pk=section.pk).update(parent=other)


def test_edit_the_text(plan, chief):
    user = chief[0]
    section = plan.sections.get(key=Chapter.MISSION)
    services.section_update(actor=user, section=section, body="Serve *everyone*")
    section.refresh_from_db()
    assert section.body == "Serve *everyone*"
    assert section.history.first().history_user == user


def test_a_section_s_change_is_in_the_plan_s_history(plan, chief):
    user = chief[0]
    section = plan.sections.get(key=Chapter.MISSION)
    services.section_update(actor=user, section=section, body="Serve *everyone*")
    history = selectors.plan_page(user, pk=plan.pk, as_of=dt.date.today())["history"]
    changed = [change for entry in history for change in entry.changes if "Serve *everyone*" in str(change.new)]
    assert changed, [entry.changes for entry in history]


def test_move_up_and_down_among_siblings(plan, chief):
    user = chief[0]
    capacity = plan.sections.get(key=Chapter.CAPACITY)
    services.section_move(actor=user, section=capacity, direction="up")
    headings = [h for n, h in outline(plan, user) if "." not in n]
    assert headings.index("Capacity") == headings.index("Priorities") - 1
    services.section_move(actor=user, section=capacity, direction="down")
    services.section_move(actor=user, section=capacity, direction="down")
    headings = [h for n, h in outline(plan, user) if "." not in n]
    assert headings[-3:] == ["Communication", "Capacity", "Approval"]
    vision = plan.sections.get(key=Chapter.VISION)
    services.section_move(actor=user, section=vision, direction="up")
    subs = [h for n, h in outline(plan, user) if n.startswith("2.")]
    assert subs == ["Vision", "Mission", "Values"]
    # The first stays first.
    first = plan.sections.get(key=Chapter.ENVIRONMENT)
    services.section_move(actor=user, section=first, direction="up")
    assert outline(plan, user)[0] == ("1", "Environment scan")


def test_delete_goes_to_the_deleted_items_with_its_sub_headings_and_comes_back(plan, chief):
    user = chief[0]
    environment = plan.sections.get(key=Chapter.ENVIRONMENT)
    services.section_update(actor=user, section=plan.sections.get(key=Chapter.CRIME), body="Burglaries.")
    item = services.section_delete(actor=user, section=environment)
    assert not plan.sections.filter(key__in=[Chapter.ENVIRONMENT, Chapter.CRIME]).exists()
    assert (isinstance(item, DeletedItem) and "5" in item.what_went) or item.what_went
    deleted_item_restore(actor=user, item=item)
    assert plan.sections.get(key=Chapter.CRIME).body == "Burglaries."
    assert plan.sections.get(key=Chapter.CRIME).parent.key == Chapter.ENVIRONMENT


def test_an_approved_plan_is_read_only_and_outsiders_are_refused(plan, chief):
    section = plan.sections.get(key=Chapter.MISSION)
    outsider = user_with_role("zone_chief", zone=PoliceZoneFactory())
    with pytest.raises(Exception) as refused:
        services.section_update(actor=outsider, section=section, body="x")
    assert refused.type.__name__ == "Http404"
    ZonalSecurityPlan.objects.filter(pk=plan.pk).update(status="approved", approved_on=dt.date(2026, 2, 1))
    with pytest.raises(PermissionDenied):
        services.section_update(actor=chief[0], section=section, body="x")
    with pytest.raises(PermissionDenied):
        services.section_create(actor=chief[0], plan=plan, title="Late")
    section.refresh_from_db()
    assert section.body == ""


# --- Markdown, rendered safely --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](vbscript:msgbox)",
        "<a href='javascript:alert(1)'>x</a>",
        "<javascript:alert(1)>",
        "<img src=x onerror=alert(1)>",
        "![x](javascript:alert(1))",
    ],
)
def test_no_script_and_no_javascript_link_ever_comes_out(text):
    html = str(render_markdown(text)).lower()
    assert "<script" not in html and 'href="javascript' not in html and "<img" not in html
    assert "onerror=" not in html.replace("&lt;", "").split(">")[0] or "&lt;img" in html
    assert "<a " not in html


def test_markdown_gives_emphasis_lists_tables_and_checked_links():
    html = str(render_markdown("*a* **b**\n\n- one\n- two\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n[site](https://e.be)"))
    assert "<em>a</em>" in html and "<strong>b</strong>" in html and "<li>one</li>" in html
    assert "<table>" in html and '<a href="https://e.be">site</a>' in html
    assert "<h1>" not in str(render_markdown("# Not a heading"))


@pytest.mark.parametrize(
    "url,allowed",
    [
        ("https://x.be", True),
        ("mailto:a@b.be", True),
        ("/plans/1/", True),
        ("#s-1", True),
        ("//evil.be", False),
        ("javascript:x", False),
        ("ftp://x", False),
        ("java\nscript:x", False),
    ],
)
def test_link_rule(url, allowed):
    assert link_allowed(url) is allowed


# --- the migration --------------------------------------------------------------------------------------


def test_the_migration_moves_the_four_texts_into_the_chapters(chief):
    plan = ZonalSecurityPlanFactory(
        zone=chief[1], environment_analysis="Analysis", mission="Serve", vision="Safe", values="Respect"
    )
    migration = importlib.import_module("zones.migrations.0007_plan_sections_from_texts")
    migration.forwards(django_apps, None)
    bodies = dict(plan.sections.exclude(body="").values_list("key", "body"))
    assert bodies == {"environment": "Analysis", "mission": "Serve", "vision": "Safe", "values": "Respect"}
    assert plan.sections.count() == sum(1 + len(children) for _key, children in STANDARD_CHAPTERS)
    assert PlanSection.history.filter(plan_id=plan.pk, history_type="+").count() == plan.sections.count()
    migration.forwards(django_apps, None)  # again: nothing doubles
    assert plan.sections.filter(key="mission").count() == 1
    # Back: the chapters' current text returns to the columns; other texts join the environment analysis.
    plan.sections.filter(key="mission").update(body="Serve better")
    plan.sections.filter(key="capacity").update(body="120 FTE")
    PlanSection.objects.create(plan=plan, title="Cameras", body="Ten more", position=99)
    migration.backwards(django_apps, None)
    plan.refresh_from_db()
    assert plan.mission == "Serve better" and not PlanSection.objects.filter(plan=plan).exists()
    assert plan.environment_analysis == "Analysis\n\nCapacity\n\n120 FTE\n\nCameras\n\nTen more"


# --- carried forward ------------------------------------------------------------------------------------


def test_an_older_document_brings_its_four_texts_into_the_chapters(plan, chief):
    user = chief[0]
    document = transfer.plan_export(actor=user, plan=plan)
    del document["sections"]
    document["plan"].update(mission="Serve", environment_analysis="The zone")
    new = transfer.plan_import(
        actor=user, document=document, zone=chief[1], period_start=dt.date(2032, 1, 1), period_end=dt.date(2037, 12, 31)
    ).plan
    assert new.sections.get(key="mission").body == "Serve" and new.sections.get(key="environment").body == "The zone"
    assert new.sections.filter(key="approval").exists()


def test_a_document_with_a_bad_section_is_refused_whole(plan, chief):
    document = transfer.plan_export(actor=chief[0], plan=plan)
    document["sections"].append({"ref": "x1", "parent": "nowhere", "key": "", "title": "", "body": ""})
    with pytest.raises(DomainError) as error:
        transfer.read_document(document)
    paths = {p["path"] for p in error.value.extra["document"]}
    assert any(p.endswith(".parent") for p in paths) and any(p.endswith(".title") for p in paths)


# --- the API --------------------------------------------------------------------------------------------


def test_api_reads_writes_and_deletes_sections_through_the_services(plan, chief):
    from nsp.api.testing import API, assert_error, client_for

    user = chief[0]
    client = client_for(user)
    environment = plan.sections.get(key=Chapter.ENVIRONMENT)
    created = client.post(
        f"{API}plan-sections/",
        {"plan": plan.pk, "parent": environment.pk, "title": "Night life", "body": "<script>x</script> *ok*"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["heading"] == "Night life" and body["position"] == 5
    assert "<script>" not in body["body_html"] and "<em>ok</em>" in body["body_html"]
    section = PlanSection.objects.get(pk=body["id"])
    assert section.history.first().history_user == user
    assert client.patch(f"{API}plan-sections/{section.pk}/", {"body": "New"}, format="json").status_code == 200
    section.refresh_from_db()
    assert section.body == "New"
    mission = plan.sections.get(key=Chapter.MISSION)
    refused = client.patch(f"{API}plan-sections/{mission.pk}/", {"title": "Ours"}, format="json")
    assert_error(refused, 400, field="title")
    listed = client.get(f"{API}plan-sections/?plan={plan.pk}&key=mission").json()
    assert [row["id"] for row in listed["results"]] == [mission.pk]
    assert client.delete(f"{API}plan-sections/{section.pk}/").status_code == 204
    assert DeletedItem.objects.filter(model="zones.plansection", object_id=section.pk).exists()


# --- the pages ------------------------------------------------------------------------------------------


def test_document_page_adds_moves_edits_and_deletes(client, plan, chief):
    from django.urls import reverse

    user = chief[0]
    client.force_login(user)
    page = client.get(reverse("zones:plan-document", kwargs={"pk": plan.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Add a chapter" in html and "1.1 Crime picture" in html
    added = client.post(reverse("zones:section-add", kwargs={"pk": plan.pk}), {"title": "Cameras", "body": "*Ten*"})
    assert added.status_code == 302
    cameras = plan.sections.get(title="Cameras")
    assert added["Location"].endswith(f"#section-{cameras.pk}") and cameras.position == 9
    moved = client.post(reverse("zones:section-move", kwargs={"pk": cameras.pk}), {"direction": "up"})
    assert moved.status_code == 302
    assert [h for n, h in outline(plan, user) if "." not in n][-2:] == ["Cameras", "Approval"]
    mission = plan.sections.get(key=Chapter.MISSION)
    form = client.get(reverse("zones:section-edit", kwargs={"pk": mission.pk})).context["form"]
    assert "title" not in form.fields  # a standard chapter's heading is its kind's name
    saved = client.post(reverse("zones:section-edit", kwargs={"pk": mission.pk}), {"body": "Serve [us](https://e.be)"})
    assert saved.status_code == 302
    plan_page = client.get(reverse("zones:plan", kwargs={"pk": plan.pk})).content.decode()
    assert '<a href="https://e.be">us</a>' in plan_page and f'href="#section-{mission.pk}"' in plan_page
    deleted = client.post(reverse("zones:section-delete", kwargs={"pk": cameras.pk}))
    assert deleted.status_code == 302 and not plan.sections.filter(pk=cameras.pk).exists()


def test_the_plan_page_never_renders_a_script_or_a_javascript_link(client, plan, chief):
    from django.urls import reverse

    section = plan.sections.get(key=Chapter.VALUES)
    services.section_update(
        actor=chief[0], section=section, body="<script>alert(1)</script> [x](javascript:alert(1)) <b onclick=x>b</b>"
    )
    client.force_login(chief[0])
    html = client.get(reverse("zones:plan", kwargs={"pk": plan.pk})).content.decode()
    assert "<script>alert(1)" not in html and 'href="javascript' not in html and "<b onclick" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_api_moves_a_section_and_refuses_a_bad_direction(plan, chief):
    from nsp.api.testing import API, assert_error, client_for

    client = client_for(chief[0])
    vision = plan.sections.get(key=Chapter.VISION)
    moved = client.post(f"{API}plan-sections/{vision.pk}/move/", {"direction": "up"}, format="json")
    assert moved.status_code == 200 and moved.json()["position"] == 1
    assert_error(client.post(f"{API}plan-sections/{vision.pk}/move/", {"direction": "left"}, format="json"), 400)
    assert [h for n, h in outline(plan, chief[0]) if n.startswith("2.")] == ["Vision", "Mission", "Values"]


def test_the_plan_page_shows_each_domains_objectives_in_its_priorities_sub_chapter(client, plan, chief):
    from django.urls import reverse

    from tests.factories import ObjectiveFactory

    ObjectiveFactory(plan=plan, code="S1", title="Fewer burglaries", domain="security")
    ObjectiveFactory(plan=plan, code="M1", title="Keep the staff", domain="management")
    client.force_login(chief[0])
    html = client.get(reverse("zones:plan", kwargs={"pk": plan.pk})).content.decode()
    document = html[html.index('id="h-toc"') : html.index('id="objectives"')]
    security = document.index("5.1 Security and quality of life</h4>")
    management = document.index("5.2 Optimal operational management</h4>")
    assert security < document.index("Fewer burglaries") < management < document.index("Keep the staff")


# --- the preview of a text being written ----------------------------------------------------------------

UNSAFE = (
    "**Ten** cameras\n\n| Year | Cases |\n|---|---|\n| 2025 | 12 |\n\n"
    + "<script>alert(1)</script> [x](javascript:alert(1))"
)


def preview_url(plan) -> str:
    from django.urls import reverse

    return reverse("zones:section-preview", kwargs={"pk": plan.pk})


def saved_state(plan):
    return list(plan.sections.order_by("pk").values_list("pk", "body")), PlanSection.history.count()


def test_the_preview_renders_the_text_sanitised_and_saves_nothing(client, plan, chief):
    client.force_login(chief[0])
    before = saved_state(plan)
    answer = client.post(preview_url(plan), {"body": UNSAFE}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert '<div class="document-text"><p><strong>Ten</strong> cameras</p>' in html and "<td>12</td>" in html
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html and "<a " not in html
    assert "<html" not in html  # the partial only, swapped into the form's live region
    assert saved_state(plan) == before


def test_the_preview_of_nothing_says_so_and_a_too_long_text_is_refused_as_a_save_would_be(
    client, plan, chief, settings
):
    client.force_login(chief[0])
    assert "Nothing to preview" in client.post(preview_url(plan), {"body": "  \n"}).content.decode()
    settings.TEXT_MAX_LENGTH = 10
    html = client.post(preview_url(plan), {"body": "*" + "x" * 10}).content.decode()
    assert "Ensure this text has at most 10 characters (it has 11)." in html and "<em>" not in html


def test_the_preview_is_for_those_who_may_write_the_plan_and_posted_with_csrf(client, plan, chief):
    from django.test import Client

    from nsp.models import PlanStatus

    before = saved_state(plan)
    other_chief = user_with_role("zone_chief", zone=PoliceZoneFactory())
    client.force_login(other_chief)
    assert client.post(preview_url(plan), {"body": "*x*"}).status_code == 404  # another zone's draft: not readable
    ZonalSecurityPlan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.SUBMITTED, council_adopted_on=dt.date(2026, 1, 5)
    )
    assert client.post(preview_url(plan), {"body": "*x*"}).status_code == 403  # readable, not theirs to write
    client.force_login(chief[0])
    assert client.post(preview_url(plan), {"body": "*x*"}).status_code == 403  # submitted: frozen for its zone too
    ZonalSecurityPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT, council_adopted_on=None)
    assert client.get(preview_url(plan)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(chief[0])
    assert strict.post(preview_url(plan), {"body": "*x*"}).status_code == 403
    assert saved_state(plan) == before


def test_the_edit_form_offers_the_preview_the_markdown_help_and_the_text_rendered(client, plan, chief):
    from django.urls import reverse

    mission = plan.sections.get(key=Chapter.MISSION)
    services.section_update(actor=chief[0], section=mission, body="Serve *the zone*.")
    client.force_login(chief[0])
    html = client.get(reverse("zones:section-edit", kwargs={"pk": mission.pk})).content.decode()
    assert 'id="section-preview" class="section-preview" aria-live="polite"' in html
    assert "<em>the zone</em>" in html  # the stored text, rendered
    assert f'hx-post="{preview_url(plan)}"' in html and 'name="_preview"' in html
    assert "How to write the text (Markdown)" in html and "[police.be](https://www.police.be)" in html
    # A new heading's form has them too.
    html = client.get(reverse("zones:section-add", kwargs={"pk": plan.pk})).content.decode()
    assert 'aria-live="polite"' in html and "Nothing to preview" in html and 'name="_preview"' in html


def test_without_javascript_the_preview_button_shows_the_form_again_with_the_text_kept_and_nothing_saved(
    client, plan, chief
):
    from django.urls import reverse
    from django.utils.html import escape

    mission = plan.sections.get(key=Chapter.MISSION)
    client.force_login(chief[0])
    edit = reverse("zones:section-edit", kwargs={"pk": mission.pk})
    version = client.get(edit).context["version"]
    before = saved_state(plan)
    answer = client.post(edit, {"body": UNSAFE, "_version": version, "_preview": "1"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))</textarea>" in html  # the text kept
    assert "<strong>Ten</strong>" in html and "<script>alert" not in html and 'href="javascript' not in html
    assert f'name="_version" value="{escape(version)}"' in html  # a later save still notices a save in between
    assert saved_state(plan) == before
    # Saving from there saves the text, once.
    saved = client.post(edit, {"body": "Serve **us**.", "_version": version})
    assert saved.status_code == 302
    mission.refresh_from_db()
    assert mission.body == "Serve **us**." and PlanSection.history.count() == before[1] + 1


def test_without_javascript_a_new_heading_s_preview_keeps_the_unfinished_form_without_errors(client, plan, chief):
    from django.urls import reverse

    client.force_login(chief[0])
    count = plan.sections.count()
    html = client.post(
        reverse("zones:section-add", kwargs={"pk": plan.pk}), {"title": "", "body": "- one\n- two", "_preview": "1"}
    ).content.decode()
    assert "<li>one</li>" in html and "- one\n- two</textarea>" in html
    assert "error-summary" not in html and 'aria-invalid="true"' not in html  # nothing was submitted to be saved
    assert plan.sections.count() == count
