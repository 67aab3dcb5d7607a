"""Selectors for the Committee's questions beyond the overview: how the nation moves quarter by quarter (trend),
progress per province and per programme (roll-ups), and which zones need attention.

Built beside ``reporting.selectors.overview`` and from its parts: every query starts from ``restrict(user,
"view")``; progress is ``nsp.progress``'s (``selectors.objective_results`` annotated as at a day, then
``selectors.group_fields``); nothing here restates a progress rule. Results are plain, JSON-ready dicts.

The trend is the progress "as at" the end of each quarter: the latest measurement of a period begun by then,
expected by then, status by then (the rules of ``nsp.progress``). An action has no dated history of its
completion, so it counts with its completion of today in every quarter (docs/progress.md).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nsp import periods, progress
from nsp.models import Indicator, NationalSecurityPlan, Plan, PlanStatus
from reporting import selectors
from zones.models import District, PoliceZone, ZonalSecurityPlan

QUARTERLY = periods.Frequency.QUARTERLY
COLLECTION_STATES = {
    "reported": gettext_lazy("Reported"),
    "partly": gettext_lazy("Partly reported"),
    "not_reported": gettext_lazy("Not reported"),
}
ATTENTION_ZONES = 10


# --- the trend over quarters --------------------------------------------------------------------------


def edition_quarters(nsp: NationalSecurityPlan, *, today: dt.date) -> list[periods.Period]:
    """The quarters of the edition (its extension included) that have ended by ``today``."""
    last = min(nsp.effective_end, today)
    return [q for q in periods.between(nsp.period_start, last, QUARTERLY) if q.end <= today]


def _quarter(period: periods.Period) -> dict[str, str]:
    return {"period": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()}


def trend(
    *,
    user,
    nsp: NationalSecurityPlan | None,
    today: dt.date,
    district: District | None = None,
    zone: PoliceZone | None = None,
    last: int = 0,
) -> dict[str, Any]:
    """National, per cluster and per district progress as at the end of each ended quarter of the edition.

    ``last`` keeps only the latest quarters (0: all). Queries: the same number whatever the number of quarters
    and plans: every objective totalled at every quarter's end in one pass (``objective_results_at``), the
    clusters' and districts' members read once, then each quarter's groups are sums in Python.
    """
    if nsp is None:
        return {"quarters": [], "national": [], "clusters": [], "districts": []}
    quarters = edition_quarters(nsp, today=today)
    if last:
        quarters = quarters[-last:]
    plans = selectors.scoped_plans(user=user, nsp=nsp, district=district, zone=zone, as_of=today)
    objectives = selectors._objectives(user, plans)
    national: list[dict] = []
    clusters: dict[int, dict] = {}
    districts: dict[int, dict] = {}
    if not quarters:
        return {"quarters": [], "national": [], "clusters": [], "districts": []}
    at = selectors.objective_results_at(objectives, dates=[q.end for q in quarters])
    # Who belongs to which group does not depend on the day: read once, from any quarter's results.
    first = at[quarters[0].end]
    cluster_rows = selectors.priority_members(user=user, plans=plans, objectives=first, nsp=nsp)["clusters"]
    district_rows = selectors.district_members(user=user, plans=plans, objectives=first, district=district)
    for quarter in quarters:
        results = at[quarter.end]
        national.append({**_quarter(quarter), **selectors.group_fields(results, results.keys())})
        for base, members in cluster_rows:
            row = {**base, **selectors.group_fields(results, members)}
            entry = clusters.setdefault(row["id"], {"id": row["id"], "label": row["label"], "quarters": []})
            entry["quarters"].append({**_quarter(quarter), **_point(row)})
        for base, members in district_rows:
            row = {**base, **selectors.group_fields(results, members)}
            entry = districts.setdefault(row["id"], {"id": row["id"], "label": row["label"], "quarters": []})
            entry["quarters"].append({**_quarter(quarter), **_point(row)})
    return {
        "quarters": [_quarter(q) for q in quarters],
        "national": national,
        "clusters": list(clusters.values()),
        "districts": list(districts.values()),
    }


def _point(row: dict) -> dict:
    return {k: row[k] for k in ("progress", "progress_status", "progress_status_label", "objectives")}


def change(series: list[dict]) -> dict[str, Any] | None:
    """The last quarter against the one before: both shares and the difference in percentage points."""
    measured = [q for q in series if q["progress"] is not None]
    if len(series) < 2 or not measured:
        return None
    now, before = series[-1], series[-2]
    delta = None
    if now["progress"] is not None and before["progress"] is not None:
        delta = now["progress"] - before["progress"]
    return {"period": now["period"], "previous": before["period"], "now": now, "before": before, "delta": delta}


# --- roll-ups by province and by programme ------------------------------------------------------------


def province_progress(*, user, plans: QuerySet[Plan], objectives: dict[int, selectors.ObjectiveResult]) -> list:
    """Per province (the Brussels-Capital region stands for its own): zonal plans and their objectives' mean."""
    from reporting.coverage import province_label

    zonal = plans.filter(kind=Plan.Kind.ZONAL).order_by().values_list("pk", "zone_id")
    zone_of = dict(zonal)
    zones = {z.pk: z for z in PoliceZone.objects.restrict(user, "view").filter(pk__in=set(zone_of.values()))}
    members: dict[str, list[int]] = {}
    plan_counts: dict[str, int] = {}
    for zone_id in zone_of.values():
        if zone_id in zones:
            label = province_label(zones[zone_id])
            plan_counts[label] = plan_counts.get(label, 0) + 1
            members.setdefault(label, [])
    for result in objectives.values():
        zone = zones.get(zone_of.get(result.plan_id))
        if zone is not None:
            members.setdefault(province_label(zone), []).append(result.pk)
    return [
        {"id": label, "label": label, "plans": plan_counts.get(label, 0), **selectors.group_fields(objectives, pks)}
        for label, pks in sorted(members.items())
    ]


def programme_progress(*, user, plans: QuerySet[Plan], objectives: dict[int, selectors.ObjectiveResult]) -> list:
    """Per federal programme (and improvement project) the user may read: its objectives' mean."""
    members: dict[int, list[int]] = {}
    for result in objectives.values():
        if result.plan_kind == Plan.Kind.PROGRAMME:
            members.setdefault(result.plan_id, []).append(result.pk)
    programmes = plans.filter(kind=Plan.Kind.PROGRAMME).order_by("title").values_list("pk", "title")
    return [
        {"id": pk, "label": title, **selectors.group_fields(objectives, members.get(pk, []))}
        for pk, title in programmes
    ]


def rollups(
    *, user, nsp: NationalSecurityPlan | None, as_of: dt.date, district: District | None = None, zone=None
) -> dict:
    plans = selectors.scoped_plans(user=user, nsp=nsp, district=district, zone=zone, as_of=as_of)
    objectives = selectors.objective_results(selectors._objectives(user, plans), as_of=as_of)
    return {
        "provinces": province_progress(user=user, plans=plans, objectives=objectives),
        "programmes": programme_progress(user=user, plans=plans, objectives=objectives),
    }


# --- zones needing attention ------------------------------------------------------------------------------


STALE_FIELDS = ("frequency", "baseline_date", "target_date", "latest_period")  # what ``stale`` reads


def stale(indicator: Indicator, *, as_of: dt.date) -> bool:
    """No new measurement for two due periods: the last two due periods both lack one."""
    due = progress.last_due_period(
        frequency=indicator.frequency,
        baseline_date=indicator.baseline_date,
        target_date=indicator.target_date,
        as_of=as_of,
    )
    if due is None or due.previous().end < indicator.baseline_date:
        return False  # fewer than two periods were due yet
    latest = indicator.latest_period
    if not latest:
        return True
    return periods.parse(latest).end < due.previous().start


def zones_needing_attention(
    *,
    user,
    nsp: NationalSecurityPlan | None,
    as_of: dt.date,
    district: District | None = None,
    zone: PoliceZone | None = None,
    limit: int = ATTENTION_ZONES,
) -> dict[str, Any]:
    """Zones ranked by what needs the Committee's attention, each reason counted and said.

    Off-track objectives and overdue indicators (approved plans), indicators gone stale (no new measurement
    for two due periods), and a plan still in draft past its start (only readers of drafts see one). Zones
    with no plan the reader may see for the edition are counted apart (``no_plan``).
    """
    if nsp is None:
        return {"zones": [], "total": 0, "no_plan": 0}
    plans = selectors.scoped_plans(user=user, nsp=nsp, district=district, zone=zone, as_of=as_of).filter(
        kind=Plan.Kind.ZONAL
    )
    objectives = selectors.objective_results(selectors._objectives(user, plans), as_of=as_of)
    per_zone: dict[int, dict[str, Any]] = {}

    def entry(zone_id: int) -> dict[str, Any]:
        return per_zone.setdefault(zone_id, {"off_track": 0, "overdue": 0, "stale": 0, "draft_past_start": False})

    zone_of = dict(plans.order_by().values_list("pk", "zone_id"))
    for result in objectives.values():
        if result.status == progress.ProgressStatus.OFF_TRACK and result.plan_id in zone_of:
            entry(zone_of[result.plan_id])["off_track"] += 1
    indicators = progress.annotate_indicators(
        Indicator.objects.restrict(user, "view").filter(plan__in=plans.filter(status=PlanStatus.APPROVED).values("pk")),
        as_of=as_of,
    ).values_list("plan_id", "overdue", *STALE_FIELDS)
    # Rows, not model instances, and ``stale`` once per distinct (frequency, dates, latest period): at national
    # size 27,000 indicators share a few hundred of them, and building instances and periods was most of the time.
    stale_of: dict[tuple, bool] = {}
    for plan_id, overdue, *key in indicators:
        zone_id = zone_of.get(plan_id)
        if zone_id is None:
            continue
        if overdue:
            entry(zone_id)["overdue"] += 1
        key = tuple(key)
        if key not in stale_of:
            stale_of[key] = stale(SimpleNamespace(**dict(zip(STALE_FIELDS, key, strict=True))), as_of=as_of)
        if stale_of[key]:
            entry(zone_id)["stale"] += 1
    drafts = ZonalSecurityPlan.objects.restrict(user, "view").filter(
        pk__in=plans.values("pk"), status=PlanStatus.DRAFT, period_start__lte=as_of
    )
    for zone_id in drafts.values_list("zone_id", flat=True):
        entry(zone_id)["draft_past_start"] = True
    zones = PoliceZone.objects.restrict(user, "view").filter(status=PoliceZone.Status.ACTIVE)
    if district is not None:
        zones = zones.filter(district=district)
    if zone is not None:
        zones = zones.filter(pk=zone.pk)
    # Zones with no plan the reader may see for the edition: counted apart (the coverage matrix lists them).
    no_plan = zones.exclude(pk__in=set(zone_of.values())).count() if nsp.period_start <= as_of else 0
    names = {z.pk: z for z in zones.filter(pk__in=per_zone).select_related("district")}
    rows = []
    for zone_id, counts in per_zone.items():
        zone = names.get(zone_id)
        if zone is None:
            continue
        reasons = _reasons(counts)
        if not reasons:
            continue
        score = counts["off_track"] * 3 + counts["overdue"] * 2 + counts["stale"] + 5 * counts["draft_past_start"]
        rows.append(
            {
                "key": zone.key,
                "label": str(zone),
                "district": zone.district.name if zone.district_id else "",
                **counts,
                "reasons": "; ".join(reasons),
                "score": score,
            }
        )
    rows.sort(key=lambda r: (-r["score"], r["label"]))
    return {"zones": rows[:limit], "total": len(rows), "no_plan": no_plan}


def _reasons(counts: dict[str, Any]) -> list[str]:
    reasons = []
    if counts["off_track"]:
        reasons.append(_("%(n)s off-track objective(s)") % {"n": counts["off_track"]})
    if counts["overdue"]:
        reasons.append(_("%(n)s overdue indicator(s)") % {"n": counts["overdue"]})
    if counts["stale"]:
        reasons.append(_("%(n)s indicator(s) without a measurement for two due periods") % {"n": counts["stale"]})
    if counts["draft_past_start"]:
        reasons.append(_("plan still in draft past its start"))
    return reasons


# --- one zonal plan's year (the zone annual report) -----------------------------------------------------------


def zone_plan_at(*, user, zone: PoliceZone, as_of: dt.date) -> ZonalSecurityPlan | None:
    """The zone's readable plan running on ``as_of``, else the latest that had begun by then."""
    plans = list(ZonalSecurityPlan.objects.restrict(user, "view").filter(zone=zone).order_by("period_start", "pk"))
    running = [p for p in plans if p.period_start <= as_of <= p.period_end]
    begun = [p for p in plans if p.period_start <= as_of]
    return (running or begun or [None])[-1]


def plan_year(*, user, plan_id: int, as_of: dt.date) -> dict[str, Any]:
    """A plan's progress at the end of each quarter of ``as_of``'s year (and of the quarter before it), and each
    indicator's measured values up to ``as_of`` (for the charts against the expected trajectory)."""
    from nsp.models import Measurement, Objective

    year_start = dt.date(as_of.year, 1, 1)
    quarters = [q for q in periods.between(year_start, as_of, QUARTERLY) if q.end <= as_of]
    quarters = [periods.containing(year_start, QUARTERLY).previous(), *quarters]
    objectives = Objective.objects.restrict(user, "view").filter(plan_id=plan_id)
    series = []
    for quarter in quarters:
        results = selectors.objective_results(objectives, as_of=quarter.end)
        series.append({**_quarter(quarter), **selectors.group_fields(results, results.keys())})
    measured: dict[int, list[dict]] = {}
    rows = (
        Measurement.objects.restrict(user, "view")
        .filter(plan_id=plan_id, period_start__lte=as_of)
        .order_by("indicator_id", "period_end")
        .values_list("indicator_id", "period", "period_end", "value")
    )
    for indicator_id, period, end, value in rows:
        measured.setdefault(indicator_id, []).append(
            {"period": period, "end": end.isoformat(), "value": selectors.number(value)}
        )
    return {"year": as_of.year, "quarters": series, "change": change(series), "measurements": measured}


# --- the data-collection cycle: who reported the last period -------------------------------------------------


def collection_status(*, user, today: dt.date, district: District | None = None, zones=None) -> dict[str, Any]:
    """Per zone the user may read with an approved plan: the indicators due for the period being collected
    (``nsp.collection``), how many have a measurement, and the reminders sent about it (when, to whom — for
    the readers ``restrict`` lets see them)."""
    from nsp import collection
    from reporting.models import OverdueReminder

    cycle = collection.collecting(today)
    plans = selectors.scoped_plans(user=user, district=district).filter(
        kind=Plan.Kind.ZONAL, status=PlanStatus.APPROVED
    )
    if zones is not None:
        plans = plans.filter(zone__in=zones)
    # The plans' ids first (a zone's one plan, or the country's few hundred): behind a subquery PostgreSQL
    # finds the latest measurement of every indicator in the country before keeping a zone's (0.4 s a home page).
    plan_ids = list(plans.values_list("pk", flat=True))
    indicators = progress.annotate_indicators(
        Indicator.objects.restrict(user, "view").filter(plan__in=plan_ids), as_of=cycle.period.end
    ).select_related("plan")
    per_zone: dict[int, dict[str, int]] = {}
    for indicator in indicators:
        due = progress.last_due_period(
            frequency=indicator.frequency,
            baseline_date=indicator.baseline_date,
            target_date=indicator.target_date,
            as_of=cycle.period.end,
        )
        if due is None or due.end != cycle.period.end:
            continue  # nothing of this indicator falls due with this period
        counts = per_zone.setdefault(indicator.plan.zone_id, {"due": 0, "missing": 0, "plans": {}})
        counts["plans"][indicator.plan_id] = indicator.plan.title
        counts["due"] += 1
        counts["missing"] += bool(indicator.overdue)
    reminders: dict[int, list[dict]] = {}
    for reminder in (
        OverdueReminder.objects.restrict(user, "view")
        .filter(zone__in=per_zone, sent_on__gt=cycle.period.end)
        .order_by("sent_on")
    ):
        reminders.setdefault(reminder.zone_id, []).append(
            {
                "sent_on": reminder.sent_on.isoformat(),
                "kind": reminder.kind,
                "kind_label": str(reminder.get_kind_display()),
                "recipients": [r for r in reminder.recipients.splitlines() if r],
            }
        )
    zones = PoliceZone.objects.restrict(user, "view").filter(pk__in=per_zone).select_related("district")
    rows = []
    for zone in sorted(zones, key=lambda z: (z.district.name if z.district_id else "", z.number or "", z.key)):
        counts = per_zone[zone.pk]
        reported = counts["due"] - counts["missing"]
        state = "reported" if not counts["missing"] else "not_reported" if not reported else "partly"
        sent = reminders.get(zone.pk, [])
        rows.append(
            {
                "key": zone.key,
                "label": str(zone),
                "district": zone.district.name if zone.district_id else "",
                "due": counts["due"],
                "reported": reported,
                "missing": counts["missing"],
                "state": state,
                "state_label": str(COLLECTION_STATES[state]),
                "reminders": sent,
                # The plans to record in, for the quarter grid's link (nsp.views.MeasurementGridView).
                "plans": [{"id": pk, "title": title} for pk, title in sorted(counts["plans"].items())],
                "reminders_text": "; ".join(
                    f"{r['sent_on']} {r['kind_label']} ({', '.join(r['recipients']) or '-'})" for r in sent
                ),
            }
        )
    return {
        "period": cycle.period.label,
        "deadline": cycle.deadline.isoformat(),
        "overdue": cycle.is_overdue(today),
        "days_left": cycle.days_left(today),
        "zones": rows,
        "totals": {s: sum(1 for r in rows if r["state"] == s) for s in COLLECTION_STATES},
    }


# --- the Committee's and the CPPL-VCLP's home page ------------------------------------------------------------

HOME_ROLES = ("committee_member", "cppl_member")
HOME_SINCE_DAYS = 30  # a first visit looks this far back


def oversight_home(*, user, since: dt.datetime | None, today: dt.date) -> dict[str, Any]:
    """What the national readers' home page shows: what changed since the previous visit (plans submitted,
    approved, returned; new comments on the plans they comment on), the coverage summary of the edition in
    force, and their latest national reports. Every read starts from ``restrict(user, "view")``."""
    from django.utils import timezone

    from nsp.models import Comment
    from reporting import cached
    from reporting.models import ReportRun
    from zones.models import PlanTransition

    since = since or timezone.now() - dt.timedelta(days=HOME_SINCE_DAYS)
    transitions = (
        PlanTransition.objects.restrict(user, "view")
        .filter(at__gte=since)
        .select_related("plan", "plan__zone")
        .order_by("-at", "-pk")
    )
    listed = list(transitions[:50])
    kinds = {"submitted": 0, "approved": 0, "returned": 0}
    changes = []
    for t in listed:
        kind = (
            "returned"
            if t.from_status == PlanStatus.SUBMITTED and t.to_status == PlanStatus.DRAFT
            else t.to_status
            if t.to_status in ("submitted", "approved")
            else ""
        )
        if kind:
            kinds[kind] += 1
        if len(changes) < 8:
            changes.append(
                {
                    "plan": t.plan.title,
                    "url": t.plan.get_absolute_url(),
                    "from_label": t.get_from_status_display(),
                    "to_label": t.get_to_status_display(),
                    "kind": kind,
                    "at": t.at,
                }
            )
    followed = Comment.objects.filter(author=user).values("plan_id")
    comments = (
        Comment.objects.restrict(user, "view")
        .filter(created_at__gte=since, plan_id__in=followed)
        .exclude(author=user)
        .select_related("plan", "author")
        .order_by("-created_at", "-pk")
    )
    nsp = selectors.edition_for(user=user, as_of=today)
    matrix = cached.coverage_matrix(user=user, nsp=nsp, as_of=today, with_progress=False)
    rows = sorted(matrix["priorities"], key=lambda r: (r["totals"]["adopted"], r["code"]))
    reports = (
        ReportRun.objects.restrict(user, "view")
        .filter(kind=ReportRun.Kind.NATIONAL_OVERVIEW, status=ReportRun.Status.DONE)
        .order_by("-finished_at", "-pk")[:3]
    )
    return {
        "since": since,
        "changes": changes,
        "counts": kinds,
        "comments": [
            {
                "plan": c.plan.title,
                "url": c.get_absolute_url(),
                "author": c.author.get_full_name() or c.author.get_username(),
                "at": c.created_at,
            }
            for c in comments[:5]
        ],
        "comments_total": comments.count(),
        "nsp": matrix["nsp"],
        "zones": len(matrix["zones"]),
        "zones_with_plan": sum(1 for z in matrix["zones"] if z["plan_id"]),
        "totals": matrix["totals"],
        "least_adopted": rows[:3],
        "most_adopted": list(reversed(rows[-3:])) if rows else [],
        "reports": list(reports),
    }


ZONE_HOME_ROLES = ("zone_chief", "zone_planner")


def zone_collection_home(*, user, today: dt.date) -> dict[str, Any]:
    """A zone chief's or planner's home: for the zones they work for, what is due for the period being
    collected, by when, how much is still missing, and which reminders were sent (when, to whom)."""
    own = PoliceZone.objects.filter(role_groups__group__user=user).values("pk")
    return collection_status(user=user, today=today, zones=own)
