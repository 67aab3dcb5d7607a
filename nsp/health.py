"""``GET /healthz/``: the state of the database and of the task queue, for operators and load balancers.

200 ``ok`` when everything answers; 200 ``degraded`` when the broker or every worker is gone (pages
still work, report jobs wait); 503 ``down`` when the database does not answer. Public, so it says
which part failed but never how (no host names, no error texts).
"""

from __future__ import annotations

import functools
import logging
import os
from importlib import metadata
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from nsp import worker

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


@functools.cache
def version() -> str:
    try:
        return metadata.version("nsp-planner")
    except metadata.PackageNotFoundError:
        return "unknown"


def database_state() -> dict[str, object]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("Health check: the database does not answer: %s", exc)
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_name() -> str:
    scheme = urlsplit(settings.CELERY_BROKER_URL).scheme
    return "redis" if scheme in ("redis", "rediss") else scheme


def broker_state() -> dict[str, object]:
    name = broker_name()
    try:
        if name == "redis":
            client = redis.Redis.from_url(
                settings.CELERY_BROKER_URL,
                socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
                socket_timeout=BROKER_TIMEOUT_SECONDS,
            )
            try:
                ok = bool(client.ping())
            finally:
                client.close()
        elif name == "filesystem":
            # Messages are files: the broker is up when the web process can drop one in the queue folder.
            folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", "")
            ok = bool(folder) and os.path.isdir(folder) and os.access(folder, os.W_OK)
        else:
            ok = False
    except (redis.RedisError, OSError) as exc:
        logger.warning("Health check: the task broker (%s) does not answer: %s", name, exc)
        return {"broker": name, "ok": False, "error": type(exc).__name__}
    return {"broker": name, "ok": ok}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    database = database_state()
    task_queue = broker_state()
    workers = worker.heartbeat_state()
    task_queue["workers"] = {"alive": workers["alive"], "last_heartbeat": workers["last_heartbeat"]}
    if not database["ok"]:
        status, code = "down", 503
    elif task_queue["ok"] and workers["alive"]:
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    body = {"status": status, "database": database, "task_queue": task_queue, "version": version()}
    return JsonResponse(body, status=code)
