"""Browser tests: the real application, driven by Debian's Chromium through Playwright.

One session fixture, ``demo_site``, builds what ``make run`` builds, in a temporary folder of its own
(``NSP_VAR_DIR``): a fresh SQLite database, migrated, with the reference data, the police zones and the
demo data set (``tests/browser/prepare.py``); then it serves it with gunicorn on a free port and runs a
real Celery worker on the filesystem broker (embedded mode), so reports run off the request as they do
for a user. Both processes are stopped at the end of the session. See docs/testing.md.

Tests marked ``browser`` skip with the reason when Chromium (or Playwright) is missing, and fail instead
when ``NSP_REQUIRE_SERVICES=1``, like the service markers of the root conftest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.browser.helpers import PASSWORD, DemoSite, describe_violations, tail

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BRUSSELS = ZoneInfo("Europe/Brussels")  # settings.TIME_ZONE: the day the demo data are written for
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PREPARE_SECONDS = 600
START_SECONDS = 90
STOP_SECONDS = 20
# A busy two-core machine: generous waits, still far below a hung test.
ACTION_TIMEOUT_MS = 20_000
NAVIGATION_TIMEOUT_MS = 45_000
EXPECT_TIMEOUT_MS = 10_000
SCREENSHOTS = ROOT / "test-results" / "browser"
# The served app never talks to the services the rest of the suite may be pointed at.
CLEARED_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "MEDIA_ROOT",
    "DEBUG",
    "DEMO",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_COOKIES",
    "HTTPS",
    "CELERY_TASK_ALWAYS_EAGER",
    "EMAIL_BACKEND",
)


# --- skip or fail when the browser is missing ----------------------------------------------------------


def _services_required() -> bool:
    return os.environ.get("NSP_REQUIRE_SERVICES", "").strip().lower() in {"1", "true", "yes", "on"}


def _browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"needs Chromium at {CHROMIUM} (Debian package 'chromium')"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"needs Playwright and axe-playwright-python ({exc}); pip install -e '.[dev]'"
    return None


def _unavailable(reason: str) -> None:
    if _services_required():
        pytest.fail(f"{reason} [NSP_REQUIRE_SERVICES=1 makes this a failure]", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture: a missing browser must not cost the minute the demo site takes to build.
    if item.get_closest_marker("browser"):
        reason = _browser_missing()
        if reason:
            _unavailable(reason)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # With `pytest -n ... --dist loadgroup` every browser test shares one xdist worker, hence one demo site.
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


_REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


# --- the demo site: prepared database, web server, worker ------------------------------------------------


def _environment(var_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in CLEARED_VARIABLES}
    env.update(
        {
            # The test settings: the base settings with fast password hashing and plain static files
            # (the production manifest needs a minute of compression; nothing else differs for a page).
            "DJANGO_SETTINGS_MODULE": "nsp.settings_test",
            "NSP_VAR_DIR": str(var_dir),
            "PYTHONUNBUFFERED": "1",
            # Each demo user signs in once per session and may sit idle between journeys for longer than the
            # production idle timeout (tested in tests/test_security.py).
            "SESSION_IDLE_MINUTES": "600",
        }
    )
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _health(base_url: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"{base_url}/healthz/", timeout=2) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def _stop(processes: list[subprocess.Popen]) -> None:
    """SIGTERM to all at once (gunicorn and celery both shut down gracefully on it), then wait for each."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in running:
        try:
            process.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _gunicorn_private_options() -> list[str]:
    """Newer gunicorns open a control socket in the home folder, shared by every server: not ours."""
    from gunicorn.config import KNOWN_SETTINGS

    return ["--no-control-socket"] if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS) else []


# What the prepared database is made of: when none of it changed, a copy of the last one serves.
PREPARED_FROM = ("nsp", "clusters", "zones", "programmes", "reporting", "demo", "static")


def _prepared_key() -> str:
    """A digest of the code, data and static files the prepared folder comes from, and of the day the demo
    data depend on (docs/demo.md, "Dates")."""
    import django

    digest = hashlib.sha256(f"{django.__version__} {dt.datetime.now(BRUSSELS).date()}".encode())
    files = [HERE / "prepare.py", ROOT / "pyproject.toml"]
    for folder in PREPARED_FROM:
        files += [
            path
            for path in (ROOT / folder).rglob("*")
            if path.is_file() and not {"tests", "__pycache__"} & set(path.relative_to(ROOT).parts)
        ]
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def _prepare(var_dir: Path, env: dict[str, str], log_path: Path, cache: Path | None) -> dict:
    """Fill ``var_dir`` like ``bin/release`` and ``collectstatic`` do (or copy the last identical result) and
    return the primary keys ``prepare.py`` looked up."""
    key = _prepared_key() if cache is not None else ""
    if cache is not None and (cache / key / "objects.json").exists():
        shutil.copytree(cache / key / "var", var_dir, dirs_exist_ok=True)
        return json.loads((cache / key / "objects.json").read_text())
    objects_file = log_path.with_name("objects.json")
    with log_path.open("wb") as log:
        prepared = subprocess.run(
            [sys.executable, "-m", "tests.browser.prepare", str(objects_file)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=PREPARE_SECONDS,
            check=False,
        )
    if prepared.returncode != 0:
        pytest.fail(f"Preparing the demo database failed ({prepared.returncode}):\n{tail(log_path)}")
    if cache is not None:
        # Built aside and renamed into place, so a parallel session never copies half a folder.
        staging = cache / f".{key}-{uuid.uuid4().hex[:8]}"
        shutil.copytree(var_dir, staging / "var", ignore=shutil.ignore_patterns("cache", "celery"))
        shutil.copy(objects_file, staging / "objects.json")
        for old in cache.iterdir():
            if old.name != key and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
        try:
            staging.rename(cache / key)
        except OSError:  # another session stored the same folder first
            shutil.rmtree(staging, ignore_errors=True)
    return json.loads(objects_file.read_text())


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory, pytestconfig) -> Iterator[DemoSite]:
    """The application as ``make run`` serves it, on a database and folder of this session's own."""
    reason = _browser_missing()
    if reason:
        _unavailable(reason)
    folder = tmp_path_factory.mktemp("browser-site")
    var_dir = folder / "var"
    var_dir.mkdir()
    env = _environment(var_dir)
    # pytest's cache folder keeps the last prepared database (`pytest --cache-clear` forgets it).
    cache = pytestconfig.cache.mkdir("nsp-browser-site") if getattr(pytestconfig, "cache", None) else None
    objects = _prepare(var_dir, env, folder / "prepare.log", cache)

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    server_log, worker_log = folder / "server.log", folder / "worker.log"
    processes: dict[str, subprocess.Popen] = {}
    try:
        with worker_log.open("wb") as log:
            worker = [
                *(sys.executable, "-m", "celery", "-A", "nsp", "worker"),
                *("--queues", "default,reports", "--concurrency", "1", "--hostname", f"browser-tests-{port}@%h"),
                *("--without-gossip", "--without-mingle", "--loglevel", "INFO"),
            ]
            processes["worker"] = subprocess.Popen(worker, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        with server_log.open("wb") as log:
            server = [
                *(sys.executable, "-m", "gunicorn", "nsp.wsgi:application", "--bind", f"127.0.0.1:{port}"),
                *("--workers", "2", "--graceful-timeout", "5", "--access-logfile", "-"),
                *_gunicorn_private_options(),
            ]
            processes["web server"] = subprocess.Popen(server, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        site = DemoSite(base_url, var_dir, objects, server_log, worker_log)
        # /healthz/ says "ok" once the database answers and the worker's heartbeat is fresh.
        deadline = time.monotonic() + START_SECONDS
        while (_health(base_url) or {}).get("status") != "ok":
            for name, process in processes.items():
                if process.poll() is not None:
                    pytest.fail(f"The {name} exited with {process.returncode}:\n{site.logs(60)}")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"The demo site was not healthy within {START_SECONDS}s: {_health(base_url)}\n{site.logs()}"
                )
            time.sleep(0.5)
        yield site
    finally:
        _stop(list(processes.values()))


# --- accessibility findings below the blocking threshold ------------------------------------------------

_FINDINGS = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def axe_findings(request) -> list[tuple[str, dict]]:
    """Where audits put the moderate and minor violations they found; listed in the session summary."""
    return request.config.stash.setdefault(_FINDINGS, [])


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    findings = config.stash.get(_FINDINGS, [])
    if findings:
        terminalreporter.section("axe: moderate and minor violations (not failing)")
        for where, violation in findings:
            terminalreporter.line(f"{where}\n{describe_violations([violation])}")


# --- Playwright -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(demo_site):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    # Playwright's sync API keeps an event loop running in this thread for the whole session, and Django's
    # async-safety check would then refuse every later database call of the tests this xdist worker runs
    # after the browser suite. A false alarm: nothing runs concurrently here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def _signed_in(browser, demo_site) -> Callable[[str], dict]:
    """Each demo user signs in once per session, by posting the login form (test_login.py signs in through
    the page itself); later windows reuse the session cookie."""
    states: dict[str, dict] = {}

    def state(username: str) -> dict:
        if username not in states:
            context = browser.new_context(base_url=demo_site.base_url)
            context.request.get("/accounts/login/")  # sets the CSRF cookie
            token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
            response = context.request.post(
                "/accounts/login/",
                form={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                max_redirects=0,
            )
            assert response.status == 302, f"{username} could not sign in ({response.status})"
            states[username] = context.storage_state()
            context.close()
        return states[username]

    return state


@pytest.fixture
def open_page(browser, demo_site, _signed_in, request):
    """``open_page(username=None, path=None)``: a new browser window (its own cookies), signed in as
    ``username`` (anonymous when None), showing ``path``. Failing tests leave screenshots and log tails."""
    contexts = []
    csp_violations: list[str] = []

    def _open(username: str | None = None, path: str | None = None):
        context = browser.new_context(
            base_url=demo_site.base_url,
            locale="en-GB",  # Accept-Language: English whatever the machine's locale
            storage_state=_signed_in(username) if username else None,
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        # Every page of every journey runs under the Content-Security-Policy; Chromium reports a refusal on the
        # console ("Refused to ... because it violates the following Content Security Policy directive").
        context.on(
            "console",
            lambda message: (
                csp_violations.append(f"{message.page.url if message.page else '?'}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        contexts.append(context)
        page = context.new_page()
        if path:
            page.goto(path)
        return page

    yield _open
    call = request.node.stash.get(_REPORTS, {}).get("call")
    if call is not None and call.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        for n, page in enumerate(page for context in contexts for page in context.pages):
            path = SCREENSHOTS / f"{name}-{n}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
                print(f"Screenshot of {page.url}: {path}")
            except Exception as exc:  # a crashed page must not hide the test's own failure
                print(f"No screenshot of {page.url}: {exc}")
        print(demo_site.logs())
    for context in contexts:
        context.close()
    if csp_violations and not (call is not None and call.failed):
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(csp_violations))
