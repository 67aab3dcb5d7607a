"""The yardstick of ``make bench`` computes the dashboard's figures: ``bench/national_sql.py`` equals the overview.

On national data of two zones (``generate_national``): every district, cluster and theme figure, the plans per
state, the most off-track plans and the overdue indicators; and each plan's progress as ``annotate_plans`` has it.
The hand-written SQL is PostgreSQL's (``LATERAL``, ``FILTER``): the test needs PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from bench import national_sql
from demo.national import NationalGenerator
from nsp import progress
from nsp.models import Plan
from reporting import selectors

pytestmark = [pytest.mark.postgres]

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        NationalGenerator(today=TODAY, zones=2, scale=1).run()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def committee(national, db):
    return get_user_model().objects.get(username="national.committee")


def test_the_dashboard_sql_gives_the_overview_figures(committee):
    nsp = selectors.edition_for(user=committee, as_of=TODAY)
    data = selectors.overview(user=committee, as_of=TODAY, nsp=nsp)
    rows = national_sql.dashboard(
        nsp_id=nsp.pk,
        as_of=TODAY,
        off_track_limit=selectors.OFF_TRACK_PLANS,
        overdue_limit=selectors.OVERDUE_INDICATORS,
    )
    app, hand = national_sql.overview_figures(data), national_sql.dashboard_figures(rows)

    assert national_sql.mismatches(app, hand) == []
    assert hand["groups"] and hand["overdue_total"] and hand["off_track"]  # the figures are not all empty


def test_the_plan_sql_gives_each_plans_progress(committee):
    plans = progress.annotate_plans(Plan.objects.all(), as_of=TODAY)
    hand = national_sql.plan_means(plan_ids=[p.pk for p in plans], as_of=TODAY)

    expected = {p.pk: (progress.rounded(p.progress), p.progress_status) for p in plans}
    got = {pk: (progress.rounded(hand[pk][0]), hand[pk][1]) if pk in hand else (None, "no_data") for pk in expected}

    assert got == expected
