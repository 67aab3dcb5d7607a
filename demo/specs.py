"""The shapes of the demonstration data: plain, frozen descriptions that ``demo.seed`` writes through the services.

Every spec names its natural key (a username, a zone and period start, an objective code within a plan, an
indicator name within an objective, an action title within an objective, ...), so the seed finds what an
earlier run wrote instead of writing it twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from nsp.models import Action, Indicator, Objective

# The final progress share an indicator's measurements reach (see ``demo.seed.series``); the names say
# which progress status the product's rules give at the end of the indicator's period.
PROFILES = {
    "achieved": Decimal("1.05"),
    "on_track": Decimal("0.95"),
    "at_risk": Decimal("0.80"),
    "off_track": Decimal("0.30"),
    "keep_ok": Decimal("1.01"),  # for "keep": ends 1 % off the target, inside the 5 % tolerance
    "keep_off": Decimal("1.12"),  # for "keep": ends 12 % off the target
}

# How an action ends up once its plan is approved: (status, percent complete).
OUTCOMES = {
    "planned": (Action.Status.PLANNED, 0),
    "started": (Action.Status.IN_PROGRESS, 30),
    "progress": (Action.Status.IN_PROGRESS, 60),
    "late": (Action.Status.IN_PROGRESS, 40),  # only ever given to actions due in the past
    "done": (Action.Status.DONE, 100),
    "cancelled": (Action.Status.CANCELLED, 10),
}


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    unit: str
    direction: str
    baseline: Decimal
    target: Decimal
    baseline_date: dt.date
    target_date: dt.date
    source: str = Indicator.Source.INTERNAL
    source_detail: str = ""
    description: str = ""
    frequency: str = Indicator.Frequency.QUARTERLY
    profile: str = "on_track"  # a key of PROFILES, or "none" (never measured)
    decimals: int = 0
    last_period: str = ""  # measurements stop here (an overdue indicator), else at the last ended period


@dataclass(frozen=True)
class ActionSpec:
    title: str
    owner: str
    start: dt.date
    due: dt.date
    outcome: str = "planned"  # a key of OUTCOMES, recorded once the plan is approved
    description: str = ""


@dataclass(frozen=True)
class ObjectiveSpec:
    code: str
    title: str
    level: str = Objective.Level.STRATEGIC
    kind: str = Objective.Kind.PRIORITY
    domain: str = ""
    description: str = ""
    year: int | None = None
    indicators: tuple[IndicatorSpec, ...] = ()
    actions: tuple[ActionSpec, ...] = ()
    children: tuple[ObjectiveSpec, ...] = ()
    # National priorities this (strategic) objective adopts: "P7" = phenomenon 7, "T2" = theme 2.
    adopts: tuple[str, ...] = ()

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class CandidateSpec:
    """A row of the argumentation matrix; ``scores`` maps a StakeholderSource to 0-5."""

    label: str
    phenomenon: int | None
    scores: dict[str, int]
    chosen_as: str = ""  # the code of the priority objective it became
    note: str = ""


@dataclass(frozen=True)
class ExpectationSpec:
    source: str
    stakeholder: str
    text: str


@dataclass(frozen=True)
class Content:
    """A content phase: what the plan's editor writes while the plan is a draft at this point of its workflow."""

    by: str
    objectives: tuple[ObjectiveSpec, ...] = ()
    expectations: tuple[ExpectationSpec, ...] = ()
    matrix: tuple[CandidateSpec, ...] = ()


@dataclass(frozen=True)
class Transition:
    to: str
    by: str
    on_date: dt.date | None = None
    reason: str = ""


@dataclass(frozen=True)
class Realign:
    """The zone chief re-aligns the approved plan with the successor of its NSP edition, by addendum (to draft)."""

    by: str
    reason: str
    to: str = "draft"
    on_date: dt.date | None = None


@dataclass(frozen=True)
class Record:
    """Measurements and action progress, recorded by ``by`` once the plan is approved."""

    by: str


@dataclass(frozen=True)
class CommentSpec:
    author: str
    body: str
    objective: str = ""  # an objective code of the plan
    indicator: str = ""  # an indicator name of the plan


@dataclass(frozen=True)
class PlanSpec:
    zone: str
    nsp: str
    start: dt.date
    end: dt.date
    created_by: str
    script: tuple[Content | Transition | Realign | Record, ...]
    environment_analysis: str = ""
    mission: str = ""
    vision: str = ""
    values: str = ""
    comments: tuple[CommentSpec, ...] = ()


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    title: str
    programme_type: str
    owning_unit: str
    description: str
    nsp: str
    start: dt.date
    end: dt.date
    phenomena: tuple[int, ...]
    themes: tuple[int, ...]
    manager: str
    objectives: tuple[ObjectiveSpec, ...]
    comments: tuple[CommentSpec, ...] = ()


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    # The scope, by natural key: a zone number, a programme code, or a zone number whose district it is.
    zone: str = ""
    programme: str = ""
    district_of_zone: str = ""
    required: bool = False  # one of the demo users product.md names
