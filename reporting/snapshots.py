"""The data snapshot of a report run: a JSON-serialisable dict, read as the requester, and its SHA-256.

Every format is rendered from the snapshot alone, so a PDF, a spreadsheet and the JSON of one run show
the same numbers, and the hash proves later what the report was made from. The snapshot holds no
timestamp of its making: the same data as at the same day gives the same hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from nsp.data_version import cached
from nsp.models import Plan
from reporting import cached as figures
from reporting import insights, plan_document, selectors
from reporting.models import ReportRun
from zones.models import ZonalSecurityPlan

# 2: the national overview carries the coverage matrix, the trend, roll-ups and zones needing attention.
SNAPSHOT_VERSION = 2
Kind, Scope = ReportRun.Kind, ReportRun.Scope


def canonical_json(snapshot: dict[str, Any]) -> bytes:
    """The one byte form the hash is taken over: sorted keys, no spaces, UTF-8."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def _target_label(run: ReportRun) -> str:
    target = {Scope.PLAN: run.plan, Scope.ZONE: run.zone, Scope.DISTRICT: run.district}.get(run.scope)
    return str(target) if target is not None else ""


def header(run: ReportRun, *, as_of: dt.date) -> dict[str, Any]:
    user = run.requested_by
    return {
        "version": SNAPSHOT_VERSION,
        "id": run.pk,
        "kind": run.kind,
        "kind_label": str(run.get_kind_display()),
        "scope": run.scope,
        "scope_label": str(run.get_scope_display()),
        "target": _target_label(run),
        "period": run.period,
        "as_of": as_of.isoformat(),
        "language": run.language,
        "requested_by": user.get_full_name() or user.get_username(),
    }


def build(run: ReportRun, *, today: dt.date | None = None) -> dict[str, Any]:
    """The snapshot of ``run``, with exactly what its requester may read. Call inside the run's language."""
    today = today or timezone.localdate()
    as_of = selectors.as_of_for(run.period, today=today, as_at=run.as_at)
    user = run.requested_by
    # Everything but the header (which names the run) is cached on the data version, for the requester's scope and
    # language (the run's, active while building): an unchanged report is not read again.
    targets = [run.scope, run.plan_id, run.zone_id, run.district_id, as_of]
    body = cached(f"snapshot:{run.kind}", targets, lambda: BUILDERS[run.kind](run, user=user, as_of=as_of), user=user)
    return {"report": header(run, as_of=as_of), **body}


def _plan_progress(run: ReportRun, *, user, as_of: dt.date) -> dict[str, Any]:
    if run.plan_id is None:
        raise LookupError(_("The plan of this report no longer exists."))
    try:
        return selectors.plan_progress(user=user, plan_id=run.plan_id, as_of=as_of)
    except Plan.DoesNotExist:
        raise LookupError(_("The requester may no longer read the plan of this report.")) from None


def _scope_filters(run: ReportRun) -> dict[str, Any]:
    if run.scope == Scope.DISTRICT:
        if run.district_id is None:
            raise LookupError(_("The district of this report no longer exists."))
        return {"district": run.district}
    if run.scope == Scope.ZONE:
        if run.zone_id is None:
            raise LookupError(_("The zone of this report no longer exists."))
        return {"zone": run.zone}
    if run.scope == Scope.PLAN:
        if run.plan_id is None:
            raise LookupError(_("The plan of this report no longer exists."))
        return {"plan": run.plan}
    return {}


def _national_overview(run: ReportRun, *, user, as_of: dt.date) -> dict[str, Any]:
    """The overview, with what a committee briefing adds: the coverage matrix, the trend over the edition's
    quarters, roll-ups by province and programme, and the zones needing attention (all as at ``as_of``)."""
    # The report's period chooses the NSP edition: the one in force at its end.
    nsp = selectors.edition_for(user=user, as_of=as_of)
    scope = _scope_filters(run)
    body = figures.overview(user=user, as_of=as_of, nsp=nsp, **scope)
    within = {"district": scope.get("district"), "zone": scope.get("zone")}
    if nsp is not None:
        body["nsp"].update({"period_start": nsp.period_start.isoformat(), "period_end": nsp.effective_end.isoformat()})
    body["coverage"] = figures.coverage_matrix(user=user, nsp=nsp, as_of=as_of, **within)
    body["trend"] = insights.trend(user=user, nsp=nsp, today=as_of, **within)
    body["rollups"] = insights.rollups(user=user, nsp=nsp, as_of=as_of, **within)
    body["attention"] = insights.zones_needing_attention(user=user, nsp=nsp, as_of=as_of, **within)
    return body


def _alignment(run: ReportRun, *, user, as_of: dt.date) -> dict[str, Any]:
    plans = selectors.scoped_plans(user=user, **_scope_filters(run))
    return {"plans": selectors.alignment_plans(user=user, plans=plans, as_of=as_of)}


def _zone_annual(run: ReportRun, *, user, as_of: dt.date) -> dict[str, Any]:
    """The yearly report on a zonal plan: the plan's progress (objectives in tree order, indicators with their
    measured series), its trend over the quarters of the year, and its answers to the national priorities."""
    if run.scope == Scope.PLAN:
        if run.plan_id is None:
            raise LookupError(_("The plan of this report no longer exists."))
        plan_id = run.plan_id
    else:
        if run.zone_id is None:
            raise LookupError(_("The zone of this report no longer exists."))
        plan = insights.zone_plan_at(user=user, zone=run.zone, as_of=as_of)
        if plan is None:
            raise LookupError(_("The zone has no plan its requester may read for this period."))
        plan_id = plan.pk
    try:
        body = selectors.plan_progress(user=user, plan_id=plan_id, as_of=as_of)
    except Plan.DoesNotExist:
        raise LookupError(_("The requester may no longer read the plan of this report.")) from None
    year = insights.plan_year(user=user, plan_id=plan_id, as_of=as_of)
    measured = year.pop("measurements")
    for objective in body["objectives"]:
        for indicator in objective["indicators"]:
            indicator["measurements"] = measured.get(indicator["id"], [])
    body.update(year)
    return body


def _plan_document(run: ReportRun, *, user, as_of: dt.date) -> dict[str, Any]:
    if run.plan_id is None:
        raise LookupError(_("The plan of this report no longer exists."))
    if run.plan.kind != Plan.Kind.ZONAL:
        raise LookupError(_("Only a zonal plan has a plan document."))
    try:
        return plan_document.plan_document(user=user, plan_id=run.plan_id, as_of=as_of)
    except (Plan.DoesNotExist, ZonalSecurityPlan.DoesNotExist):
        raise LookupError(_("The requester may no longer read the plan of this report.")) from None


BUILDERS = {
    Kind.PLAN_PROGRESS: _plan_progress,
    Kind.NATIONAL_OVERVIEW: _national_overview,
    Kind.ALIGNMENT: _alignment,
    Kind.ZONE_ANNUAL: _zone_annual,
    Kind.PLAN_DOCUMENT: _plan_document,
}
