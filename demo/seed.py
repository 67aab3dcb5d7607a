"""Write the demonstration data set (``demo.content``) through the services, acting as the demo users.

Deterministic: every value comes from ``demo.content``; only the plans of the current municipal term depend
on today's date (their period, and which of their quarters have ended and can be measured). Idempotent:
each row is looked up by its natural key before it is written, and a plan's workflow script is replayed
against the transitions the plan already went through, so a second run writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from clusters.models import CrossCuttingTheme, SecurityPhenomenon
from clusters.reference import load_shipped
from demo import content
from demo.blocks import Period
from demo.specs import OUTCOMES, PROFILES, Content, ObjectiveSpec, PlanSpec, ProgrammeSpec, Realign, Record, Transition
from nsp import bulk, grants, periods
from nsp import services as core
from nsp.accounts import token_expired
from nsp.exceptions import DomainError
from nsp.models import (
    Action,
    Comment,
    Indicator,
    Measurement,
    NationalSecurityPlan,
    Objective,
    Plan,
    PlanStatus,
    UserPreference,
)
from nsp.roles import ADMIN, ROLES
from programmes import services as programme_services
from programmes.models import Programme
from reporting.models import HomeVisit, OverdueReminder, ReportRun, ReportSubscription
from reporting.runners import ReportRunner
from reporting.services import home_visit_record, reminder_send_overdue, subscription_create
from zones import services as zone_services
from zones.importer import import_zones
from zones.models import (
    Expectation,
    LocalPoliceVision,
    MatrixCandidate,
    MatrixScore,
    NationalAlignment,
    PlanSection,
    PlanTransition,
    PoliceZone,
    RegionalSecurityPlan,
    StakeholderSource,
    ZonalSecurityPlan,
)

ZONES_CSV = "zones/data/police_zones.csv"
DEMO_PASSWORD = "demo"
EARLIEST = dt.date(2026, 1, 1)


def current_term(today: dt.date) -> Period:
    """The six-year municipal term of zonal plans that contains ``today`` (2020-2025, 2026-2031, ...)."""
    first = 2020 + 6 * ((today.year - 2020) // 6)
    return Period(dt.date(first, 1, 1), dt.date(first + 5, 12, 31))


def scale_of(spec) -> str:
    """The kind of value of a hand-written demo indicator: from its unit, checked against every value it will hold
    (a staffing share that runs above 100 % is a number, not a percentage)."""
    span = periods.between(spec.baseline_date + dt.timedelta(days=1), spec.target_date, spec.frequency)
    values = [spec.baseline, spec.target]
    if spec.profile in PROFILES:
        final = final_value(spec.baseline, spec.target, spec.direction, spec.profile)
        values += [measurement_value(spec.baseline, final, i, len(span), spec.decimals) for i in range(len(span))]
    if min(values) < 0:
        return Indicator.Scale.NUMBER
    if spec.unit == "%":
        return Indicator.Scale.PERCENTAGE if max(values) <= 100 else Indicator.Scale.NUMBER
    if spec.unit in {"minutes", "hours", "days"} or spec.decimals:
        return Indicator.Scale.RATE
    return Indicator.Scale.COUNT


def measurement_value(baseline: Decimal, final: Decimal, index: int, count: int, decimals: int) -> Decimal:
    """The value of the ``index``-th period (0-based) of ``count`` on a steady path from baseline to ``final``.

    A fixed wobble keeps the series from looking drawn with a ruler; the last period lands exactly on ``final``.
    """
    wobble = (Decimal("0"), Decimal("0.03"), Decimal("-0.02"), Decimal("0.01"))[index % 4]
    if index == count - 1:
        wobble = Decimal("0")
    value = baseline + (final - baseline) * Decimal(index + 1) / Decimal(count) + abs(baseline) * wobble
    return value.quantize(Decimal(1).scaleb(-decimals))


def final_value(baseline: Decimal, target: Decimal, direction: str, profile: str) -> Decimal:
    """Where an indicator's measurements end, so that the progress rules give the profile's status."""
    share = PROFILES[profile]
    if direction == Indicator.Direction.KEEP:
        return target * share
    return baseline + (target - baseline) * share


@dataclass
class Summary:
    users: list[tuple[str, str]] = field(default_factory=list)  # (username, roles)
    plans: Counter = field(default_factory=Counter)  # status -> zonal plans
    zones: int = 0
    programmes: int = 0
    measurements: int = 0
    created: Counter = field(default_factory=Counter)  # model name -> rows written in this run
    warnings: list[str] = field(default_factory=list)


class DemoSeeder:
    def __init__(self, *, today: dt.date | None = None, log: Callable[[str], None] | None = None) -> None:
        self.today = today or timezone.localdate()
        self.term = current_term(self.today)
        self.log = log or (lambda message: None)
        self.summary = Summary()
        self.users: dict[str, object] = {}

    # --- the whole run ------------------------------------------------------------------------------

    def run(self) -> Summary:
        if self.today < EARLIEST:
            raise DomainError(
                _("The demonstration data set needs a date from %(date)s on: its current plans start then.")
                % {"date": EARLIEST}
            )
        with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
            self.ensure_reference()
            self.ensure_users()
            self.ensure_api_tokens()
            programmes = [(self.ensure_programme(spec), spec) for spec in content.programmes()]
            # A manager's role needs the programme; the content is then written by the manager.
            self.ensure_programme_managers()
            for programme, spec in programmes:
                self.ensure_programme_content(programme, spec)
            for spec in content.plans(self.term):
                self.ensure_zonal_plan(spec)
            self.ensure_vision()
            self.ensure_regional_plan()
            self.ensure_report_and_reminders()
            self.ensure_schedule_and_deleted_item()
        self.collect_summary()
        return self.summary

    def created(self, obj):
        self.summary.created[str(type(obj)._meta.verbose_name_plural)] += 1
        return obj

    # --- reference data ---------------------------------------------------------------------------

    def ensure_reference(self) -> None:
        editions = (content.NSP_2016, content.NSP_2022)
        if NationalSecurityPlan.objects.filter(code__in=editions).count() < len(editions):
            self.log(_("Loading the NSP reference data."))
            load_shipped()
        numbers = self.zone_numbers()
        if PoliceZone.objects.filter(number__in=numbers).count() < len(numbers):
            self.log(_("Importing the police zones."))
            import_zones(path=settings.BASE_DIR / ZONES_CSV)
        missing = sorted(
            set(numbers) - set(PoliceZone.objects.filter(number__in=numbers).values_list("number", flat=True))
        )
        if missing:
            raise DomainError(
                _("The reference data lack the police zones %(zones)s that the demonstration data need.")
                % {"zones": ", ".join(missing)}
            )

    def zone_numbers(self) -> list[str]:
        numbers = {spec.zone for spec in content.plans(self.term)}
        numbers |= {u.zone or u.district_of_zone for u in content.USERS if u.zone or u.district_of_zone}
        return sorted(numbers)

    def zone(self, number: str) -> PoliceZone:
        return PoliceZone.objects.select_related("district").get(number=number)

    def edition(self, code: str) -> NationalSecurityPlan:
        return NationalSecurityPlan.objects.get(code=code)

    # --- users and their roles ----------------------------------------------------------------------

    def ensure_users(self) -> None:
        user_model = get_user_model()
        password = None
        for spec in content.USERS:
            user = user_model.objects.filter(username=spec.username).first()
            if user is None:
                # One hash for every demo user: the password is public, and hashing it 18 times takes seconds.
                password = password or make_password(DEMO_PASSWORD)
                user = user_model(
                    username=spec.username,
                    email=f"{spec.username}@example.org",
                    first_name=spec.first_name,
                    last_name=spec.last_name,
                    password=password,
                )
                user.save()
                self.created(user)
            self.users[spec.username] = user
            # The profile page's language choice, blank: the pages follow the browser until the person picks one.
            UserPreference.objects.get_or_create(user=user, defaults={"language": ""})
        for spec in content.USERS:
            if not spec.programme:
                self.grant(spec, zone=self.zone(spec.zone) if spec.zone else None, district=self.district_of(spec))

    def ensure_api_tokens(self) -> None:
        """An API token for the users whose zone feeds the plan from its own tools (shown in the admin).

        The key is derived from the installation's secret key: the same on every run here, different on every
        installation, never written in the source.
        """
        for username in content.API_TOKEN_USERS:
            user = self.users[username]
            token = Token.objects.filter(user=user).first()
            if token is not None and token_expired(token):
                token.delete()  # past TOKEN_TTL_DAYS: issued again with the same key
                token = None
            if token is None:
                message = f"nsp-demo-api-token:{username}".encode()
                key = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha1).hexdigest()
                self.created(Token.objects.create(user=user, key=key))

    def ensure_programme_managers(self) -> None:
        for spec in content.USERS:
            if spec.programme:
                self.grant(spec, programme=Programme.objects.get(code=spec.programme))

    def district_of(self, spec):
        if not spec.district_of_zone:
            return None
        district = self.zone(spec.district_of_zone).district
        if district is None:
            raise DomainError(
                _("Police zone %(zone)s has no district in the reference data.") % {"zone": spec.district_of_zone}
            )
        return district

    def grant(self, spec, *, zone=None, programme=None, district=None) -> None:
        user = self.users[spec.username]
        if spec.role == ADMIN:
            if not user.is_superuser:
                grants.role_grant(user=user, role=ADMIN)
            return
        name = grants.group_name(ROLES[spec.role], zone or programme or district)
        if not user.groups.filter(name=name).exists():
            grants.role_grant(user=user, role=spec.role, zone=zone, programme=programme, district=district)
            self.summary.created["role grants"] += 1

    def user(self, username: str):
        return self.users[username]

    # --- plan content (zonal plans and programmes) --------------------------------------------------

    def ensure_objectives(
        self, plan: Plan, specs: Iterable[ObjectiveSpec], actor, parent=None, first_position: int = 1
    ) -> None:
        for position, spec in enumerate(specs, start=first_position):
            objective = Objective.objects.filter(plan=plan, code=spec.code).first()
            if objective is None:
                objective = core.objective_create(
                    actor=actor,
                    plan=plan,
                    parent=parent,
                    level=spec.level,
                    kind=spec.kind,
                    domain=spec.domain,
                    code=spec.code,
                    title=spec.title,
                    description=spec.description,
                    year=spec.year,
                    position=position,
                )
                self.created(objective)
            for index, ind in enumerate(spec.indicators, start=1):
                if not Indicator.objects.filter(objective=objective, name=ind.name).exists():
                    indicator = core.indicator_create(
                        actor=actor,
                        objective=objective,
                        name=ind.name,
                        description=ind.description,
                        unit=ind.unit,
                        scale=scale_of(ind),
                        source=ind.source,
                        source_detail=ind.source_detail,
                        baseline_value=ind.baseline,
                        baseline_date=ind.baseline_date,
                        target_value=ind.target,
                        target_date=ind.target_date,
                        direction=ind.direction,
                        frequency=ind.frequency,
                        position=index,
                    )
                    self.created(indicator)
            for index, act in enumerate(spec.actions, start=1):
                if not Action.objects.filter(objective=objective, title=act.title).exists():
                    action = core.action_create(
                        actor=actor,
                        objective=objective,
                        title=act.title,
                        description=act.description,
                        owner=act.owner,
                        start_date=act.start,
                        due_date=act.due,
                        position=index,
                    )
                    self.created(action)
            self.ensure_objectives(plan, spec.children, actor, parent=objective)

    def record_progress(self, plan: Plan, specs: Iterable[ObjectiveSpec], actor, source: str) -> None:
        """Measurements for every ended period of each indicator, and each action's outcome."""
        rows: list[tuple[int, str, Decimal]] = []
        for spec in (node for root in specs for node in root.walk()):
            objective = Objective.objects.get(plan=plan, code=spec.code)
            for ind in spec.indicators:
                if ind.profile != "none":
                    rows += self.missing_measurements(Indicator.objects.get(objective=objective, name=ind.name), ind)
            for act in spec.actions:
                status, percent = OUTCOMES[act.outcome]
                action = Action.objects.get(objective=objective, title=act.title)
                untouched = action.status == Action.Status.PLANNED and action.percent_complete == 0
                if untouched and (action.status, action.percent_complete) != (status, percent):
                    core.action_record_progress(actor=actor, action=action, status=status, percent_complete=percent)
                    self.summary.created["action progress updates"] += 1
        if rows:
            # The zone's figures arrive as a spreadsheet, as they would in real life: one import per plan.
            lines = ["indicator,period,value"] + [f"{pk},{period},{value}" for pk, period, value in rows]
            result = bulk.measurements_import(
                actor=actor, plan=plan, file=io.BytesIO("\n".join(lines).encode()), filename=source
            )
            self.summary.created[str(Measurement._meta.verbose_name_plural)] += result.created

    def missing_measurements(self, indicator: Indicator, ind) -> list[tuple[int, str, Decimal]]:
        """The (indicator id, period, value) of every ended period up to the spec's last one not yet recorded."""
        span = periods.between(ind.baseline_date + dt.timedelta(days=1), ind.target_date, ind.frequency)
        last = min(periods.parse(ind.last_period).end, self.today) if ind.last_period else self.today
        final = final_value(ind.baseline, ind.target, ind.direction, ind.profile)
        recorded = set(Measurement.objects.filter(indicator=indicator).values_list("period", flat=True))
        return [
            (indicator.pk, period.label, measurement_value(ind.baseline, final, index, len(span), ind.decimals))
            for index, period in enumerate(span)
            if period.end <= last and period.label not in recorded
        ]

    def ensure_comments(self, plan: Plan, specs) -> None:
        for spec in specs:
            author = self.user(spec.author)
            if Comment.objects.filter(plan=plan, author=author, body=spec.body).exists():
                continue
            objective = Objective.objects.get(plan=plan, code=spec.objective) if spec.objective else None
            indicator = Indicator.objects.get(plan=plan, name=spec.indicator) if spec.indicator else None
            self.created(
                core.comment_create(actor=author, plan=plan, body=spec.body, objective=objective, indicator=indicator)
            )

    # --- federal programmes -------------------------------------------------------------------------

    def ensure_programme(self, spec: ProgrammeSpec) -> Programme:
        programme = Programme.objects.filter(code=spec.code).first()
        if programme is None:
            edition = self.edition(spec.nsp)
            programme = programme_services.programme_create(
                actor=self.user("federal.planner"),
                nsp=edition,
                phenomena=SecurityPhenomenon.objects.filter(nsp=edition, number__in=spec.phenomena),
                themes=CrossCuttingTheme.objects.filter(nsp=edition, number__in=spec.themes),
                code=spec.code,
                title=spec.title,
                programme_type=spec.programme_type,
                owning_unit=spec.owning_unit,
                description=spec.description,
                period_start=spec.start,
                period_end=spec.end,
                status=Plan.Status.APPROVED,
            )
            self.created(programme)
        return programme

    def ensure_programme_content(self, programme: Programme, spec: ProgrammeSpec) -> None:
        manager = self.user(spec.manager)
        self.ensure_objectives(programme, spec.objectives, manager)
        self.record_progress(programme, spec.objectives, manager, f"{spec.code}-figures.csv")
        self.ensure_comments(programme, spec.comments)

    # --- zonal plans --------------------------------------------------------------------------------

    def write_texts(self, plan: ZonalSecurityPlan, spec: PlanSpec) -> None:
        """The plan document's texts: the scripted analysis, mission, vision and values in their chapters, and a
        heading of the zone's own under the environment scan."""
        actor = self.user(spec.created_by)
        texts = {"environment": spec.environment_analysis, "mission": spec.mission, "vision": spec.vision}
        texts["values"] = spec.values
        sections = {s.key: s for s in PlanSection.objects.filter(plan=plan).exclude(key="")}
        for key, text in texts.items():
            if text and key in sections:
                zone_services.section_update(actor=actor, section=sections[key], body=text)
        if spec.environment_analysis and "environment" in sections:
            zone_services.section_create(
                actor=actor,
                plan=plan,
                parent=sections["environment"],
                title="Neighbourhood consultations",
                body="- one meeting per district each spring\n- the results feed the **population survey**",
            )

    def ensure_zonal_plan(self, spec: PlanSpec) -> None:
        zone = self.zone(spec.zone)
        plan = ZonalSecurityPlan.objects.filter(zone=zone, period_start=spec.start).first()
        if plan is None:
            plan = zone_services.zonal_plan_create(
                actor=self.user(spec.created_by),
                zone=zone,
                nsp=self.edition(spec.nsp),
                title=f"Zonal security plan {spec.start.year}-{spec.end.year}, {zone.number} {self.zone_label(zone)}",
                period_start=spec.start,
                period_end=spec.end,
            )
            self.created(plan)
            self.write_texts(plan, spec)
        done = list(PlanTransition.objects.filter(plan=plan).order_by("pk").values_list("to_status", flat=True))
        position = 0
        objectives: list[ObjectiveSpec] = []
        for step in spec.script:
            if isinstance(step, (Transition, Realign)):
                if position < len(done) and done[position] != step.to:
                    self.summary.warnings.append(
                        _("%(plan)s has left the demonstration workflow; it was left as it is.") % {"plan": plan}
                    )
                    break
                if position == len(done) and isinstance(step, Realign):
                    realigned = zone_services.realignment_open(actor=self.user(step.by), plan=plan, reason=step.reason)
                    self.created(realigned.addendum)
                    done.append(self.created(PlanTransition.objects.filter(plan=plan).latest("pk")).to_status)
                elif position == len(done):
                    transition = zone_services.plan_transition(
                        actor=self.user(step.by), plan=plan, to_status=step.to, reason=step.reason, on_date=step.on_date
                    )
                    done.append(self.created(transition).to_status)
                plan = ZonalSecurityPlan.objects.select_related("nsp").get(pk=plan.pk)  # a re-alignment moves it
                position += 1
            elif isinstance(step, Content):
                if position == len(done):
                    self.write_zonal_content(plan, step, objectives)
                objectives += step.objectives
            elif isinstance(step, Record) and position == len(done):
                self.record_progress(
                    plan, objectives, self.user(step.by), f"figures-{spec.zone}-{spec.start.year}-{spec.end.year}.csv"
                )
        self.ensure_comments(plan, spec.comments)

    @staticmethod
    def zone_label(zone: PoliceZone) -> str:
        if zone.region == "Flanders":
            return zone.name_nl or zone.name_fr or zone.key
        return zone.name_fr or zone.name_nl or zone.key

    def write_zonal_content(self, plan, step: Content, earlier: list[ObjectiveSpec]) -> None:
        """One content phase; ``earlier`` are the objectives of the phases before it (an addendum adds to them)."""
        actor = self.user(step.by)
        self.ensure_objectives(plan, step.objectives, actor, first_position=len(earlier) + 1)
        for position, expectation in enumerate(step.expectations, start=1):
            if not Expectation.objects.filter(plan=plan, source=expectation.source, text=expectation.text).exists():
                self.created(
                    zone_services.expectation_create(
                        actor=actor,
                        plan=plan,
                        source=expectation.source,
                        stakeholder=expectation.stakeholder,
                        text=expectation.text,
                        position=position,
                    )
                )
        for candidate_spec in step.matrix:
            self.ensure_candidate(plan, candidate_spec, actor)
        self.ensure_alignment(plan, [*earlier, *step.objectives], actor)

    def ensure_candidate(self, plan, spec, actor) -> None:
        candidate = MatrixCandidate.objects.filter(plan=plan, label=spec.label).first()
        if candidate is None:
            phenomenon = SecurityPhenomenon.objects.filter(nsp_id=plan.nsp_id, number=spec.phenomenon).first()
            objective = Objective.objects.get(plan=plan, code=spec.chosen_as) if spec.chosen_as else None
            candidate = zone_services.matrix_candidate_create(
                actor=actor,
                plan=plan,
                phenomenon=phenomenon,
                label=spec.label,
                chosen=bool(spec.chosen_as),
                objective=objective,
                note=spec.note,
            )
            self.created(candidate)
        for source, score in spec.scores.items():
            if not MatrixScore.objects.filter(candidate=candidate, source=source).exists():
                self.created(
                    zone_services.matrix_score_set(actor=actor, candidate=candidate, source=source, score=score)
                )

    def ensure_alignment(self, plan, objectives: list[ObjectiveSpec], actor) -> None:
        """Answer every national priority of the plan's edition: adopted by the objectives naming it, else why not."""
        edition = plan.nsp.code
        adopting: dict[str, list[str]] = {}
        for spec in objectives:
            for code in content.adopted_codes(edition, spec.adopts):
                adopting.setdefault(code, []).append(spec.code)
        priorities = [
            ("P", "phenomenon", p)
            for p in SecurityPhenomenon.objects.filter(nsp_id=plan.nsp_id, is_national_priority=True)
        ] + [("T", "theme", t) for t in CrossCuttingTheme.objects.filter(nsp_id=plan.nsp_id, is_national_priority=True)]
        for prefix, kind, priority in priorities:
            code = f"{prefix}{priority.number}"
            wanted = set(Objective.objects.filter(plan=plan, code__in=adopting.get(code, ())))
            justification = "" if wanted else content.justification(edition, code)
            current = NationalAlignment.objects.filter(plan=plan, **{kind: priority}).first()
            if (
                current is not None
                and not current.to_confirm  # carried by a re-alignment: saving it confirms it
                and current.adopted == bool(wanted)
                and current.justification == justification
                and set(current.objectives.all()) == wanted
            ):
                continue
            alignment = zone_services.alignment_set(
                actor=actor,
                plan=plan,
                adopted=bool(wanted),
                objectives=sorted(wanted, key=lambda o: o.pk),
                justification=justification,
                **{kind: priority},
            )
            if current is None:
                self.created(alignment)
            else:
                self.summary.created["alignment updates"] += 1

    # --- the local-police vision --------------------------------------------------------------------

    def ensure_vision(self) -> None:
        edition = self.edition(content.NSP_2016)
        if not LocalPoliceVision.objects.filter(nsp=edition).exists():
            self.created(
                zone_services.vision_save(
                    actor=self.user("cppl.member"), nsp=edition, title=content.VISION_TITLE, text=content.VISION_TEXT
                )
            )

    def ensure_regional_plan(self) -> None:
        """The Brussels regional security plan, kept by the federal planner (a plan of its own kind)."""
        if RegionalSecurityPlan.objects.filter(title=content.REGIONAL_PLAN["title"]).exists():
            return
        edition = self.edition(content.NSP_2016)
        self.created(
            zone_services.regional_plan_create(actor=self.user("federal.planner"), nsp=edition, **content.REGIONAL_PLAN)
        )

    def ensure_report_and_reminders(self) -> None:
        """One finished report and one round of overdue reminders, so reporting has something to show.

        Done once (not once per day): the report runs here, in the seeding process, instead of waiting for a
        worker; the reminders are recorded (and e-mailed to the console in embedded mode).
        """
        committee = self.user("committee.member")
        if not ReportRun.objects.filter(requested_by=committee).exists():
            run = ReportRun.objects.create(
                kind=ReportRun.Kind.NATIONAL_OVERVIEW,
                scope=ReportRun.Scope.NATIONAL,
                format=ReportRun.Format.JSON,
                language="en",
                requested_by=committee,
            )
            ReportRunner(run).run()
            self.created(run)
        if not OverdueReminder.objects.exists():
            for reminder in reminder_send_overdue(today=self.today):
                self.created(reminder)
        if not HomeVisit.objects.filter(user=committee).exists():
            # The committee member's home page says what changed since this first visit.
            home_visit_record(user=committee)
            self.created(HomeVisit.objects.get(user=committee))
        planner = self.user("federal.planner")
        if not ReportSubscription.objects.filter(user=planner).exists():
            # The federal planner follows the national overview every quarter (reports/subscriptions/).
            self.created(
                subscription_create(
                    actor=planner,
                    kind=ReportRun.Kind.NATIONAL_OVERVIEW,
                    scope=ReportRun.Scope.NATIONAL,
                    frequency=ReportSubscription.Frequency.QUARTERLY,
                    format=ReportRun.Format.PDF,
                    language="en",
                )
            )

    def ensure_schedule_and_deleted_item(self) -> None:
        """The default schedule of reports and reminders (as ``bin/release`` installs it), and in the current
        draft of 5339 an expectation typed twice and deleted by its chief, waiting in the plan's Deleted items."""
        from nsp.models import DeletedItem
        from nsp.schedule import install

        install()
        plan = ZonalSecurityPlan.objects.filter(zone__number="5339", status=PlanStatus.DRAFT).order_by("-period_start")
        plan = plan.first()
        if plan is None or DeletedItem.objects.filter(plan=plan).exists():
            return
        chief = self.user("chief.5339")
        # Noted in this draft by mistake (it belongs to the authorities' consultation of next year), then deleted.
        mistake = zone_services.expectation_create(
            actor=chief,
            plan=plan,
            source=StakeholderSource.MAYORS,
            stakeholder="Conférence des bourgmestres / Burgemeestersconferentie",
            text="Extend the night-life patrols to the summer festivals (to be discussed next year).",
            position=99,
        )
        self.created(zone_services.expectation_delete(actor=chief, expectation=mistake))

    # --- what the data set holds now ----------------------------------------------------------------

    def collect_summary(self) -> None:
        plans = ZonalSecurityPlan.objects.filter(zone__number__in=self.zone_numbers())
        self.summary.plans = Counter(plans.values_list("status", flat=True))
        self.summary.zones = plans.values("zone").distinct().count()
        self.summary.programmes = Programme.objects.filter(code__in=[p.code for p in content.programmes()]).count()
        self.summary.measurements = Measurement.objects.filter(plan__in=plans.values("pk")).count()
        self.summary.measurements += Measurement.objects.filter(
            plan__programme__code__in=[p.code for p in content.programmes()]
        ).count()
        for spec in content.USERS:
            self.summary.users.append((spec.username, self.describe_role(spec)))

    def describe_role(self, spec) -> str:
        if spec.role == ADMIN:
            return _("administrator")
        label = str(ROLES[spec.role].label)
        if spec.zone:
            zone = self.zone(spec.zone)
            return f"{label}, {zone.number} {self.zone_label(zone)}"
        if spec.programme:
            return f"{label}, {Programme.objects.get(code=spec.programme).title}"
        if spec.district_of_zone:
            return f"{label}, {self.district_of(spec).name}"
        return label
