"""What the demonstration data set contains: users, programmes, zonal plans, comments.

The zones, districts and the two NSP editions (2016-2019 and 2022-2025) are the real reference data; no
edition is invented. The plans, their figures, the people and the comments are invented for the
demonstration: the 2014-2019 and 2020-2025 plans answer the NSP 2016-2019, the drafts of the current term
the NSP 2022-2025, whose four cross-cutting themes are run as federal programmes. Plans before 2026 have
fixed dates; the plans of the current municipal term (``term``, from ``demo.seed.current_term``) are dated
relative to its start, so the seed works on any day of that term.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from demo import blocks as b
from demo.blocks import Period
from demo.specs import (
    ActionSpec,
    CandidateSpec,
    CommentSpec,
    Content,
    ExpectationSpec,
    ObjectiveSpec,
    PlanSpec,
    ProgrammeSpec,
    Realign,
    Record,
    Transition,
    UserSpec,
)
from nsp.models import Indicator, Objective, PlanStatus
from programmes.models import Programme
from zones.models import StakeholderSource as Src

S = PlanStatus
L = Objective.Level
K = Objective.Kind
DIR = Indicator.Direction
YEARLY = Indicator.Frequency.YEARLY
HALF_YEARLY = Indicator.Frequency.HALF_YEARLY

NSP_2016 = "nsp-2016-2019"
NSP_2022 = "nsp-2022-2025"
# The NSP 2022-2025's period (the reference data's): its programmes run it.
NSP_2022_START = dt.date(2022, 1, 1)
NSP_2022_END = dt.date(2025, 12, 31)

# --- users -------------------------------------------------------------------------------------------

USERS: tuple[UserSpec, ...] = (
    UserSpec("admin", "Anne", "Verhaegen", "admin", required=True),
    UserSpec("federal.planner", "Marc", "Dubois", "federal_planner", required=True),
    UserSpec("programme.manager", "Sofie", "Janssens", "programme_manager", programme="prog-cybercrime", required=True),
    UserSpec("reviewer.brussels", "Philippe", "Lambert", "federal_reviewer", district_of_zone="5339", required=True),
    UserSpec("chief.5339", "Michel", "Goossens", "zone_chief", zone="5339", required=True),
    UserSpec("planner.5339", "Nadia", "El Amrani", "zone_planner", zone="5339", required=True),
    UserSpec("chief.5415", "Pieter", "De Smet", "zone_chief", zone="5415", required=True),
    UserSpec("cppl.member", "Luc", "Peeters", "cppl_member", required=True),
    UserSpec("committee.member", "Catherine", "Leroy", "committee_member", required=True),
    # Extra demo users: the chiefs, reviewers and manager the other demonstration plans and programme need.
    UserSpec("manager.roads", "Bart", "Willems", "programme_manager", programme="ip-road-enforcement"),
    UserSpec("manager.organised-crime", "Ilse", "Maes", "programme_manager", programme="prog-organised-crime"),
    UserSpec("manager.borders", "Olivier", "Dupont", "programme_manager", programme="prog-border-management"),
    UserSpec("manager.public-space", "Annelies", "Hermans", "programme_manager", programme="prog-public-space"),
    UserSpec("reviewer.namur", "Hélène", "Renard", "federal_reviewer", district_of_zone="5314"),
    UserSpec("reviewer.oost-vlaanderen", "Koen", "Van Damme", "federal_reviewer", district_of_zone="5415"),
    UserSpec("chief.5340", "Jan", "Claes", "zone_chief", zone="5340"),
    UserSpec("chief.5341", "Karim", "Benali", "zone_chief", zone="5341"),
    UserSpec("chief.5342", "Véronique", "Simon", "zone_chief", zone="5342"),
    UserSpec("chief.5343", "Thomas", "Wouters", "zone_chief", zone="5343"),
    UserSpec("chief.5344", "Sarah", "Lemaire", "zone_chief", zone="5344"),
    UserSpec("chief.5314", "Benoît", "Collard", "zone_chief", zone="5314"),
)

# Users who hold an API token from the start: Ghent feeds its measurements from the zone's own information system.
API_TOKEN_USERS = ("chief.5415",)

# --- national priorities a plan does not adopt, and why ---------------------------------------------
# A plan adopts a national priority by the strategic objectives that name it in ``adopts``; for every other
# priority of its edition it says why not. "P" + phenomenon number, "T" + cross-cutting theme number. The
# blocks name the numbers of the NSP 2016-2019; a plan on the NSP 2022-2025 adopts what ``ADOPTS_2022`` makes
# of them (the demonstration zones' own choice, not the previous-edition mapping of the reference data).

GENERIC_JUSTIFICATION = "Handled in regular work; the zone's analysis gives it no priority rank."

JUSTIFICATIONS = {
    "P1": (
        "No objective of its own: the zone passes signals of radicalisation to the local integral security cell "
        "and the local task force in regular work, as the national circular asks."
    ),
    "P2": (
        "The crime picture shows very few exploitation cases; they go to the specialised section of the federal "
        "judicial police, and the zone applies the national circular in regular work."
    ),
    "P3": (
        "Drug offences are handled in regular work under the judicial district's drug policy; the analysis ranks "
        "them below the chosen priorities."
    ),
    "P4": (
        "Social and fiscal fraud is investigated by the inspection services and the federal judicial police; the "
        "zone reports its findings to them in regular work."
    ),
    "P5": (
        "Complaints of cybercrime are taken and their digital evidence secured in regular work; the specialised "
        "approach is carried by the federal cybercrime programme."
    ),
    "P6": "Violent crime is handled in regular work; the analysis gives it no priority rank in this zone.",
    "P7": "Property crime is handled in regular work; the analysis gives it no priority rank in this zone.",
    "P8": (
        "Environmental offences are followed by the municipal environment officers under the administrative "
        "sanctions; the police act on their request."
    ),
    "P9": "Road safety is handled in regular work; the analysis gives it no priority rank in this zone.",
    "P10": "Nuisance is handled in regular work; the analysis gives it no priority rank in this zone.",
    "T1": "The administrative approach is applied in regular work with the municipalities, without an objective.",
    "T2": "Computer crime is handled in regular work and through the federal cybercrime programme.",
    "T3": "Domicile checks are part of regular neighbourhood work; no separate objective is needed.",
    "T4": (
        "The zone applies the asset-oriented approach where its investigations find illicit gains; it sets no "
        "objective of its own."
    ),
    "T5": (
        "International police cooperation runs through the federal police's international cooperation service; "
        "the zone has no objective of its own."
    ),
    "T6": "Investigation management follows the judicial district's guidelines; no objective of its own.",
    "T7": (
        "Identifying poly-criminal organisations is the federal judicial police's task; the zone passes its "
        "information through the district information crossroads."
    ),
}


# What a block's 2016-2019 codes adopt in a plan written against the NSP 2022-2025 (its 15 phenomena, 4 themes).
ADOPTS_2022 = {
    "P1": ("P10",),  # radicalisation → radicalisation, violent extremism and terrorism
    "P2": ("P12",),  # trafficking in and smuggling of human beings → trafficking in human beings
    "P3": ("P3",),  # drugs
    "P5": ("P13",),  # cybercrime → hacking, computer sabotage, computer fraud and internet fraud
    "P6": ("P2",),  # violent crime (the intrafamily violence block) → intrafamily and sexual violence
    "P7": ("P4",),  # property crime → crimes and offences against property
    "P8": ("P9",),  # environmental crime → human doping, food-chain and environmental crime
    "P9": ("P6",),  # road safety
    "P10": ("P5", "T4"),  # nuisance → incivilities, and the police management of public space
    "T2": ("T1",),  # computer crime → the internet and new technologies
    "T4": ("T2",),  # the assets-oriented approach (drugs block) → the approach to organised crime
    "T7": ("T2",),  # poly-criminal organisations → the approach to organised crime
}


def adopted_codes(edition: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    """The national priorities of ``edition`` that an objective naming ``codes`` (2016-2019 numbers) adopts."""
    if edition != NSP_2022:
        return codes
    return tuple(dict.fromkeys(new for code in codes for new in ADOPTS_2022.get(code, ())))


JUSTIFICATIONS_2022 = {
    "P1": (
        "Assaults and threats are handled in regular work and followed by the judicial district's policy on "
        "violence; the analysis gives them no priority rank beyond intrafamily violence."
    ),
    "P2": "Intrafamily and sexual violence are handled in regular work with the victim support services.",
    "P3": (
        "Drug offences are handled in regular work under the judicial district's drug policy; the analysis ranks "
        "them below the chosen priorities."
    ),
    "P4": "Property crime is handled in regular work; the analysis gives it no priority rank in this zone.",
    "P5": "Incivilities are handled in regular work with the municipal sanction officers.",
    "P6": "Road safety is handled in regular work; the analysis gives it no priority rank in this zone.",
    "P7": (
        "Tax fraud and financial crime are investigated by the federal judicial police and the tax inspection; "
        "the zone passes on its findings in regular work."
    ),
    "P8": (
        "Social fraud is investigated by the social inspection services; the zone takes part in their joint "
        "checks on request and reports domicile fraud in regular work."
    ),
    "P9": (
        "Environmental offences are followed by the municipal environment officers under the administrative "
        "sanctions; doping and food-chain crime by the competent inspections. The police act on their request."
    ),
    "P10": (
        "No objective of its own: the zone passes signals of radicalisation to the local integral security cell "
        "and the local task force in regular work, as the national circular asks."
    ),
    "P11": (
        "Irregular migration is handled in regular work with the Immigration Office; smuggling networks are the "
        "federal judicial police's task."
    ),
    "P12": (
        "The crime picture shows very few exploitation cases; they go to the specialised section of the federal "
        "judicial police, and the zone applies the national circular in regular work."
    ),
    "P13": (
        "Complaints of online fraud and hacking are taken and their digital evidence secured in regular work; the "
        "specialised approach is carried by the federal programme on the internet and new technologies."
    ),
    "P14": (
        "Horizontal phenomena (money laundering, corruption, arms trafficking and the like) are investigated by the "
        "federal judicial police; the zone passes its information through the district information crossroads."
    ),
    "P15": (
        "Serious violations of international humanitarian law are investigated by the federal judicial police; the "
        "zone has no objective of its own."
    ),
    "T1": "The internet and new technologies are followed through the federal programme; no objective of its own.",
    "T2": (
        "The zone contributes to the approach to organised crime by passing its information to the federal judicial "
        "police; it sets no objective of its own."
    ),
    "T3": "Integrated border management is the federal police's task; the zone has no external border.",
    "T4": (
        "The police management of public space is part of regular work (events, public order); no objective of its own."
    ),
}


def justification(edition: str, code: str) -> str:
    """Why a demonstration plan on ``edition`` does not adopt the national priority ``code``."""
    table = JUSTIFICATIONS_2022 if edition == NSP_2022 else JUSTIFICATIONS
    return table.get(code, GENERIC_JUSTIFICATION)


def with_indicator(objective: ObjectiveSpec, indicator) -> ObjectiveSpec:
    return dataclasses.replace(objective, indicators=(*objective.indicators, indicator))


def measured(frequency: str, objective: ObjectiveSpec) -> ObjectiveSpec:
    """The objective tree with every indicator measured at ``frequency``."""
    return dataclasses.replace(
        objective,
        indicators=tuple(dataclasses.replace(i, frequency=frequency) for i in objective.indicators),
        children=tuple(measured(frequency, child) for child in objective.children),
    )


# --- zonal plans -------------------------------------------------------------------------------------


def approved_then_realigned(
    chief: str, reviewer: str, *, approved: tuple[dt.date, dt.date], reason: str, reapproved: tuple[dt.date, dt.date]
) -> tuple:
    """The steps of a 2020-2025 plan written on the NSP 2016-2019 that outlived it: adopted by the council and
    approved (``approved``: the two days), then re-aligned to the NSP 2022-2025 by an addendum (``reason``; its
    answers carried through the mapping, then confirmed by the chief), adopted and approved again
    (``reapproved``), and its measurements recorded."""
    return (
        Transition(S.ADOPTED, chief, approved[0]),
        Transition(S.SUBMITTED, chief),
        Transition(S.APPROVED, reviewer, approved[1]),
        Realign(chief, reason),
        Content(by=chief),
        Transition(S.ADOPTED, chief, reapproved[0]),
        Transition(S.SUBMITTED, chief),
        Transition(S.APPROVED, reviewer, reapproved[1]),
        Record(by=chief),
    )


def plans(term: Period) -> tuple[PlanSpec, ...]:
    return (
        _plan_5339_2014(),
        _plan_5339_current(term),
        _plan_5415_2020(),
        _plan_5415_current(term),
        _plan_5340_current(term),
        _plan_5341_current(term),
        _plan_5342_2020(),
        _plan_5342_current(term),
        _plan_5343_current(term),
        _plan_5344_current(term),
        _plan_5314_2020(),
    )


def _plan_5339_2014() -> PlanSpec:
    p = Period(dt.date(2014, 1, 1), dt.date(2019, 12, 31))
    return PlanSpec(
        zone="5339",
        nsp=NSP_2016,
        start=p.start,
        end=p.end,
        created_by="chief.5339",
        environment_analysis=(
            "The zone covers the City of Brussels and Ixelles: the seat of the national and European institutions, "
            "the main railway stations, the shopping and night-life districts of the centre, and dense residential "
            "neighbourhoods. Thefts from persons and nuisance dominate the crime picture; road traffic is dense."
        ),
        mission="Guarantee the safety and quality of life of residents, commuters and visitors of the capital.",
        script=(
            Content(
                by="planner.5339",
                # The plans of that time reported once a year.
                objectives=tuple(
                    measured(YEARLY, objective)
                    for objective in (
                        b.street_theft(p, 1, per_period=10400, profiles={"thefts": "at_risk"}),
                        b.nuisance(p, 2, complaints=7200, profiles={"complaints": "on_track"}),
                        b.road_safety(p, 3, accidents=2080, checks=24000, profiles={"accidents": "achieved"}),
                        b.drugs(p, 4, kind=K.ATTENTION_POINT),
                        b.human_trafficking(p, 5),
                        b.staff(p, 6, framework=2650, profiles={"absence": "off_track"}),
                    )
                ),
            ),
            Transition(S.ADOPTED, "chief.5339", dt.date(2013, 11, 25)),
            Transition(S.SUBMITTED, "chief.5339"),
            Transition(S.APPROVED, "reviewer.brussels", dt.date(2014, 2, 20)),
            Transition(
                S.DRAFT,
                "chief.5339",
                reason=(
                    "Addendum 1: align the plan's remaining years with the new NSP 2016-2019; radicalisation and "
                    "online fraud become special attention points."
                ),
            ),
            Content(
                by="planner.5339",
                objectives=(measured(YEARLY, b.radicalisation(p, 7)), measured(YEARLY, b.online_fraud(p, 8))),
            ),
            Transition(S.ADOPTED, "chief.5339", dt.date(2016, 10, 27)),
            Transition(S.SUBMITTED, "chief.5339"),
            Transition(S.APPROVED, "reviewer.brussels", dt.date(2016, 12, 15)),
            Record(by="planner.5339"),
            Transition(S.CLOSED, "chief.5339", dt.date(2020, 1, 31)),
        ),
    )


def _plan_5339_current(term: Period) -> PlanSpec:
    p = term.later_actions()
    return PlanSpec(
        zone="5339",
        nsp=NSP_2022,
        start=p.start,
        end=p.end,
        created_by="chief.5339",
        environment_analysis=(
            "Draft. Thefts from persons around the stations and nuisance in the night-life districts remain the "
            "largest problems; drug dealing has moved towards the canal area. To be completed with the "
            f"{term.start.year - 1} security monitor."
        ),
        script=(
            Content(
                by="planner.5339",
                objectives=(
                    b.street_theft(p, 1, per_period=2450),
                    b.nuisance(p, 2, complaints=1700),
                    b.road_safety(p, 3, accidents=480, checks=6500),
                    b.drugs(p, 4),
                    b.intrafamily_violence(p, 5),
                    b.human_trafficking(p, 6),
                    b.radicalisation(p, 7),
                    b.online_fraud(p, 8),
                    b.staff(p, 9, framework=2700),
                    b.information_security(p, 10),
                ),
            ),
        ),
        comments=(
            CommentSpec(
                "planner.5339",
                f"The baseline comes from the {term.start.year - 1} crime statistics; the fourth quarter still awaits "
                "validation.",
                objective="S1",
            ),
            CommentSpec(
                "chief.5339",
                "Thank you. Let us check the 20 % target with the prosecutor's office before the council meeting.",
                objective="S1",
            ),
        ),
    )


def _plan_5415_2020() -> PlanSpec:
    p = Period(dt.date(2020, 1, 1), dt.date(2025, 12, 31))
    feeling_safe = p.indicator(
        "Residents who feel safe in their neighbourhood",
        "%",
        DIR.INCREASE,
        72,
        80,
        source=Indicator.Source.SECURITY_MONITOR,
        source_detail="Local security monitor (planned for 2021 and 2024)",
        frequency=Indicator.Frequency.YEARLY,
        profile="none",
    )
    return PlanSpec(
        zone="5415",
        nsp=NSP_2016,
        start=p.start,
        end=p.end,
        created_by="chief.5415",
        environment_analysis=(
            "Ghent is a university city and port with a large night-life district. Residential burglaries fell "
            "over the previous plan but remain above the Flemish average; injury accidents involve cyclists more "
            "and more; the port attracts drug trafficking."
        ),
        script=(
            Content(
                by="chief.5415",
                objectives=(
                    b.burglaries(
                        p,
                        1,
                        per_period=380,
                        profiles={"burglaries": "achieved", "crime_scene": "at_risk"},
                        outcomes={"briefing": "late"},
                    ),
                    b.road_safety(
                        p,
                        2,
                        accidents=430,
                        checks=5200,
                        profiles={"checks": "off_track"},
                        outcomes={"analysers": "late", "schools": "cancelled"},
                    ),
                    b.intrafamily_violence(p, 3, profiles={"risk": "at_risk"}),
                    with_indicator(
                        b.nuisance(p, 4, complaints=950, profiles={"complaints": "off_track", "sanctions": "achieved"}),
                        feeling_safe,
                    ),
                    b.drugs(
                        p,
                        5,
                        kind=K.ATTENTION_POINT,
                        profiles={"investigations_last": "2024-Q4"},
                        outcomes={"training": "late"},
                    ),
                    # Personnel figures come from the half-yearly social balance.
                    measured(
                        HALF_YEARLY,
                        b.staff(
                            p, 6, framework=1150, profiles={"absence": "off_track"}, outcomes={"onboarding": "late"}
                        ),
                    ),
                    b.response_time(p, 7, profiles={"response": "keep_off"}),
                ),
            ),
            # Addendum 1: the plan takes the NSP 2022-2025 over; its answers are carried through the mapping,
            # then the chief confirms or changes them and answers the new priorities.
            *approved_then_realigned(
                "chief.5415",
                "reviewer.oost-vlaanderen",
                approved=(dt.date(2019, 12, 12), dt.date(2020, 3, 5)),
                reason=(
                    "Addendum 1: re-align the plan's remaining years with the NSP 2022-2025, as the law asks of a plan "
                    "that outlives the NSP it was written against."
                ),
                reapproved=(dt.date(2022, 5, 19), dt.date(2022, 9, 8)),
            ),
        ),
        comments=(
            CommentSpec(
                "committee.member",
                "Nuisance complaints did not fall as planned. Could the zone explain this in its next annual report?",
                indicator="Nuisance complaints",
            ),
            CommentSpec(
                "chief.5415",
                "The noise-reporting app launched in 2023 roughly doubled registrations; part of the trend is a "
                "recording effect. We will show both series in the annual report.",
                indicator="Nuisance complaints",
            ),
            CommentSpec(
                "reviewer.oost-vlaanderen",
                "The 2021 security monitor was not held; please record the 2024 survey result when it is published.",
                indicator="Residents who feel safe in their neighbourhood",
            ),
        ),
    )


def _plan_5415_current(term: Period) -> PlanSpec:
    p = term.later_actions()
    return PlanSpec(
        zone="5415",
        nsp=NSP_2022,
        start=p.start,
        end=p.end,
        created_by="chief.5415",
        script=(
            Content(
                by="chief.5415",
                objectives=(
                    b.burglaries(p, 1, per_period=330, adopts=("P7", "T6", "T7")),
                    b.road_safety(p, 2, accidents=400, checks=6000),
                    b.intrafamily_violence(p, 3),
                    b.nuisance(p, 4, complaints=1100),
                    b.drugs(p, 5),
                    b.online_fraud(p, 6),
                    b.radicalisation(p, 7),
                    b.staff(p, 8, framework=1180),
                    b.partnerships(p, 9),
                ),
            ),
        ),
    )


def _plan_5340_current(term: Period) -> PlanSpec:
    p, year = term.later_actions(), term.start.year - 1
    return PlanSpec(
        zone="5340",
        nsp=NSP_2022,
        start=p.start,
        end=p.end,
        created_by="chief.5340",
        script=(
            Content(
                by="chief.5340",
                objectives=(
                    b.street_theft(p, 1, per_period=900),
                    b.nuisance(p, 2, complaints=1200),
                    b.drugs(p, 3),
                    b.radicalisation(p, 4),
                    b.staff(p, 5, framework=850),
                ),
            ),
            Transition(S.ADOPTED, "chief.5340", dt.date(year, 12, 4)),
            Transition(S.SUBMITTED, "chief.5340"),
        ),
        comments=(
            CommentSpec(
                "reviewer.brussels",
                "Received. The alignment is complete; I will give my opinion once I have read the indicators of S1.",
            ),
        ),
    )


def _plan_5341_current(term: Period) -> PlanSpec:
    p, year = term.later_actions(), term.start.year - 1
    return PlanSpec(
        zone="5341",
        nsp=NSP_2022,
        start=p.start,
        end=p.end,
        created_by="chief.5341",
        script=(
            Content(
                by="chief.5341",
                objectives=(
                    b.street_theft(p, 1, per_period=1100),
                    b.drugs(p, 2),
                    b.nuisance(p, 3, complaints=1300),
                    b.human_trafficking(p, 4),
                ),
            ),
            Transition(S.ADOPTED, "chief.5341", dt.date(year, 12, 18)),
        ),
    )


def _plan_5342_2020() -> PlanSpec:
    """Uccle/Watermael-Boitsfort/Auderghem's 2020-2025 plan: written against the NSP 2016-2019, re-aligned to the
    NSP 2022-2025 by addendum (as Ghent's; Condroz-Famenne's is not yet)."""
    p = Period(dt.date(2020, 1, 1), dt.date(2025, 12, 31))
    return PlanSpec(
        zone="5342",
        nsp=NSP_2016,
        start=p.start,
        end=p.end,
        created_by="chief.5342",
        environment_analysis=(
            "Three residential municipalities in the south of the capital, green and largely quiet. Residential "
            "burglaries are the most frequent serious offence; injury accidents concentrate on the main axes "
            "(chaussée de Waterloo, boulevard du Souverain); nuisance is local and seasonal."
        ),
        script=(
            Content(
                by="chief.5342",
                objectives=(
                    b.burglaries(p, 1, per_period=340, profiles={"burglaries": "on_track"}),
                    b.road_safety(p, 2, accidents=170, checks=2300, profiles={"accidents": "at_risk"}),
                    b.intrafamily_violence(p, 3),
                    b.nuisance(p, 4, complaints=520),
                    b.staff(p, 5, framework=540, profiles={"absence": "off_track"}),
                ),
            ),
            # Addendum 1: the NSP 2022-2025 taken over; the answers carried through the mapping, then confirmed.
            *approved_then_realigned(
                "chief.5342",
                "reviewer.brussels",
                approved=(dt.date(2019, 11, 21), dt.date(2020, 2, 27)),
                reason=(
                    "Addendum 1: re-align the plan's remaining years with the NSP 2022-2025, which the zonal security "
                    "council asked for after the NSP's validation."
                ),
                reapproved=(dt.date(2022, 10, 20), dt.date(2022, 12, 15)),
            ),
        ),
    )


def _plan_5342_current(term: Period) -> PlanSpec:
    p, year = term, term.start.year - 1
    return PlanSpec(
        zone="5342",
        nsp=NSP_2022,
        start=p.start,
        end=p.end,
        created_by="chief.5342",
        script=(
            Content(
                by="chief.5342",
                objectives=(
                    b.burglaries(p, 1, per_period=290, outcomes={"advisers": "progress", "briefing": "planned"}),
                    b.road_safety(p, 2, accidents=150, checks=2500, outcomes={"analysers": "started"}),
                    b.intrafamily_violence(p, 3, outcomes={"training": "progress"}),
                    b.online_fraud(p, 4, outcomes={"elearning": "started"}),
                    b.staff(p, 5, framework=560, outcomes={"campaign": "progress", "onboarding": "planned"}),
                ),
            ),
            Transition(S.ADOPTED, "chief.5342", dt.date(year, 10, 16)),
            Transition(S.SUBMITTED, "chief.5342"),
            Transition(S.APPROVED, "reviewer.brussels", dt.date(year, 12, 11)),
            Record(by="chief.5342"),
        ),
        comments=(
            CommentSpec(
                "cppl.member",
                "A clear plan with measurable indicators; the CPPL-VCLP would like to use it as an example in its "
                "planning workshop.",
            ),
        ),
    )


def _plan_5343_current(term: Period) -> PlanSpec:
    p, year = term.later_actions(), term.start.year - 1
    return PlanSpec(
        zone="5343",
        nsp=NSP_2022,
        start=p.start,
        end=p.end,
        created_by="chief.5343",
        script=(
            Content(
                by="chief.5343",
                objectives=(
                    b.burglaries(p, 1, per_period=210),
                    b.road_safety(p, 2, accidents=120, checks=2200),
                    b.nuisance(p, 3, complaints=600),
                    b.staff(p, 4, framework=540),
                ),
            ),
            Transition(S.ADOPTED, "chief.5343", dt.date(year, 11, 20)),
            Transition(S.SUBMITTED, "chief.5343"),
            Transition(
                S.DRAFT,
                "reviewer.brussels",
                reason=(
                    f"Returned to the zone: the indicators of S2 and S3 have no validated {year} baseline, and the "
                    "justification for not adopting the drug policy does not reflect the dealing reported around "
                    "the Merode metro station. Please complete both and submit again."
                ),
            ),
        ),
        comments=(
            CommentSpec(
                "chief.5343",
                "Understood. We will add the validated baselines and revisit the drug policy with the council.",
            ),
        ),
    )


def _plan_5344_current(term: Period) -> PlanSpec:
    p, year = term.later_actions(), term.start.year - 1
    return PlanSpec(
        zone="5344",
        nsp=NSP_2022,
        start=p.start,
        end=p.end,
        created_by="chief.5344",
        script=(
            Content(
                by="chief.5344",
                objectives=(
                    b.street_theft(p, 1, per_period=800),
                    b.nuisance(p, 2, complaints=1100),
                    b.human_trafficking(p, 3),
                    b.staff(p, 4, framework=900),
                ),
            ),
            Transition(S.ADOPTED, "chief.5344", dt.date(year, 10, 9)),
            Transition(S.SUBMITTED, "chief.5344"),
            Transition(S.APPROVED, "reviewer.brussels", dt.date(year, 11, 27)),
            Transition(
                S.DRAFT,
                "chief.5344",
                reason=(
                    "Addendum 1: the mayors ask for a priority on drug dealing around the North station after the "
                    "latest local security diagnosis."
                ),
            ),
            Content(by="chief.5344", objectives=(b.drugs(p, 5),)),
        ),
    )


def _plan_5314_2020() -> PlanSpec:
    p = Period(dt.date(2020, 1, 1), dt.date(2025, 12, 31))
    return PlanSpec(
        zone="5314",
        nsp=NSP_2016,
        start=p.start,
        end=p.end,
        created_by="chief.5314",
        environment_analysis=(
            "Crime picture. Ciney, Hamois, Havelange and Somme-Leuze form a rural zone of some 40,000 residents. "
            "Residential burglaries, often by itinerant groups using the N4 and E411, and intrafamily violence are "
            "the most frequent serious offences; nuisance concentrates in Ciney's centre and at events.\n\n"
            "Road safety. Injury accidents cluster on the N4, the N97 and the N63; speed and alcohol are the main "
            "factors, and young drivers are over-represented at night.\n\n"
            "Population survey. Residents rank speeding, burglaries and incivilities (litter, noise, vandalism) as "
            "their main concerns; satisfaction with the neighbourhood officer is high.\n\n"
            "Internal functioning and trends. The staffing is below the organic framework; recruitment competes "
            "with larger zones. Information security and the digitisation of procedures need investment."
        ),
        mission=(
            "The Condroz-Famenne police zone ensures, with its partners, a safe and pleasant living environment for "
            "everyone in its four municipalities, through a police service close to the people."
        ),
        vision=(
            "A community-oriented police that knows its territory, acts on the priorities agreed with the "
            "authorities, works with its partners and learns from its results."
        ),
        values="Integrity, respect, availability, professionalism and team spirit.",
        script=(
            Content(
                by="chief.5314",
                # A small zone: the analysis cell reports every six months.
                objectives=tuple(
                    measured(HALF_YEARLY, objective)
                    for objective in (
                        b.road_safety(p, 1, accidents=90, checks=3600, profiles={"accidents": "achieved"}),
                        b.burglaries(
                            p, 2, per_period=96, profiles={"visits": "achieved"}, outcomes={"briefing": "done"}
                        ),
                        b.intrafamily_violence(p, 3, profiles={"referral": "at_risk"}),
                        b.nuisance(p, 4, complaints=280, profiles={"complaints": "at_risk"}),
                        b.drugs(p, 5, kind=K.ATTENTION_POINT),
                        b.partnerships(p, 6, adopts=("T1",)),
                        b.information_security(p, 7, outcomes={"audit": "late"}),
                        b.staff(p, 8, framework=120, profiles={"staffing": "keep_off"}),
                    )
                ),
                expectations=(
                    ExpectationSpec(
                        Src.MAYORS,
                        "Mayors of Ciney, Hamois, Havelange and Somme-Leuze",
                        "Speed checks in the village centres and near schools; a visible presence against "
                        "burglaries; a quick answer to incivilities (litter, noise, vandalism).",
                    ),
                    ExpectationSpec(
                        Src.PROSECUTOR,
                        "Procureur du Roi, Namur",
                        "A uniform approach to intrafamily violence with a risk assessment at each intervention; "
                        "investigation of every burglary; alcohol and drug checks on the road.",
                    ),
                    ExpectationSpec(
                        Src.NSP,
                        "National Security Plan 2016-2019",
                        "Contribute to the national priorities: property crime, violent crime and intrafamily "
                        "violence, road safety, nuisance, drugs; apply the administrative approach.",
                    ),
                    ExpectationSpec(
                        Src.PARTNERS,
                        "Municipal prevention services, public social welfare centres, victim support",
                        "Shared follow-up of vulnerable families; referral of victims; joint prevention campaigns.",
                    ),
                    ExpectationSpec(
                        Src.POPULATION,
                        "Local security survey 2018",
                        "Less speeding, fewer burglaries, cleaner public spaces.",
                    ),
                ),
                matrix=(
                    _candidate("Road safety", 9, (5, 4, 5, 5, 4), "S1"),
                    _candidate("Residential burglaries", 7, (4, 4, 5, 4, 4), "S2"),
                    _candidate("Intrafamily violence", 6, (3, 5, 5, 2, 4), "S3"),
                    _candidate("Incivilities and nuisance", 10, (5, 2, 5, 4, 3), "S4"),
                    _candidate("Drug dealing", 3, (3, 4, 5, 2, 3), note="Followed as a special attention point (S5)."),
                    _candidate("Online fraud", 5, (2, 3, 5, 3, 3), note="Regular work; federal programme."),
                    _candidate("Illegal dumping", 8, (4, 2, 5, 3, 2), note="Municipal environment officers lead."),
                    _candidate("Radicalisation", 1, (1, 3, 5, 1, 1), note="Information exchange in regular work."),
                ),
            ),
            Transition(S.ADOPTED, "chief.5314", dt.date(2019, 11, 28)),
            Transition(S.SUBMITTED, "chief.5314"),
            Transition(S.APPROVED, "reviewer.namur", dt.date(2020, 2, 13)),
            Record(by="chief.5314"),
        ),
        comments=(
            CommentSpec(
                "federal.planner",
                "The argumentation matrix makes the choice of priorities easy to follow; we would like to quote it "
                "in the methodological guide for the next zonal plans.",
            ),
        ),
    )


MATRIX_SOURCES = (Src.MAYORS, Src.PROSECUTOR, Src.NSP, Src.POPULATION, Src.ANALYSIS)


def _candidate(label: str, phenomenon: int, scores: tuple[int, ...], chosen_as: str = "", note: str = ""):
    return CandidateSpec(label, phenomenon, dict(zip(MATRIX_SOURCES, scores, strict=True)), chosen_as, note)


# --- federal programmes --------------------------------------------------------------------------------


def programmes() -> tuple[ProgrammeSpec, ...]:
    """The four cross-cutting themes of the NSP 2022-2025, each run as a programme, and one improvement project."""
    p = Period(NSP_2022_START, NSP_2022_END)
    return (
        ProgrammeSpec(
            code="prog-cybercrime",
            title="Programme: the internet and new technologies",
            programme_type=Programme.Type.PROGRAMME,
            owning_unit="DGJ/DJSOC (Federal Computer Crime Unit)",
            description=(
                "The programme of the NSP 2022-2025's theme 'the internet and new technologies' (art. 95): every "
                "police zone able to take a cybercrime complaint and secure digital evidence, and the regional "
                "computer crime units able to analyse seized devices in time."
            ),
            nsp=NSP_2022,
            start=p.start,
            end=p.end,
            phenomena=(13,),
            themes=(1,),
            manager="programme.manager",
            objectives=(
                ObjectiveSpec(
                    code="S1",
                    title=f"Every police zone takes cybercrime complaints and secures digital evidence by {p.end.year}",
                    indicators=(
                        p.indicator(
                            "Police zones with a trained digital first responder",
                            "zones",
                            DIR.INCREASE,
                            96,
                            180,
                            description="Zones with at least one officer who completed the first-responder course.",
                        ),
                    ),
                    children=(
                        ObjectiveSpec(
                            code="T1.1",
                            level=L.TACTICAL,
                            title="Train first-line officers in securing digital evidence",
                            indicators=(
                                p.indicator(
                                    "Officers who completed the first-responder e-learning (cumulative)",
                                    "officers",
                                    DIR.INCREASE,
                                    1500,
                                    8000,
                                ),
                            ),
                            children=(
                                ObjectiveSpec(
                                    code="O1.1.1",
                                    level=L.OPERATIONAL,
                                    year=p.year(0),
                                    title=f"In {p.year(0)}, publish the e-learning on the police learning platform",
                                    actions=(
                                        ActionSpec(
                                            "Publish the first-responder e-learning in French, Dutch and German",
                                            "DJSOC/FCCU with the national police academy",
                                            p.day(0, 1, 1),
                                            p.day(0, 6, 30),
                                            "done",
                                        ),
                                        ActionSpec(
                                            "Give each zone a digital evidence kit",
                                            "DJSOC/FCCU",
                                            p.day(0, 3, 1),
                                            p.day(1, 6, 30),
                                            "progress",
                                        ),
                                    ),
                                ),
                            ),
                        ),
                        ObjectiveSpec(
                            code="T1.2",
                            level=L.TACTICAL,
                            title="Shorten the analysis of seized devices by the regional computer crime units",
                            indicators=(
                                p.indicator(
                                    "Median time to analyse a seized device",
                                    "days",
                                    DIR.DECREASE,
                                    95,
                                    60,
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            comments=(
                CommentSpec(
                    "federal.planner",
                    "Please report the number of zones per province as well; the Coordinating Committee asked for it.",
                    indicator="Police zones with a trained digital first responder",
                ),
            ),
        ),
        ProgrammeSpec(
            code="ip-road-enforcement",
            title="Improvement project: road safety enforcement on the motorway network",
            programme_type=Programme.Type.IMPROVEMENT_PROJECT,
            owning_unit="DGA/DAH (federal road police)",
            description=(
                "An improvement project in everyday missions: more visible, better coordinated speed and alcohol "
                "enforcement on the motorways, planned together with the local police zones."
            ),
            nsp=NSP_2022,
            start=p.start,
            end=p.end,
            phenomena=(6,),
            themes=(),
            manager="manager.roads",
            objectives=(
                ObjectiveSpec(
                    code="S1",
                    title=f"Reduce injury accidents on the motorway network by 15 % by {p.end.year}",
                    indicators=(
                        p.indicator(
                            "Injury accidents on the motorway network per quarter",
                            "accidents",
                            DIR.DECREASE,
                            620,
                            527,
                            source=Indicator.Source.CRIME_STATISTICS,
                            source_detail="Police road accident statistics",
                        ),
                    ),
                    children=(
                        ObjectiveSpec(
                            code="T1.1",
                            level=L.TACTICAL,
                            title="Plan speed and alcohol checks jointly with the local police zones",
                            indicators=(
                                p.indicator(
                                    "Joint control actions with local police zones per quarter",
                                    "actions",
                                    DIR.INCREASE,
                                    40,
                                    80,
                                ),
                            ),
                            children=(
                                ObjectiveSpec(
                                    code="O1.1.1",
                                    level=L.OPERATIONAL,
                                    year=p.year(0),
                                    title=f"In {p.year(0)}, agree a joint enforcement calendar with the CPPL-VCLP",
                                    actions=(
                                        ActionSpec(
                                            "Agree the joint enforcement calendar with the CPPL-VCLP",
                                            "DGA/DAH",
                                            p.day(0, 1, 1),
                                            p.day(0, 3, 31),
                                            "done",
                                        ),
                                        ActionSpec(
                                            "Share section speed-control data with the local police zones",
                                            "DGA/DAH with the regional road authorities",
                                            p.day(0, 4, 1),
                                            p.day(1, 12, 31),
                                            "progress",
                                        ),
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            comments=(
                CommentSpec(
                    "manager.roads",
                    "Joint actions include those of the regional road police units that joined in the second quarter.",
                    indicator="Joint control actions with local police zones per quarter",
                ),
            ),
        ),
        _theme_programme(
            p,
            code="prog-organised-crime",
            theme=2,
            phenomena=(3, 4, 14),
            title="Programme: the approach to organised crime",
            owning_unit="DGJ (federal judicial police) with the district judicial directorates",
            description=(
                "The programme of the NSP 2022-2025's theme 'the approach to organised crime': the administrative "
                "and the asset-oriented approach beside the judicial one, against the criminal organisations "
                "behind drug trafficking and organised property crime."
            ),
            manager="manager.organised-crime",
            goal="Dismantle more criminal organisations and seize their assets",
            indicator=("Criminal organisations dismantled per quarter", "organisations", 12, 18),
            tactical="Apply the administrative approach with the municipalities in every judicial district",
            tactical_indicator=("Judicial districts with an administrative-approach agreement", "districts", 4, 12),
            actions=(
                ("Sign an administrative-approach protocol with the municipalities of each district", "DGJ", "done"),
                ("Train the district investigators in asset tracing", "DGJ/DJSOC with the police academy", "progress"),
            ),
        ),
        _theme_programme(
            p,
            code="prog-border-management",
            theme=3,
            phenomena=(11, 12),
            title="Programme: integrated border management",
            owning_unit="DGA (federal administrative police: aviation, maritime and railway police)",
            description=(
                "The programme of the NSP 2022-2025's theme 'integrated border management': checks at the external "
                "borders (airports and ports) and against smuggling of human beings, with the Immigration Office."
            ),
            manager="manager.borders",
            goal="Check every passenger at the external borders against the European information systems",
            indicator=("Share of border checks run against the European information systems", "%", 85, 100),
            tactical="Equip the border posts of the airports and ports with automated gates",
            tactical_indicator=("Border posts with automated gates", "posts", 2, 8),
            actions=(
                ("Install automated gates at the national airport", "DGA/DAC (aviation police)", "done"),
                ("Install automated gates at the port of Zeebrugge", "DGA/DAM (maritime police)", "late"),
            ),
        ),
        _theme_programme(
            p,
            code="prog-public-space",
            theme=4,
            phenomena=(5,),
            title="Programme: the police management of public space",
            owning_unit="DGA (federal administrative police) with the CPPL-VCLP",
            description=(
                "The programme of the NSP 2022-2025's theme 'the police management of public space': the "
                "negotiated management of events and gatherings, and the support of the zones at large events."
            ),
            manager="manager.public-space",
            goal="Manage every large event and gathering with a shared, negotiated approach",
            indicator=("Large events with a joint police order of operations", "%", 60, 90),
            tactical="Train local and federal commanders in the negotiated management of public space",
            tactical_indicator=("Commanders trained in negotiated management (cumulative)", "officers", 150, 600),
            actions=(
                ("Publish the common doctrine on the management of public space", "DGA", "done"),
                ("Run the commander training in each province", "DGA with the provincial police schools", "progress"),
            ),
        ),
    )


def _theme_programme(
    p: Period,
    *,
    code: str,
    theme: int,
    phenomena: tuple[int, ...],
    title: str,
    owning_unit: str,
    description: str,
    manager: str,
    goal: str,
    indicator: tuple[str, str, int, int],
    tactical: str,
    tactical_indicator: tuple[str, str, int, int],
    actions: tuple[tuple[str, str, str], ...],
) -> ProgrammeSpec:
    """A programme running one cross-cutting theme of the NSP 2022-2025: a strategic goal, one tactical step."""
    name, unit, baseline, target = indicator
    t_name, t_unit, t_baseline, t_target = tactical_indicator
    return ProgrammeSpec(
        code=code,
        title=title,
        programme_type=Programme.Type.PROGRAMME,
        owning_unit=owning_unit,
        description=description,
        nsp=NSP_2022,
        start=p.start,
        end=p.end,
        phenomena=phenomena,
        themes=(theme,),
        manager=manager,
        objectives=(
            ObjectiveSpec(
                code="S1",
                title=f"{goal} by {p.end.year}",
                indicators=(p.indicator(name, unit, DIR.INCREASE, baseline, target),),
                children=(
                    ObjectiveSpec(
                        code="T1.1",
                        level=L.TACTICAL,
                        title=tactical,
                        indicators=(p.indicator(t_name, t_unit, DIR.INCREASE, t_baseline, t_target),),
                        children=(
                            ObjectiveSpec(
                                code="O1.1.1",
                                level=L.OPERATIONAL,
                                year=p.year(1),
                                title=f"In {p.year(1)}, {tactical[0].lower()}{tactical[1:]}: the first steps",
                                actions=tuple(
                                    ActionSpec(action, owner, p.day(1, 1, 1), p.day(1 + index, 12, 31), outcome)
                                    for index, (action, owner, outcome) in enumerate(actions)
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


# --- the local-police vision -----------------------------------------------------------------------

VISION_TITLE = "The local police's vision on the NSP 2016-2019"
VISION_TEXT = (
    "The Standing Committee of the Local Police supports the NSP 2016-2019 and its title, 'Together to the heart "
    "of the matter'. Integrated work succeeds when the zones can recognise their own problems in the national "
    "priorities and when the federal police support them where they lack specialised means.\n\n"
    "The zones ask that the zonal security plans keep the room to set local priorities from their own analysis and "
    "the expectations of their authorities, and that not adopting a national priority, with a reason, is seen as "
    "a sound choice, not as a shortcoming.\n\n"
    "The local police expect support in four areas: digital evidence and cybercrime reception; information "
    "exchange on radicalisation; the asset-oriented approach in local investigations; and the staffing of the "
    "zones, which conditions everything else."
)


# The Brussels regional security plan (Law of 6 January 2014) as a plan of its own kind, for demonstration.
REGIONAL_PLAN = {
    "title": "Brussels regional security plan 2021-2024 (demonstration)",
    "authority": "Brussels-Capital Region",
    "period_start": dt.date(2021, 1, 1),
    "period_end": dt.date(2024, 12, 31),
    "status": "approved",
    "summary": (
        "The regional plan sets the shared security priorities of the nineteen municipalities and the six "
        "police zones of the Brussels-Capital Region, in line with the National Security Plan. Demonstration "
        "text, not the official plan."
    ),
}
