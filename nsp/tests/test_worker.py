"""The worker heartbeat and a real Celery worker running our tasks against the test database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import uuid

import pytest
from celery.signals import worker_ready, worker_shutdown
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from nsp import tasks, worker


@pytest.fixture
def local_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    yield cache
    cache.clear()


@pytest.fixture
def fast_heartbeat(settings, local_cache):
    settings.WORKER_HEARTBEAT_SECONDS = 0.05
    yield
    worker.stop_heartbeat()


def _wait_for(predicate, seconds: float = 5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    return predicate()


def test_heartbeat_thread_beats_until_stopped(fast_heartbeat):
    thread = worker.start_heartbeat(hostname="celery@unit")
    first = _wait_for(worker.read_heartbeat)
    assert first["hostname"] == "celery@unit"
    later = _wait_for(lambda: (beat := worker.read_heartbeat()) and beat["at"] != first["at"] and beat)
    assert later, "the heartbeat was written only once"
    assert worker.start_heartbeat(hostname="celery@other") is thread

    worker.stop_heartbeat()
    assert not thread.is_alive()
    assert worker.running_heartbeat() is None
    last = worker.read_heartbeat()
    time.sleep(0.2)
    assert worker.read_heartbeat() == last


@dataclasses.dataclass(frozen=True)
class FakeWorker:
    """What the signals send: a consumer or work controller with a hostname."""

    hostname: str


def test_worker_signals_start_and_stop_the_heartbeat(fast_heartbeat):
    worker_ready.send(sender=FakeWorker(hostname="celery@signals"))
    assert worker.running_heartbeat() is not None
    assert _wait_for(worker.read_heartbeat)["hostname"] == "celery@signals"

    worker_shutdown.send(sender=FakeWorker(hostname="celery@signals"))
    assert worker.running_heartbeat() is None


def test_heartbeat_state_alive_stale_and_missing(settings, local_cache):
    settings.WORKER_HEARTBEAT_SECONDS = 15
    now = timezone.now()
    assert worker.heartbeat_state(now=now) == {"alive": False, "last_heartbeat": None, "hostname": None}

    worker.write_heartbeat(hostname="celery@a", at=now - dt.timedelta(seconds=40))
    state = worker.heartbeat_state(now=now)
    assert state["alive"] is True
    assert dt.datetime.fromisoformat(state["last_heartbeat"]) == now - dt.timedelta(seconds=40)

    worker.write_heartbeat(hostname="celery@a", at=now - dt.timedelta(seconds=46))
    assert worker.heartbeat_state(now=now)["alive"] is False


def test_heartbeat_state_when_the_cache_fails(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    state = worker.heartbeat_state()
    assert state["alive"] is False
    assert state["error"]


@pytest.mark.worker
def test_real_worker_runs_ping_on_the_test_database(celery_worker_process, transactional_db, client):
    token = uuid.uuid4().hex
    tasks.ping.delay(token)

    answer = _wait_for(lambda: cache.get(tasks.PING_KEY.format(token=token)), seconds=30)
    assert answer, f"the worker did not run nsp.tasks.ping:\n{celery_worker_process.log()[-3000:]}"
    assert answer["database_vendor"] == connection.vendor
    assert answer["database_name"] == str(connection.settings_dict["NAME"])

    beat = _wait_for(worker.read_heartbeat, seconds=10)
    assert beat is not None
    body = client.get("/healthz/").json()
    assert body["task_queue"]["broker"] == "redis"
    assert body["task_queue"]["workers"]["alive"] is True
    assert body["status"] == "ok"
