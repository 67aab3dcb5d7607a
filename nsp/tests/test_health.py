"""``GET /healthz/``: database and task queue state, public, 503 only when the database is down."""

from __future__ import annotations

import datetime as dt
import socket
import uuid
from importlib import metadata
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from nsp import worker


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def embedded_queue(settings, tmp_path):
    """The embedded set-up: filesystem broker, a cache of our own, whatever the environment says."""
    queue = tmp_path / "queue"
    queue.mkdir()
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(queue), "data_folder_out": str(queue)}
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    return queue


def test_ok_with_database_broker_and_a_fresh_heartbeat(client, db, embedded_queue):
    beat = worker.write_heartbeat(hostname="celery@test")

    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True, "vendor": connection.vendor},
        "task_queue": {
            "broker": "filesystem",
            "ok": True,
            "workers": {"alive": True, "last_heartbeat": beat["at"]},
        },
        "version": metadata.version("nsp-planner"),
    }


def test_needs_no_login(client, db, embedded_queue):
    response = client.get("/healthz/", follow=False)
    assert response.status_code == 200
    assert client.head("/healthz/").status_code == 200
    assert client.post("/healthz/").status_code == 405


def test_degraded_without_a_worker_heartbeat(client, db, embedded_queue):
    response = client.get("/healthz/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["task_queue"]["ok"] is True
    assert body["task_queue"]["workers"] == {"alive": False, "last_heartbeat": None}


def test_degraded_when_the_last_heartbeat_is_stale(client, db, embedded_queue, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 15
    beat = worker.write_heartbeat(hostname="celery@test", at=timezone.now() - dt.timedelta(minutes=5))

    body = client.get("/healthz/").json()

    assert body["status"] == "degraded"
    assert body["task_queue"]["workers"] == {"alive": False, "last_heartbeat": beat["at"]}


def test_degraded_when_the_filesystem_queue_is_missing(client, db, embedded_queue):
    worker.write_heartbeat(hostname="celery@test")
    embedded_queue.rmdir()

    body = client.get("/healthz/").json()

    assert body["status"] == "degraded"
    assert body["task_queue"] == {
        "broker": "filesystem",
        "ok": False,
        "workers": body["task_queue"]["workers"],
    }


def test_degraded_when_redis_is_down(client, db, settings):
    down = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.REDIS_URL = down
    settings.CELERY_BROKER_URL = down
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": down}}

    response = client.get("/healthz/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["task_queue"]["broker"] == "redis"
    assert body["task_queue"]["ok"] is False
    assert body["task_queue"]["workers"] == {"alive": False, "last_heartbeat": None}
    assert down not in response.content.decode()


def test_503_when_the_database_is_down(client, transactional_db, embedded_queue):
    worker.write_heartbeat(hostname="celery@test")
    # Point the real connection at a database that cannot be opened; the next query really fails.
    if connection.vendor == "sqlite":
        unreachable = {"NAME": "/nonexistent-nsp-directory/nsp.sqlite3"}
    else:
        unreachable = {"HOST": "127.0.0.1", "PORT": str(_closed_port())}
    connection.close()
    try:
        with mock.patch.dict(connection.settings_dict, unreachable):
            response = client.get("/healthz/")
    finally:
        connection.close()

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["database"] == {"ok": False, "vendor": connection.vendor, "error": "OperationalError"}
    assert body["task_queue"]["ok"] is True
    assert "nonexistent" not in response.content.decode()


@pytest.mark.redis
def test_ok_broker_on_real_redis(client, db, settings):
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    body = client.get("/healthz/").json()
    assert body["task_queue"]["broker"] == "redis"
    assert body["task_queue"]["ok"] is True
