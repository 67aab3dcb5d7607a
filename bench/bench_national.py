"""``make bench``: the application at national size against hand-written SQL, as ratios measured in one run.

Needs PostgreSQL (``DATABASE_URL``). Builds the national data set first when the database has none
(``generate_national --scale N --seed S``, docs/national-data.md; a database that has it is reused as is), then
times, as ``--user`` (the Coordinating Committee member), each pair A / B interleaved in this one process:
A the application (a selector, or a page through Django's test client, middleware and templates included),
B the hand-written query of ``bench/national_sql.py`` that computes the same figures. Each pair runs once to
warm up, then ``--repeats`` rounds (A then B, B then A in turn); the table shows the medians, the ratio of the
medians and the spread (lowest and highest ratio of a round). It also checks that A and B give the same
figures and prints the number of queries of each page (B7: the pins are in the test suite).

Exits 1 when figures differ or a ratio exceeds its bound. ``--only B1,B3`` runs some rows. Run it on a quiet
machine: another process's load is noise in every ratio (the load average is printed with the table).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nsp.settings")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("DEBUG", "1")  # static files without collectstatic, as the other benches

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import national_sql  # noqa: E402
from nsp import data_version, periods, permissions, progress, services  # noqa: E402
from nsp.models import Action, Comment, Indicator, Measurement, Objective, Plan  # noqa: E402
from reporting import selectors  # noqa: E402
from reporting.models import ReportRun  # noqa: E402
from reporting.runners import ReportRunner  # noqa: E402
from zones.models import (  # noqa: E402
    Addendum,
    Expectation,
    MatrixCandidate,
    NationalAlignment,
    PlanSection,
    PlanTransition,
    ZonalSecurityPlan,
)

setup_test_environment()  # responses carry their template context

BOUNDS = {"B1": 1.5, "B2": 2.0, "B3": 3.0, "B3 plan page": 10.0, "B4": 1.2, "B5": 1.5}
SCALE4 = "scale4"  # the alias of --scale4-database
CACHED_P95_MS = 20.0  # B2: GET /dashboard/ from the cache, 95th percentile
CACHED_LOADS = 40


class Row:
    def __init__(self, key: str, label: str, a: Callable, b: Callable, bound: float | None):
        self.key, self.label, self.a, self.b, self.bound = key, label, a, b, bound
        self.a_times: list[float] = []
        self.b_times: list[float] = []

    def run(self, repeats: int) -> None:
        self.a()
        self.b()
        for n in range(repeats):
            first, second = (self.a, self.b) if n % 2 == 0 else (self.b, self.a)
            for fn in (first, second):
                start = time.perf_counter()
                fn()
                (self.a_times if fn is self.a else self.b_times).append(time.perf_counter() - start)

    @property
    def ratio(self) -> float:
        return statistics.median(self.a_times) / statistics.median(self.b_times)

    @property
    def spread(self) -> tuple[float, float]:
        ratios = [a / b for a, b in zip(self.a_times, self.b_times, strict=True)]
        return min(ratios), max(ratios)

    @property
    def ok(self) -> bool:
        return self.bound is None or self.ratio <= self.bound


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def get(client: Client, path: str):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response


def query_count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        get(client, path)
    return len(queries)


def uncached(client: Client, path: str):
    """The page computing its figures: a new data version first, so nothing cached before is found."""
    data_version.bump()
    return get(client, path)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` 0.95: the value 95 % of the loads stay at or under)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-int(share * 100) * len(ordered) // 100) - 1))]


def cached_loads(client: Client, path: str, loads: int) -> list[float]:
    """``loads`` loads of the page once its figures are in the cache (one load to put them there), rendered as in
    production: without the test environment's instrumented templates, which copy every context for the client."""
    get(client, path)
    times = []
    teardown_test_environment()
    try:
        for _ in range(loads):
            start = time.perf_counter()
            get(client, path)
            times.append(time.perf_counter() - start)
    finally:
        setup_test_environment()
    return times


def fresh_after_write(client: Client, user, path: str = "/dashboard/") -> list[str]:
    """A measurement saved through the service shows on the very next load (the cache is keyed on the data version).

    Records the period due of the first overdue indicator of a zone the page lists, as a planner of its zone, then
    loads the page once: the indicator must have left the overdue list, and the count dropped by one. Undone after
    (the measurement goes to the plan's deleted items): run on a copy of the national data (docs/performance.md)."""
    problems = []
    get(client, path)  # the figures in the cache
    before = get(client, path).context["data"]
    row = next((r for r in before["overdue_indicators"] if r["zone"]), None)
    if row is None:
        return ["B2 freshness: no overdue indicator of a zone to record (nothing to check)"]
    indicator = Indicator.objects.select_related("plan__zone").get(pk=row["id"])
    planner = (
        get_user_model()
        .objects.filter(groups__name=f"zone:{indicator.plan.zone.key}:zone_planner", is_active=True)
        .order_by("pk")
        .first()
    )
    if planner is None:
        return [f"B2 freshness: zone {indicator.plan.zone} has no planner"]
    value = indicator.target_value if indicator.target_value is not None else indicator.baseline_value
    measurement = services.measurement_record(actor=planner, indicator=indicator, period=row["due_period"], value=value)
    try:
        after = get(client, path).context["data"]
        if row["id"] in {r["id"] for r in after["overdue_indicators"]}:
            problems.append(f"B2 freshness: indicator {row['id']} still listed overdue on the next load")
        if after["overdue_total"] != before["overdue_total"] - 1:
            expected = before["overdue_total"] - 1
            problems.append(f"B2 freshness: {after['overdue_total']} overdue on the next load, expected {expected}")
    finally:
        services.measurement_delete(actor=planner, measurement=Measurement.objects.get(pk=measurement.pk))
    restored = get(client, path).context["data"]
    if restored["overdue_total"] != before["overdue_total"]:
        problems.append("B2 freshness: the figures did not come back once the measurement was deleted")
    return problems


@contextlib.contextmanager
def on_database(alias: str):
    """Everything inside reads the database ``alias`` as if it were ``default`` (the views, selectors and services
    all use ``default``): its connection is put under the ``default`` alias, and the other one back after. Both
    connections stay open, so switching costs nothing that a request would not pay anyway."""
    if alias == "default":
        yield
        return
    previous = connections["default"]
    connections["default"] = connections[alias]
    try:
        yield
    finally:
        connections["default"] = previous


def add_database(name: str) -> str:
    """``--scale4-database NAME``: the same server and credentials as ``DATABASE_URL``, another database."""
    settings.DATABASES[SCALE4] = {**settings.DATABASES["default"], "NAME": name}
    return SCALE4


class Side:
    """One database's view of the zone the scale rows compare: the same zone's current plan (looked up by zone and
    period: its pk differs between databases) and the same users (by username), each with its logged-in client."""

    def __init__(self, alias: str, *, committee: str, zone_key: str, period_start, period_end):
        self.alias = alias
        with on_database(alias):
            self.plan = ZonalSecurityPlan.objects.select_related("zone").get(
                zone__key=zone_key, period_start=period_start, period_end=period_end
            )
            chief = (
                get_user_model()
                .objects.filter(groups__name=f"zone:{zone_key}:zone_chief", is_active=True)
                .order_by("username")
                .first()
            )
            self.chief_name = chief.username
            self.committee = Client(HTTP_HOST="127.0.0.1")
            self.committee.force_login(get_user_model().objects.get(username=committee))
            self.chief = Client(HTTP_HOST="127.0.0.1")
            self.chief.force_login(chief)
            self.plans = Plan.objects.count()
            self.measurements = Measurement.objects.count()

    def zone_paths(self) -> dict[str, str]:
        """B4: a zone's own pages and endpoints, as the zone's chief (label -> path)."""
        return {
            "plan page": f"/plans/{self.plan.pk}/",
            "zone page": f"/zones/{self.plan.zone.key}/",
            "home": "/",
            "measurements of the plan": f"/api/v1/measurements/?plan={self.plan.pk}",
        }

    @staticmethod
    def national_paths() -> dict[str, str]:
        """B5: the national lists, first page, as the committee member."""
        return {
            "/api/v1/measurements/": "/api/v1/measurements/",
            "/api/v1/indicators/": "/api/v1/indicators/",
            "/plans/": "/plans/",
        }

    def load(self, client_name: str, path: str):
        with on_database(self.alias):
            return get(getattr(self, client_name), path)

    def queries(self, client_name: str, path: str) -> int:
        with on_database(self.alias):
            data_version.bump()
            return query_count(getattr(self, client_name), path)


def scale_rows(one: Side, four: Side) -> list[Row]:
    """B4 and B5: the same request against the scale-4 and the scale-1 database, interleaved (A scale 4, B scale 1)."""
    rows = []
    for key, client_name, paths_one, paths_four, who in (
        ("B4", "chief", one.zone_paths(), four.zone_paths(), f"as {one.chief_name}"),
        ("B5", "committee", one.national_paths(), four.national_paths(), "as the committee member"),
    ):
        for label, path in paths_one.items():
            shown = label if label.startswith("/") else f"{label} ({path})"
            rows.append(
                Row(
                    key,
                    f"GET {shown} {who}: scale 4 / scale 1",
                    lambda path=paths_four[label], client_name=client_name: four.load(client_name, path),
                    lambda path=path, client_name=client_name: one.load(client_name, path),
                    BOUNDS[key],
                )
            )
    return rows


def scale_counts(one: Side, four: Side | None) -> list[tuple[str, int, int | None]]:
    """B7: the queries of every list page and endpoint (and the zone's pages), at scale 1 and at scale 4."""
    found = []
    for client_name, paths_one, paths_four in (
        ("chief", one.zone_paths(), four.zone_paths() if four else None),
        ("committee", PATHS_NATIONAL, PATHS_NATIONAL),
    ):
        for label, path in paths_one.items():
            n4 = four.queries(client_name, paths_four[label]) if four else None
            found.append((path if label.startswith("/") else label, one.queries(client_name, path), n4))
    return found


PATHS_NATIONAL = {
    path: path
    for path in (
        "/dashboard/",
        "/plans/",
        "/zones/",
        "/api/v1/zonal-plans/",
        "/api/v1/measurements/",
        "/api/v1/indicators/",
        "/api/v1/objectives/",
    )
}


def plan_page_mismatches(plan: ZonalSecurityPlan, reads: dict[str, list[tuple]]) -> list[str]:
    """The hand reads of the plan page (``national_sql.plan_page_reads``) hold the rows the ORM reads for it: the same
    ids in the same order for every tab's rows, and as many versions of each History table."""
    expected = {
        "plan": [plan.pk],
        "objectives": Objective.objects.filter(plan=plan).order_by("position", "code", "id"),
        "indicators": Indicator.objects.filter(plan=plan).order_by("position", "id"),
        "actions": Action.objects.filter(plan=plan).order_by("position", "due_date", "id"),
        "alignments": NationalAlignment.objects.filter(plan=plan).order_by("id"),
        "transitions": PlanTransition.objects.filter(plan=plan).order_by("-at", "-id"),
        "sections": PlanSection.objects.filter(plan=plan).order_by("position", "id"),
        "candidates": MatrixCandidate.objects.filter(plan=plan),
        "expectations": Expectation.objects.filter(plan=plan).order_by("source", "position", "id"),
        "addenda": Addendum.objects.filter(plan=plan).order_by("number"),
        "comments": Comment.objects.filter(plan=plan).order_by("created_at", "id"),
    }
    problems = []
    for name, rows in expected.items():
        ids = list(rows) if name == "plan" else list(rows.values_list("id", flat=True))
        hand = [row[0] for row in reads[name]]
        if name == "candidates":  # ordered by their score's total, a sum the ORM computes in the page's query
            ids, hand = sorted(ids), sorted(hand)
        if ids != hand:
            problems.append(f"/plans/{plan.pk}/ {name}: ORM {ids} != SQL {hand}")
    for table, _column in national_sql.PLAN_HISTORY:
        model = next(m for m in data_version.history_models() if m._meta.db_table == table)
        field = "plan_ptr_id" if table.endswith("zonalsecurityplan") else "plan_id"
        n = min(model.objects.filter(**{field: plan.pk}).count(), national_sql.HISTORY_LIMIT)
        if n != len(reads[f"history {table}"]):
            problems.append(f"/plans/{plan.pk}/ history {table}: ORM {n} != SQL {len(reads[f'history {table}'])}")
    return problems


def permission_rows(committee) -> list[Row]:
    """B8: each national list read through ``restrict(user, "view")`` against the same list unfiltered, evaluated
    fully, as the committee member and as a zone chief (of a zone still drafting its plan, when one is). The
    viewer's roles are read before (once per request, before its first list: not the filter's cost)."""
    drafting = ZonalSecurityPlan.objects.filter(status="draft").order_by("zone__number").first()
    zone = drafting.zone if drafting else ZonalSecurityPlan.objects.order_by("zone__number").first().zone
    chief = (
        get_user_model()
        .objects.filter(groups__name=f"zone:{zone.key}:zone_chief", is_active=True)
        .order_by("pk")
        .first()
    )
    viewers = [("the committee member", committee)] + ([(f"zone {zone}'s chief", chief)] if chief else [])
    rows = []
    for model in (ZonalSecurityPlan, Objective, Indicator):
        for label, viewer in viewers:
            permissions.user_roles(viewer)
            rows.append(
                Row(
                    "B8",
                    f"{model._meta.verbose_name_plural} as {label} (restrict) / unfiltered",
                    lambda model=model, viewer=viewer: list(model.objects.restrict(viewer, "view")),
                    lambda model=model: list(model.objects.all()),
                    1.2,
                )
            )
    return rows


def produce(user, kind: str, fmt: str, period: str, **target) -> ReportRun:
    """A report run end to end (snapshot, file, stored) as the worker makes it, on a new data version (nothing
    cached); the run and its file are deleted after."""
    data_version.bump()
    run = ReportRun.objects.create(kind=kind, format=fmt, period=period, requested_by=user, **target)
    try:
        ReportRunner(run).run()
        run.refresh_from_db()
        assert run.status == ReportRun.Status.DONE, run.log
    finally:
        if run.file:
            run.file.delete(save=False)
        run.delete()
    return run


def report_rows(user, *, today, dashboard_sql) -> list[Row]:
    """B6: the national overview report, XLSX and PDF, end to end / the dashboard SQL."""
    period = periods.containing(today, periods.Frequency.QUARTERLY).label
    return [
        Row(
            "B6",
            f"national overview report {fmt.upper()} end to end / dashboard SQL",
            lambda fmt=fmt: produce(user, "national_overview", fmt, period, scope="national"),
            dashboard_sql,
            3.0,
        )
        for fmt in ("xlsx", "pdf")
    ]


def plan_report(user, *, today, repeats: int) -> tuple[ZonalSecurityPlan, int, float, float]:
    """B6: the plan report (PDF) of the zonal plan with the most indicators: median time, and peak Python memory
    (tracemalloc, in a run of its own: tracing slows it)."""
    plan = (
        ZonalSecurityPlan.objects.filter(status="approved").annotate(n=Count("indicators")).order_by("-n", "pk").first()
    )
    period = periods.containing(today, periods.Frequency.QUARTERLY).label
    make = lambda: produce(user, "plan_progress", "pdf", period, scope="plan", plan=plan)  # noqa: E731
    make()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    try:
        make()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return plan, plan.n, statistics.median(times), peak / 1e6


def ensure_data(scale: int, seed: int) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if not ZonalSecurityPlan.objects.exists():
        print(f"Building the national data set (generate_national --scale {scale} --seed {seed}) ...", flush=True)
        call_command("generate_national", scale=scale, seed=seed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--user", default="national.committee")
    parser.add_argument("--only", default="", help="comma-separated row keys (B1,B2,B3,B4,B5,B6,B7,B8)")
    parser.add_argument(
        "--scale4-database",
        default="",
        metavar="NAME",
        help="B4, B5, B7: the database (same server as DATABASE_URL) holding generate_national --scale 4, compared "
        "with DATABASE_URL's (scale 1); the rows are skipped without it",
    )
    parser.add_argument("--loads", type=int, default=CACHED_LOADS, help="B2: loads of the cached dashboard (≥ 20)")
    parser.add_argument(
        "--check-writes",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="B2: record a measurement and check the next load shows it (then delete it); writes to the database",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("make bench needs PostgreSQL: DATABASE_URL=postgres://... make bench", file=sys.stderr)
        return 2
    ensure_data(args.scale, args.seed)

    user = get_user_model().objects.get(username=args.user)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    today = timezone.localdate()
    scope = selectors.default_edition(user=user, as_of=today)
    nsp = scope["edition"] or scope["fallback"]
    plan = (
        ZonalSecurityPlan.objects.filter(nsp=nsp, status="approved").order_by("zone__number", "pk").first()
        or ZonalSecurityPlan.objects.order_by("pk").first()
    )
    status = 0
    side_one = Side(
        "default",
        committee=args.user,
        zone_key=plan.zone.key,
        period_start=plan.period_start,
        period_end=plan.period_end,
    )
    side_four = None
    if args.scale4_database:
        side_four = Side(
            add_database(args.scale4_database),
            committee=args.user,
            zone_key=plan.zone.key,
            period_start=plan.period_start,
            period_end=plan.period_end,
        )
        if side_four.plans < 2 * side_one.plans:
            print(f"{args.scale4_database} has {side_four.plans} plans: not the scale-4 data set", file=sys.stderr)
            return 2

    def dashboard_sql():
        return national_sql.dashboard(
            nsp_id=nsp.pk,
            as_of=today,
            off_track_limit=selectors.OFF_TRACK_PLANS,
            overdue_limit=selectors.OVERDUE_INDICATORS,
        )

    def overview():
        return selectors.overview(user=user, as_of=today, nsp=nsp)

    def plans_sql():
        return national_sql.plan_page(ordering=national_sql.PLAN_LIST_ORDER, limit=25, as_of=today)

    def api_plans_sql():
        return national_sql.plan_page(ordering=national_sql.API_PLAN_ORDER, limit=50, as_of=today)

    def plan_sql():
        return national_sql.plan_detail(plan_id=plan.pk, as_of=today)

    def plan_page_sql():
        return national_sql.plan_page_reads(plan_id=plan.pk, nsp_id=plan.nsp_id, as_of=today)

    # The same figures, or the ratios mean nothing.
    problems = national_sql.mismatches(
        national_sql.overview_figures(overview()), national_sql.dashboard_figures(dashboard_sql())
    )
    # The API's order (period start only) leaves ties to the database: its rows are checked by id.
    api = get(client, "/api/v1/zonal-plans/").json()["results"]
    means = national_sql.plan_means(plan_ids=[r["id"] for r in api], as_of=today)
    if [r["progress_status"] for r in api] != [means.get(r["id"], (None, "no_data"))[1] for r in api]:
        problems.append("/api/v1/zonal-plans/: a plan's status differs from its SQL")
    page = get(client, "/plans/").context["rows"]
    if [(p.pk, p.progress_status) for p in page] != [(r[0], r[6]) for r in plans_sql()]:
        problems.append("/plans/: the first page differs from its SQL (ids or statuses)")
    annotated = progress.annotate_plans(Plan.objects.filter(pk=plan.pk), as_of=today).get()
    plan_row = next(r for r in plan_sql() if r[0] == "plan")
    if (progress.rounded(annotated.progress), annotated.progress_status) != (
        progress.rounded(plan_row[3]),
        plan_row[5],
    ):
        problems.append(f"/plans/{plan.pk}/: the plan's progress differs from its SQL")
    problems += plan_page_mismatches(plan, plan_page_sql())
    for problem in problems:
        print(f"MISMATCH {problem}")
    status = 1 if problems else 0

    rows = [
        Row("B1", "dashboard figures (reporting.selectors.overview) / dashboard SQL", overview, dashboard_sql, 1.5),
        Row(
            "B2",
            "GET /dashboard/ uncached / dashboard SQL",
            lambda: uncached(client, "/dashboard/"),
            dashboard_sql,
            2.0,
        ),
        Row("B3", "GET /plans/ (first 25) / its SQL", lambda: get(client, "/plans/"), plans_sql, 3.0),
        Row(
            "B3",
            "GET /api/v1/zonal-plans/ (first 50) / its SQL",
            lambda: get(client, "/api/v1/zonal-plans/"),
            api_plans_sql,
            3.0,
        ),
        Row(
            "B3",
            f"GET /plans/{plan.pk}/ (a zone's plan page) / its progress SQL",
            lambda: get(client, f"/plans/{plan.pk}/"),
            plan_sql,
            None,  # read against the row below (docs/performance.md)
        ),
        Row(
            "B3",
            f"GET /plans/{plan.pk}/ (a zone's plan page) / SQL of everything it shows",
            lambda: get(client, f"/plans/{plan.pk}/"),
            plan_page_sql,
            BOUNDS["B3 plan page"],
        ),
        *(scale_rows(side_one, side_four) if side_four else []),
        *permission_rows(user),
        *report_rows(user, today=today, dashboard_sql=dashboard_sql),
    ]
    only = {k.strip() for k in args.only.split(",") if k.strip()}
    rows = [r for r in rows if not only or r.key in only]
    for row in rows:
        print(f"  {row.key} {row.label} ...", file=sys.stderr, flush=True)
        row.run(args.repeats)
    plan_figures = plan_report(user, today=today, repeats=args.repeats) if not only or "B6" in only else None
    cached_times: list[float] = []
    if not only or "B2" in only:
        print("  B2 GET /dashboard/ from the cache, and a write seen on the next load ...", file=sys.stderr, flush=True)
        cached_times = cached_loads(client, "/dashboard/", max(args.loads, 20))
        if args.check_writes:
            fresh = fresh_after_write(client, user)
            for problem in fresh:
                print(f"MISMATCH {problem}")
            status = status or (1 if fresh else 0)

    counts: dict[str, int | str] = {}
    scaled_counts: list[tuple[str, int, int | None]] = []
    if not only or "B7" in only:
        scaled_counts = scale_counts(side_one, side_four)
        get(client, "/dashboard/")  # into the cache (the versions moved since the count above)
        counts["/dashboard/ from the cache"] = query_count(client, "/dashboard/")

    db = settings.DATABASES["default"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    load = os.getloadavg()
    plans = Plan.objects.count()
    print()
    print(
        f"make bench: {db['NAME']} (scale {args.scale}: {plans} plans), PostgreSQL {version}, jit {jit}, "
        f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
        f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, median of {args.repeats}, {timezone.now():%Y-%m-%d %H:%M} UTC"
    )
    print()
    print("| | A / B | A | B | ratio | spread | bound | |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        low, high = row.spread
        mark = ("ok" if row.ok else "OVER") if row.bound else ""
        bound = f"≤ {row.bound:g}" if row.bound else ""
        print(
            f"| {row.key} | {row.label} | {ms(statistics.median(row.a_times))} | {ms(statistics.median(row.b_times))} "
            f"| {row.ratio:.2f} | {low:.2f}-{high:.2f} | {bound} | {mark} |"
        )
        if not row.ok:
            status = 1
    if cached_times:
        p95 = percentile(cached_times, 0.95)
        mark = "ok" if p95 * 1000 < CACHED_P95_MS else "OVER"
        print(
            f"| B2 | GET /dashboard/ from the cache: p95 of {len(cached_times)} loads (median, fastest) "
            f"| {ms(p95)} | {ms(statistics.median(cached_times))}, {ms(min(cached_times))} | | "
            f"| < {CACHED_P95_MS:g} ms | {mark} |"
        )
        if mark != "ok":
            status = 1
    if plan_figures:
        big, indicators, seconds, peak = plan_figures
        print(
            f"| B6 | plan report PDF end to end: {big.title} ({indicators} indicators), time; peak Python memory "
            f"| {ms(seconds)} | {peak:,.0f} MB | | | recorded | |"
        )
    if scaled_counts:
        if side_four:
            listed = ", ".join(f"{path} {n1}" + (f" / {n4}" if n4 != n1 else "") for path, n1, n4 in scaled_counts)
            differ = [path for path, n1, n4 in scaled_counts if n1 != n4]
            mark = "OVER" if differ else "ok"
            print(
                f"| B7 | queries per page, scale 1 (/ scale 4 where it differs; pinned in the tests) | {listed}, "
                f"/dashboard/ from the cache {counts['/dashboard/ from the cache']} | | | | identical | {mark} |"
            )
            status = status or (1 if differ else 0)
        else:
            listed = ", ".join(f"{path} {n1}" for path, n1, _ in scaled_counts)
            print(
                f"| B7 | queries per page at scale {args.scale} (pinned in the tests) | {listed}, /dashboard/ from the "
                f"cache {counts['/dashboard/ from the cache']} | | | | | |"
            )
    if side_four:
        print(
            f"\nB4, B5: A {args.scale4_database} ({side_four.plans} plans, {side_four.measurements:,} measurements; "
            f"plan {side_four.plan.pk}), B {db['NAME']} ({side_one.plans} plans, "
            f"{side_one.measurements:,} measurements; plan {side_one.plan.pk}): zone {side_one.plan.zone.key}'s "
            f"plan {side_one.plan.period_start:%Y}-{side_one.plan.period_end:%Y}"
        )
    elif not only or {"B4", "B5"} & only:
        print("\nB4, B5: not run (they need --scale4-database NAME)")
    return status


if __name__ == "__main__":
    sys.exit(main())
