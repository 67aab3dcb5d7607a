"""factory_boy factories for every model that tests build. Deterministic; no reference data needed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from nsp import grants, periods
from nsp.models import Action, Ambition, Comment, Indicator, Measurement, NationalSecurityPlan, Objective
from programmes.models import Programme
from reporting.models import ReportRun
from zones.models import (
    Addendum,
    District,
    Expectation,
    LocalPoliceVision,
    MatrixCandidate,
    MatrixScore,
    Municipality,
    NationalAlignment,
    PlanSection,
    PlanTransition,
    PoliceZone,
    RegionalSecurityPlan,
    StakeholderSource,
    ZonalSecurityPlan,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", "demo")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role: str, username: str | None = None, **scope):
    """A user holding ``role`` in ``scope`` (zone=, programme=, district=), through the grants service."""
    user = UserFactory(username=username) if username else UserFactory()
    grants.role_grant(user=user, role=role, **scope)
    return user


def sign_in(client, role: str, **scope):
    """A new user holding ``role`` in ``scope``, signed in on the test ``client`` (pages)."""
    user = user_with_role(role, **scope)
    client.force_login(user)
    return user


class NationalSecurityPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalSecurityPlan
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"nsp-test-{n}")
    title = factory.Sequence(lambda n: f"Test NSP {n}")
    period_start = dt.date(2016, 1, 1)
    period_end = dt.date(2019, 12, 31)


class AmbitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ambition

    nsp = factory.SubFactory(NationalSecurityPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Ambition {n}")
    text = "Provide a quality service."


class SecurityClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecurityCluster

    nsp = factory.SubFactory(NationalSecurityPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Cluster {n}")


class SecurityPhenomenonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecurityPhenomenon

    cluster = factory.SubFactory(SecurityClusterFactory)
    nsp = factory.SelfAttribute("cluster.nsp")
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Phenomenon {n}")
    key_point = "Make special efforts."


class CrossCuttingThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrossCuttingTheme

    nsp = factory.SubFactory(NationalSecurityPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Theme {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"District {n}")


class PoliceZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceZone
        django_get_or_create = ("key",)

    number = factory.Sequence(lambda n: f"{6000 + n}")
    key = factory.SelfAttribute("number")
    name_nl = factory.Sequence(lambda n: f"PZ Test {n}")
    name_fr = factory.Sequence(lambda n: f"ZP Test {n}")
    region = "Flanders"
    district = factory.SubFactory(DistrictFactory)


class ZonalSecurityPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZonalSecurityPlan

    zone = factory.SubFactory(PoliceZoneFactory)
    nsp = factory.SubFactory(NationalSecurityPlanFactory)
    title = factory.LazyAttribute(lambda p: f"Zonal security plan {p.zone.number or p.zone.key} 2020-2025")
    period_start = dt.date(2020, 1, 1)
    period_end = dt.date(2025, 12, 31)
    status = "draft"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    nsp = factory.SubFactory(NationalSecurityPlanFactory)
    code = factory.Sequence(lambda n: f"programme-{n}")
    title = factory.Sequence(lambda n: f"Programme {n}")
    owning_unit = "DGJ/DJSOC"
    period_start = dt.date(2016, 1, 1)
    period_end = dt.date(2019, 12, 31)
    status = "approved"


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(ZonalSecurityPlanFactory)
    level = Objective.Level.STRATEGIC
    title = factory.Sequence(lambda n: f"Objective {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    objective = factory.SubFactory(ObjectiveFactory)
    plan = factory.SelfAttribute("objective.plan")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "cases"
    baseline_value = Decimal("100")
    baseline_date = dt.date(2020, 1, 1)
    target_value = Decimal("80")
    target_date = dt.date(2025, 12, 31)
    direction = Indicator.Direction.DECREASE
    frequency = "quarterly"


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    plan = factory.SelfAttribute("indicator.plan")
    period = "2021-Q1"
    period_start = factory.LazyAttribute(lambda m: periods.parse(m.period).start)
    period_end = factory.LazyAttribute(lambda m: periods.parse(m.period).end)
    value = Decimal("95")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    objective = factory.SubFactory(ObjectiveFactory)
    plan = factory.SelfAttribute("objective.plan")
    title = factory.Sequence(lambda n: f"Action {n}")
    owner = "Traffic service"
    start_date = dt.date(2021, 1, 1)
    due_date = dt.date(2021, 12, 31)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    plan = factory.SubFactory(ZonalSecurityPlanFactory)
    author = factory.SubFactory(UserFactory)
    body = "Looks right."


class NationalAlignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalAlignment

    plan = factory.SubFactory(ZonalSecurityPlanFactory)
    phenomenon = factory.SubFactory(SecurityPhenomenonFactory)
    adopted = False
    justification = "Not a problem in this zone according to the crime picture."


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("nis_code",)

    nis_code = factory.Sequence(lambda n: f"{90000 + n}")
    name = factory.Sequence(lambda n: f"Municipality {n}")


class RegionalSecurityPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalSecurityPlan

    nsp = factory.SubFactory(NationalSecurityPlanFactory)
    title = "Brussels regional security plan 2021-2024"
    authority = "Brussels-Capital Region"
    period_start = dt.date(2021, 1, 1)
    period_end = dt.date(2024, 12, 31)
    status = "approved"


class PlanTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTransition

    plan = factory.SubFactory(ZonalSecurityPlanFactory, status="adopted", council_adopted_on=dt.date(2020, 3, 1))
    from_status = "draft"
    to_status = "adopted"
    on_date = dt.date(2020, 3, 1)
    by = factory.SubFactory(UserFactory)


class AddendumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Addendum

    plan = factory.SubFactory(ZonalSecurityPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    reason = "A new priority on intrafamily violence."
    opened_by = factory.SubFactory(UserFactory)


class ExpectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expectation

    plan = factory.SubFactory(ZonalSecurityPlanFactory)
    source = StakeholderSource.MAYORS
    stakeholder = "Conference of mayors"
    text = "More visible presence in the shopping streets."


class PlanSectionFactory(factory.django.DjangoModelFactory):
    """A heading of the zone's own (give ``key=...`` and ``title=""`` for a standard chapter)."""

    class Meta:
        model = PlanSection

    plan = factory.SubFactory(ZonalSecurityPlanFactory)
    title = factory.Sequence(lambda n: f"Heading {n}")
    body = "Some *text*."
    position = factory.Sequence(lambda n: n + 1)


class MatrixCandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatrixCandidate

    plan = factory.SubFactory(ZonalSecurityPlanFactory)
    label = factory.Sequence(lambda n: f"Candidate {n}")


class MatrixScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatrixScore

    candidate = factory.SubFactory(MatrixCandidateFactory)
    plan = factory.SelfAttribute("candidate.plan")
    source = StakeholderSource.MAYORS
    score = 3


class LocalPoliceVisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalPoliceVision

    nsp = factory.SubFactory(NationalSecurityPlanFactory)
    title = "The local police's view"
    text = "Community policing stays the basis of local police work."


class ReportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportRun

    kind = ReportRun.Kind.PLAN_PROGRESS
    scope = ReportRun.Scope.PLAN
    plan = factory.SubFactory(ZonalSecurityPlanFactory)
    format = ReportRun.Format.JSON
    requested_by = factory.SubFactory(UserFactory)
