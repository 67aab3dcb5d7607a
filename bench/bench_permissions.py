"""What the permission filter costs: the same list unfiltered and through ``restrict(user, "view")``.

Builds a realistic volume in a fresh test database (180 zones in 14 districts, each with its closed previous
plan and its current plan, one zone in ten still drafting it; 10 objectives per plan, 3 indicators per
objective, 8 measurements per indicator), then times in one run, interleaved, the zonal plans, objectives
and indicators lists: unfiltered, as a zone chief and as a Coordinating Committee member. Each list is built
(``restrict`` included) and evaluated fully; the median of the repetitions is compared. Reading the viewer's
roles (once per request, before its first list) is timed and printed apart.
Exits 1 when a filtered list costs more than ``--max-ratio`` (1.5) times the unfiltered one.

Run: ``.venv/bin/python bench/bench_permissions.py`` (SQLite), or on PostgreSQL
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/nsp .venv/bin/python bench/bench_permissions.py``.
The test database (``test_<name>``, or ``var/test-<pid>.sqlite3``) is created and dropped by the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nsp.settings_test")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from clusters.models import SecurityCluster, SecurityPhenomenon  # noqa: E402
from nsp import grants, periods  # noqa: E402
from nsp.models import Indicator, Measurement, NationalSecurityPlan, Objective  # noqa: E402
from nsp.permissions import PERM_ANY_PROGRAMME, user_roles  # noqa: E402
from zones.models import District, PoliceZone, ZonalSecurityPlan  # noqa: E402

DISTRICTS = 14
OBJECTIVES_PER_PLAN = 10
INDICATORS_PER_OBJECTIVE = 3
MEASUREMENTS_PER_INDICATOR = 8
DRAFTING_EVERY = 10  # one zone in ten is still drafting its current plan
LISTS: dict[str, type] = {"zonal plans": ZonalSecurityPlan, "objectives": Objective, "indicators": Indicator}
VIEWERS = ("zone_chief", "committee_member")


def build(zones: int) -> dict[str, object]:
    """The volume, written in bulk where history is not what is measured; returns the users who read it."""
    nsp = NationalSecurityPlan.objects.create(
        code="bench-nsp", title="NSP (bench)", period_start=dt.date(2016, 1, 1), period_end=dt.date(2019, 12, 31)
    )
    cluster = SecurityCluster.objects.create(nsp=nsp, number=1, name="Cluster")
    SecurityPhenomenon.objects.create(nsp=nsp, cluster=cluster, number=1, name="Burglaries")
    districts = [District.objects.create(code=f"bench-{n}", name=f"District {n}") for n in range(DISTRICTS)]
    plans = []
    for n in range(zones):
        zone = PoliceZone.objects.create(key=f"{5000 + n}", number=f"{5000 + n}", district=districts[n % DISTRICTS])
        previous = ZonalSecurityPlan.objects.create(
            zone=zone,
            nsp=nsp,
            title=f"Plan {zone.number} 2014-2019",
            period_start=dt.date(2014, 1, 1),
            period_end=dt.date(2019, 12, 31),
            status="closed",
            council_adopted_on=dt.date(2014, 3, 1),
            approved_on=dt.date(2014, 6, 1),
            closed_on=dt.date(2020, 1, 2),
        )
        drafting = n % DRAFTING_EVERY == 0
        current = ZonalSecurityPlan.objects.create(
            zone=zone,
            nsp=nsp,
            title=f"Plan {zone.number} 2020-2025",
            period_start=dt.date(2020, 1, 1),
            period_end=dt.date(2025, 12, 31),
            status="draft" if drafting else "approved",
            council_adopted_on=None if drafting else dt.date(2020, 3, 1),
            approved_on=None if drafting else dt.date(2020, 6, 1),
        )
        plans += [previous, current]
    objectives = Objective.objects.bulk_create(
        Objective(plan=plan, level="strategic", code=f"S{i}", title=f"Objective {i}")
        for plan in plans
        for i in range(OBJECTIVES_PER_PLAN)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan_id=objective.plan_id,
            objective=objective,
            name=f"Indicator {i}",
            unit="cases",
            baseline_value=Decimal("100"),
            baseline_date=dt.date(2020, 1, 1),
            target_value=Decimal("80"),
            target_date=dt.date(2025, 12, 31),
            direction="decrease",
            frequency="quarterly",
        )
        for objective in objectives
        for i in range(INDICATORS_PER_OBJECTIVE)
    )
    quarters = periods.between(dt.date(2020, 1, 1), dt.date(2021, 12, 31), "quarterly")[:MEASUREMENTS_PER_INDICATOR]
    Measurement.objects.bulk_create(
        (
            Measurement(
                plan_id=indicator.plan_id,
                indicator=indicator,
                period=quarter.label,
                period_start=quarter.start,
                period_end=quarter.end,
                value=Decimal(90 + k),
            )
            for indicator in indicators
            for k, quarter in enumerate(quarters)
        ),
        batch_size=2000,
    )
    user_model = get_user_model()
    chief = user_model.objects.create(username="bench-chief")
    grants.role_grant(
        user=chief, role="zone_chief", zone=PoliceZone.objects.get(key="5000")
    )  # a zone drafting its plan
    committee = user_model.objects.create(username="bench-committee")
    grants.role_grant(user=committee, role="committee_member")
    return {"zone_chief": chief, "committee_member": committee}


def timed(make_queryset: Callable[[], object]) -> tuple[float, int]:
    started = time.perf_counter()
    rows = len(list(make_queryset()))
    return time.perf_counter() - started, rows


def measure(users: dict[str, object], repeat: int) -> list[dict]:
    """Median seconds and rows per list and viewer; the variants interleave so drift hits them alike.

    A filtered list is timed from ``restrict`` (the filter built) to the last row read. The viewer's roles
    and permissions are read once per request, before its first list: that cost is measured apart.
    """
    viewers = {}
    for role in VIEWERS:
        viewers[role] = get_user_model().objects.get(pk=users[role].pk)
        ZonalSecurityPlan.objects.restrict(viewers[role], "view")  # reads the roles, as a request's first list

    def variants(model):
        yield "unfiltered", lambda: model.objects.all()
        for role, viewer in viewers.items():
            yield role, lambda viewer=viewer: model.objects.restrict(viewer, "view")

    results = []
    for name, model in LISTS.items():
        samples: dict[str, list[float]] = {}
        rows: dict[str, int] = {}
        for _variant, make in variants(model):
            timed(make)  # warm up: the database's caches, not what is measured
        for _ in range(repeat):
            for variant, make in variants(model):
                seconds, rows[variant] = timed(make)
                samples.setdefault(variant, []).append(seconds)
        medians = {variant: statistics.median(values) for variant, values in samples.items()}
        results.append({"list": name, "medians": medians, "rows": rows})
    return results


def roles_cost(users: dict[str, object], repeat: int) -> float:
    """Median seconds to read a fresh viewer's roles and permissions (once per request)."""
    samples = []
    for _ in range(repeat):
        for role in VIEWERS:
            fresh = get_user_model().objects.get(pk=users[role].pk)
            started = time.perf_counter()
            user_roles(fresh)
            fresh.has_perm(PERM_ANY_PROGRAMME)
            samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def report(results: list[dict], roles: float, max_ratio: float) -> bool:
    """Print the table; True when every filtered list stays within ``max_ratio`` of the unfiltered one."""
    print(f"\nPermission filter cost on {connection.vendor} (median; ratio = filtered / unfiltered)\n")
    within = True
    for result in results:
        medians, rows = result["medians"], result["rows"]
        base = medians["unfiltered"]
        cells = [f"unfiltered {base * 1e3:7.1f} ms ({rows['unfiltered']} rows)"]
        for role in VIEWERS:
            ratio = medians[role] / base
            within &= ratio <= max_ratio
            flag = "" if ratio <= max_ratio else " TOO SLOW"
            cells.append(f"{role} {medians[role] * 1e3:7.1f} ms ({rows[role]} rows) x{ratio:.2f}{flag}")
        print(f"{result['list']:<12} " + " | ".join(cells))
    print(f"\nReading a viewer's roles and permissions, once per request: {roles * 1e3:.1f} ms")
    verdict = "OK: no filtered list costs" if within else "FAILED: a filtered list costs"
    print(f"{verdict} more than {max_ratio}x the unfiltered one")
    return within


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=180, help="police zones to build (default 180)")
    parser.add_argument("--repeat", type=int, default=15, help="timed repetitions per list (default 15)")
    parser.add_argument("--max-ratio", type=float, default=1.5, help="allowed filtered / unfiltered (default 1.5)")
    args = parser.parse_args(argv)

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        users = build(args.zones)
        print(f"Built {args.zones} zones in {time.perf_counter() - started:.1f} s")
        results = measure(users, args.repeat)
        roles = roles_cost(users, args.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0 if report(results, roles, args.max_ratio) else 1


if __name__ == "__main__":
    sys.exit(main())
