"""The home page's sections for the Coordinating Committee and the CPPL-VCLP (what changed since the last visit,
the coverage summary, their national reports) and for a zone (what is due, by when, reminders sent)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.models import HomeVisit
from tests.factories import user_with_role
from zones.models import PlanTransition


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("nsp:home"))
    assert response.status_code == 200
    return {s["key"]: s for s in response.context["sections"]}


def test_the_committee_sees_what_changed_and_the_coverage(client, world):
    PlanTransition.objects.create(plan=world.plan_a, from_status="submitted", to_status="approved", by=world.federal)
    sections = home(client, world.committee)
    assert set(sections) == {"oversight"}
    oversight = sections["oversight"]
    assert oversight["counts"]["approved"] == 1
    assert oversight["changes"][0]["plan"] == world.plan_a.title
    assert oversight["zones_with_plan"] >= 1
    html = client.get(reverse("nsp:home")).content.decode()
    assert "What changed since your last visit" in html and reverse("reporting:coverage") in html


def test_the_cppl_sees_it_too_a_zone_chief_sees_the_collection(client, world):
    cppl = user_with_role("cppl_member", "cppl.member")
    assert set(home(client, cppl)) == {"oversight"}
    assert set(home(client, world.chief_a)) == {"collection"}
    assert home(client, world.federal) == {}


def test_a_visit_within_half_an_hour_is_the_same_visit(world):
    start = timezone.now()
    assert services.home_visit_record(user=world.committee, now=start) is None
    assert services.home_visit_record(user=world.committee, now=start + dt.timedelta(minutes=10)) is None
    later = start + dt.timedelta(hours=2)
    assert services.home_visit_record(user=world.committee, now=later) == start
    assert HomeVisit.objects.get(user=world.committee).seen_at == later
