"""Writes for report runs: request one, cancel it, delete it.

A report is requested on something the actor may read (a plan, a zone, a district, or everything they
may read); what it then contains is decided by the job, which reads as the requester (``runners``).
The task is sent after the transaction commits, so the worker always finds the row. The run row is the
outbox: a run the broker could not take (Redis down) stays queued and undispatched, the request succeeds all
the same, and the dispatcher (``report_dispatch_pending``, every 30 s) sends it once the broker answers.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, TextField, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from nsp import collection, mail, periods
from nsp.exceptions import DomainError
from nsp.models import Indicator, Plan
from nsp.permissions import PERM_REFERENCE, ensure, get_for, has_global, is_admin, user_roles
from reporting import selectors
from reporting.models import HomeVisit, OverdueReminder, ReportRun, ReportSubscription
from zones.models import District, PoliceZone, Region

logger = logging.getLogger(__name__)

Kind, Scope, Format, Status = ReportRun.Kind, ReportRun.Scope, ReportRun.Format, ReportRun.Status

# Which scopes each kind answers: a plan progress report is about one plan; the others aggregate.
KIND_SCOPES: dict[str, tuple[str, ...]] = {
    Kind.PLAN_PROGRESS: (Scope.PLAN,),
    Kind.NATIONAL_OVERVIEW: (Scope.NATIONAL, Scope.DISTRICT, Scope.ZONE),
    Kind.ALIGNMENT: (Scope.NATIONAL, Scope.DISTRICT, Scope.ZONE, Scope.PLAN),
    # The yearly report on a zonal plan: about the zone (its plan running at the period's end) or one plan.
    Kind.ZONE_ANNUAL: (Scope.ZONE, Scope.PLAN),
    # The printed zonal plan: its document's chapters in order, with the matrix, objectives and alignment.
    Kind.PLAN_DOCUMENT: (Scope.PLAN,),
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
    as_at: dt.date | None = None,
) -> ReportRun:
    """Queue a report on something the actor may read; the job runs after the transaction commits."""
    if not may_request_reports(actor):
        raise PermissionDenied(_("You may not request reports."))
    targets = {"plan": plan, "zone": zone, "district": district}
    _validate(kind=kind, scope=scope, format=format, language=language, targets=targets)
    period = clean_period(period)
    target = _readable_target(actor, scope, targets)
    if kind == Kind.PLAN_DOCUMENT and target.kind != Plan.Kind.ZONAL:
        raise _invalid("plan", _("Only a zonal plan has a plan document to print."))
    run = ReportRun.objects.create(
        kind=kind,
        scope=scope,
        plan=target if scope == Scope.PLAN else None,
        zone=target if scope == Scope.ZONE else None,
        district=target if scope == Scope.DISTRICT else None,
        period=period,
        as_at=as_at,
        format=format,
        language=language,
        requested_by=actor,
        status=Status.QUEUED,
    )
    transaction.on_commit(lambda: enqueue(run.pk))
    return run


SENT, TAKEN, UNREACHABLE = "sent", "taken", "unreachable"
# Publishing a job while the broker is down fails fast: the run stays in the outbox for the dispatcher.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def enqueue(run_id: int) -> str:
    """Send a queued run's job to the worker (the ``reports`` queue, by the task routes of the settings), once.

    The run is marked dispatched with a new task id before the message goes out, so two dispatchers never both
    send it; if the broker cannot be reached the mark is taken back and the run waits for the dispatcher.
    Returns ``SENT``, ``TAKEN`` (not queued, or already dispatched) or ``UNREACHABLE``.
    """
    from reporting.tasks import run_report

    task_id = uuid.uuid4().hex
    taken = ReportRun.objects.filter(pk=run_id, status=Status.QUEUED, dispatched_at__isnull=True).update(
        dispatched_at=timezone.now(), task_id=task_id
    )
    if not taken:
        return TAKEN
    try:
        run_report.apply_async((run_id,), task_id=task_id, retry=True, retry_policy=PUBLISH_RETRY)
    except Exception as exc:  # kombu's OperationalError, a refused connection, a timeout: the broker is away
        # The task id stays: should the message have reached the broker after all, it still runs the report once.
        ReportRun.objects.filter(pk=run_id, task_id=task_id, status=Status.QUEUED).update(dispatched_at=None)
        logger.warning(
            "Report run %s stays queued: the task queue cannot be reached (%s: %s); the dispatcher sends it later.",
            run_id,
            type(exc).__name__,
            exc,
        )
        return UNREACHABLE
    return SENT


def awaits_dispatch(run: ReportRun) -> bool:
    """Whether a queued run is still in the outbox (the broker could not take its job yet)."""
    return ReportRun.objects.filter(pk=run.pk, status=Status.QUEUED, dispatched_at__isnull=True).exists()


def report_dispatch_pending(*, limit: int = 200) -> list[int]:
    """Send the jobs of the runs still queued and undispatched (the outbox), oldest first; stops while the broker
    cannot be reached. Returns the ids sent."""
    sent = []
    pending = ReportRun.objects.filter(status=Status.QUEUED, dispatched_at__isnull=True).order_by("pk")
    for run_id in pending.values_list("pk", flat=True)[:limit]:
        outcome = enqueue(run_id)
        if outcome == UNREACHABLE:
            break
        if outcome == SENT:
            sent.append(run_id)
    if sent:
        logger.info("Dispatched %d queued report run(s): %s.", len(sent), sent)
    return sent


# A run may be seen "running" this long past the hard time limit before it counts as stuck (clocks, a busy host).
STUCK_GRACE = dt.timedelta(seconds=60)


def report_sweep_stuck(*, now: dt.datetime | None = None) -> dict[str, list[int]]:
    """Runs left "running" longer than the hard time limit, whose process is gone (the limit would have stopped
    it): the first time queued again with a new task id (the job starts over), the second time failed, with a
    line in the run's log and an error in the log of the process. Returns ``{"requeued": [...], "failed": [...]}``."""
    now = now or timezone.now()
    limit = settings.CELERY_TASK_TIME_LIMIT
    cutoff = now - dt.timedelta(seconds=limit) - STUCK_GRACE
    done: dict[str, list[int]] = {"requeued": [], "failed": []}
    stuck = ReportRun.objects.filter(status=Status.RUNNING, started_at__lt=cutoff).order_by("pk")
    for run_id in stuck.values_list("pk", flat=True):
        with transaction.atomic():
            run = ReportRun.objects.select_for_update().filter(pk=run_id, status=Status.RUNNING).first()
            if run is None or run.started_at >= cutoff:
                continue
            minutes = int((now - run.started_at).total_seconds() // 60)
            with translation.override(run.language):
                if run.requeues < 1:
                    line = _(
                        "Still running %(minutes)d minutes after it started, past the time limit of %(limit)d s: "
                        "the process producing it was lost. Queued again."
                    ) % {"minutes": minutes, "limit": limit}
                else:
                    line = _(
                        "Failed: still running past the time limit of %(limit)d s after being queued again once. "
                        "Request the report again; should it fail again, tell the administrators."
                    ) % {"limit": limit}
            stamped = f"{timezone.localtime(now):%Y-%m-%d %H:%M:%S} {line}"
            run.log = f"{run.log}\n{stamped}" if run.log else stamped
            if run.requeues < 1:
                run.status, run.requeues, run.progress, run.dispatched_at = Status.QUEUED, run.requeues + 1, 0, None
                run.save(update_fields=["status", "requeues", "progress", "dispatched_at", "log"])
                transaction.on_commit(functools.partial(enqueue, run.pk))
                logger.warning(
                    "Report run %s stuck in running for %d min (time limit %d s): queued again once.",
                    run.pk,
                    minutes,
                    limit,
                )
                done["requeued"].append(run.pk)
            else:
                run.status, run.finished_at = Status.FAILED, now
                run.save(update_fields=["status", "finished_at", "log"])
                logger.error(
                    "Report run %s failed: stuck in running for %d min (time limit %d s), already queued again once.",
                    run.pk,
                    minutes,
                    limit,
                )
                done["failed"].append(run.pk)
    return done


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


# --- subscriptions: a report after every period, and an e-mail with its link -------------------------

Frequency = ReportSubscription.Frequency
PERIOD_FREQUENCY = {
    Frequency.MONTHLY: periods.Frequency.MONTHLY,
    Frequency.QUARTERLY: periods.Frequency.QUARTERLY,
    Frequency.YEARLY: periods.Frequency.YEARLY,
}


@transaction.atomic
def subscription_create(
    *,
    actor,
    kind: str,
    scope: str,
    frequency: str,
    plan=None,
    zone=None,
    district=None,
    format: str = "pdf",
    language: str = "en",
) -> ReportSubscription:
    """Subscribe the actor to a report on something they may read, produced after every period of ``frequency``."""
    if not may_request_reports(actor):
        raise PermissionDenied(_("You may not request reports."))
    targets = {"plan": plan, "zone": zone, "district": district}
    _validate(kind=kind, scope=scope, format=format, language=language, targets=targets)
    _choice("frequency", frequency, Frequency, _("frequency"))
    target = _readable_target(actor, scope, targets)
    fields = {
        "user": actor,
        "kind": kind,
        "scope": scope,
        "plan": target if scope == Scope.PLAN else None,
        "zone": target if scope == Scope.ZONE else None,
        "district": target if scope == Scope.DISTRICT else None,
        "format": format,
        "frequency": frequency,
    }
    if ReportSubscription.objects.filter(**fields).exists():
        raise DomainError(_("You already subscribe to this report."))
    subscription = ReportSubscription(**fields, language=language)
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def subscription_delete(*, actor, subscription: ReportSubscription) -> None:
    subscription = ReportSubscription.objects.select_for_update().get(pk=subscription.pk)
    ensure(actor, "delete", subscription)
    subscription.delete()


def subscriptions_run(*, today: dt.date) -> list[ReportRun]:
    """Request, for every subscription, the report of the period of its frequency that ended last, once.

    A system task: each run is requested as (and read as) its subscriber; a subscriber who no longer holds a
    role or may no longer read the target gets nothing, and the subscription stays for when they may again.
    """
    runs = []
    for subscription in ReportSubscription.objects.select_related("user", "plan", "zone", "district").order_by("pk"):
        period = periods.last_complete(today, PERIOD_FREQUENCY[subscription.frequency]).label
        if subscription.last_period == period or not subscription.user.is_active:
            continue
        try:
            with transaction.atomic():
                run = report_request(
                    actor=subscription.user,
                    kind=subscription.kind,
                    scope=subscription.scope,
                    plan=subscription.plan,
                    zone=subscription.zone,
                    district=subscription.district,
                    period=period,
                    format=subscription.format,
                    language=subscription.language,
                )
                run.subscription = subscription
                run.save(update_fields=["subscription"])
                ReportSubscription.objects.filter(pk=subscription.pk).update(last_period=period)
        except (PermissionDenied, DomainError, Http404) as refused:
            logger.info("Subscription %s: no report for %s (%s).", subscription.pk, period, refused)
            continue
        runs.append(run)
    return runs


def report_done_notify(*, run: ReportRun) -> bool:
    """E-mail a subscribed report's link to its requester, in the report's language.

    False: nobody to write to, or the mail failed; a failure is written into the run's log (the report is there
    all the same, in the subscriber's list of reports) and never raised.
    """
    user = run.requested_by
    if run.subscription_id is None or not user.email:
        return False
    with translation.override(run.language):
        subject = _("Your report is ready: %(report)s") % {"report": run.get_kind_display()}
        body = "\n".join(
            [
                _("The report you subscribed to is ready:"),
                "",
                f"{run.get_kind_display()} {run.period}".strip(),
                settings.SITE_URL.rstrip("/") + run.get_absolute_url(),
                "",
                _("You can change your subscriptions in NSP Planner, under Reports, My report subscriptions."),
            ]
        )
        failures = mail.send_each(subject=subject, body=body, recipients=[user.email])
        if not failures:
            return True
        line = _("The e-mail with the link could not be sent to %(email)s: %(error)s") % failures[0]
    stamped = f"\n{timezone.localtime():%Y-%m-%d %H:%M:%S} {line}"
    ReportRun.objects.filter(pk=run.pk).update(log=Concat("log", Value(stamped), output_field=TextField()))
    return False


# --- scheduled reports and reminders (run by the beat schedule, see reporting.tasks) ----------------

COMMITTEE_ROLE = "committee_member"
REMINDED_ROLES = ("zone_chief", "zone_planner")


def report_schedule_quarterly(*, today: dt.date) -> list[ReportRun]:
    """Request the national overview of the quarter just ended for every Coordinating Committee member.

    Each member gets the report they may read, in PDF; a member who already has that quarter's overview
    (queued, running or done) gets no second one, so the task may run twice.
    """
    period = periods.last_complete(today, periods.Frequency.QUARTERLY).label
    already = ReportRun.objects.filter(
        requested_by=OuterRef("pk"),
        kind=Kind.NATIONAL_OVERVIEW,
        scope=Scope.NATIONAL,
        period=period,
        status__in=[Status.QUEUED, Status.RUNNING, Status.DONE],
    )
    members = (
        get_user_model()
        .objects.filter(is_active=True, groups__role__role=COMMITTEE_ROLE)
        .exclude(Exists(already))
        .distinct()
        .order_by("pk")
    )
    runs = []
    for member in members:
        runs.append(
            report_request(
                actor=member,
                kind=Kind.NATIONAL_OVERVIEW,
                scope=Scope.NATIONAL,
                period=period,
                format=Format.PDF,
                language=settings.LANGUAGE_CODE,
            )
        )
        logger.info("Quarterly national overview %s requested for %s (run %s).", period, member, runs[-1].pk)
    return runs


def zone_language(zone: PoliceZone) -> str:
    """The language to write to a zone in: Dutch in Flanders, French (German where named so) in Wallonia."""
    if zone.region == Region.FLANDERS:
        return "nl"
    if zone.region == Region.WALLONIA:
        return "de" if zone.name_de and not zone.name_fr else "fr"
    return settings.LANGUAGE_CODE


def reminder_send_overdue(*, today: dt.date) -> list[OverdueReminder]:
    """E-mail each zone's chief and planners the indicators overdue on its approved plans; record it.

    A system task, not a user's read: it looks at every approved zonal plan. One reminder per zone and
    day (a second run the same day sends nothing); a zone whose mail fails keeps no record, so the next
    run tries again.
    """
    # Every zone's overdue indicators: the task acts for the system, so no user's restrict applies.
    overdue = selectors.overdue_indicator_queryset(Indicator.objects.filter(plan__kind=Plan.Kind.ZONAL), as_of=today)
    per_zone: dict[int, list] = {}
    for indicator in overdue:
        per_zone.setdefault(indicator.plan.zone_id, []).append(indicator)
    sent = []
    for zone in PoliceZone.objects.filter(pk__in=per_zone).order_by("number", "key"):
        reminder = _remind_zone(zone, per_zone[zone.pk], today=today)
        if reminder is not None:
            sent.append(reminder)
    return sent


def _recipients(zone: PoliceZone) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__role__zone=zone, groups__role__role__in=REMINDED_ROLES)
        .exclude(email="")
        .distinct()
        .order_by("email")
    )
    return list(users.values_list("email", flat=True))


def _remind_zone(
    zone: PoliceZone, indicators: list, *, today: dt.date, cycle: collection.Cycle | None = None
) -> OverdueReminder | None:
    """One zone's reminder of the day: recorded, then mailed to each recipient on its own.

    A recipient whose mail fails is kept in the reminder's ``failures`` (and logged); the others get theirs, and
    the caller goes on with the next zone. A second run the same day sends nothing, except to those that failed.
    """
    rows = [selectors.indicator_row(i, as_of=today) for i in indicators]
    recipients = _recipients(zone)
    due_soon = cycle is not None and not cycle.is_overdue(today)
    with transaction.atomic():
        reminder, created = OverdueReminder.objects.get_or_create(
            zone=zone,
            sent_on=today,
            defaults={
                "kind": OverdueReminder.Kind.DUE_SOON if due_soon else OverdueReminder.Kind.OVERDUE,
                "period": cycle.period.label if cycle else "",
                "recipients": "\n".join(recipients),
                "indicators": [
                    {k: r[k] for k in ("id", "plan_id", "plan", "objective", "name", "latest_period", "due_period")}
                    for r in rows
                ],
            },
        )
        if not created:
            # Locked, so two runs at once do not both send again to those that failed.
            reminder = OverdueReminder.objects.select_for_update().get(pk=reminder.pk)
            if not reminder.failures:
                return None
            recipients = [failure["email"] for failure in reminder.failures]
        if recipients:
            with translation.override(zone_language(zone)):
                subject, body = _due_soon_text(zone, rows, cycle) if due_soon else _reminder_text(zone, rows)
            reminder.failures = mail.send_each(subject=subject, body=body, recipients=recipients)
            reminder.save(update_fields=["failures"])
    logger.info(
        "%s reminder for zone %s: %d indicator(s), %d recipient(s)%s.",
        "Overdue" if not due_soon else "Due-soon",
        zone,
        len(rows),
        len(recipients),
        (f", {len(reminder.failures)} not delivered" if reminder.failures else "")
        if recipients
        else " (nobody to write to: recorded only)",
    )
    return reminder


def _reminder_text(zone: PoliceZone, rows: list[dict]) -> tuple[str, str]:
    subject = ngettext(
        "%(zone)s: %(count)d indicator is overdue",
        "%(zone)s: %(count)d indicators are overdue",
        len(rows),
    ) % {"zone": zone, "count": len(rows)}
    lines = [
        _("These indicators of your approved security plan have no measurement for their last due period:"),
        "",
    ]
    for row in rows:
        lines.append(
            _("- %(plan)s / %(objective)s / %(indicator)s: due %(due)s, latest %(latest)s")
            % {
                "plan": row["plan"],
                "objective": row["objective"],
                "indicator": row["name"],
                "due": row["due_period"],
                "latest": row["latest_period"] or _("none"),
            }
        )
    lines += ["", _("Please record them in NSP Planner.")]
    lines += _grid_links(rows, None)  # the grid opens on the quarter now due
    return subject, "\n".join(lines)


# --- the data-collection cycle (nsp.collection): reminders before and after each period's deadline ------------


def collection_missing(*, period_end: dt.date) -> dict[int, list]:
    """Per zone, the indicators of its approved zonal plans with no measurement for the period due by
    ``period_end`` (a system read: every zone)."""
    missing = selectors.overdue_indicator_queryset(
        Indicator.objects.filter(plan__kind=Plan.Kind.ZONAL), as_of=period_end
    )
    per_zone: dict[int, list] = {}
    for indicator in missing:
        per_zone.setdefault(indicator.plan.zone_id, []).append(indicator)
    return per_zone


def collection_remind(*, today: dt.date) -> list[OverdueReminder]:
    """The cycle's reminders: on the day before the deadline set by ``DATA_REMINDER_DAYS_BEFORE``, "due soon" to
    each zone still missing measurements of the period; the day after the deadline, "overdue" to those still
    missing them. Any other day, nothing. Recorded per zone and day (``OverdueReminder``, safe to run again)."""
    cycle = collection.collecting(today)
    if today not in (cycle.remind_before, cycle.remind_after):
        return []
    per_zone = collection_missing(period_end=cycle.period.end)
    sent = []
    for zone in PoliceZone.objects.filter(pk__in=per_zone).order_by("number", "key"):
        reminder = _remind_zone(zone, per_zone[zone.pk], today=today, cycle=cycle)
        if reminder is not None:
            sent.append(reminder)
    return sent


def _due_soon_text(zone: PoliceZone, rows: list[dict], cycle: collection.Cycle) -> tuple[str, str]:
    subject = ngettext(
        "%(zone)s: %(count)d measurement for %(period)s is due by %(deadline)s",
        "%(zone)s: %(count)d measurements for %(period)s are due by %(deadline)s",
        len(rows),
    ) % {
        "zone": zone,
        "count": len(rows),
        "period": cycle.period.label,
        "deadline": date_format(cycle.deadline, "DATE_FORMAT"),
    }
    lines = [_("These indicators of your approved security plan have no measurement for this period yet:"), ""]
    lines += [
        _("- %(plan)s / %(objective)s / %(indicator)s")
        % {"plan": r["plan"], "objective": r["objective"], "indicator": r["name"]}
        for r in rows
    ]
    lines += ["", _("Please record them in NSP Planner before the deadline.")]
    lines += _grid_links(rows, cycle.period.label)
    return subject, "\n".join(lines)


def _grid_links(rows: list[dict], period: str | None) -> list[str]:
    """The quarter grid of each plan concerned: the whole period in one form."""
    from django.urls import reverse

    plans = sorted({(r["plan_id"], r["plan"]) for r in rows})
    links = [
        settings.SITE_URL.rstrip("/")
        + reverse("nsp:measurement-grid", kwargs={"pk": pk})
        + (f"?period={period}" if period else "")
        for pk, _title in plans
    ]
    if not links:
        return []
    return ["", _("Record the whole quarter in one form:"), *links]


# --- the home page's "since your last visit" -------------------------------------------------------------------

# Looking again within this time is the same visit: a reload does not reset "what changed".
VISIT_GAP = dt.timedelta(minutes=30)


def home_visit_record(*, user, now: dt.datetime | None = None) -> dt.datetime | None:
    """Record that the user looks at their home page; return when their previous visit was (None: first)."""
    now = now or timezone.now()
    with transaction.atomic():
        visit, created = HomeVisit.objects.select_for_update().get_or_create(user=user, defaults={"seen_at": now})
        if created:
            return None
        if now - visit.seen_at > VISIT_GAP:
            visit.previous_at, visit.seen_at = visit.seen_at, now
            visit.save(update_fields=["previous_at", "seen_at"])
        return visit.previous_at


# --- the schedule of reports and reminders (django-celery-beat) --------------------------------------


def may_edit_schedules(user) -> bool:
    """Federal planners (who keep the national frame) and administrators set when reports and reminders run."""
    return is_admin(user) or has_global(user, PERM_REFERENCE)


CRONTAB_FIELDS = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")


@transaction.atomic
def schedule_update(*, actor, name: str, enabled: bool, **when: str):
    """Switch a scheduled report or reminder on or off and set when it runs (crontab fields: ``minute``,
    ``hour``, ``day_of_week``, ``day_of_month``, ``month_of_year``; "*" for every). Only the tasks
    ``nsp.schedule`` marks ``planners_edit``; beat picks the change up at its next tick."""
    from celery.schedules import crontab as celery_crontab
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    from nsp.schedule import DEFAULTS

    if not may_edit_schedules(actor):
        raise PermissionDenied(_("Only federal planners and administrators change the schedule."))
    default = next((d for d in DEFAULTS if d.name == name), None)
    task = PeriodicTask.objects.select_for_update().filter(name=name).first()
    if task is None or default is None or not default.planners_edit:
        raise Http404(_("No scheduled report or reminder has this name."))
    values = {field: (str(when.get(field, "*")).strip() or "*") for field in CRONTAB_FIELDS}
    problems = {}
    for field, value in values.items():
        try:
            celery_crontab(**{field: value})
        except (ValueError, TypeError) as exc:
            problems[field] = [_("Not a valid value here: %(value)s (%(error)s).") % {"value": value, "error": exc}]
    if problems:
        raise DomainError(_("The schedule was not changed: correct the marked fields."), extra={"fields": problems})
    schedule, _created = CrontabSchedule.objects.get_or_create(**values, timezone=settings.CELERY_TIMEZONE)
    changed = (task.crontab_id, task.enabled) != (schedule.pk, enabled)
    task.crontab, task.interval, task.enabled = schedule, None, enabled
    task.save()
    if changed:
        logger.info(
            "schedule %s set to %s (%s) by %s",
            name,
            " ".join(values[f] for f in CRONTAB_FIELDS),
            "on" if enabled else "off",
            actor,
        )
    return task
