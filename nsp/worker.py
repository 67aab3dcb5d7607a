"""The Celery worker's heartbeat, so the web process (``/healthz/``) can tell whether a worker is alive.

A running worker writes ``{"at": <ISO timestamp>, "hostname": ...}`` into the Django cache every
``WORKER_HEARTBEAT_SECONDS``: the file cache under ``var/`` in embedded mode (shared by the web process
and the worker on one machine), Redis otherwise. ``nsp.celery`` starts the heartbeat on ``worker_ready``
and stops it on ``worker_shutdown``. A heartbeat older than ``STALE_AFTER_BEATS`` intervals means no
worker is alive.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import signal
import threading
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "nsp:worker:heartbeat"
# A missed beat or two (a busy machine, a slow cache) must not report the worker as dead.
STALE_AFTER_BEATS = 3

_lock = threading.Lock()
_thread: HeartbeatThread | None = None


def interval() -> float:
    return float(settings.WORKER_HEARTBEAT_SECONDS)


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=interval() * STALE_AFTER_BEATS)


def write_heartbeat(*, hostname: str, at: dt.datetime | None = None) -> dict[str, str]:
    """Record that worker ``hostname`` is alive now (or at ``at``)."""
    beat = {"at": (at or timezone.now()).isoformat(), "hostname": hostname}
    # The entry outlives the staleness window a little, so a reader sees "stale", not "never".
    cache.set(HEARTBEAT_KEY, beat, timeout=int(stale_after().total_seconds() * 2) + 1)
    return beat


def read_heartbeat() -> dict[str, str] | None:
    """The latest heartbeat any worker wrote, or None. Raises when the cache cannot be read."""
    beat = cache.get(HEARTBEAT_KEY)
    if not isinstance(beat, dict) or "at" not in beat:
        return None
    return beat


def heartbeat_state(*, now: dt.datetime | None = None) -> dict[str, object]:
    """``{"alive": bool, "last_heartbeat": iso or None, "hostname": str or None}`` for ``/healthz/``."""
    try:
        beat = read_heartbeat()
    except Exception as exc:  # a cache that cannot be read (Redis down) means we cannot see a worker
        logger.warning("Cannot read the worker heartbeat: %s", exc)
        return {"alive": False, "last_heartbeat": None, "hostname": None, "error": type(exc).__name__}
    if beat is None:
        return {"alive": False, "last_heartbeat": None, "hostname": None}
    try:
        at = dt.datetime.fromisoformat(beat["at"])
    except (TypeError, ValueError):
        return {"alive": False, "last_heartbeat": None, "hostname": beat.get("hostname")}
    age = (now or timezone.now()) - at
    return {"alive": age <= stale_after(), "last_heartbeat": beat["at"], "hostname": beat.get("hostname")}


class HeartbeatThread(threading.Thread):
    """Writes a heartbeat now and then every ``every`` seconds until ``stop()``."""

    def __init__(self, *, hostname: str, every: float) -> None:
        super().__init__(name="nsp-worker-heartbeat", daemon=True)
        self.hostname = hostname
        self.every = every
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.is_set():
            try:
                write_heartbeat(hostname=self.hostname)
            except Exception:  # the cache may come back; the worker must keep running meanwhile
                logger.exception("Cannot write the worker heartbeat")
            self._stopped.wait(self.every)

    def stop(self, timeout: float = 5.0) -> None:
        self._stopped.set()
        if self.is_alive():
            self.join(timeout)


def start_heartbeat(*, hostname: str) -> HeartbeatThread:
    """Start this process's heartbeat (once; a second call returns the running one)."""
    global _thread
    with _lock:
        if _thread is not None and _thread.is_alive():
            return _thread
        _thread = HeartbeatThread(hostname=hostname, every=interval())
        _thread.start()
        logger.info("Worker heartbeat started for %s every %ss", hostname, _thread.every)
        return _thread


def stop_heartbeat() -> None:
    global _thread
    with _lock:
        thread, _thread = _thread, None
    if thread is not None:
        thread.stop()
        logger.info("Worker heartbeat stopped for %s", thread.hostname)


def running_heartbeat() -> HeartbeatThread | None:
    return _thread if _thread is not None and _thread.is_alive() else None


# --- a bounded shutdown ------------------------------------------------------------------------------

_exit_timer: threading.Timer | None = None


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the pool processes and embedded beat of a worker), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _exit_now(seconds: float) -> None:
    # Written straight to stderr: the main thread may hang holding a lock of the logging machinery.
    message = (
        f"nsp.worker: still running {seconds:g}s after being asked to stop: exiting now. Unfinished jobs go back "
        "to the queue (or, in embedded mode, to the sweeper of runs stuck in running).\n"
    )
    with contextlib.suppress(OSError):
        os.write(2, message.encode())
    for child in children(os.getpid()):
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
    os._exit(1)


def exit_after(seconds: float) -> threading.Timer:
    """Once the worker is asked to stop: should it still run ``seconds`` later (jobs that do not end, a shutdown
    that hangs on a second signal), kill its own child processes and exit. Started once; a daemon timer."""
    global _exit_timer
    with _lock:
        if _exit_timer is None:
            _exit_timer = threading.Timer(seconds, _exit_now, args=(seconds,))
            _exit_timer.daemon = True
            _exit_timer.name = "nsp-worker-exit-after"
            _exit_timer.start()
        return _exit_timer
