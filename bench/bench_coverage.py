"""What the coverage matrix page costs against its SQL, at national scale: page time / SQL time <= 3.

Run against the national data set (``generate_national``, docs/national-data.md), e.g.
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/national_h12 SECRET_KEY=x DEBUG=1 .venv/bin/python
bench/bench_coverage.py``. Renders ``/dashboard/coverage/`` as the Coordinating Committee member (``--user``,
default ``national.committee``) ``--repeats`` times and prints the medians of the page's time and of its
queries' time (as the database driver reports them), the number of queries, the matrix's size, and the ratio;
exits 1 when the ratio exceeds ``--max-ratio`` (3) or the queries grow past ``--max-queries`` (30). Also times
the CSV and XLSX downloads of the same matrix.
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

setup_test_environment()  # responses carry their template context (the matrix's size)


def measure(client: Client, path: str) -> tuple[float, float, int, object]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    sql = sum(float(q["time"]) for q in queries.captured_queries)
    return elapsed, sql, len(queries), response


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="national.committee")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--max-ratio", type=float, default=3.0)
    parser.add_argument("--max-queries", type=int, default=30)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=args.user))
    status = 0
    for path in ("/dashboard/coverage/", "/dashboard/coverage/csv/", "/dashboard/coverage/xlsx/"):
        measure(client, path)  # warm up
        runs = [measure(client, path) for _ in range(args.repeats)]
        page = statistics.median(r[0] for r in runs)
        sql = statistics.median(r[1] for r in runs)
        count = runs[-1][2]
        ratio = page / sql if sql else float("inf")
        line = f"{path}: page {page * 1000:.0f} ms, SQL {sql * 1000:.0f} ms in {count} queries, ratio {ratio:.2f}"
        if path.endswith("coverage/"):
            matrix = runs[-1][3].context["matrix"]
            cells = len(matrix["zones"]) * len(matrix["priorities"])
            line += f" ({len(matrix['zones'])} zones x {len(matrix['priorities'])} priorities = {cells} cells)"
            if ratio > args.max_ratio or count > args.max_queries:
                status = 1
        print(line)
    return status


if __name__ == "__main__":
    sys.exit(main())
