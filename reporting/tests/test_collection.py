"""The data-collection cycle: the deadline after each quarter, the reminders before and after it (recorded: when,
to whom), and who reported the period being collected."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from nsp import collection
from reporting import insights, services
from reporting.models import OverdueReminder

# On this day 2021-Q3 is being collected; its deadline (30 days after the quarter) was 30 Oct 2021.
TODAY = dt.date(2021, 11, 1)


def test_the_cycle_of_a_quarter(settings):
    settings.DATA_DEADLINE_DAYS, settings.DATA_REMINDER_DAYS_BEFORE = 30, 7
    cycle = collection.collecting(TODAY)
    assert cycle.period.label == "2021-Q3"
    assert (cycle.deadline, cycle.remind_before, cycle.remind_after) == (
        dt.date(2021, 10, 30),
        dt.date(2021, 10, 23),
        dt.date(2021, 10, 31),
    )
    assert cycle.is_overdue(TODAY) and not cycle.is_overdue(dt.date(2021, 10, 30))


@pytest.fixture
def mailboxes(world):
    world.chief_a.email = "chief.5339@example.org"
    world.chief_a.save()
    return world


def test_reminders_before_and_after_the_deadline(mailboxes):
    world = mailboxes
    assert services.collection_remind(today=dt.date(2021, 10, 20)) == []  # no reminder day
    (before,) = services.collection_remind(today=dt.date(2021, 10, 23))
    assert (before.zone, before.kind, before.period) == (world.zone_a, "due_soon", "2021-Q3")
    # Only the indicator without a 2021-Q3 measurement is named.
    assert [i["name"] for i in before.indicators] == ["Burglaries reported"]
    # One mail per recipient.
    assert [m.to for m in mail.outbox] == [["chief.5339@example.org"], ["planner.5339@example.test"]]
    assert all("2021-Q3" in m.subject for m in mail.outbox)
    (after,) = services.collection_remind(today=dt.date(2021, 10, 31))
    # In the zone's language (Dutch in Flanders): the overdue reminder's own text.
    assert after.kind == "overdue" and len(mail.outbox) == 4 and mail.outbox[-1].subject != mail.outbox[0].subject
    assert services.collection_remind(today=dt.date(2021, 10, 31)) == []  # once per zone and day


def test_who_reported_the_period(mailboxes):
    world = mailboxes
    services.collection_remind(today=dt.date(2021, 10, 23))
    status = insights.collection_status(user=world.federal, today=TODAY)
    assert (status["period"], status["deadline"], status["overdue"]) == ("2021-Q3", "2021-10-30", True)
    (row,) = status["zones"]
    assert (row["key"], row["due"], row["reported"], row["missing"], row["state"]) == (
        world.zone_a.key,
        2,
        1,
        1,
        "partly",
    )
    assert row["reminders"][0]["recipients"] == ["chief.5339@example.org", "planner.5339@example.test"]
    assert row["reminders"][0]["sent_on"] == "2021-10-23"


def test_reminders_are_read_by_the_zone_and_federal_planners_only(mailboxes):
    world = mailboxes
    services.collection_remind(today=dt.date(2021, 10, 23))
    assert OverdueReminder.objects.restrict(world.federal, "view").count() == 1
    assert OverdueReminder.objects.restrict(world.chief_a, "view").count() == 1
    assert OverdueReminder.objects.restrict(world.chief_b, "view").count() == 0
    assert OverdueReminder.objects.restrict(world.committee, "view").count() == 0
    # The committee still sees who reported, without the addresses.
    (row,) = insights.collection_status(user=world.committee, today=TODAY)["zones"]
    assert row["state"] == "partly" and row["reminders"] == []


def test_the_page_and_its_csv(client, mailboxes, monkeypatch):
    world = mailboxes
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    client.force_login(world.federal)
    response = client.get(reverse("reporting:collection"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2021-Q3" in html and "Partly reported" in html
    csv_response = client.get(reverse("reporting:dashboard-csv", kwargs={"table": "collection"}))
    text = csv_response.content.decode("utf-8-sig")
    assert "5339 Brussel-Hoofdstad/Elsene" in text and "Partly reported" in text


def test_the_reminder_and_the_home_section_link_to_the_quarter_grid(client, mailboxes, monkeypatch):
    world = mailboxes
    grid = reverse("nsp:measurement-grid", kwargs={"pk": world.plan_a.pk})
    services.collection_remind(today=dt.date(2021, 10, 23))
    assert f"{grid}?period=2021-Q3" in mail.outbox[0].body
    services.collection_remind(today=dt.date(2021, 10, 31))
    assert mail.outbox[-1].body.rstrip().endswith(grid)  # overdue: the grid opens on the quarter now due
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    client.force_login(world.planner_a)
    assert f'href="{grid}?period=2021-Q3"' in client.get(reverse("nsp:home")).content.decode()
