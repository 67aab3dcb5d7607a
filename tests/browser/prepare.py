"""Prepare the database the browser tests serve: ``python -m tests.browser.prepare <objects.json>``.

Run by ``tests/browser/conftest.py`` in a subprocess whose environment points ``NSP_VAR_DIR`` at a fresh
folder, so everything below lands in that folder: the steps of ``bin/release`` (migrations, reference
data, police zones, demo data) and ``collectstatic``, in one process to start Django once. It then writes
the primary keys the tests need, looked up by natural keys (zone number and period, indicator name,
edition code), so no test hard-codes a pk; plans of the current municipal term go by ``<zone>/current``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ZONES_CSV = "zones/data/police_zones.csv"

# Indicators of the approved Ghent plan 2020-2025 that the journeys record on (docs/demo.md, "Progress").
GHENT_INDICATORS = (
    "Drug-dealing investigations opened",
    "Residents who feel safe in their neighbourhood",
    "Injury road accidents",
)


def prepare() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference")
    call_command("import_zones", ZONES_CSV)
    # Test settings keep demo mode off; --force writes the demo users all the same (password "demo").
    call_command("seed_demo", force=True)
    call_command("collectstatic", interactive=False, verbosity=0)


def objects() -> dict:
    from django.utils import timezone

    from demo.seed import current_term
    from nsp.models import Indicator, NationalSecurityPlan, Objective
    from programmes.models import Programme
    from zones.models import ZonalSecurityPlan

    # Plans of the current municipal term depend on the day the seed runs; the others have fixed years.
    term_start = current_term(timezone.localdate()).start
    plans, titles = {}, {}
    for plan in ZonalSecurityPlan.objects.select_related("zone"):
        period = "current" if plan.period_start == term_start else str(plan.period_start.year)
        plans[f"{plan.zone.number}/{period}"] = plan.pk
        titles[f"{plan.zone.number}/{period}"] = plan.title
    ghent = plans["5415/2020"]
    indicators = dict(
        Indicator.objects.filter(plan_id=ghent, name__in=GHENT_INDICATORS).values_list("name", "pk").order_by("pk")
    )
    strategic = dict(
        Objective.objects.filter(plan_id=plans["5339/current"], level=Objective.Level.STRATEGIC).values_list(
            "code", "pk"
        )
    )
    return {
        "plans": plans,
        "titles": titles,
        "ghent_indicators": indicators,
        "strategic_5339": strategic,
        "editions": dict(NationalSecurityPlan.objects.values_list("code", "pk")),
        "programmes": dict(Programme.objects.values_list("code", "pk")),
    }


def main(out: str) -> None:
    import django

    django.setup()
    prepare()
    Path(out).write_text(json.dumps(objects(), indent=2))


if __name__ == "__main__":
    main(sys.argv[1])
