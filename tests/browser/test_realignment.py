"""Journey: a zone chief re-aligns a 2020-2025 plan with the NSP 2022-2025 by addendum (issue 10 point 3).

The demo's only plan still on the NSP 2016-2019 (5314 Condroz-Famenne) is what the dashboard journey counts,
so this journey writes a plan of its own first: an approved 2020-2025 plan of zone 5343 against the NSP
2016-2019 (one objective adopting the first phenomenon, every other priority not adopted, with a reason),
through the services, in the demo site's database. The chief of 5343 then opens the re-alignment from the
plan's page, sees what each answer becomes, opens the addendum, sees the carried answers and the new
priorities that need one, answers a new priority on the alignment page, and sees it answered.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, _environment

pytestmark = pytest.mark.browser

TITLE = "Zonal security plan 2020-2025 (re-alignment journey)"
SETUP = f"""
import datetime as dt, json
from django.contrib.auth import get_user_model
from clusters.models import CrossCuttingTheme, SecurityPhenomenon
from nsp import services as nsp_services
from nsp.models import NationalSecurityPlan, PlanStatus
from zones import services
from zones.models import PoliceZone, ZonalSecurityPlan

users = get_user_model().objects
chief, reviewer = users.get(username="chief.5343"), users.get(username="reviewer.brussels")
old = NationalSecurityPlan.objects.get(code="nsp-2016-2019")
plan = ZonalSecurityPlan.objects.filter(title={TITLE!r}).first()
if plan is None:
    plan = services.zonal_plan_create(
        actor=chief, zone=PoliceZone.objects.get(number="5343"), title={TITLE!r},
        period_start=dt.date(2020, 1, 1), period_end=dt.date(2025, 12, 31), nsp=old,
    )
    objective = nsp_services.objective_create(
        actor=chief, plan=plan, code="S1", title="Fewer injury accidents on the main roads", level="strategic",
    )
    phenomena = list(SecurityPhenomenon.objects.filter(nsp=old, is_national_priority=True).order_by("number"))
    services.alignment_set(actor=chief, plan=plan, phenomenon=phenomena[0], adopted=True, objectives=[objective])
    for phenomenon in phenomena[1:]:
        services.alignment_set(
            actor=chief, plan=plan, phenomenon=phenomenon, adopted=False, justification="Handled by the federal police."
        )
    for theme in CrossCuttingTheme.objects.filter(nsp=old, is_national_priority=True):
        services.alignment_set(actor=chief, plan=plan, theme=theme, adopted=False, justification="A federal programme.")
    services.plan_transition(actor=chief, plan=plan, to_status=PlanStatus.ADOPTED, on_date=dt.date(2019, 12, 10))
    services.plan_transition(actor=chief, plan=plan, to_status=PlanStatus.SUBMITTED)
    services.plan_transition(actor=reviewer, plan=plan, to_status=PlanStatus.APPROVED, on_date=dt.date(2020, 2, 20))
print(json.dumps({{"plan": plan.pk}}))
"""


@pytest.fixture
def old_plan(demo_site) -> int:
    """An approved 2020-2025 plan of zone 5343 answering the NSP 2016-2019, written into the site's database."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP],
        cwd=ROOT,
        env=_environment(demo_site.var_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])["plan"]


def test_chief_realigns_a_plan_with_the_nsp_2022_2025_and_answers_a_new_priority(open_page, old_plan):
    page = open_page("chief.5343", f"/plans/{old_plan}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    page.get_by_role("link", name="Re-align with the next NSP edition").click()

    # Before opening the addendum: what each answer becomes through the mapping between the editions.
    carried = page.get_by_role("table", name="Carried answers")
    expect(carried).to_contain_text("Adopted by S1")
    expect(carried).to_contain_text("Not adopted, to confirm: Handled by the federal police.")
    expect(carried.get_by_text("Needs an answer").first).to_be_visible()

    page.get_by_label("Reason").fill("Addendum 1: take the NSP 2022-2025 over for the plan's remaining years.")
    page.get_by_role("button", name="Open the re-alignment addendum").click()

    # The addendum is open: the plan is a draft again, answering the new edition; the list says what to answer.
    to_answer = page.get_by_role("region", name=re.compile(r"Addendum 1: what needs an answer for"))
    expect(to_answer).to_contain_text("National Security Plan 2022-2025")
    expect(to_answer).to_contain_text("justification carried, to confirm")
    new_items = to_answer.get_by_role("listitem").filter(has_text="new: needs an answer")
    expect(new_items.first).to_be_visible()
    needing = new_items.count()
    assert needing >= 1
    first_new = re.match(r"\s*(\d+)\. (.+?) — new: needs an answer", new_items.first.inner_text())
    assert first_new, new_items.first.inner_text()
    priority_name = first_new.group(2)
    # The old alignment stays readable beside it.
    expect(
        page.get_by_role("heading", name=re.compile(r"The alignment with National Security Plan 2016-2019 before"))
    ).to_be_visible()

    # Answer one new priority on the alignment page and submit the answer.
    page.get_by_role("link", name="Complete the national alignment").click()
    section = (
        page.locator("section.section-card")
        .filter(has=page.get_by_role("heading", name=re.compile(re.escape(priority_name))))
        .first
    )
    expect(section.get_by_text("Missing")).to_be_visible()
    section.get_by_label("No, not adopted").check()
    section.get_by_label("Why not").fill("The federal judicial police leads on this phenomenon in our zone.")
    section.get_by_role("button", name=re.compile(r"^Save")).click()
    expect(section.get_by_text("Saved.").first).to_be_visible()
    expect(section).to_contain_text("Not adopted: The federal judicial police leads on this phenomenon")

    # Back on the re-alignment page that priority no longer needs an answer.
    page.goto(f"/plans/{old_plan}/realign/")
    remaining = page.get_by_role("region", name=re.compile(r"Addendum 1: what needs an answer for"))
    expect(remaining.get_by_role("listitem").filter(has_text="new: needs an answer")).to_have_count(needing - 1)
    expect(remaining).not_to_contain_text(f"{priority_name} — new: needs an answer")
