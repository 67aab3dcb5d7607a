"""``make load``: the served application under load (locust), 1 person and then 30, as one ratio of p95s.

One command (bench/README.md): prepares the database's people (a known password for the zones' chiefs and
planners and the national user, and the rows they work on, written to ``var/load/people.json``), starts
``bin/serve`` (gunicorn and a Celery worker, as in production) on its own port against ``--database-url`` and
``--redis-url``, runs ``bench/locustfile.py`` headless for each ``--users`` count in turn (``--duration`` each,
think time 1-3 s, ramped up at once), stops the server and prints per run the requests, failures, median and
p95 of all requests together, then p95(last) / p95(first). Exits 1 when a request failed or the ratio exceeds
``--max-ratio`` (3). The database is written to (measurement saves, history): give it a copy of the national
data of its own (``createdb -T national_h8 national_load``).

``--worker-class``, ``--web-concurrency`` and ``--threads`` are passed to bin/serve (WEB_WORKER_CLASS,
WEB_CONCURRENCY, WEB_THREADS), so each gunicorn configuration is measured with the same command.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password"
NATIONAL_USER = "national.planner"


def prepare(people_file: Path, zones: int) -> None:
    """Migrate the database; give the first ``zones`` zones' chief and planner and the national user a known
    password; list their rows."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nsp.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    # The copy may predate this checkout's migrations (a page over a missing table answers 500).
    call_command("migrate", interactive=False, verbosity=0)

    from nsp.models import Indicator, Measurement, PlanStatus
    from zones.models import ZonalSecurityPlan

    users = get_user_model().objects
    password = make_password(PASSWORD)
    plans = list(
        ZonalSecurityPlan.objects.filter(status=PlanStatus.APPROVED, zone__status="active")
        .select_related("zone")
        .order_by("zone__number", "-period_start")[: zones * 4]
    )
    seen, rows = set(), []
    for plan in plans:
        if plan.zone_id in seen or len(rows) >= zones * 2:
            continue
        seen.add(plan.zone_id)
        indicators = list(Indicator.objects.filter(plan=plan).order_by("pk").values_list("pk", flat=True)[:20])
        measurements = [
            {"pk": pk, "value": str(value)}
            for pk, value in Measurement.objects.filter(plan=plan, value__gte=1)
            .order_by("-pk")
            .values_list("pk", "value")[:20]
        ]
        # The chief and the planner save measurements of their own (a save over the other's newer version
        # would rightly be refused as stale, 409: a conflict of the test, not of the server).
        for index, role in enumerate(("chief", "planner")):
            username = f"{role}.{plan.zone.key}"
            if not users.filter(username=username).update(password=password, is_active=True):
                continue
            rows.append(
                {
                    "username": username,
                    "password": PASSWORD,
                    "zone": plan.zone.key,
                    "plan": plan.pk,
                    "indicators": indicators,
                    "measurements": measurements[index::2],
                }
            )
    # One person per zone first (the chiefs), then the planners: 30 users work in 30 zones.
    rows.sort(key=lambda row: not row["username"].startswith("chief."))
    if not rows or not users.filter(username=NATIONAL_USER).update(password=password, is_active=True):
        raise SystemExit("No national data here: run generate_national into this database first.")
    people_file.parent.mkdir(parents=True, exist_ok=True)
    people_file.write_text(
        json.dumps({"zones": rows, "national": {"username": NATIONAL_USER, "password": PASSWORD}}, indent=1)
    )
    print(f"load: {len(rows)} people in {len(seen)} zones, and {NATIONAL_USER} -> {people_file}")


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bin/serve exited with {server.returncode} before it answered")
        try:
            with urllib.request.urlopen(url + "/healthz/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"bin/serve did not answer {url}/healthz/ within {timeout:.0f}s")


def aggregated(stats_csv: Path) -> dict:
    with stats_csv.open() as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return row
    raise SystemExit(f"no Aggregated row in {stats_csv}")


def run_locust(host: str, users: int, duration: str, people: Path, prefix: Path) -> dict:
    command = [
        str(ROOT / ".venv/bin/locust"),
        "-f",
        str(ROOT / "bench/locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        duration,
        "--host",
        host,
        "--people",
        str(people),
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    print(f"load: {users} user(s) for {duration} ...", flush=True)
    subprocess.run(command, cwd=ROOT, check=False)
    row = aggregated(Path(f"{prefix}_stats.csv"))
    by_name = {}
    with Path(f"{prefix}_stats.csv").open() as handle:
        for line in csv.DictReader(handle):
            if line["Name"] != "Aggregated":
                by_name[line["Name"]] = (int(line["Request Count"]), line["50%"], line["95%"])
    return {
        "users": users,
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "median": float(row["50%"]),
        "p95": float(row["95%"]),
        "rps": float(row["Requests/s"]),
        "by_name": by_name,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/national_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--port", type=int, default=random.randint(8100, 8999))
    parser.add_argument("--users", default="1,30", help="user counts, run in turn (default 1,30)")
    parser.add_argument("--duration", default="3m", help="of each run (locust --run-time; default 3m)")
    parser.add_argument("--worker-class", default=None, help="gunicorn's (bin/serve's default when not given)")
    parser.add_argument("--web-concurrency", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=None, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--max-ratio", type=float, default=3.0)
    parser.add_argument("--zones", type=int, default=30, help="zones whose chief and planner take part")
    parser.add_argument("command", nargs="?", choices=["run", "prepare"], default="run")
    args = parser.parse_args()

    out = ROOT / "var/load"
    people = out / "people.json"
    env = dict(os.environ, DATABASE_URL=args.database_url, REDIS_URL=args.redis_url, PORT=str(args.port))
    env.setdefault("SECRET_KEY", "load")
    env.pop("DEBUG", None)  # as in production: DEBUG off, static files collected (make collectstatic)
    env.pop("DEMO", None)
    if args.command == "prepare":
        os.environ.update(env)
        prepare(people, args.zones)
        return 0

    subprocess.run([sys.executable, __file__, "prepare", "--zones", str(args.zones)], env=env, check=True)
    for name, value in (
        ("WEB_WORKER_CLASS", args.worker_class),
        ("WEB_CONCURRENCY", args.web_concurrency),
        ("WEB_THREADS", args.threads),
    ):
        if value is not None:
            env[name] = str(value)
    # Stopped by SIGTERM (or SIGINT, which a background job ignores): stop the server before leaving.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    host = f"http://127.0.0.1:{args.port}"
    log = (out / "serve.log").open("w")
    server = subprocess.Popen(
        [str(ROOT / "bin/serve")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    results = []
    try:
        wait_until_up(host, server)
        for users in [int(n) for n in args.users.split(",")]:
            results.append(run_locust(host, users, args.duration, people, out / f"u{users}"))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()

    serve = " ".join(
        f"{name}={env.get(name, 'default')}" for name in ("WEB_WORKER_CLASS", "WEB_CONCURRENCY", "WEB_THREADS")
    )
    print(f"\nload: bin/serve {serve}; {platform.node()}, {os.cpu_count()} cores, load average {os.getloadavg()}")
    print(f"{'users':>5} {'requests':>9} {'failures':>8} {'req/s':>6} {'median ms':>9} {'p95 ms':>7}")
    for r in results:
        print(
            f"{r['users']:>5} {r['requests']:>9} {r['failures']:>8} {r['rps']:>6.1f} "
            f"{r['median']:>9.0f} {r['p95']:>7.0f}"
        )
    for r in results:
        print(f"  {r['users']} user(s), per request (count, median ms, p95 ms):")
        for name, (count, median, p95) in sorted(r["by_name"].items()):
            print(f"    {name:<22} {count:>6} {median:>7} {p95:>7}")
    failures = sum(r["failures"] for r in results)
    status = 0 if failures == 0 else 1
    if len(results) > 1 and results[0]["p95"]:
        ratio = results[-1]["p95"] / results[0]["p95"]
        verdict = "ok" if ratio <= args.max_ratio else "over"
        first, last = results[0]["users"], results[-1]["users"]
        print(f"p95({last}) / p95({first}) = {ratio:.2f} (bound {args.max_ratio}: {verdict})")
        status = status or int(ratio > args.max_ratio)
    print(f"failed requests: {failures}")
    return status


if __name__ == "__main__":
    sys.exit(main())
