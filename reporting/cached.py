"""The dashboard's figures and the coverage matrix, cached on the version of the data (``nsp.data_version``).

Same arguments and same result as ``reporting.selectors.overview`` and ``reporting.coverage.coverage_matrix``;
pages, the home page and report snapshots call these, so a report built after the dashboard was looked at (same
edition, scope, day, language, reader scope) reads the figures the page computed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nsp.data_version import cached
from reporting import coverage, selectors


def _pk(obj) -> int | None:
    return obj.pk if obj is not None else None


def overview(*, user, as_of: dt.date, nsp, district=None, zone=None) -> dict[str, Any]:
    return cached(
        "overview",
        [as_of, _pk(nsp), _pk(district), _pk(zone)],
        lambda: selectors.overview(user=user, as_of=as_of, nsp=nsp, district=district, zone=zone),
        user=user,
    )


def coverage_matrix(
    *,
    user,
    nsp,
    as_of: dt.date,
    region: str = "",
    province: str = "",
    district=None,
    plan_status: str = "",
    zone=None,
    with_progress: bool = True,
) -> dict[str, Any]:
    filters = {"region": region, "province": province, "district": district, "plan_status": plan_status, "zone": zone}
    return cached(
        "coverage",
        [as_of, _pk(nsp), region, province, _pk(district), plan_status, _pk(zone), with_progress],
        lambda: coverage.coverage_matrix(user=user, nsp=nsp, as_of=as_of, with_progress=with_progress, **filters),
        user=user,
    )
