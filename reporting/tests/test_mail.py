"""Mail never breaks a loop: one mail per recipient, each failure recorded, the other recipients and zones served."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from reporting import services
from reporting.models import OverdueReminder, ReportRun
from reporting.runners import ReportRunner
from tests.factories import (
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PoliceZoneFactory,
    ZonalSecurityPlanFactory,
    user_with_role,
)

TODAY = dt.date(2022, 1, 20)
real_send = EmailMessage.send


@pytest.fixture
def two_zones(world):
    """Zone 5339 of the world and zone 5400 after it, each with overdue indicators on an approved plan."""
    world.zone_c = PoliceZoneFactory(number="5400", name_nl="Antwerpen", district=world.district_b)
    plan = ZonalSecurityPlanFactory(
        zone=world.zone_c, nsp=world.nsp, title="Plan 5400", status="approved", approved_on=dt.date(2020, 6, 1)
    )
    indicator = IndicatorFactory(
        objective=ObjectiveFactory(plan=plan, code="S1", title="Fewer thefts"),
        name="Thefts",
        baseline_value=Decimal("50"),
        baseline_date=dt.date(2020, 1, 1),
        target_value=Decimal("40"),
        target_date=dt.date(2022, 1, 1),
    )
    MeasurementFactory(indicator=indicator, period="2021-Q1", value=Decimal("49"))
    world.chief_c = user_with_role("zone_chief", "chief.5400", zone=world.zone_c)
    return world


def refuse_to(*addresses: str):
    def send(self, *args, **kwargs):
        if set(self.to) & set(addresses):
            raise OSError("mail server down")
        return real_send(self, *args, **kwargs)

    return send


def test_a_zone_whose_mail_fails_does_not_stop_the_zones_after_it(two_zones, monkeypatch):
    monkeypatch.setattr(EmailMessage, "send", refuse_to("chief.5339@example.test", "planner.5339@example.test"))

    sent = services.reminder_send_overdue(today=TODAY)

    assert [r.zone.number for r in sent] == ["5339", "5400"]
    failed = OverdueReminder.objects.get(zone=two_zones.zone_a)
    assert failed.failures == [
        {"email": "chief.5339@example.test", "error": "OSError: mail server down"},
        {"email": "planner.5339@example.test", "error": "OSError: mail server down"},
    ]
    assert [m.to for m in mail.outbox] == [["chief.5400@example.test"]]
    assert OverdueReminder.objects.get(zone=two_zones.zone_c).failures == []


def test_each_recipient_gets_their_own_mail_and_one_failure_spares_the_others(world, monkeypatch):
    monkeypatch.setattr(EmailMessage, "send", refuse_to("chief.5339@example.test"))

    (reminder,) = services.reminder_send_overdue(today=TODAY)

    assert [m.to for m in mail.outbox] == [["planner.5339@example.test"]]
    assert [f["email"] for f in reminder.failures] == ["chief.5339@example.test"]
    assert sorted(reminder.recipients.split()) == ["chief.5339@example.test", "planner.5339@example.test"]


def test_a_second_run_the_same_day_sends_again_only_to_those_that_failed(world, monkeypatch):
    monkeypatch.setattr(EmailMessage, "send", refuse_to("chief.5339@example.test"))
    services.reminder_send_overdue(today=TODAY)
    monkeypatch.setattr(EmailMessage, "send", real_send)

    (reminder,) = services.reminder_send_overdue(today=TODAY)

    assert [m.to for m in mail.outbox] == [["planner.5339@example.test"], ["chief.5339@example.test"]]
    assert reminder.failures == []
    assert services.reminder_send_overdue(today=TODAY) == []
    assert len(mail.outbox) == 2


def test_the_collection_reminders_go_on_past_a_failing_zone(two_zones, monkeypatch, settings):
    from nsp import collection

    settings.DATA_DEADLINE_DAYS, settings.DATA_REMINDER_DAYS_BEFORE = 30, 7
    cycle = collection.collecting(dt.date(2022, 1, 20))
    monkeypatch.setattr(EmailMessage, "send", refuse_to("chief.5339@example.test", "planner.5339@example.test"))

    sent = services.collection_remind(today=cycle.remind_after)

    assert [r.zone.number for r in sent] == ["5339", "5400"]
    assert len(OverdueReminder.objects.get(zone=two_zones.zone_a).failures) == 2
    assert [m.to for m in mail.outbox] == [["chief.5400@example.test"]]


def test_a_subscribed_report_whose_mail_fails_is_done_and_says_so(world, media, monkeypatch):
    world.committee.email = "committee@example.org"
    world.committee.save()
    monkeypatch.setattr(services, "enqueue", lambda run_id: None)
    subscription = services.subscription_create(
        actor=world.committee, kind="national_overview", scope="national", frequency="quarterly", format="csv"
    )
    (run,) = services.subscriptions_run(today=dt.date(2022, 1, 5))
    assert run.subscription == subscription
    monkeypatch.setattr(EmailMessage, "send", refuse_to("committee@example.org"))

    run = ReportRunner(ReportRun.objects.get(pk=run.pk)).run()

    run.refresh_from_db()
    assert run.status == "done" and run.file
    assert run.log.splitlines()[-1].endswith(
        "The e-mail with the link could not be sent to committee@example.org: OSError: mail server down"
    )
