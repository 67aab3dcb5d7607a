"""What the server-drawn charts cost on the dashboard: the page with its charts against the same page without.

Run against a database that holds data (the demo set, or ``generate_national``'s national set), e.g.
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> SECRET_KEY=x .venv/bin/python bench/bench_charts.py``.
Renders ``/dashboard/`` as the Coordinating Committee member (``--user``) ``--repeats`` times each way,
interleaved, and prints the medians and their ratio; exits 1 when the charts add more than ``--max-share``
(0.20: 20 %) to the page's time. The charts' own time (``reporting.charts.overview_charts``) is printed apart.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nsp.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from reporting import charts, selectors  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="committee.member")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--max-share", type=float, default=0.20)
    args = parser.parse_args()
    user = get_user_model().objects.get(username=args.user)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    real = charts.overview_charts

    def page(with_charts: bool) -> float:
        charts.overview_charts = real if with_charts else (lambda data, prefix="": {})
        start = time.perf_counter()
        response = client.get("/dashboard/")
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        return elapsed

    page(True), page(False)  # warm up: templates, translations, connections
    timings: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.repeats):
        for with_charts in (False, True):
            timings[with_charts].append(page(with_charts))
    charts.overview_charts = real
    today = timezone.localdate()
    data = selectors.overview(user=user, as_of=today, nsp=selectors.edition_for(user=user, as_of=today))
    drawn = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        charts.overview_charts(data)
        drawn.append(time.perf_counter() - start)
    without, with_ = statistics.median(timings[False]), statistics.median(timings[True])
    share = with_ / without - 1
    print(f"dashboard without charts: {without * 1000:.1f} ms (median of {args.repeats})")
    print(f"dashboard with charts:    {with_ * 1000:.1f} ms")
    print(f"charts alone:             {statistics.median(drawn) * 1000:.1f} ms")
    print(f"charts add {share:+.1%} to the page (limit {args.max_share:.0%})")
    return 0 if share <= args.max_share else 1


if __name__ == "__main__":
    sys.exit(main())
