"""Reusable objective trees for the demonstration plans: one function per theme a zone commonly plans for.

Each function returns a strategic objective with its tactical and operational objectives, indicators and
actions for a plan period, with the zone's own figures. Counts are per reporting period of the indicator
(a quarter unless the plan measures otherwise). The numbers are plausible, not real statistics.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal as D

from demo.specs import ActionSpec, IndicatorSpec, ObjectiveSpec
from nsp.models import Indicator, Objective

L = Objective.Level
K = Objective.Kind
DOM = Objective.Domain
DIR = Indicator.Direction
SRC = Indicator.Source
FREQ = Indicator.Frequency


@dataclass(frozen=True)
class Period:
    """The plan period a block is written for; action plans start ``first_action_year`` years into it."""

    start: dt.date
    end: dt.date
    first_action_year: int = 0

    @property
    def baseline_date(self) -> dt.date:
        return self.start - dt.timedelta(days=1)

    @property
    def years(self) -> str:
        return f"{self.start.year}-{self.end.year}"

    def year(self, offset: int) -> int:
        return self.start.year + self.first_action_year + offset

    def day(self, year_offset: int, month: int, day: int) -> dt.date:
        return dt.date(self.year(year_offset), month, day)

    def later_actions(self) -> Period:
        """The same period for a plan still being drafted in its first year: its action plans start a year on."""
        return dataclasses.replace(self, first_action_year=1)

    def indicator(self, name: str, unit: str, direction: str, baseline, target, **extra) -> IndicatorSpec:
        return IndicatorSpec(
            name=name,
            unit=unit,
            direction=direction,
            baseline=D(str(baseline)),
            target=D(str(target)),
            baseline_date=self.baseline_date,
            target_date=self.end,
            **extra,
        )


def _outcome(outcomes: dict[str, str], key: str, default: str) -> str:
    return outcomes.get(key, default)


# --- security and quality of life ------------------------------------------------------------------


def road_safety(
    p: Period, n: int, *, accidents: int, checks: int, profiles: dict | None = None, outcomes: dict | None = None
) -> ObjectiveSpec:
    profiles, outcomes = profiles or {}, outcomes or {}
    target = round(accidents * 0.85)
    return ObjectiveSpec(
        code=f"S{n}",
        title=f"Reduce injury road accidents by 15 % by {p.end.year}",
        domain=DOM.SECURITY,
        adopts=("P9",),
        description=(
            "Road safety comes first in the population survey and in the mayors' expectations. The zone combines "
            "targeted enforcement at accident-prone locations with prevention near schools."
        ),
        indicators=(
            p.indicator(
                "Injury road accidents",
                "accidents",
                DIR.DECREASE,
                accidents,
                target,
                source=SRC.CRIME_STATISTICS,
                source_detail="Police road accident statistics",
                profile=profiles.get("accidents", "on_track"),
            ),
        ),
        children=(
            ObjectiveSpec(
                code=f"T{n}.1",
                level=L.TACTICAL,
                domain=DOM.SECURITY,
                title="Enforce speed, alcohol and drug limits where injury accidents concentrate",
                indicators=(
                    p.indicator(
                        "Drivers checked for alcohol",
                        "drivers",
                        DIR.INCREASE,
                        checks,
                        round(checks * 1.4),
                        profile=profiles.get("checks", "on_track"),
                    ),
                ),
                children=(
                    ObjectiveSpec(
                        code=f"O{n}.1.1",
                        level=L.OPERATIONAL,
                        domain=DOM.SECURITY,
                        year=p.year(0),
                        title=f"In {p.year(0)}, hold an alcohol and drug check every week and a speed check daily "
                        "on the ten most accident-prone road sections",
                        actions=(
                            ActionSpec(
                                "Map the ten most accident-prone road sections from the accident data",
                                "Strategic analysis cell",
                                p.day(0, 1, 1),
                                p.day(0, 3, 31),
                                _outcome(outcomes, "map", "done"),
                            ),
                            ActionSpec(
                                "Buy two additional breath analysers",
                                "Logistics service",
                                p.day(0, 2, 1),
                                p.day(0, 9, 30),
                                _outcome(outcomes, "analysers", "done"),
                            ),
                        ),
                    ),
                    ObjectiveSpec(
                        code=f"O{n}.1.2",
                        level=L.OPERATIONAL,
                        domain=DOM.SECURITY,
                        year=p.year(1),
                        title=f"In {p.year(1)}, run a school-street safety campaign at every primary school",
                        actions=(
                            ActionSpec(
                                "Agree the school-street calendar with the municipal mobility services",
                                "Traffic service",
                                p.day(1, 1, 15),
                                p.day(1, 6, 30),
                                _outcome(outcomes, "schools", "done"),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


def burglaries(
    p: Period,
    n: int,
    *,
    per_period: int,
    adopts=("P7", "T6"),
    profiles: dict | None = None,
    outcomes: dict | None = None,
) -> ObjectiveSpec:
    profiles, outcomes = profiles or {}, outcomes or {}
    return ObjectiveSpec(
        code=f"S{n}",
        title=f"Reduce residential burglaries by 15 % by {p.end.year}",
        domain=DOM.SECURITY,
        adopts=adopts,
        description=(
            "Burglaries weigh heavily on the feeling of safety. The zone works on prevention (technoprevention, "
            "neighbourhood information networks) and on the investigation of every burglary, including the "
            "itinerant groups the NSP singles out."
        ),
        indicators=(
            p.indicator(
                "Residential burglaries",
                "burglaries",
                DIR.DECREASE,
                per_period,
                round(per_period * 0.85),
                source=SRC.CRIME_STATISTICS,
                source_detail="Police crime statistics (ANG/BNG)",
                profile=profiles.get("burglaries", "on_track"),
            ),
        ),
        children=(
            ObjectiveSpec(
                code=f"T{n}.1",
                level=L.TACTICAL,
                domain=DOM.SECURITY,
                title="Offer technoprevention advice to residents and strengthen neighbourhood information networks",
                indicators=(
                    p.indicator(
                        "Technoprevention visits",
                        "visits",
                        DIR.INCREASE,
                        max(10, per_period // 4),
                        max(20, per_period // 2),
                        profile=profiles.get("visits", "on_track"),
                    ),
                ),
                children=(
                    ObjectiveSpec(
                        code=f"O{n}.1.1",
                        level=L.OPERATIONAL,
                        domain=DOM.SECURITY,
                        year=p.year(0),
                        title=f"In {p.year(0)}, train two technoprevention advisers per neighbourhood police station",
                        actions=(
                            ActionSpec(
                                "Train technoprevention advisers with the federal public service Interior",
                                "Neighbourhood service",
                                p.day(0, 1, 1),
                                p.day(0, 6, 30),
                                _outcome(outcomes, "advisers", "done"),
                            ),
                        ),
                    ),
                ),
            ),
            ObjectiveSpec(
                code=f"T{n}.2",
                level=L.TACTICAL,
                domain=DOM.SECURITY,
                title="Send the crime scene unit to every residential burglary and link series",
                indicators=(
                    p.indicator(
                        "Share of burglaries with a crime scene investigation",
                        "%",
                        DIR.INCREASE,
                        55,
                        90,
                        decimals=1,
                        profile=profiles.get("crime_scene", "on_track"),
                    ),
                ),
                children=(
                    ObjectiveSpec(
                        code=f"O{n}.2.1",
                        level=L.OPERATIONAL,
                        domain=DOM.SECURITY,
                        year=p.year(1),
                        title=f"In {p.year(1)}, share burglary series weekly with the neighbouring zones and the "
                        "federal judicial police",
                        actions=(
                            ActionSpec(
                                "Set up a weekly burglary-series briefing with the neighbouring zones",
                                "Local investigation service",
                                p.day(1, 1, 1),
                                p.day(1, 12, 31),
                                _outcome(outcomes, "briefing", "progress"),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


def street_theft(
    p: Period, n: int, *, per_period: int, profiles: dict | None = None, outcomes: dict | None = None
) -> ObjectiveSpec:
    profiles, outcomes = profiles or {}, outcomes or {}
    return ObjectiveSpec(
        code=f"S{n}",
        title=f"Reduce thefts from persons and thefts with violence in public space by 20 % by {p.end.year}",
        domain=DOM.SECURITY,
        adopts=("P7", "T6"),
        description=(
            "Pickpocketing and thefts with violence concentrate around stations, shopping streets and night-life "
            "areas. The zone combines visible presence at the hot spots with targeted investigations."
        ),
        indicators=(
            p.indicator(
                "Thefts from persons and thefts with violence",
                "thefts",
                DIR.DECREASE,
                per_period,
                round(per_period * 0.8),
                source=SRC.CRIME_STATISTICS,
                source_detail="Police crime statistics (ANG/BNG)",
                profile=profiles.get("thefts", "on_track"),
            ),
        ),
        children=(
            ObjectiveSpec(
                code=f"T{n}.1",
                level=L.TACTICAL,
                domain=DOM.SECURITY,
                title="Patrol the hot spots at the hours the crime analysis gives",
                indicators=(
                    p.indicator(
                        "Foot patrol hours at the hot spots",
                        "hours",
                        DIR.INCREASE,
                        2400,
                        3200,
                        profile=profiles.get("patrols", "on_track"),
                    ),
                ),
                children=(
                    ObjectiveSpec(
                        code=f"O{n}.1.1",
                        level=L.OPERATIONAL,
                        domain=DOM.SECURITY,
                        year=p.year(0),
                        title=f"In {p.year(0)}, publish a monthly hot-spot map for the intervention and "
                        "neighbourhood services",
                        actions=(
                            ActionSpec(
                                "Automate the monthly hot-spot map from the crime statistics",
                                "Strategic analysis cell",
                                p.day(0, 1, 1),
                                p.day(0, 4, 30),
                                _outcome(outcomes, "map", "done"),
                            ),
                            ActionSpec(
                                "Agree camera coverage of the station surroundings with the municipality",
                                "Zone chief's office",
                                p.day(0, 3, 1),
                                p.day(0, 12, 31),
                                _outcome(outcomes, "cameras", "progress"),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


def intrafamily_violence(
    p: Period, n: int, *, profiles: dict | None = None, outcomes: dict | None = None
) -> ObjectiveSpec:
    profiles, outcomes = profiles or {}, outcomes or {}
    return ObjectiveSpec(
        code=f"S{n}",
        title=f"Protect victims of intrafamily violence better by {p.end.year}",
        domain=DOM.SECURITY,
        adopts=("P6",),
        description=(
            "The public prosecutor asks for a uniform first response to intrafamily violence: a risk assessment at "
            "every intervention and a follow-up with the victim support services."
        ),
        indicators=(
            p.indicator(
                "Share of intrafamily violence reports with a risk assessment",
                "%",
                DIR.INCREASE,
                35,
                80,
                decimals=1,
                source_detail="Internal case follow-up",
                profile=profiles.get("risk", "on_track"),
            ),
        ),
        children=(
            ObjectiveSpec(
                code=f"T{n}.1",
                level=L.TACTICAL,
                domain=DOM.SECURITY,
                title="Train every intervention team in the risk assessment and refer victims the same day",
                indicators=(
                    p.indicator(
                        "Victims referred to victim support within 24 hours",
                        "%",
                        DIR.INCREASE,
                        40,
                        85,
                        decimals=1,
                        profile=profiles.get("referral", "on_track"),
                    ),
                ),
                children=(
                    ObjectiveSpec(
                        code=f"O{n}.1.1",
                        level=L.OPERATIONAL,
                        domain=DOM.SECURITY,
                        year=p.year(0),
                        title=f"In {p.year(0)}, train all intervention staff in the risk assessment tool",
                        actions=(
                            ActionSpec(
                                "Train intervention staff in the risk assessment tool",
                                "Training officer",
                                p.day(0, 2, 1),
                                p.day(0, 11, 30),
                                _outcome(outcomes, "training", "done"),
                            ),
                            ActionSpec(
                                "Sign a referral protocol with the victim support service and the family justice "
                                "centre",
                                "Victim assistance unit",
                                p.day(0, 1, 1),
                                p.day(0, 9, 30),
                                _outcome(outcomes, "protocol", "done"),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


def nuisance(
    p: Period, n: int, *, complaints: int, profiles: dict | None = None, outcomes: dict | None = None
) -> ObjectiveSpec:
    profiles, outcomes = profiles or {}, outcomes or {}
    return ObjectiveSpec(
        code=f"S{n}",
        title=f"Reduce nuisance in public space by {p.end.year} with the municipal administrative approach",
        domain=DOM.SECURITY,
        adopts=("P10", "T1", "T3"),
        description=(
            "Noise, litter, loitering and vandalism are the first complaints at the neighbourhood police stations. "
            "The zone works with the municipal sanction officers and checks domiciles to detect domicile fraud."
        ),
        indicators=(
            p.indicator(
                "Nuisance complaints",
                "complaints",
                DIR.DECREASE,
                complaints,
                round(complaints * 0.85),
                source=SRC.CRIME_STATISTICS,
                source_detail="Police incident registrations",
                profile=profiles.get("complaints", "on_track"),
            ),
        ),
        children=(
            ObjectiveSpec(
                code=f"T{n}.1",
                level=L.TACTICAL,
                domain=DOM.SECURITY,
                title="Report every finding of nuisance to the municipal sanction officer within a week",
                indicators=(
                    p.indicator(
                        "Administrative sanction reports sent within seven days",
                        "%",
                        DIR.INCREASE,
                        60,
                        95,
                        decimals=1,
                        profile=profiles.get("sanctions", "on_track"),
                    ),
                ),
                children=(
                    ObjectiveSpec(
                        code=f"O{n}.1.1",
                        level=L.OPERATIONAL,
                        domain=DOM.SECURITY,
                        year=p.year(0),
                        title=f"In {p.year(0)}, hold a monthly nuisance meeting with each municipality",
                        actions=(
                            ActionSpec(
                                "Start monthly nuisance meetings with the municipal prevention services",
                                "Neighbourhood service",
                                p.day(0, 1, 1),
                                p.day(0, 3, 31),
                                _outcome(outcomes, "meetings", "done"),
                            ),
                        ),
                    ),
                ),
            ),
            ObjectiveSpec(
                code=f"T{n}.2",
                level=L.TACTICAL,
                domain=DOM.SECURITY,
                title="Check every new domicile within the legal time and report suspected domicile fraud",
                indicators=(
                    p.indicator(
                        "Domicile checks completed within the legal time",
                        "%",
                        DIR.INCREASE,
                        70,
                        95,
                        decimals=1,
                        profile=profiles.get("domicile", "on_track"),
                    ),
                ),
            ),
        ),
    )


def drugs(p: Period, n: int, *, kind=K.PRIORITY, profiles: dict | None = None, outcomes: dict | None = None):
    profiles, outcomes = profiles or {}, outcomes or {}
    priority = kind == K.PRIORITY
    return ObjectiveSpec(
        code=f"S{n}",
        kind=kind,
        title=(
            f"Disrupt street-level drug dealing and seize its proceeds by {p.end.year}"
            if priority
            else "Follow up drug dealing in regular work and seize its proceeds"
        ),
        domain=DOM.SECURITY,
        adopts=("P3", "T4"),
        description="Dealing spots cause nuisance and insecurity; the zone targets the spots and the money.",
        indicators=(
            p.indicator(
                "Drug-dealing investigations opened",
                "investigations",
                DIR.INCREASE,
                40,
                60,
                source=SRC.CRIME_STATISTICS,
                profile=profiles.get("investigations", "on_track"),
                last_period=profiles.get("investigations_last", ""),
            ),
        ),
        children=(
            ObjectiveSpec(
                code=f"T{n}.1",
                level=L.TACTICAL,
                domain=DOM.SECURITY,
                title="Seize cash and assets in every dealing case (asset-oriented approach)",
                indicators=(
                    p.indicator(
                        "Cases with a seizure of assets",
                        "%",
                        DIR.INCREASE,
                        20,
                        50,
                        decimals=1,
                        profile=profiles.get("seizures", "on_track"),
                    ),
                ),
                actions=(
                    ActionSpec(
                        "Train investigators in the asset-oriented approach with the Central Office for Seizure and "
                        "Confiscation",
                        "Local investigation service",
                        p.day(0, 3, 1),
                        p.day(0, 12, 31),
                        _outcome(outcomes, "training", "done"),
                    ),
                ),
            ),
        ),
    )


def online_fraud(p: Period, n: int, *, profiles: dict | None = None, outcomes: dict | None = None) -> ObjectiveSpec:
    profiles, outcomes = profiles or {}, outcomes or {}
    return ObjectiveSpec(
        code=f"S{n}",
        kind=K.ATTENTION_POINT,
        title="Take online fraud complaints well and warn vulnerable residents",
        domain=DOM.SECURITY,
        adopts=("P5", "T2"),
        description=(
            "Phishing and bank-helpdesk fraud hit older residents. The zone secures digital evidence at the first "
            "complaint and runs prevention sessions with the senior citizens' councils."
        ),
        indicators=(
            p.indicator(
                "Online fraud complaints with digital evidence secured",
                "%",
                DIR.INCREASE,
                45,
                85,
                decimals=1,
                profile=profiles.get("evidence", "on_track"),
            ),
        ),
        children=(
            ObjectiveSpec(
                code=f"T{n}.1",
                level=L.TACTICAL,
                domain=DOM.SECURITY,
                title="Give every reception officer the digital first-responder training",
                actions=(
                    ActionSpec(
                        "Enrol reception staff in the federal digital first-responder e-learning",
                        "Reception service",
                        p.day(0, 1, 1),
                        p.day(0, 12, 31),
                        _outcome(outcomes, "elearning", "progress"),
                    ),
                ),
            ),
        ),
    )


def radicalisation(p: Period, n: int) -> ObjectiveSpec:
    return ObjectiveSpec(
        code=f"S{n}",
        kind=K.ATTENTION_POINT,
        title="Share information on radicalisation within the local integral security cell",
        domain=DOM.SECURITY,
        adopts=("P1",),
        description=(
            "The neighbourhood officers pass signals of radicalisation to the local integral security cell (LISC-R) "
            "and to the local task force, as the NSP asks."
        ),
        children=(
            ObjectiveSpec(
                code=f"T{n}.1",
                level=L.TACTICAL,
                domain=DOM.SECURITY,
                title="Train neighbourhood officers to recognise and pass on signals of radicalisation",
                actions=(
                    ActionSpec(
                        "Train neighbourhood officers in recognising signals of radicalisation",
                        "Neighbourhood service",
                        p.day(0, 9, 1),
                        p.day(1, 6, 30),
                        "done",
                    ),
                ),
            ),
        ),
    )


def human_trafficking(p: Period, n: int) -> ObjectiveSpec:
    return ObjectiveSpec(
        code=f"S{n}",
        kind=K.ATTENTION_POINT,
        title="Detect exploitation in prostitution and in businesses during administrative checks",
        domain=DOM.SECURITY,
        adopts=("P2", "T7"),
        description=(
            "Window prostitution and some businesses in the zone carry a risk of human trafficking; the zone checks "
            "them with the social inspection and refers cases to the federal judicial police."
        ),
        children=(
            ObjectiveSpec(
                code=f"T{n}.1",
                level=L.TACTICAL,
                domain=DOM.SECURITY,
                title="Hold joint checks with the social inspection and refer possible victims to a specialised centre",
                indicators=(
                    p.indicator(
                        "Joint checks with the social inspection",
                        "checks",
                        DIR.INCREASE,
                        6,
                        12,
                        profile="on_track",
                    ),
                ),
            ),
        ),
    )


def illegal_dumping(p: Period, n: int) -> ObjectiveSpec:
    return ObjectiveSpec(
        code=f"S{n}",
        kind=K.ATTENTION_POINT,
        title="Act on illegal dumping and waste burning with the municipal environment officers",
        domain=DOM.SECURITY,
        adopts=("P8",),
        children=(
            ObjectiveSpec(
                code=f"T{n}.1",
                level=L.TACTICAL,
                domain=DOM.SECURITY,
                title="Follow up every report of illegal dumping with the municipal environment officer",
                indicators=(
                    p.indicator(
                        "Illegal dumping reports followed up within a month",
                        "%",
                        DIR.INCREASE,
                        50,
                        80,
                        decimals=1,
                        profile="on_track",
                    ),
                ),
            ),
        ),
    )


# --- optimal operational management --------------------------------------------------------------


def partnerships(p: Period, n: int, *, profiles: dict | None = None, adopts=()) -> ObjectiveSpec:
    profiles = profiles or {}
    return ObjectiveSpec(
        code=f"S{n}",
        title="Work with the municipalities, the public prosecutor and social partners as one security chain",
        domain=DOM.MANAGEMENT,
        adopts=adopts,
        description="Partnerships make the integral approach work: each priority has a partner and a meeting rhythm.",
        indicators=(
            p.indicator(
                "Partner consultations held",
                "meetings",
                DIR.KEEP,
                10,
                12,
                profile=profiles.get("consultations", "keep_ok"),
            ),
        ),
        children=(
            ObjectiveSpec(
                code=f"T{n}.1",
                level=L.TACTICAL,
                domain=DOM.MANAGEMENT,
                title="Give each priority a steering group with the partners concerned",
                actions=(
                    ActionSpec(
                        "Install a steering group per priority and agree its meeting rhythm",
                        "Zone chief's office",
                        p.day(0, 1, 1),
                        p.day(0, 6, 30),
                        "done",
                    ),
                ),
            ),
        ),
    )


def information_security(p: Period, n: int, *, profiles: dict | None = None, outcomes: dict | None = None):
    profiles, outcomes = profiles or {}, outcomes or {}
    return ObjectiveSpec(
        code=f"S{n}",
        title="Protect police information and personal data",
        domain=DOM.MANAGEMENT,
        description="The zone follows the national information security policy and the data protection rules.",
        indicators=(
            p.indicator(
                "Staff trained in information security",
                "%",
                DIR.INCREASE,
                30,
                95,
                decimals=1,
                profile=profiles.get("trained", "on_track"),
            ),
        ),
        children=(
            ObjectiveSpec(
                code=f"T{n}.1",
                level=L.TACTICAL,
                domain=DOM.MANAGEMENT,
                title="Audit database consultations and close the findings",
                children=(
                    ObjectiveSpec(
                        code=f"O{n}.1.1",
                        level=L.OPERATIONAL,
                        domain=DOM.MANAGEMENT,
                        year=p.year(1),
                        title=f"In {p.year(1)}, audit a sample of police database consultations every quarter",
                        actions=(
                            ActionSpec(
                                "Appoint a data protection officer shared with the neighbouring zones",
                                "Zone chief's office",
                                p.day(0, 1, 1),
                                p.day(0, 6, 30),
                                _outcome(outcomes, "dpo", "done"),
                            ),
                            ActionSpec(
                                "Run the quarterly consultation audit",
                                "Information security adviser",
                                p.day(1, 1, 1),
                                p.day(1, 12, 31),
                                _outcome(outcomes, "audit", "progress"),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


def staff(
    p: Period, n: int, *, framework: int, profiles: dict | None = None, outcomes: dict | None = None
) -> ObjectiveSpec:
    profiles, outcomes = profiles or {}, outcomes or {}
    return ObjectiveSpec(
        code=f"S{n}",
        title=f"Keep the zone staffed at its organic framework of {framework} and retain its staff",
        domain=DOM.MANAGEMENT,
        description="Recruitment lags behind departures; the zone recruits actively and invests in well-being.",
        indicators=(
            p.indicator(
                "Staffing as a share of the organic framework",
                "%",
                DIR.KEEP,
                91,
                97,
                decimals=1,
                profile=profiles.get("staffing", "keep_ok"),
            ),
            p.indicator(
                "Sickness absence",
                "%",
                DIR.DECREASE,
                8,
                6,
                decimals=1,
                profile=profiles.get("absence", "on_track"),
            ),
        ),
        children=(
            ObjectiveSpec(
                code=f"T{n}.1",
                level=L.TACTICAL,
                domain=DOM.MANAGEMENT,
                title="Recruit through every mobility cycle and run the zone's own recruitment campaign",
                children=(
                    ObjectiveSpec(
                        code=f"O{n}.1.1",
                        level=L.OPERATIONAL,
                        domain=DOM.MANAGEMENT,
                        year=p.year(0),
                        title=f"In {p.year(0)}, publish every vacancy in each mobility cycle and at two job fairs",
                        actions=(
                            ActionSpec(
                                "Run the zone's recruitment campaign at two job fairs",
                                "Personnel service",
                                p.day(0, 2, 1),
                                p.day(0, 10, 31),
                                _outcome(outcomes, "campaign", "done"),
                            ),
                            ActionSpec(
                                "Set up an onboarding programme with a mentor for each new officer",
                                "Personnel service",
                                p.day(0, 4, 1),
                                p.day(1, 3, 31),
                                _outcome(outcomes, "onboarding", "progress"),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


def response_time(p: Period, n: int, *, profiles: dict | None = None) -> ObjectiveSpec:
    profiles = profiles or {}
    return ObjectiveSpec(
        code=f"S{n}",
        kind=K.ATTENTION_POINT,
        title="Keep the response time to urgent calls within the minimum service standard",
        domain=DOM.MANAGEMENT,
        indicators=(
            p.indicator(
                "Median response time to urgent calls",
                "minutes",
                DIR.KEEP,
                13.5,
                12,
                decimals=1,
                profile=profiles.get("response", "keep_ok"),
            ),
        ),
    )
