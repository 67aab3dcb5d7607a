"""Writes for report runs: request one, cancel it, delete it.

A report is requested on something the actor may read (a plan, a zone, a district, or everything they
may read); what it then contains is decided by the job, which reads as the requester (``runners``).
The task is sent after the transaction commits, so the worker always finds the row.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nsp import periods
from nsp.exceptions import DomainError
from nsp.models import Plan
from nsp.permissions import ensure, get_for, is_admin, user_roles
from reporting.models import ReportRun
from zones.models import District, PoliceZone

Kind, Scope, Format, Status = ReportRun.Kind, ReportRun.Scope, ReportRun.Format, ReportRun.Status

# Which scopes each kind answers: a plan progress report is about one plan; the others aggregate.
KIND_SCOPES: dict[str, tuple[str, ...]] = {
    Kind.PLAN_PROGRESS: (Scope.PLAN,),
    Kind.NATIONAL_OVERVIEW: (Scope.NATIONAL, Scope.DISTRICT, Scope.ZONE),
    Kind.ALIGNMENT: (Scope.NATIONAL, Scope.DISTRICT, Scope.ZONE, Scope.PLAN),
}
SCOPE_TARGET = {Scope.PLAN: "plan", Scope.ZONE: "zone", Scope.DISTRICT: "district"}
TARGET_LABELS = {"plan": gettext_lazy("plan"), "zone": gettext_lazy("zone"), "district": gettext_lazy("district")}


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(message, extra={"fields": {field: [message]}})


def _choice(field: str, value: str, choices: type, label: str) -> str:
    if value not in choices.values:
        raise _invalid(
            field,
            _("'%(value)s' is not a report %(label)s; choose one of: %(choices)s.")
            % {"value": value, "label": label, "choices": ", ".join(choices.values)},
        )
    return value


def _pk(value) -> int | None:
    return getattr(value, "pk", value)


def clean_period(period: str) -> str:
    """The period label normalised ('2024-q4' → '2024-Q4'), or '' for 'up to today'."""
    period = (period or "").strip()
    if not period:
        return ""
    try:
        return periods.parse(period).label
    except ValueError as exc:
        raise _invalid("period", str(exc)) from exc


def _validate(*, kind: str, scope: str, format: str, language: str, targets: dict) -> None:
    _choice("kind", kind, Kind, _("kind"))
    _choice("scope", scope, Scope, _("scope"))
    _choice("format", format, Format, _("format"))
    languages = [code for code, _name in settings.LANGUAGES]
    if language not in languages:
        raise _invalid(
            "language",
            _("'%(value)s' is not a language of the application; choose one of: %(choices)s.")
            % {"value": language, "choices": ", ".join(languages)},
        )
    if scope not in KIND_SCOPES[kind]:
        raise _invalid(
            "scope",
            _("A %(kind)s covers %(scopes)s, not %(scope)s.")
            % {
                "kind": Kind(kind).label.lower(),
                "scopes": ", ".join(str(Scope(s).label).lower() for s in KIND_SCOPES[kind]),
                "scope": str(Scope(scope).label).lower(),
            },
        )
    needed = SCOPE_TARGET.get(scope)
    if needed and targets[needed] is None:
        raise _invalid(needed, _("Name the %(target)s the report is about.") % {"target": TARGET_LABELS[needed]})
    extra = sorted(name for name, value in targets.items() if value is not None and name != needed)
    if extra:
        raise _invalid(
            extra[0],
            _("A report on %(scope)s takes no %(targets)s.")
            % {
                "scope": str(Scope(scope).label).lower(),
                "targets": ", ".join(str(TARGET_LABELS[name]) for name in extra),
            },
        )


def _readable_target(actor, scope: str, targets: dict):
    """The plan, zone or district of the scope, if the actor may read it (404 otherwise)."""
    if scope == Scope.PLAN:
        return get_for(actor, "view", Plan.objects.all(), pk=_pk(targets["plan"]))
    if scope == Scope.ZONE:
        return get_for(actor, "view", PoliceZone.objects.all(), pk=_pk(targets["zone"]))
    if scope == Scope.DISTRICT:
        return get_for(actor, "view", District.objects.all(), pk=_pk(targets["district"]))
    return None


def may_request_reports(user) -> bool:
    """Reports are for holders of a role (the matrix's "request a report: on what one can read")."""
    return is_admin(user) or bool(user_roles(user))


@transaction.atomic
def report_request(
    *,
    actor,
    kind: str,
    scope: str,
    plan=None,
    zone=None,
    district=None,
    period: str = "",
    format: str = "pdf",
    language: str = "en",
) -> ReportRun:
    """Queue a report on something the actor may read; the job runs after the transaction commits."""
    if not may_request_reports(actor):
        raise PermissionDenied(_("You may not request reports."))
    targets = {"plan": plan, "zone": zone, "district": district}
    _validate(kind=kind, scope=scope, format=format, language=language, targets=targets)
    period = clean_period(period)
    target = _readable_target(actor, scope, targets)
    run = ReportRun.objects.create(
        kind=kind,
        scope=scope,
        plan=target if scope == Scope.PLAN else None,
        zone=target if scope == Scope.ZONE else None,
        district=target if scope == Scope.DISTRICT else None,
        period=period,
        format=format,
        language=language,
        requested_by=actor,
        status=Status.QUEUED,
    )
    transaction.on_commit(lambda: enqueue(run.pk))
    return run


def enqueue(run_id: int) -> None:
    """Send the job to the worker (the ``reports`` queue, by the task routes of the settings)."""
    from reporting.tasks import run_report

    run_report.delay(run_id)


@transaction.atomic
def report_cancel(*, actor, run: ReportRun) -> ReportRun:
    """Stop a queued or running report; a running job notices at its next step."""
    run = ReportRun.objects.select_for_update().get(pk=run.pk)
    ensure(actor, "delete", run)
    if run.is_finished:
        raise DomainError(
            _("This report has already ended (%(status)s); there is nothing to cancel.")
            % {"status": run.get_status_display().lower()}
        )
    run.status = Status.CANCELLED
    run.finished_at = timezone.now()
    name = actor.get_full_name() or actor.get_username()
    run.log = (run.log + "\n" if run.log else "") + _("Cancelled by %(user)s.") % {"user": name}
    run.save(update_fields=["status", "finished_at", "log"])
    return run


@transaction.atomic
def report_delete(*, actor, run: ReportRun) -> None:
    """Delete a report and its file. A running report is cancelled first, so its job writes nothing."""
    run = ReportRun.objects.select_for_update().get(pk=run.pk)
    ensure(actor, "delete", run)
    if run.status == Status.RUNNING:
        raise DomainError(_("This report is being produced; cancel it first, then delete it."))
    name, storage = run.file.name, run.file.storage
    run.delete()
    if name:
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(name))
