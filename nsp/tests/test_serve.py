"""bin/serve stops, with every process it started, within its graceful timeout however it is signalled: Ctrl-C
(SIGINT to the terminal's process group), SIGTERM to bin/serve alone, and SIGTERM to the whole process group at
once (what systemd's KillMode=control-group does on stop), embedded (filesystem broker) and with Redis."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKER_SHUTDOWN_TIMEOUT = 10
GRACEFUL_TIMEOUT = 5
# bin/serve kills what is left this long after it started stopping (the larger timeout + 10 s).
STOP_TIMEOUT = max(WORKER_SHUTDOWN_TIMEOUT, GRACEFUL_TIMEOUT) + 10
START_SECONDS = 180
LEAKING = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "CELERY_TASK_ALWAYS_EAGER", "DEMO"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in LEAKING}
    return {
        **env,
        "NSP_VAR_DIR": str(var_dir),
        "VENV": str(Path(sys.executable).parent.parent),
        "WORKER_SHUTDOWN_TIMEOUT": str(WORKER_SHUTDOWN_TIMEOUT),
        "GRACEFUL_TIMEOUT": str(GRACEFUL_TIMEOUT),
        "WEB_CONCURRENCY": "1",
        "WORKER_CONCURRENCY": "1",
        "DEMO": "0",
        **extra,
    }


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory) -> Path:
    """An embedded installation with its database migrated (beat reads its schedule from it)."""
    var = tmp_path_factory.mktemp("serve")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=environment(var),
        check=True,
        capture_output=True,
        timeout=900,
    )
    return var


def session_processes(session: int) -> list[str]:
    """The live processes of a session (bin/serve and everything it started), as "pid command"."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _ppid, _pgrp, sid = stat.read_text().rsplit(")", 1)[1].split()[:4]
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue
        if int(sid) == session and state != "Z":
            found.append(f"{stat.parent.name} {command.strip()}")
    return found


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # our own local server
            return True
    except urllib.error.HTTPError:
        return True  # 503 (degraded) is an answer too
    except OSError:
        return False


def serve_then_signal(env: dict[str, str], how: str, log_path: Path, before=None) -> tuple[list[str], str]:
    port = env["PORT"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["bash", "bin/serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not (answers(f"http://127.0.0.1:{port}/healthz/") and " ready." in log_path.read_text(errors="replace")):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"bin/serve did not start:\n{log_path.read_text(errors='replace')[-4000:]}")
            time.sleep(0.5)
        time.sleep(2)  # beat and the pool are up too
        if before is not None:
            before(log_path)
        if how == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)
        elif how == "sigterm-main":
            os.kill(process.pid, signal.SIGTERM)
        else:
            os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT + 5
        while time.monotonic() < deadline:
            process.poll()
            left = session_processes(process.pid)
            if not left:
                break
            time.sleep(0.25)
        return left, log_path.read_text(errors="replace")
    finally:
        for line in session_processes(process.pid):  # what is left of our own processes, after the assertion's data
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(line.split()[0]), signal.SIGKILL)
        process.wait(30)


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm-main", "sigterm-group"])
def test_embedded_serve_stops_within_its_timeout(var_dir, tmp_path, how):
    env = environment(var_dir, PORT=str(free_port()))
    left, log = serve_then_signal(env, how, tmp_path / "serve.log")
    assert left == [], f"still running {STOP_TIMEOUT + 5}s after {how}: {left}\n{log[-4000:]}"
    assert "Warm shutdown" in log


@pytest.mark.redis
def test_serve_on_redis_stops_within_its_timeout_when_the_whole_group_is_signalled(var_dir, tmp_path, settings):
    env = environment(var_dir, PORT=str(free_port()), REDIS_URL=settings.REDIS_URL, SECRET_KEY="serve-test-key")
    left, log = serve_then_signal(env, "sigterm-group", tmp_path / "serve.log")
    assert left == [], f"still running {STOP_TIMEOUT + 5}s after SIGTERM to the group: {left}\n{log[-4000:]}"
    assert "Connected to redis://" in log


@pytest.mark.postgres
@pytest.mark.redis
def test_a_worker_busy_with_a_job_that_does_not_end_stops_within_its_timeout(transactional_db, settings, tmp_path):
    """SIGTERM to bin/serve while a report job hangs (another session holds a table it reads): the worker's warm
    shutdown would wait for the job for ever; it exits WORKER_SHUTDOWN_TIMEOUT later, and the job is not lost."""
    from django.db import connection, connections

    from conftest import _database_url
    from nsp.models import Measurement
    from reporting import services
    from reporting.models import ReportRun
    from reporting.tests.conftest import PERIOD, build_world

    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    env = environment(
        tmp_path / "var",
        PORT=str(free_port()),
        REDIS_URL=settings.REDIS_URL,
        SECRET_KEY="serve-test-key",
        DATABASE_URL=_database_url(connection.settings_dict),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        DJANGO_SETTINGS_MODULE="nsp.settings_test",
    )
    holder = connections.create_connection("default")
    holder.ensure_connection()
    holder.connection.autocommit = False

    def a_job_that_hangs(log_path: Path) -> None:
        with holder.connection.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{Measurement._meta.db_table}" IN ACCESS EXCLUSIVE MODE')
        run = services.report_request(
            actor=world.chief_a, kind="plan_progress", scope="plan", plan=world.plan_a, period=PERIOD, format="json"
        )
        deadline = time.monotonic() + 60
        while not ReportRun.objects.filter(pk=run.pk, status="running", progress__gte=10).exists():
            if time.monotonic() > deadline:
                pytest.fail(f"the job did not start:\n{log_path.read_text(errors='replace')[-4000:]}")
            time.sleep(0.25)

    try:
        left, log = serve_then_signal(env, "sigterm-main", tmp_path / "serve.log", before=a_job_that_hangs)
    finally:
        holder.connection.rollback()
        holder.close()
    assert left == [], f"still running {STOP_TIMEOUT + 5}s after SIGTERM with a job running: {left}\n{log[-4000:]}"
    assert "exiting now" in log
    # Its run waits in "running" for the job to be delivered again (Redis) or for the sweeper: not lost.
    assert ReportRun.objects.get().status == "running"
