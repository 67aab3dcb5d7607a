"""A real worker on a real Redis, killed or cut off mid-job: every report still ends exactly once, with one file.

Skipped without Redis (and PostgreSQL, for the table lock that holds a job mid-report); required in CI
(``NSP_REQUIRE_SERVICES=1``).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse

from nsp.api.testing import API, client_for
from nsp.models import Measurement
from reporting import services
from reporting.models import ReportRun
from reporting.tests.conftest import PERIOD, build_world

pytestmark = pytest.mark.worker
TIMEOUT = 120


def wait_for(predicate, what: str, worker=None, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    log = worker.log()[-5000:] if worker is not None else ""
    pytest.fail(f"Not within {timeout}s: {what}\n{log}")


def finished(run_id: int):
    run = ReportRun.objects.get(pk=run_id)
    return run if run.is_finished else None


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def files_of(run: ReportRun) -> list[Path]:
    return sorted(Path(settings.MEDIA_ROOT).rglob(f"report-{run.pk}-*"))


def assert_produced_once(run: ReportRun, *, attempts: int, worker) -> None:
    assert run.status == "done", f"{run.log}\n{worker.log()[-4000:]}"
    assert run.progress == 100 and run.attempts == attempts
    assert run.log.count("Done.") == 1, run.log
    assert [p.name for p in files_of(run)] == [Path(run.file.name).name]


@pytest.mark.postgres
def test_sigkill_of_the_pool_process_mid_report_finishes_exactly_once_with_one_file(
    transactional_db, media, celery_worker_factory
):
    world = build_world()
    with celery_worker_factory(redis_url=settings.REDIS_URL) as worker:
        # Another session holds the measurements table: the job claims the run, then waits mid-report.
        holder = connections.create_connection("default")
        holder.ensure_connection()
        raw = holder.connection
        raw.autocommit = False
        try:
            with raw.cursor() as cursor:
                cursor.execute(f'LOCK TABLE "{Measurement._meta.db_table}" IN ACCESS EXCLUSIVE MODE')
            run = services.report_request(
                actor=world.chief_a, kind="plan_progress", scope="plan", plan=world.plan_a, period=PERIOD, format="pdf"
            )
            wait_for(
                lambda: ReportRun.objects.filter(pk=run.pk, status="running", progress__gte=10).exists(),
                "the job reads the data",
                worker,
            )
            (child,) = children_of(worker.process.pid)
            os.kill(child, signal.SIGKILL)
            wait_for(lambda: "SIGKILL" in worker.log(), "the worker sees its pool process killed", worker)
        finally:
            raw.rollback()
            holder.close()

        run = wait_for(lambda: finished(run.pk), "the report is produced again", worker)
        assert_produced_once(run, attempts=2, worker=worker)
        assert "Started again: the process producing it was lost." in run.log
        assert worker.process.poll() is None  # the worker itself lives on


def test_a_report_requested_while_the_broker_is_down_runs_once_it_is_back(
    transactional_db, media, celery_worker_factory, own_redis, client
):
    from nsp.celery import app

    world = build_world()
    with celery_worker_factory(redis_url=own_redis.url, use_broker=True) as worker:
        own_redis.stop()

        response = client_for(world.chief_a).post(
            f"{API}reports/",
            {"kind": "plan_progress", "scope": "plan", "plan": world.plan_a.pk, "period": PERIOD, "format": "csv"},
            format="json",
        )
        assert response.status_code == 202, response.content
        by_api = ReportRun.objects.get(pk=response.json()["id"])
        client.force_login(world.chief_a)
        page = client.post(
            reverse("reporting:run-new"),
            {
                "kind": "plan_progress",
                "scope": "plan",
                "plan": world.plan_a.pk,
                "period": PERIOD,
                "format": "json",
                "language": "en",
            },
        )
        by_page = ReportRun.objects.exclude(pk=by_api.pk).get()
        assert page.status_code == 302 and page["Location"] == by_page.get_absolute_url()
        for run in (by_api, by_page):
            run.refresh_from_db()
            assert (run.status, run.dispatched_at) == ("queued", None)

        own_redis.start()
        # The worker reconnects on its own; the dispatcher (beat, every 30 s) sends what waited.
        wait_for(lambda: app.control.ping(destination=[worker.nodename], timeout=1.0), "the worker is back", worker)
        sent: list[int] = []
        wait_for(
            lambda: sent.extend(services.report_dispatch_pending()) or len(sent) == 2, "both jobs are sent", worker
        )
        assert sorted(sent) == sorted([by_api.pk, by_page.pk])
        for run in (by_api, by_page):
            run = wait_for(lambda run=run: finished(run.pk), "the report runs once the broker is back", worker)
            assert_produced_once(run, attempts=1, worker=worker)
        assert services.report_dispatch_pending() == []
