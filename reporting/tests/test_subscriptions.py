"""Report subscriptions: subscribe (on what one may read), the scheduled runs once per period, the e-mail with the
link when a run is done, unsubscribe (one's own only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from nsp.exceptions import DomainError
from reporting import services
from reporting.models import ReportRun, ReportSubscription
from reporting.runners import ReportRunner

pytestmark = pytest.mark.usefixtures("media")


def subscribe(user, **fields) -> ReportSubscription:
    values = {"kind": "national_overview", "scope": "national", "frequency": "quarterly", "format": "csv"}
    return services.subscription_create(actor=user, **{**values, **fields})


def test_subscribe_and_refuse_a_second_identical_one(world):
    subscription = subscribe(world.committee)
    assert subscription.user == world.committee and subscription.frequency == "quarterly"
    with pytest.raises(DomainError):
        subscribe(world.committee)
    with pytest.raises(DomainError) as refused:
        subscribe(world.committee, frequency="daily")
    assert "frequency" in refused.value.extra["fields"]


def test_no_role_no_subscription(world):
    with pytest.raises(PermissionDenied):
        subscribe(world.nobody)


def test_a_subscription_runs_once_per_period_and_mails_the_link(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://nsp.example"
    world.committee.email = "committee@example.org"
    world.committee.save()
    sent: list[int] = []
    monkeypatch.setattr(services, "enqueue", sent.append)
    subscription = subscribe(world.committee)
    with django_capture_on_commit_callbacks(execute=True):
        runs = services.subscriptions_run(today=dt.date(2022, 1, 5))
    assert [r.period for r in runs] == ["2021-Q4"] and runs[0].subscription == subscription
    assert services.subscriptions_run(today=dt.date(2022, 1, 6)) == []  # the same period: nothing new
    subscription.refresh_from_db()
    assert subscription.last_period == "2021-Q4"
    run = ReportRunner(ReportRun.objects.get(pk=sent[0])).run()
    assert run.status == "done", run.log
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["committee@example.org"]
    assert f"https://nsp.example/reports/{run.pk}/" in message.body


def test_the_page_subscribes_and_lists_and_unsubscribes(client, world):
    client.force_login(world.committee)
    page = reverse("reporting:subscription-list")
    response = client.get(page, {"kind": "national_overview", "scope": "national", "frequency": "quarterly"})
    assert response.status_code == 200
    assert response.context["form"]["frequency"].value() == "quarterly"
    data = {
        "kind": "national_overview",
        "scope": "national",
        "frequency": "quarterly",
        "format": "pdf",
        "language": "nl",
    }
    response = client.post(page, data)
    assert response.status_code == 302
    subscription = ReportSubscription.objects.get(user=world.committee)
    assert subscription.language == "nl"
    assert str(subscription) in client.get(page).content.decode()
    assert client.post(page, data).status_code == 400  # the same again
    delete = reverse("reporting:subscription-delete", kwargs={"pk": subscription.pk})
    client.force_login(world.chief_a)
    assert client.get(delete).status_code == 404  # another user's
    assert client.post(delete).status_code == 404
    client.force_login(world.committee)
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not ReportSubscription.objects.exists()


def test_no_role_gets_a_404(client, world):
    client.force_login(world.nobody)
    assert client.get(reverse("reporting:subscription-list")).status_code == 404


def test_my_subscriptions_on_the_profile_page(client, world):
    subscription = subscribe(world.committee)
    client.force_login(world.committee)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "My report subscriptions" in html and str(subscription) in html
    assert reverse("reporting:subscription-delete", kwargs={"pk": subscription.pk}) in html
    client.force_login(world.nobody)
    assert "come with a role" in client.get(reverse("accounts:profile")).content.decode()
