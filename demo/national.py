"""The national data set: every active police zone at once, at the size the product serves (``generate_national``).

Used by ``manage.py generate_national`` (``demo/management/commands/generate_national.py``), by ``make bench``
(``bench/``) and by its tests (``demo/tests/test_national.py``, a few zones only). docs/national-data.md says
what it writes.

Scale 1: every active zone has its current plan (approved, 20 objectives at three levels in both domains,
about 150 indicators of every frequency and direction, 16 quarters of measurements with gaps, 40 actions, an
answer for every national priority of its edition, comments), a chief and a planner; each district a reviewer;
one federal programme per cross-cutting theme of the edition, with its manager. Scale N adds N - 1 earlier,
closed plan periods per zone (six-year terms before the current one), so the national tables grow N-fold
while each zone's current plan stays the same.

Deterministic: the rows' values come from ``random.Random`` seeded per (seed, zone, term), so the same seed
and day give the same data, and a zone's current plan is the same at every scale. Bulk writes
(``bulk_create`` and their history rows), so every database constraint and trigger still checks each row.
The history rows carry ``MARK`` as their change reason: that is how a later run knows the plans it made.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from clusters.models import CrossCuttingTheme, SecurityPhenomenon
from clusters.reference import load_reference
from nsp import grants, periods
from nsp.exceptions import DomainError
from nsp.models import Action, Comment, Indicator, Measurement, NationalSecurityPlan, Objective, Plan, PlanStatus
from nsp.roles import ROLES
from programmes.models import Programme
from zones.importer import import_zones
from zones.models import (
    STANDARD_CHAPTERS,
    Chapter,
    District,
    NationalAlignment,
    PlanSection,
    PlanTransition,
    PoliceZone,
    ZonalSecurityPlan,
)

MARK = "generate_national"
ZONES_CSV = "zones/data/police_zones.csv"
TERM_YEARS = 6
QUARTERS = 16
# Plans written per transaction and bulk pass: bounds the memory a pass holds (about 50,000 measurements).
PLANS_PER_CHUNK = 20
BATCH = 2000
Q = Decimal("0.01")

F = periods.Frequency
D = Indicator.Direction
FREQUENCIES = (F.QUARTERLY,) * 7 + (F.MONTHLY, F.HALF_YEARLY, F.YEARLY)
DIRECTIONS = (D.DECREASE,) * 5 + (D.INCREASE,) * 3 + (D.KEEP,) * 2
# How far an indicator's share runs ahead of (or behind) what is expected by its period: every status occurs.
PROFILES = {"achieved": (0.45, 0.8), "on_track": (-0.06, 0.06), "at_risk": (-0.22, -0.13), "off_track": (-0.7, -0.3)}
PROFILE_WEIGHTS = (("achieved", 1), ("on_track", 5), ("at_risk", 2), ("off_track", 2), ("none", 1), ("overdue", 1))
ACTION_OUTCOMES = (
    (Action.Status.PLANNED, 0),
    (Action.Status.IN_PROGRESS, 30),
    (Action.Status.IN_PROGRESS, 70),
    (Action.Status.DONE, 100),
    (Action.Status.DONE, 100),
    (Action.Status.CANCELLED, 20),
)

SECURITY_THEMES = (
    "Burglaries in homes",
    "Violence in public spaces",
    "Drug trafficking",
    "Road safety",
    "Intrafamily violence",
    "Cybercrime and online fraud",
    "Nuisance and quality of life",
    "Vehicle theft",
)
MANAGEMENT_THEMES = ("Staff and wellbeing", "Information management", "Community policing", "Partnerships")
MEASURES = (
    ("reported cases", "reports"),
    ("victims", "persons"),
    ("checks carried out", "checks"),
    ("share of cases solved", "%"),
    ("response time", "minutes"),
    ("residents feeling safe", "%"),
    ("preventive visits", "visits"),
    ("hours of patrol", "hours"),
)
JUSTIFICATION = (
    "The zonal analysis shows no specific problem here; the zone follows it up within its regular operation."
)


def current_edition(today: dt.date) -> NationalSecurityPlan:
    """The edition in force on ``today`` (its extension included), else the latest that had begun, else the first.

    Looked up by date and state, never by code, so the generator follows whatever editions the reference holds.
    """
    editions = list(NationalSecurityPlan.objects.order_by("period_start"))
    if not editions:
        raise DomainError(_("The database holds no NSP edition; load the reference data first."))
    usable = [e for e in editions if e.status != NationalSecurityPlan.Status.PREPARATION] or editions
    in_force = [e for e in usable if e.period_start <= today <= e.effective_end]
    begun = [e for e in usable if e.period_start <= today]
    return (in_force or begun or usable)[-1]


def edition_for_term(editions: list[NationalSecurityPlan], start: dt.date, end: dt.date, current):
    """An earlier term's edition: the latest that had begun by the term's end, else the earliest, else current."""
    begun = [
        e for e in editions if e.period_start <= end and e.pk != current.pk and e.period_start < current.period_start
    ]
    return (begun or [e for e in editions if e.period_start < current.period_start] or [current])[-1]


def term_containing(day: dt.date) -> tuple[dt.date, dt.date]:
    """The six-year municipal term (2020-2025, 2026-2031, ...) containing ``day``."""
    first = 2020 + TERM_YEARS * ((day.year - 2020) // TERM_YEARS)
    return dt.date(first, 1, 1), dt.date(first + TERM_YEARS - 1, 12, 31)


@dataclass(frozen=True)
class Term:
    """One plan period of every zone: its dates, the 16-quarter measurement window, and its edition."""

    index: int  # 0 = the current term, 1 = the one before, ...
    start: dt.date
    end: dt.date
    window_start: dt.date
    window_end: dt.date
    edition: NationalSecurityPlan

    @property
    def label(self) -> str:
        return f"{self.start.year}-{self.end.year}"

    @property
    def closed(self) -> bool:
        return self.index > 0


def terms(*, scale: int, today: dt.date, edition: NationalSecurityPlan) -> list[Term]:
    """The current term and ``scale - 1`` earlier ones.

    The current term's measurements are the 16 quarters ending with the last quarter complete by the end of
    the edition (or by today, if that comes first); the term is the municipal term holding that quarter.
    """
    last = periods.last_complete(min(today, edition.effective_end), F.QUARTERLY)
    window_start = last.start
    for _quarter in range(QUARTERS - 1):
        window_start = periods.containing(window_start - dt.timedelta(days=1), F.QUARTERLY).start
    start, end = term_containing(last.end)
    editions = list(NationalSecurityPlan.objects.order_by("period_start"))
    result = []
    for index in range(scale):
        shift = TERM_YEARS * index
        term_start, term_end = start.replace(year=start.year - shift), end.replace(year=end.year - shift)
        result.append(
            Term(
                index=index,
                start=term_start,
                end=term_end,
                window_start=window_start.replace(year=window_start.year - shift),
                window_end=last.end.replace(year=last.end.year - shift),
                edition=edition if index == 0 else edition_for_term(editions, term_start, term_end, edition),
            )
        )
    return result


@dataclass
class Summary:
    scale: int
    seed: int
    edition: str = ""
    zones: int = 0
    skipped: int = 0
    created: Counter = field(default_factory=Counter)
    seconds: float = 0.0


@functools.cache
def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Q)


class NationalGenerator:
    def __init__(
        self,
        *,
        scale: int = 1,
        seed: int = 1,
        today: dt.date | None = None,
        zones: int | None = None,
        force: bool = False,
        log: Callable[[str], None] | None = None,
    ) -> None:
        if scale < 1:
            raise DomainError(_("The scale is a whole number from 1 on."))
        self.scale, self.seed, self.zone_limit, self.force = scale, seed, zones, force
        self.today = today or timezone.localdate()
        self.log = log or (lambda message: None)
        self.summary = Summary(scale=scale, seed=seed)
        self.mark = f"{MARK} seed={seed}"
        self.password = make_password("demo") if settings.DEMO else make_password(None)
        self.users: dict[str, object] = {}
        self.tolerance: dict[int, float] = {}

    # --- the whole run ------------------------------------------------------------------------------

    def run(self) -> Summary:
        started = time.monotonic()
        self.ensure_reference()
        edition = current_edition(self.today)
        self.summary.edition = edition.code
        self.check_database()
        zones = self.zones()
        self.summary.zones = len(zones)
        with transaction.atomic():
            self.ensure_users(zones)
            self.ensure_programmes(edition)
        for term in terms(scale=self.scale, today=self.today, edition=edition):
            self.write_term(term, zones)
        self.analyse()
        self.summary.seconds = time.monotonic() - started
        return self.summary

    def analyse(self) -> None:
        """Give the planner statistics of the rows just written.

        A bulk load leaves the tables without statistics until autovacuum gets round to them (never where it is
        off), and PostgreSQL then plans every query as if the tables were nearly empty; both databases take
        ANALYZE for the whole database.
        """
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def ensure_reference(self) -> None:
        if not NationalSecurityPlan.objects.exists():
            self.log(_("Loading the NSP reference data."))
            load_reference()
        if not PoliceZone.objects.exists():
            self.log(_("Importing the police zones."))
            import_zones(path=settings.BASE_DIR / ZONES_CSV)

    def marked_plans(self, reason=None) -> models.QuerySet:
        """The ids of the plans this generator wrote (any seed, or the reason given)."""
        lookup = {"history_change_reason": reason} if reason else {"history_change_reason__startswith": MARK}
        zonal = ZonalSecurityPlan.history.filter(**lookup).values("id")
        programmes = Programme.history.filter(**lookup).values("id")
        return Plan.objects.filter(models.Q(pk__in=zonal) | models.Q(pk__in=programmes))

    def check_database(self) -> None:
        """Refuse plans another writer made (unless forced), and plans of another seed."""
        if self.force:
            return
        foreign = Plan.objects.exclude(pk__in=self.marked_plans().values("pk")).count()
        if foreign:
            raise DomainError(
                _(
                    "The database holds %(count)s plans that generate_national did not write. Use an empty database, "
                    "or pass --force to add the national data beside them."
                )
                % {"count": foreign}
            )
        other_seed = self.marked_plans().exclude(pk__in=self.marked_plans(self.mark).values("pk")).count()
        if other_seed:
            raise DomainError(
                _("The database holds national data of another seed; use an empty database or pass --force.")
            )

    def zones(self) -> list[PoliceZone]:
        zones = list(
            PoliceZone.objects.filter(status=PoliceZone.Status.ACTIVE).select_related("district").order_by("key")
        )
        return zones[: self.zone_limit] if self.zone_limit else zones

    def rng(self, *parts) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    # --- users --------------------------------------------------------------------------------------

    def user(self, username: str, first: str, last: str):
        user = self.users.get(username)
        if user is None:
            user_model = get_user_model()
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model.objects.create(
                    username=username,
                    email=f"{username}@example.org",
                    first_name=first,
                    last_name=last,
                    password=self.password,
                )
                self.summary.created["users"] += 1
            self.users[username] = user
        return user

    def grant(self, user, role: str, **scope) -> None:
        name = grants.group_name(ROLES[role], next(iter(scope.values()), None))
        if not user.groups.filter(name=name).exists():
            grants.role_grant(user=user, role=role, **scope)
            self.summary.created["role grants"] += 1

    def ensure_users(self, zones: list[PoliceZone]) -> None:
        self.grant(self.user("national.committee", "National", "Committee"), "committee_member")
        self.grant(self.user("national.planner", "National", "Planner"), "federal_planner")
        for zone in zones:
            self.grant(self.user(f"chief.{zone.key}", "Chief", zone.key), "zone_chief", zone=zone)
            self.grant(self.user(f"planner.{zone.key}", "Planner", zone.key), "zone_planner", zone=zone)
        for district in District.objects.filter(zones__in=zones).distinct().order_by("code"):
            self.grant(
                self.user(f"reviewer.{district.code}", "Reviewer", district.code), "federal_reviewer", district=district
            )

    def chief(self, zone):
        return self.users[f"chief.{zone.key}"]

    def planner(self, zone):
        return self.users[f"planner.{zone.key}"]

    def reviewer(self, zone):
        if zone.district_id:
            return self.users.get(f"reviewer.{zone.district.code}") or self.users["national.planner"]
        return self.users["national.planner"]

    # --- federal programmes ---------------------------------------------------------------------------

    def ensure_programmes(self, edition: NationalSecurityPlan) -> None:
        """One programme per cross-cutting theme of the edition, managed by a user of its own."""
        planner = self.users["national.planner"]
        term = terms(scale=1, today=self.today, edition=edition)[0]
        for theme in CrossCuttingTheme.objects.filter(nsp=edition).order_by("number"):
            code = f"national-{edition.code}-t{theme.number}"[:40]
            programme = Programme.objects.filter(code=code).first()
            if programme is not None:
                continue
            programme = Programme(
                nsp=edition,
                code=code,
                title=f"Programme {theme.number}: {theme.name}"[:200],
                owning_unit="DGA/DAO",
                period_start=edition.period_start,
                period_end=edition.effective_end,
                status=PlanStatus.APPROVED,
                approved_on=edition.period_start,
            )
            programme._history_user = planner
            programme._change_reason = self.mark
            programme.full_clean()
            programme.save()
            programme.themes.add(theme)
            self.summary.created["programmes"] += 1
            manager = self.user(f"manager.{code}"[:150], "Manager", code)
            self.grant(manager, "programme_manager", programme=programme)
            self.write_content([(programme, manager, self.rng("programme", code))], term, objectives=6)

    # --- one term of every zone -----------------------------------------------------------------------

    def write_term(self, term: Term, zones: list[PoliceZone]) -> None:
        self.log(
            _("Writing the %(term)s plans of %(zones)s zones (edition %(edition)s).")
            % {"term": term.label, "zones": len(zones), "edition": term.edition.code}
        )
        taken: dict[int, list[tuple[dt.date, dt.date]]] = {}
        for zone_id, start, end in ZonalSecurityPlan.objects.values_list("zone_id", "period_start", "period_end"):
            taken.setdefault(zone_id, []).append((start, end))
        todo = []
        for zone in zones:
            if any(start < term.end and end > term.start for start, end in taken.get(zone.pk, ())):
                self.summary.skipped += 1
                continue
            todo.append(zone)
        for first in range(0, len(todo), PLANS_PER_CHUNK):
            with transaction.atomic():
                plans = [self.write_plan(term, zone) for zone in todo[first : first + PLANS_PER_CHUNK]]
                self.write_content(plans, term, objectives=20)

    def write_plan(self, term: Term, zone: PoliceZone):
        chief = self.chief(zone)
        rng = self.rng(zone.key, term.index, "plan")
        adopted = term.start - dt.timedelta(days=rng.randint(40, 80))
        approved = term.start - dt.timedelta(days=rng.randint(5, 30))
        plan = ZonalSecurityPlan(
            zone=zone,
            nsp=term.edition,
            title=f"Zonal security plan {term.label}, {zone}"[:200],
            period_start=term.start,
            period_end=term.end,
            status=PlanStatus.CLOSED if term.closed else PlanStatus.APPROVED,
            council_adopted_on=adopted,
            approved_on=approved,
            closed_on=term.end + dt.timedelta(days=30) if term.closed else None,
            keep_tolerance=Decimal(rng.choice(("0.05", "0.05", "0.05", "0.10", "0.02"))),
        )
        plan._history_user = chief
        plan._change_reason = self.mark
        plan._history_date = _at(approved)
        plan.full_clean()
        plan.save()
        self.write_sections(plan, zone, term, chief, _at(approved))
        self.summary.created["zonal plans"] += 1
        steps = [
            (PlanStatus.DRAFT, PlanStatus.ADOPTED, adopted, chief),
            (PlanStatus.ADOPTED, PlanStatus.SUBMITTED, adopted + dt.timedelta(days=3), chief),
            (PlanStatus.SUBMITTED, PlanStatus.APPROVED, approved, self.reviewer(zone)),
        ]
        if term.closed:
            steps.append((PlanStatus.APPROVED, PlanStatus.CLOSED, plan.closed_on, chief))
        PlanTransition.objects.bulk_create(
            PlanTransition(plan=plan, from_status=a, to_status=b, on_date=day, by=by) for a, b, day, by in steps
        )
        self.summary.created["workflow transitions"] += len(steps)
        return plan, self.planner(zone), self.rng(zone.key, term.index)

    # --- plan content ---------------------------------------------------------------------------------

    def write_sections(self, plan, zone: PoliceZone, term: Term, author, when: dt.datetime) -> None:
        """The standard chapters of the plan document, with the texts every generated plan has."""
        texts = {
            Chapter.ENVIRONMENT: f"Environment analysis of {zone} for {term.label}.",
            Chapter.MISSION: "Serve the population of the zone with a police that is close, reachable and effective.",
            Chapter.VISION: "A safe zone to live in, work in and visit.",
            Chapter.VALUES: "Integrity, respect, openness, commitment.",
        }
        chapters = [
            PlanSection(plan=plan, key=key, position=i, body=texts.get(key, ""))
            for i, (key, _children) in enumerate(STANDARD_CHAPTERS, start=1)
        ]
        chapters = self.bulk(PlanSection, chapters, user=author, when=when)
        below = [
            PlanSection(plan=plan, parent=chapter, key=key, position=j, body=texts.get(key, ""))
            for chapter, (_key, children) in zip(chapters, STANDARD_CHAPTERS, strict=True)
            for j, key in enumerate(children, start=1)
        ]
        self.bulk(PlanSection, below, user=author, when=when)

    def bulk(self, model: type[models.Model], objs: list, *, user, when: dt.datetime | None = None) -> list:
        """Bulk insert with a history row each (the rows' own ``_history_date``/``_history_user`` win)."""
        if not objs:
            return objs
        created = bulk_create_with_history(
            objs, model, batch_size=BATCH, default_user=user, default_change_reason=self.mark, default_date=when
        )
        self.summary.created[str(model._meta.verbose_name_plural)] += len(objs)
        return created

    def write_content(self, plans: list[tuple], term: Term, *, objectives: int) -> None:
        """Objectives, indicators, measurements, actions, comments and alignment of several plans, in bulk."""
        # Objectives, level by level: a child needs its parent's id.
        tree: dict[int, list[Objective]] = {}
        strategic, tactical, operational = [], [], []
        shape = _tree_shape(objectives)
        for plan, author, rng in plans:
            self.tolerance[plan.pk] = float(plan.keep_tolerance)
            for s_index, children in enumerate(shape, start=1):
                domain = Objective.Domain.MANAGEMENT if s_index == len(shape) else Objective.Domain.SECURITY
                themes = MANAGEMENT_THEMES if domain == Objective.Domain.MANAGEMENT else SECURITY_THEMES
                theme = themes[rng.randrange(len(themes))]
                objective = Objective(
                    plan=plan,
                    level=Objective.Level.STRATEGIC,
                    domain=domain,
                    code=f"S{s_index}",
                    title=f"{theme}: a lasting improvement",
                    position=s_index,
                    weight=Decimal(rng.choice(("1", "1", "2"))),
                )
                objective._history_date = _at(term.start - dt.timedelta(days=120))
                objective._history_user = author
                strategic.append((objective, children, theme, plan, rng))
        self.bulk(Objective, [o for o, *_rest in strategic], user=None)
        for parent, children, theme, plan, rng in strategic:
            tree.setdefault(plan.pk, []).append(parent)
            for t_index, grandchildren in enumerate(children, start=1):
                objective = Objective(
                    plan=plan,
                    parent=parent,
                    level=Objective.Level.TACTICAL,
                    domain=parent.domain,
                    code=f"T{parent.position}.{t_index}",
                    title=f"{theme}: approach {t_index}",
                    position=t_index,
                )
                objective._history_date, objective._history_user = parent._history_date, parent._history_user
                tactical.append((objective, grandchildren, theme, plan, rng))
        self.bulk(Objective, [o for o, *_rest in tactical], user=None)
        for parent, grandchildren, theme, plan, _rng in tactical:
            tree[plan.pk].append(parent)
            for o_index in range(1, grandchildren + 1):
                objective = Objective(
                    plan=plan,
                    parent=parent,
                    level=Objective.Level.OPERATIONAL,
                    domain=parent.domain,
                    code=f"O{parent.code[1:]}.{o_index}",
                    title=f"{theme}: action plan {term.start.year + o_index - 1}",
                    year=term.start.year + o_index - 1,
                    position=o_index,
                )
                objective._history_date, objective._history_user = parent._history_date, parent._history_user
                operational.append(objective)
                tree[plan.pk].append(objective)
        self.bulk(Objective, operational, user=None)

        indicators: list[tuple[Indicator, str, float, random.Random]] = []
        actions: list[Action] = []
        comments: list[Comment] = []
        for plan, author, rng in plans:
            per_objective = _spread(150 if objectives >= 20 else 18, len(tree[plan.pk]))
            for objective, count in zip(tree[plan.pk], per_objective, strict=True):
                for position in range(1, count + 1):
                    indicators.append(self.indicator(plan, objective, position, term, author, rng))
                for position in range(1, 3):
                    actions.append(self.action(plan, objective, position, term, author, rng))
        self.bulk(Indicator, [i for i, *_rest in indicators], user=None)
        measurements: list[dict] = []
        for indicator, profile, offset, rng in indicators:
            measurements += self.measurements(indicator, profile, offset, term, rng)
        self.write_measurements(measurements)
        self.bulk(Action, actions, user=None)
        for plan, author, rng in plans:
            objective = tree[plan.pk][rng.randrange(len(tree[plan.pk]))]
            indicator = next(i for i, *_rest in indicators if i.plan_id == plan.pk)
            for target, body in (
                ({}, "The figures of the last quarter were discussed at the zonal security council."),
                ({"objective": objective}, "Shall we widen this objective to the neighbouring municipalities?"),
                ({"indicator": indicator}, "The source changed its counting method this year; see the note."),
            ):
                comment = Comment(plan=plan, author=author, body=body, **target)
                comment._history_date, comment._history_user = _at(term.window_end), author
                comments.append(comment)
        self.bulk(Comment, comments, user=None)
        self.write_alignment([(p, a, r) for p, a, r in plans if isinstance(p, ZonalSecurityPlan)], tree, term)

    def indicator(self, plan, objective, position: int, term: Term, author, rng: random.Random):
        frequency = rng.choice(FREQUENCIES)
        direction = rng.choice(DIRECTIONS)
        measure, unit = MEASURES[rng.randrange(len(MEASURES))]
        baseline = _money(rng.uniform(20, 500)) if unit != "%" else _money(rng.uniform(20, 80))
        if direction == D.INCREASE:
            target = _money(float(baseline) * rng.uniform(1.1, 1.5))
        elif direction == D.DECREASE:
            target = _money(float(baseline) * rng.uniform(0.5, 0.9))
        else:
            target = baseline
        if target == baseline and direction != D.KEEP:
            target = baseline + (Q if direction == D.INCREASE else -Q)
        # Most run to the end of the window; some end a year earlier, some later (targets beyond the data).
        target_date = rng.choice((term.window_end,) * 6 + (term.window_end.replace(year=term.window_end.year - 1),))
        if rng.random() < 0.1:
            target_date = term.end
        profile = rng.choices([p for p, _w in PROFILE_WEIGHTS], weights=[w for _p, w in PROFILE_WEIGHTS])[0]
        band = PROFILES.get(profile, PROFILES["on_track"])
        indicator = Indicator(
            plan_id=plan.pk,
            objective=objective,
            name=f"{objective.code} {measure} ({position})",
            unit=unit,
            source=rng.choice(Indicator.Source.values),
            baseline_value=baseline,
            baseline_date=term.window_start - dt.timedelta(days=1),
            target_value=target,
            target_date=target_date,
            direction=direction,
            frequency=frequency,
            weight=Decimal(rng.choice(("1", "1", "1", "2", "0.5"))),
            position=position,
        )
        indicator._history_date, indicator._history_user = _at(term.start - dt.timedelta(days=110)), author
        return indicator, profile, rng.uniform(*band), rng

    def measurements(self, indicator: Indicator, profile: str, offset: float, term: Term, rng) -> list[dict]:
        """The indicator's measurements as column values (``write_measurements`` inserts them)."""
        if profile == "none":
            return []
        span = _span(term.window_start, min(self.today, term.window_end), indicator.frequency)
        if profile == "overdue":
            span = span[: max(0, len(span) - rng.randint(1, 3))]
        b, t = float(indicator.baseline_value), float(indicator.target_value)
        tolerance = self.tolerance.get(indicator.plan_id, 0.05)
        days = (indicator.target_date - indicator.baseline_date).days
        indicator_id, recorded_by = indicator.pk, indicator._history_user.pk
        rows = []
        for period in span:
            if rng.random() < 0.06:  # a gap: the zone did not send that period
                continue
            elapsed = min(max((period.end - indicator.baseline_date).days / days, 0.0), 1.0)
            if indicator.direction == D.KEEP:
                off = rng.uniform(0, 0.6) * tolerance if offset > -0.1 else rng.uniform(1.5, 3) * tolerance
                value = t * (1 + rng.choice((-1, 1)) * off)
            else:
                share = min(max(elapsed + offset + rng.uniform(-0.03, 0.03), -0.1), 1.15)
                value = b + (t - b) * share
            recorded = _at(min(period.end + dt.timedelta(days=rng.randint(5, 40)), self.today))
            rows.append(
                {
                    "plan_id": indicator.plan_id,
                    "indicator_id": indicator_id,
                    "period": period.label,
                    "period_start": period.start,
                    "period_end": period.end,
                    "value": _money(max(value, 0.0)),
                    "note": "",
                    "recorded_by_id": recorded_by,
                    "recorded_at": recorded,
                }
            )
        return rows

    def write_measurements(self, rows: list[dict]) -> None:
        """Insert measurements and their history rows as plain rows: the bulk of the data set, 20 times faster.

        The model layer costs some 50 µs a row, which at 430,000 measurements and as many history rows is most
        of the run; the database still checks every constraint and trigger on each row.
        """
        if not rows:
            return
        for row, pk in zip(rows, _allocate_ids(Measurement, len(rows)), strict=True):
            row["id"] = pk
        _insert(Measurement, rows)
        history = Measurement.history.model
        for row in rows:
            row["history_date"] = row["recorded_at"]
            row["history_user_id"] = row["recorded_by_id"]
            row["history_type"] = "+"
            row["history_change_reason"] = self.mark
        _insert(history, rows, skip=("history_id",))
        self.summary.created[str(Measurement._meta.verbose_name_plural)] += len(rows)

    def action(self, plan, objective, position: int, term: Term, author, rng) -> Action:
        start = term.window_start + dt.timedelta(days=rng.randrange(0, 900))
        due = start + dt.timedelta(days=rng.randrange(60, 700))
        status, percent = ACTION_OUTCOMES[rng.randrange(len(ACTION_OUTCOMES))]
        if status == Action.Status.DONE and due > self.today:
            status, percent = Action.Status.IN_PROGRESS, 60
        action = Action(
            plan_id=plan.pk,
            objective=objective,
            title=f"{objective.code} action {position}",
            owner=rng.choice(("Neighbourhood service", "Investigation service", "Traffic service", "Zone chief")),
            start_date=start,
            due_date=due,
            status=status,
            percent_complete=percent,
            position=position,
        )
        action._history_date, action._history_user = _at(term.start - dt.timedelta(days=100)), author
        return action

    def write_alignment(self, plans: list[tuple], tree: dict[int, list[Objective]], term: Term) -> None:
        """An answer for every national priority of the plans' edition: adopted by objectives, or justified."""
        priorities = [
            ("phenomenon", p) for p in SecurityPhenomenon.objects.filter(nsp=term.edition, is_national_priority=True)
        ]
        priorities += [
            ("theme", t) for t in CrossCuttingTheme.objects.filter(nsp=term.edition, is_national_priority=True)
        ]
        rows, links = [], []
        for plan, author, rng in plans:
            candidates = [o for o in tree[plan.pk] if o.level != Objective.Level.OPERATIONAL]
            for kind, priority in sorted(priorities, key=lambda kp: (kp[0], kp[1].number)):
                adopted = rng.random() < 0.7
                alignment = NationalAlignment(
                    plan=plan, adopted=adopted, justification="" if adopted else JUSTIFICATION, **{kind: priority}
                )
                alignment._history_date, alignment._history_user = _at(term.start - dt.timedelta(days=90)), author
                rows.append(alignment)
                if adopted:
                    links.append((alignment, rng.sample(candidates, k=min(len(candidates), rng.randint(1, 2)))))
        self.bulk(NationalAlignment, rows, user=None)
        through = NationalAlignment.objectives.through
        link_rows = through.objects.bulk_create(
            [through(nationalalignment=a, objective=o) for a, objectives in links for o in objectives], batch_size=BATCH
        )
        # The history of the links: each alignment's history row lists its objectives, as a save with .set() would.
        history = NationalAlignment.history.model
        history_ids = dict(
            history.objects.filter(id__in=[a.pk for a, _o in links], history_change_reason=self.mark).values_list(
                "id", "history_id"
            )
        )
        m2m_history = history._meta.get_field("historicalnationalalignment_objectives").related_model
        m2m_history.objects.bulk_create(
            [
                m2m_history(
                    id=link.pk,
                    history_id=history_ids[link.nationalalignment_id],
                    nationalalignment_id=link.nationalalignment_id,
                    objective_id=link.objective_id,
                )
                for link in link_rows
            ],
            batch_size=BATCH,
        )
        self.summary.created["alignment links"] += len(link_rows)


@functools.cache
def _span(start: dt.date, end: dt.date, frequency: str) -> list[periods.Period]:
    """The periods of the frequency from the one holding ``start`` to the last one ended by ``end``."""
    return [p for p in periods.between(start, end, frequency) if p.end <= end]


def _allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys of ``model``'s table (within the run's transaction)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [pk for (pk,) in cursor.fetchall()]
        # A table name from the model's meta, quoted; no user input.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # nosec B608
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def _insert(model: type[models.Model], rows: list[dict], *, skip: tuple[str, ...] = ()) -> None:
    """INSERT ``rows`` (dicts by column name) into ``model``'s table: every concrete column, in batches."""
    columns = [f.column for f in model._meta.concrete_fields if f.column not in skip]
    quote = connection.ops.quote_name
    # Table and column names from the model's meta, quoted; the values go as parameters.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) VALUES "  # nosec B608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: the fastest way in; it fires the same triggers and checks the same constraints as INSERT.
            text = "".join("\t".join(_copy_value(row[c]) for c in columns) + "\n" for row in rows)
            cursor.cursor.copy_expert(
                f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN",
                io.StringIO(text),
            )
            return
        adapt = _sqlite_value
        values = [tuple(adapt(row[c]) for c in columns) for row in rows]
        cursor.executemany(sql + f"({', '.join(['%s'] * len(columns))})", values)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _sqlite_value(value):
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _tree_shape(objectives: int) -> list[list[int]]:
    """Per strategic objective, the number of operational objectives under each of its tactical ones.

    20: four strategic (three security, one management), eight tactical, eight operational.
    """
    if objectives >= 20:
        return [[1, 1], [2, 1], [1, 0], [1, 1]]
    return [[1], [1]]


def _spread(total: int, buckets: int) -> list[int]:
    base, extra = divmod(total, buckets)
    return [base + (1 if i < extra else 0) for i in range(buckets)]


def describe(summary: Summary) -> Iterable[str]:
    yield from (f"{count} {name}" for name, count in sorted(summary.created.items()))
