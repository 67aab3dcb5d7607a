"""The report job: a persisted run (``ReportRun``) driven by a runner class.

The runner claims the run, logs each step into ``log`` and moves ``progress`` from 0 to 100, builds the
data snapshot as the requester (``reporting.snapshots``), hashes it, renders the file in the requested
format and language, and stores it. Any error marks the run failed with the message in the log; nothing
is re-raised, so a broker never redelivers a report that cannot succeed. A finished run is left alone,
and a re-run (a redelivered task) replaces the file under the same name, so files are never duplicated.

Exactly once: the run records the id of the one task message that may produce it (``task_id``, set when it is
dispatched). That message claims a queued run, or takes over a running one (the same message delivered again
because the process running it died); any other message (a copy, an older dispatch) stops at once. Every write
checks the id, so a process that lost the run writes nothing. After ``MAX_ATTEMPTS`` starts the run fails.
"""

from __future__ import annotations

import logging
import traceback

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reporting import renderers, snapshots
from reporting.files import FILE_TYPES
from reporting.models import ReportRun

logger = logging.getLogger(__name__)
Status = ReportRun.Status
# Starts of one run (its process died each time: killed, out of memory) before it is given up as failed.
MAX_ATTEMPTS = 3


class Stopped(Exception):
    """The run was cancelled or deleted while it ran."""


class ReportRunner:
    """Produces the file of one report run. ``ReportRunner(run).run()``; safe to call twice."""

    def __init__(self, run: ReportRun, *, task_id: str | None = None) -> None:
        self.report = run
        self.lines: list[str] = []
        # "" for a run produced in this process (the demo seed, tests): it claims only runs no message holds.
        self.task_id = task_id or ""

    @classmethod
    def run_by_id(cls, run_id: int, *, task_id: str | None = None) -> ReportRun | None:
        run = ReportRun.objects.select_related("requested_by", "plan", "zone", "district").filter(pk=run_id).first()
        if run is None:
            logger.warning("Report run %s does not exist (deleted before it ran); nothing to do.", run_id)
            return None
        return cls(run, task_id=task_id).run()

    # --- the job ----------------------------------------------------------------------------------

    def run(self) -> ReportRun:
        if not self._claim():
            return self.report
        with translation.override(self.report.language):
            try:
                self._produce()
            except Stopped:
                logger.info("Report run %s stopped: cancelled, deleted or taken over.", self.report.pk)
            except SoftTimeLimitExceeded as exc:
                logger.error("Report run %s failed: past its time limit.", self.report.pk)
                limit = settings.CELERY_TASK_SOFT_TIME_LIMIT
                self._fail(exc, _("The report took longer than its time limit (%(seconds)d s).") % {"seconds": limit})
            except Exception as exc:  # any failure ends in the run's log, never in a retry loop
                logger.exception("Report run %s failed", self.report.pk)
                self._fail(exc)
        return self.report

    def _produce(self) -> None:
        run = self.report
        user = run.requested_by
        self.step(
            _("Reading the data as %(user)s.") % {"user": user.get_full_name() or user.get_username()}, progress=10
        )
        snapshot = snapshots.build(run)
        digest = snapshots.snapshot_hash(snapshot)
        self.step(_("Data snapshot taken (SHA-256 %(digest)s).") % {"digest": digest}, progress=50)
        content = renderers.render(run.format, snapshot, digest=digest)
        self.step(
            _("%(format)s file rendered (%(size)s).")
            % {"format": run.get_format_display(), "size": filesizeformat(len(content))},
            progress=90,
        )
        self._store(snapshot, digest, content)

    # --- state ------------------------------------------------------------------------------------

    def _claim(self) -> bool:
        """Queued → running, for the message the run awaits (or none recorded yet). A running run is taken over
        by the same message delivered again (its process died); a finished one, or another message, is left alone."""
        run = self.report
        mine = self.task_id
        claimed = (
            ReportRun.objects.filter(pk=run.pk)
            .filter(Q(status=Status.QUEUED, task_id__in={"", mine}) | Q(status=Status.RUNNING, task_id=mine))
            .update(
                status=Status.RUNNING, task_id=mine, started_at=timezone.now(), progress=0, attempts=F("attempts") + 1
            )
        )
        try:
            run.refresh_from_db(fields=["status", "started_at", "progress", "log", "task_id", "attempts"])
        except ReportRun.DoesNotExist:
            return False
        if not claimed:
            logger.info(
                "Report run %s is %s (task %s); task %s does not run it.", run.pk, run.status, run.task_id or "-", mine
            )
            return False
        self.lines = [run.log] if run.log else []
        with translation.override(run.language):
            if run.attempts > MAX_ATTEMPTS:
                logger.error("Report run %s failed: its worker was lost %d times.", run.pk, run.attempts - 1)
                message = _("Failed: the process producing this report was lost %(count)d times; not tried again.")
                self.lines.append(self._line(message % {"count": run.attempts - 1}))
                self._end(Status.FAILED)
                return False
            if run.attempts > 1:
                self.step(_("Started again: the process producing it was lost."), progress=0)
            else:
                self.step(_("Started."), progress=0)
        return True

    def _line(self, message: str) -> str:
        return f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {message}"

    def _update(self, **fields) -> None:
        """Write to the row while it is still ours (running); otherwise stop."""
        if not ReportRun.objects.filter(pk=self.report.pk, status=Status.RUNNING, task_id=self.task_id).update(
            **fields
        ):
            raise Stopped
        for name, value in fields.items():
            setattr(self.report, name, value)

    def step(self, message: str, *, progress: int) -> None:
        """Log a step and set the progress (0-100); the run page shows both while the job runs."""
        self.lines.append(self._line(message))
        self._update(log="\n".join(self.lines), progress=progress)

    def _store(self, snapshot: dict, digest: str, content: bytes) -> None:
        run = self.report
        file_type = FILE_TYPES[run.format]
        name = f"report-{run.pk}-{run.kind.replace('_', '-')}.{file_type.extension}"
        storage = run.file.storage
        target = run.file.field.generate_filename(run, name)
        previous = ReportRun.objects.filter(pk=run.pk).values_list("file", flat=True).first()
        # A re-run replaces its file: the storage would otherwise save a second one beside it. That includes a
        # file an earlier attempt saved just before its process died, before the row could name it.
        for leftover in {previous, target} - {""}:
            if storage.exists(leftover):
                storage.delete(leftover)
        stored = storage.save(target, ContentFile(content))
        self.lines.append(self._line(_("Done.")))
        try:
            with transaction.atomic():
                self._update(
                    file=stored,
                    snapshot=snapshot,
                    snapshot_hash=digest,
                    progress=100,
                    status=Status.DONE,
                    finished_at=timezone.now(),
                    log="\n".join(self.lines),
                )
        except Stopped:
            storage.delete(stored)
            raise
        run.file.name = stored
        if run.subscription_id is not None:
            self._notify()

    def _notify(self) -> None:
        """A subscribed report is done: its requester gets the link (a mail that fails is in the log, not retried)."""
        from reporting.services import report_done_notify

        try:
            report_done_notify(run=self.report)
        except Exception:  # the report is done either way; the subscriber finds it in the reports list
            logger.exception("Report run %s: the e-mail with its link could not be sent.", self.report.pk)

    def _fail(self, exc: Exception, message: str = "") -> None:
        message = message or str(exc) or type(exc).__name__
        self.lines.append(self._line(_("Failed: %(error)s") % {"error": message}))
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        if detail != message:
            self.lines.append(detail)
        self._end(Status.FAILED)

    def _end(self, status: str) -> None:
        ReportRun.objects.filter(pk=self.report.pk, status=Status.RUNNING, task_id=self.task_id).update(
            status=status, finished_at=timezone.now(), log="\n".join(self.lines)
        )
        self.report = ReportRun.objects.filter(pk=self.report.pk).first() or self.report
