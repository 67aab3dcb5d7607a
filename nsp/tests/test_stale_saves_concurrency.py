"""Two people save the same edit page at once, 20 times (PostgreSQL row locks): nobody's change is lost.

Issue 13, L4: before, both were told "saved" and one change silently overwrote the other in 20 of 20 rounds.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from nsp.models import Objective
from nsp.tests.test_stale_saves import edit_form
from nsp.viewmixins import VERSION_FIELD
from tests.factories import ObjectiveFactory, ZonalSecurityPlanFactory, sign_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 20


def test_twenty_rounds_of_simultaneous_saves_lose_nothing():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite serialises whole transactions)")
    objective = ObjectiveFactory(plan=ZonalSecurityPlanFactory(), title="Original")
    address = reverse("nsp:objective-edit", kwargs={"pk": objective.pk})
    editors = {"planner": Client(), "chief": Client()}
    sign_in(editors["planner"], "zone_planner", zone=objective.plan.zone)
    sign_in(editors["chief"], "zone_chief", zone=objective.plan.zone)
    lost = []
    for round_number in range(ROUNDS):
        forms = {name: edit_form(client, address) for name, client in editors.items()}
        start = threading.Barrier(len(editors))
        answers: dict[str, int] = {}

        def save(name: str, round_number=round_number, start=start, forms=forms, answers=answers) -> None:
            data, version = forms[name]
            try:
                start.wait(10)
                response = editors[name].post(
                    address, {**data, "title": f"{name} {round_number}", VERSION_FIELD: version}
                )
                answers[name] = response.status_code
            finally:
                connection.close()

        threads = [threading.Thread(target=save, args=(name,)) for name in editors]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(answers.values()) == [302, 409], answers  # one saved, the other told, never both "saved"
        [winner] = [name for name, status in answers.items() if status == 302]
        stored = Objective.objects.get(pk=objective.pk).title
        if stored != f"{winner} {round_number}":
            lost.append((round_number, winner, stored))
    assert lost == []
