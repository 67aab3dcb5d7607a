"""The printed plan (report kind ``plan_document``): the zone's chapters in its order, the generated chapters in
place, Markdown rendered by the one renderer, nothing unsafe in the PDF."""

from __future__ import annotations

import re

import pytest

from nsp.exceptions import DomainError
from reporting import services
from reporting.models import ReportRun
from reporting.tests.test_briefing import produce
from reporting.tests.test_runners import pdf_text, read
from tests.factories import ExpectationFactory, MatrixCandidateFactory, ObjectiveFactory, PlanSectionFactory
from zones.models import Chapter

pytestmark = pytest.mark.usefixtures("media")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def document(world):
    plan = world.plan_a
    chapters = [
        PlanSectionFactory(plan=plan, key=Chapter.ENVIRONMENT, title="", body="The zone **at a glance**.", position=1),
        PlanSectionFactory(plan=plan, title="Our own chapter on night life", body="Bars close at 3.", position=2),
        PlanSectionFactory(plan=plan, key=Chapter.MATRIX, title="", body="", position=3),
        PlanSectionFactory(plan=plan, key=Chapter.PRIORITIES, title="", body="What we chose.", position=4),
        PlanSectionFactory(plan=plan, key=Chapter.EXPECTATIONS, title="", body="", position=5),
        PlanSectionFactory(
            plan=plan,
            key=Chapter.APPROVAL,
            title="",
            body="<script>alert(1)</script> [x](javascript:alert(1))",
            position=6,
        ),
    ]
    PlanSectionFactory(plan=plan, parent=chapters[0], title="Drugs near the station", body="- a\n- b", position=1)
    MatrixCandidateFactory(plan=plan, label="Pickpocketing in the metro", chosen=False)
    ExpectationFactory(plan=plan, text="Mayors want more foot patrols.")
    return chapters


def test_the_pdf_follows_the_zones_order_with_generated_chapters_in_place(world, document):
    run = produce(world.chief_a, "plan_document", "pdf", scope="plan", plan=world.plan_a)
    text = flat(pdf_text(run))
    body = text[text.index("6 Approval") + len("6 Approval") :]  # past the contents
    order = [
        "1 Environment scan",
        "The zone at a glance.",
        "1.1 Drugs near the station",
        "2 Our own chapter on night life",
        "3 Argumentation matrix",
        "Pickpocketing in the metro",
        "4 Priorities",
        "What we chose.",
        "Fewer road accidents",
        "5 Expectations of the authorities and the national alignment",
        "Mayors want more foot patrols.",
        "6 Approval",
    ]
    positions = [body.index(item) for item in order]
    assert positions == sorted(positions), list(zip(order, positions, strict=True))
    contents = text[: text.index("6 Approval") + 20]
    assert "Contents" in contents and "1.1 Drugs near the station" in contents


def test_the_pdf_shows_markup_as_text_and_never_a_script_or_a_javascript_link(world, document):
    run = produce(world.chief_a, "plan_document", "pdf", scope="plan", plan=world.plan_a)
    content = read(run)
    assert b"javascript" not in content.lower()
    text = flat(pdf_text(run))
    assert "<script>alert(1)</script>" in text  # shown as the text it is, never run
    assert run.snapshot["document"]["sections"][0]["body"] == "The zone **at a glance**."


def test_a_removed_generated_chapter_comes_as_an_annex(world, document):
    document[2].delete()  # the argumentation matrix chapter
    run = produce(world.chief_a, "plan_document", "pdf", scope="plan", plan=world.plan_a)
    text = flat(pdf_text(run))
    assert run.snapshot["document"]["missing"] == ["matrix"]
    assert text.rindex("Annex: the argumentation matrix") > text.rindex("Approval")
    assert "Pickpocketing in the metro" in text


def test_the_objectives_split_by_domain_into_the_two_sub_chapters(world, document):
    plan = world.plan_a
    priorities = document[3]
    PlanSectionFactory(plan=plan, parent=priorities, key=Chapter.PRIORITIES_SECURITY, title="", body="", position=1)
    PlanSectionFactory(plan=plan, parent=priorities, key=Chapter.PRIORITIES_MANAGEMENT, title="", body="", position=2)
    ObjectiveFactory(plan=plan, code="M1", title="Keep the staff", domain="management")
    run = produce(world.chief_a, "plan_document", "pdf", scope="plan", plan=world.plan_a)
    sections = {s["key"]: s for s in run.snapshot["document"]["sections"]}
    management = [o["code"] for o in sections["priorities_management"]["objectives"]]
    security = [o["code"] for o in sections["priorities_security"]["objectives"]]
    assert management == ["M1"] and "M1" not in security
    text = flat(pdf_text(run))
    assert text.index("4.2 Optimal operational management") < text.rindex("Keep the staff")


def test_only_a_zonal_plan_is_printed_as_a_plan_document(world):
    with pytest.raises(DomainError) as refused:
        services.report_request(actor=world.federal, kind="plan_document", scope="plan", plan=world.programme)
    assert "plan" in refused.value.extra["fields"]


def test_the_plan_document_is_about_one_plan(world):
    with pytest.raises(DomainError):
        services.report_request(actor=world.chief_a, kind="plan_document", scope="zone", zone=world.zone_a)
    run = services.report_request(actor=world.chief_a, kind="plan_document", scope="plan", plan=world.plan_a)
    assert run.kind == ReportRun.Kind.PLAN_DOCUMENT
