"""Fixtures shared by every test suite."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read messages in English unless they ask for another language."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_figures():
    """Every test starts on a data version of its own. Cached figures are keyed on the highest history id and a token
    in the cache (``nsp.data_version``); a test's rolled-back transaction hands its ids out again on SQLite, so the
    next test could otherwise meet figures cached on another test's data. A new token leaves them all behind, without
    clearing a cache that may be shared (Redis also carries the broker)."""
    from nsp import data_version

    with contextlib.suppress(Exception):  # a test that takes the cache away says so itself
        data_version.bump()
    yield


@pytest.fixture
def nsp_edition(db):
    from tests.factories import NationalSecurityPlanFactory

    return NationalSecurityPlanFactory(code="nsp-2016-2019", title="National Security Plan 2016-2019")


# --- Services: PostgreSQL, Redis, a real Celery worker ---------------------------------------------
# Tests marked ``postgres``, ``redis`` or ``worker`` (or using ``celery_worker_process``) skip with the
# reason when the service is absent, and fail instead when NSP_REQUIRE_SERVICES=1 (CI: .ci/run).

SERVICE_MARKERS = ("postgres", "redis", "worker")
WORKER_START_SECONDS = 60
WORKER_STOP_SECONDS = 30


def _services_required() -> bool:
    return os.environ.get("NSP_REQUIRE_SERVICES", "").strip().lower() in {"1", "true", "yes", "on"}


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


@functools.cache
def _service_missing(service: str) -> str | None:
    """Why this session cannot use ``service``, or None when it can. Asked once per session."""
    from django.conf import settings
    from django.db import connections

    if service == "postgres":
        vendor = connections["default"].vendor
        if vendor != "postgresql":
            return f"needs PostgreSQL; the test database is {vendor} (set DATABASE_URL=postgres://...)"
        return None
    what = "needs Redis" if service == "redis" else "needs a real Celery worker, which needs Redis"
    if not settings.REDIS_URL:
        return f"{what}; REDIS_URL is not set"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        client.close()
    except (redis.RedisError, OSError) as exc:
        return f"{what}; {_redacted(settings.REDIS_URL)} does not answer ({type(exc).__name__}: {exc})"
    return None


def _unavailable(reason: str) -> None:
    if _services_required():
        pytest.fail(f"{reason} [NSP_REQUIRE_SERVICES=1 makes this a failure]", pytrace=False)
    pytest.skip(reason)


def _worker_test_without_transactions(item: pytest.Item) -> bool:
    # A worker is another connection: it cannot see rows a test writes inside its rolled-back transaction.
    names = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    transactional = bool(
        {"transactional_db", "live_server"} & names or (marker is not None and marker.kwargs.get("transaction"))
    )
    uses_db = "db" in names or marker is not None
    return uses_db and not transactional


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    uses_worker = "celery_worker_process" in getattr(item, "fixturenames", ())
    for service in SERVICE_MARKERS:
        if item.get_closest_marker(service) or (service == "worker" and uses_worker):
            reason = _service_missing(service)
            if reason:
                _unavailable(reason)
    if uses_worker and _worker_test_without_transactions(item):
        pytest.fail(
            "celery_worker_process needs transactional_db (or django_db(transaction=True)): "
            "the worker cannot see rows of the test's uncommitted transaction",
            pytrace=False,
        )


def _database_url(settings_dict: dict) -> str:
    """A DATABASE_URL that points another process at the database ``settings_dict`` describes."""
    engine, name = settings_dict["ENGINE"], str(settings_dict["NAME"])
    if engine.endswith("sqlite3"):
        return f"sqlite:///{Path(name).resolve()}"
    if engine.endswith("postgresql"):
        user = quote(settings_dict.get("USER") or "", safe="")
        password = quote(settings_dict.get("PASSWORD") or "", safe="")
        userinfo = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or ""
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{userinfo}{host}{port}/{quote(name, safe='')}"
    raise NotImplementedError(f"No DATABASE_URL for {engine}")


@dataclasses.dataclass
class CeleryWorkerProcess:
    """A running ``celery -A nsp worker`` subprocess; tasks the tests send reach only this worker."""

    nodename: str
    queues: dict[str, str]  # configured queue name -> this session's queue
    database_url: str
    log_path: Path
    process: subprocess.Popen

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # warm shutdown: running tasks finish, the heartbeat stops
    try:
        process.wait(WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def running_celery_worker(
    *, redis_url: str, log_dir: Path, concurrency: int = 1, use_broker: bool = False
) -> Iterator[CeleryWorkerProcess]:
    """Start a real ``celery -A nsp worker`` on ``redis_url`` and the test database; route this process's tasks to
    its own queues while it lives (and, with ``use_broker``, publish through ``redis_url`` too); stop it after.

    The worker consumes queues named for it only, so parallel sessions (or another worker of this session) on one
    Redis never run each other's tasks. Media files go to MEDIA_ROOT as here.
    """
    from django.conf import settings
    from django.db import connection

    from nsp.celery import app

    token = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"
    configured = {settings.CELERY_TASK_DEFAULT_QUEUE} | {
        route["queue"] for route in settings.CELERY_TASK_ROUTES.values() if "queue" in route
    }
    queues = {name: f"pytest-{token}-{name}" for name in sorted(configured)}
    nodename = f"pytest-{token}@{socket.gethostname()}"
    log_path = log_dir / f"worker-{token}.log"
    database_url = _database_url(connection.settings_dict)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nsp.settings_test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": settings.SECRET_KEY,
        "NSP_VAR_DIR": str(settings.VAR_DIR),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    celery = Path(sys.executable).with_name("celery")
    command = [
        str(celery) if celery.exists() else "celery",
        "-A",
        "nsp",
        "worker",
        "--hostname",
        nodename,
        "--queues",
        ",".join(queues.values()),
        "--concurrency",
        str(concurrency),
        "--without-gossip",
        "--without-mingle",
        "--loglevel",
        "INFO",
    ]
    root = Path(__file__).resolve().parent
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    worker = CeleryWorkerProcess(nodename, queues, database_url, log_path, process)

    previous = {"task_default_queue": app.conf.task_default_queue, "task_routes": app.conf.task_routes}
    routes = {
        pattern: {**route, "queue": queues[route["queue"]]} if "queue" in route else route
        for pattern, route in settings.CELERY_TASK_ROUTES.items()
    }
    app.conf.update(task_default_queue=queues[settings.CELERY_TASK_DEFAULT_QUEUE], task_routes=routes)
    previous_broker = app.conf.broker_url
    if use_broker:
        _switch_broker(app, redis_url)
    try:
        deadline = time.monotonic() + WORKER_START_SECONDS
        while not app.control.ping(destination=[nodename], timeout=1.0):
            if process.poll() is not None:
                pytest.fail(f"The Celery worker exited with {process.returncode}:\n{worker.log()[-4000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"The Celery worker did not answer within {WORKER_START_SECONDS}s:\n{worker.log()[-4000:]}")
        yield worker
    finally:
        app.conf.update(**previous)
        if use_broker:
            _switch_broker(app, previous_broker)
        _stop_worker(process)


def _switch_broker(app, url: str) -> None:
    """Publish through ``url`` from now on: the pools of connections to the previous broker are dropped."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, tmp_path_factory) -> Iterator[CeleryWorkerProcess]:
    """A real Celery worker on REDIS_URL and the test database, started once per session (per xdist worker).

    Tests that use it need ``transactional_db`` so the worker sees their rows (see ``running_celery_worker``).
    """
    reason = _service_missing("worker")
    if reason:
        _unavailable(reason)
    from django.conf import settings

    with running_celery_worker(redis_url=settings.REDIS_URL, log_dir=tmp_path_factory.mktemp("celery-worker")) as w:
        yield w


@pytest.fixture
def celery_worker_factory(django_db_setup, tmp_path):
    """``celery_worker_factory(redis_url=..., use_broker=...)``: a context manager running a worker of this test's
    own (see ``running_celery_worker``), for tests that kill it or its broker. Needs ``transactional_db``."""
    reason = _service_missing("worker")
    if reason:
        _unavailable(reason)
    return functools.partial(running_celery_worker, log_dir=tmp_path)


# --- a Redis of a test's own (a broker the test may stop and start again) -------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A Redis of the test's own, on its own port, without persistence: stopped, it forgets everything."""

    def __init__(self, port: int, log_dir: Path) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.log_dir = log_dir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with (self.log_dir / f"redis-{self.port}.log").open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 30
        while not self._answers(client):
            if time.monotonic() > deadline:
                pytest.fail(f"redis-server on port {self.port} did not answer within 30 s")
            time.sleep(0.1)
        client.close()

    @staticmethod
    def _answers(client) -> bool:
        try:
            return bool(client.ping())
        except Exception:  # redis.ConnectionError while it starts
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)
        self.process = None


@pytest.fixture
def own_redis(tmp_path):
    if shutil.which("redis-server") is None:
        _unavailable("needs redis-server on the PATH to start a Redis of the test's own")
    server = RedisServer(free_port(), tmp_path)
    server.start()
    yield server
    server.stop()
