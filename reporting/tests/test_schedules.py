"""The schedule of reports and reminders: federal planners see when each runs, change the time, pause it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from nsp import schedule
from nsp.roles import ROLE_NAMES
from tests.factories import DistrictFactory, PoliceZoneFactory, ProgrammeFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

EDIT = reverse("reporting:schedule-edit", kwargs={"name": "quarterly-national-overview"})


@pytest.fixture(autouse=True)
def installed(db):
    schedule.install()


def holder(role: str):
    scope = {
        "zone_chief": {"zone": PoliceZoneFactory},
        "zone_planner": {"zone": PoliceZoneFactory},
        "programme_manager": {"programme": ProgrammeFactory},
        "federal_reviewer": {"district": DistrictFactory},
    }.get(role, {})
    return user_with_role(role, **{k: make() for k, make in scope.items()})


def quarter_form(**changes) -> dict:
    data = {"enabled": "on", "hour": "5", "minute": "45", "day_of_month": "2", "month_of_year": "1,4,7,10"}
    data["day_of_week"] = "*"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_who_sees_and_changes_the_schedule(client, role):
    client.force_login(holder(role))
    allowed = role in ("admin", "federal_planner")
    pages = [client.get(reverse("reporting:schedules")), client.get(EDIT), client.post(EDIT, quarter_form())]
    assert [p.status_code for p in pages] == ([200, 200, 302] if allowed else [404, 404, 404])
    task = PeriodicTask.objects.select_related("crontab").get(name="quarterly-national-overview")
    assert (task.crontab.hour, task.crontab.minute) == (("5", "45") if allowed else ("6", "0"))


def test_a_user_without_role_and_a_visitor_do_not_see_it(client):
    client.force_login(UserFactory())
    assert client.get(reverse("reporting:schedules")).status_code == 404
    client.logout()
    assert client.get(reverse("reporting:schedules")).status_code == 302


def test_the_list_says_when_each_runs_in_words(client):
    client.force_login(user_with_role("federal_planner"))
    html = client.get(reverse("reporting:schedules")).content.decode()
    assert "Quarterly national overview" in html and "at 06:00 on day 1 of the month in months 1,4,7,10" in html
    assert "Report dispatcher (outbox)" in html and "every 30 seconds" in html
    assert "system task (administrators, in the admin)" in html
    assert html.count("Paused") == 1  # the weekly overdue reminders, off by default


def test_pausing_and_a_new_time_take_effect_and_are_said(client):
    client.force_login(user_with_role("federal_planner"))
    response = client.post(EDIT, quarter_form(enabled=None), follow=True)
    task = PeriodicTask.objects.select_related("crontab").get(name="quarterly-national-overview")
    assert task.enabled is False and task.crontab.day_of_month == "2"
    assert "never (paused)" in response.content.decode()
    client.post(EDIT, quarter_form())
    assert PeriodicTask.objects.get(name="quarterly-national-overview").enabled is True


@pytest.mark.parametrize(
    ("field", "value"), [("hour", "25"), ("minute", "61"), ("month_of_year", "13"), ("day_of_week", "x")]
)
def test_a_wrong_time_is_refused_beside_its_field_and_changes_nothing(client, field, value):
    client.force_login(user_with_role("federal_planner"))
    before = PeriodicTask.objects.get(name="quarterly-national-overview").crontab_id
    response = client.post(EDIT, quarter_form(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert PeriodicTask.objects.get(name="quarterly-national-overview").crontab_id == before


def test_system_tasks_are_not_changed_on_the_page(client):
    client.force_login(user_with_role("federal_planner"))
    for name in ("dispatch-reports", "sweep-reports", "deleted-items-purge"):
        url = reverse("reporting:schedule-edit", kwargs={"name": name})
        assert client.get(url).status_code == 404
        assert client.post(url, quarter_form()).status_code == 404


def test_the_page_speaks_the_users_language(client):
    client.force_login(user_with_role("federal_planner"))
    html = client.get(reverse("reporting:schedules"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Aperçu national trimestriel" in html
