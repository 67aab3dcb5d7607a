"""The yardsticks of ``make bench``: the figures of a page computed by ONE hand-written PostgreSQL query each.

Each query states the progress rules of ``nsp.progress`` (docs/progress.md) directly: every indicator's latest
measurement found once (``DISTINCT ON``), its part, the objectives' weighted means, then the groups. They read
what the Coordinating Committee member may read (every plan but zonal drafts), which is the bench's viewer.
``bench/bench_national.py`` times them against the application and checks that both give the same figures;
``reporting/tests/test_bench_sql.py`` checks the dashboard's on a small data set.

Values the rules compute in Python once per request (the end of the last complete period per frequency)
are parameters here too, so the yardstick does no more and no less than the application must.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from nsp import periods, progress

SLACK = progress.SLACK


def _status(p: str, e: str) -> str:
    """``progress.status_for`` as SQL over the columns ``p`` and ``e``."""
    (on_track, on_margin), (at_risk, at_margin) = progress.THRESHOLDS
    return (
        f"CASE WHEN {p} IS NULL THEN 'no_data' "
        f"WHEN {p} >= {progress.ACHIEVED_PROGRESS - SLACK!r} THEN 'achieved' "
        f"WHEN {p} >= {e} - {on_margin + SLACK!r} THEN '{on_track.value}' "
        f"WHEN {p} >= {e} - {at_margin + SLACK!r} THEN '{at_risk.value}' "
        "ELSE 'off_track' END"
    )


def _objectives(plans: str) -> str:
    """CTEs ``latest``, ``parts``, ``totals`` and ``objs`` (one row per objective, with p, e, status) over the
    plans of the CTE ``plans`` (id, keep_tolerance as tol)."""
    return f"""
latest AS (
  SELECT i.id AS indicator_id, l.v, l.period, l.period_end
  FROM nsp_indicator i CROSS JOIN LATERAL (
    SELECT m.value::float8 AS v, m.period, m.period_end FROM nsp_measurement m
    WHERE m.indicator_id = i.id AND m.period_start <= %(as_of)s
    ORDER BY m.period_end DESC, m.period_start DESC, m.id DESC LIMIT 1
  ) l
  WHERE i.plan_id IN (SELECT id FROM {plans})
),
ind AS (
  SELECT i.id, i.objective_id, i.weight::float8 AS w, l.v, l.period, l.period_end,
    CASE WHEN i.direction = 'keep' THEN
           CASE WHEN abs(l.v - i.target_value::float8)
                     <= pl.tol * CASE WHEN i.target_value = 0 THEN 1.0 ELSE abs(i.target_value::float8) END
                        + {SLACK!r}
                THEN 1.0 ELSE 0.0 END
         ELSE greatest(least((l.v - i.baseline_value::float8)
                             / nullif(i.target_value::float8 - i.baseline_value::float8, 0), 1.0), 0.0)
    END AS p,
    CASE WHEN l.period_end >= i.target_date THEN 1.0 WHEN l.period_end <= i.baseline_date THEN 0.0
         ELSE (l.period_end - i.baseline_date)::float8 / (i.target_date - i.baseline_date) END AS e
  FROM latest l JOIN nsp_indicator i ON i.id = l.indicator_id JOIN {plans} pl ON pl.id = i.plan_id
),
parts AS (
  SELECT objective_id, w, p, e FROM ind
  UNION ALL
  SELECT a.objective_id, a.weight::float8,
    CASE WHEN a.status = 'done' THEN 1.0 ELSE a.percent_complete / 100.0 END,
    CASE WHEN %(as_of)s::date >= a.due_date THEN 1.0 WHEN %(as_of)s::date <= a.start_date THEN 0.0
         ELSE (%(as_of)s::date - a.start_date)::float8 / (a.due_date - a.start_date) END
  FROM nsp_action a WHERE a.plan_id IN (SELECT id FROM {plans}) AND a.status <> 'cancelled'
),
totals AS (
  SELECT objective_id, sum(w) AS w, sum(w * p) AS wp, sum(w * e) AS we FROM parts GROUP BY objective_id
),
obj AS (
  SELECT o.id, o.plan_id, o.weight::float8 AS ow, t.wp / nullif(t.w, 0) AS p, t.we / nullif(t.w, 0) AS e
  FROM nsp_objective o JOIN {plans} pl ON pl.id = o.plan_id LEFT JOIN totals t ON t.objective_id = o.id
),
objs AS (SELECT obj.*, {_status("p", "e")} AS status FROM obj)"""


def _plan_means(objectives: str) -> str:
    """Per plan: the weighted mean of its objectives with data (p, e, status), from the CTE ``objectives``."""
    return f"""
SELECT plan_id, p, e, {_status("p", "e")} AS status FROM (
  SELECT plan_id, sum(ow * p) / nullif(sum(ow) FILTER (WHERE p IS NOT NULL), 0) AS p,
         sum(ow * e) / nullif(sum(ow) FILTER (WHERE p IS NOT NULL), 0) AS e
  FROM {objectives} GROUP BY plan_id
) m"""


READABLE = "(p.kind <> 'zonal' OR p.status <> 'draft')"


def _due_params(as_of: dt.date) -> dict[str, dt.date]:
    return {f"due_{f}": periods.last_complete(as_of, f).end for f in periods.Frequency.values}


def _due_end(column: str) -> str:
    cases = " ".join(f"WHEN '{f}' THEN %(due_{f})s::date" for f in periods.Frequency.values)
    return f"(CASE {column} {cases} END)"


def dashboard_sql() -> str:
    group = f"""
SELECT section, key, count(*) AS objectives, count(p) AS with_data, p_mean, e_mean,
       {_status("p_mean", "e_mean")} AS status,
       count(*) FILTER (WHERE status = 'achieved') AS achieved, count(*) FILTER (WHERE status = 'on_track') AS on_track,
       count(*) FILTER (WHERE status = 'at_risk') AS at_risk, count(*) FILTER (WHERE status = 'off_track') AS off_track,
       count(*) FILTER (WHERE status = 'no_data') AS no_data
FROM (
  SELECT m.section, m.key, o.p, o.status,
         sum(o.ow * o.p) OVER w / nullif(sum(o.ow) FILTER (WHERE o.p IS NOT NULL) OVER w, 0) AS p_mean,
         sum(o.ow * o.e) OVER w / nullif(sum(o.ow) FILTER (WHERE o.p IS NOT NULL) OVER w, 0) AS e_mean
  FROM members m JOIN objs o ON o.id = m.objective_id
  WINDOW w AS (PARTITION BY m.section, m.key)
) g GROUP BY section, key, p_mean, e_mean"""
    # Every value is a parameter; the SQL text is this module's own.
    return f"""
WITH plans AS (
  SELECT p.id, p.kind, p.status, p.title, p.keep_tolerance::float8 AS tol, z.district_id
  FROM nsp_plan p LEFT JOIN zones_policezone z ON z.id = p.zone_id
  WHERE p.nsp_id = %(nsp)s AND {READABLE}
),{_objectives("plans")},
aligned AS (
  SELECT na.phenomenon_id, na.theme_id, ao.objective_id FROM zones_nationalalignment na
  JOIN zones_nationalalignment_objectives ao ON ao.nationalalignment_id = na.id
  WHERE na.plan_id IN (SELECT id FROM plans) AND na.adopted
),
members AS (
  SELECT 'district' AS section, pl.district_id AS key, o.id AS objective_id
  FROM objs o JOIN plans pl ON pl.id = o.plan_id WHERE pl.kind = 'zonal' AND pl.district_id IS NOT NULL
  UNION
  SELECT 'cluster', ph.cluster_id, a.objective_id FROM aligned a
  JOIN clusters_securityphenomenon ph ON ph.id = a.phenomenon_id WHERE ph.nsp_id = %(nsp)s AND ph.cluster_id IS NOT NULL
  UNION
  SELECT 'theme', th.id, a.objective_id FROM aligned a
  JOIN clusters_crosscuttingtheme th ON th.id = a.theme_id WHERE th.nsp_id = %(nsp)s
  UNION
  SELECT 'cluster', ph.cluster_id, o.id FROM programmes_programme_phenomena pp
  JOIN clusters_securityphenomenon ph ON ph.id = pp.securityphenomenon_id JOIN objs o ON o.plan_id = pp.programme_id
  WHERE ph.nsp_id = %(nsp)s AND ph.cluster_id IS NOT NULL
  UNION
  SELECT 'theme', th.id, o.id FROM programmes_programme_themes pt
  JOIN clusters_crosscuttingtheme th ON th.id = pt.crosscuttingtheme_id JOIN objs o ON o.plan_id = pt.programme_id
  WHERE th.nsp_id = %(nsp)s
),
overdue AS (
  SELECT i.id, pl.title, o.position AS o_position, o.code, i.position FROM nsp_indicator i
  JOIN plans pl ON pl.id = i.plan_id JOIN nsp_objective o ON o.id = i.objective_id
  WHERE pl.status = 'approved' AND {_due_end("i.frequency")} > i.baseline_date
    AND NOT EXISTS (
      SELECT 1 FROM nsp_measurement m WHERE m.indicator_id = i.id AND m.period_start <= %(as_of)s
        AND m.period_end >= least({_due_end("i.frequency")}, i.target_date))
)
SELECT section, key::text, objectives, with_data, p_mean, status, achieved, on_track, at_risk, off_track, no_data
FROM ({group}) groups
UNION ALL
SELECT 'plans', status, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM plans WHERE kind = 'zonal' GROUP BY status
UNION ALL
SELECT 'district_plans', district_id::text, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM plans WHERE kind = 'zonal' GROUP BY district_id
UNION ALL
(SELECT 'off_track_plan', o.plan_id::text, count(*) FILTER (WHERE o.status = 'off_track'), count(*),
        NULL, NULL, NULL, NULL, NULL, NULL, NULL
 FROM objs o JOIN plans pl ON pl.id = o.plan_id GROUP BY o.plan_id, pl.title
 HAVING count(*) FILTER (WHERE o.status = 'off_track') > 0
 ORDER BY 3 DESC, pl.title LIMIT %(off_track_limit)s)
UNION ALL
SELECT 'overdue_total', NULL, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM overdue
UNION ALL
(SELECT 'overdue', id::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM overdue
 ORDER BY title, o_position, code, position, id LIMIT %(overdue_limit)s)
"""  # nosec B608


def dashboard(*, nsp_id: int, as_of: dt.date, off_track_limit: int, overdue_limit: int) -> list[tuple]:
    params = {
        "nsp": nsp_id,
        "as_of": as_of,
        "off_track_limit": off_track_limit,
        "overdue_limit": overdue_limit,
        **_due_params(as_of),
    }
    with connection.cursor() as cursor:
        cursor.execute(dashboard_sql(), params)
        return cursor.fetchall()


STATUSES = ("achieved", "on_track", "at_risk", "off_track", "no_data")


def dashboard_figures(rows: list[tuple]) -> dict[str, Any]:
    """The hand query's rows in the shape ``overview_figures`` gives the application's overview."""
    figures: dict[str, Any] = {"plans": {}, "district_plans": {}, "groups": {}, "off_track": [], "overdue": []}
    for section, key, n, with_data, p, status, *counts in rows:
        if section in ("district", "cluster", "theme"):
            figures["groups"][(section, int(key))] = (
                n,
                with_data,
                progress.rounded(p),
                status,
                dict(zip(STATUSES, counts, strict=True)),
            )
        elif section == "plans":
            figures["plans"][key] = n
        elif section == "district_plans":
            if key is not None:
                figures["district_plans"][int(key)] = n
        elif section == "off_track_plan":
            figures["off_track"].append((int(key), n, with_data))
        elif section == "overdue_total":
            figures["overdue_total"] = n
        elif section == "overdue":
            figures["overdue"].append(int(key))
    return figures


def overview_figures(data: dict[str, Any]) -> dict[str, Any]:
    """``reporting.selectors.overview`` reduced to the figures the hand query computes."""
    groups = {}
    for section, rows in (("district", data["districts"]), ("cluster", data["clusters"]), ("theme", data["themes"])):
        for row in rows:
            if row["objectives"]:
                groups[(section, row["id"])] = (
                    row["objectives"],
                    row["objectives_with_data"],
                    row["progress"],
                    row["progress_status"],
                    row["statuses"],
                )
    return {
        "plans": {row["status"]: row["count"] for row in data["plans_by_status"] if row["count"]},
        "district_plans": {row["id"]: row["plans"] for row in data["districts"] if row["plans"]},
        "groups": groups,
        "off_track": [(row["id"], row["off_track"], row["objectives"]) for row in data["off_track_plans"]],
        "overdue_total": data["overdue_total"],
        "overdue": [row["id"] for row in data["overdue_indicators"]],
    }


def mismatches(app: dict[str, Any], hand: dict[str, Any]) -> list[str]:
    """What differs between two figure sets (empty when they agree)."""
    found = []
    for name in ("plans", "district_plans", "off_track", "overdue_total", "overdue"):
        if app.get(name) != hand.get(name):
            found.append(f"{name}: application {app.get(name)!r} != SQL {hand.get(name)!r}")
    for key in sorted(set(app["groups"]) | set(hand["groups"])):
        a, h = app["groups"].get(key), hand["groups"].get(key)
        if a != h:
            found.append(f"{key}: application {a!r} != SQL {h!r}")
    return found


# --- lists and a plan's page ---------------------------------------------------------------------------


def plan_page_sql(*, ordering: str) -> str:
    """A page of zonal plans in ``ordering`` (limit, offset) with each plan's progress, and how many in all."""
    return f"""
WITH page AS (
  SELECT p.id, p.keep_tolerance::float8 AS tol FROM nsp_plan p JOIN zones_policezone z ON z.id = p.zone_id
  WHERE p.kind = 'zonal' AND {READABLE} ORDER BY {ordering} LIMIT %(limit)s
),{_objectives("page")},
means AS ({_plan_means("objs")})
SELECT p.id, p.title, p.status, z.number, means.p, means.e, means.status,
       (SELECT count(*) FROM nsp_plan p WHERE p.kind = 'zonal' AND {READABLE})
FROM page JOIN nsp_plan p ON p.id = page.id JOIN zones_policezone z ON z.id = p.zone_id
LEFT JOIN means ON means.plan_id = p.id ORDER BY {ordering}
"""  # nosec B608


PLAN_LIST_ORDER = "z.number, z.key, p.period_start DESC, p.id"
API_PLAN_ORDER = "p.period_start DESC, p.title, p.id"


def plan_page(*, ordering: str, limit: int, as_of: dt.date) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(plan_page_sql(ordering=ordering), {"limit": limit, "as_of": as_of})
        return cursor.fetchall()


def plan_means(*, plan_ids: list[int], as_of: dt.date) -> dict[int, tuple[float | None, str]]:
    """Each plan's progress and status, by id."""
    sql = f"""
WITH plans AS (SELECT p.id, p.keep_tolerance::float8 AS tol FROM nsp_plan p WHERE p.id = ANY(%(ids)s)),
{_objectives("plans")}
{_plan_means("objs")}"""  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": list(plan_ids), "as_of": as_of})
        return {row[0]: (row[1], row[3]) for row in cursor.fetchall()}


def plan_detail_sql() -> str:
    """One plan: its progress, each objective's, each indicator's (latest value and period)."""
    return f"""
WITH plans AS (SELECT p.id, p.keep_tolerance::float8 AS tol FROM nsp_plan p WHERE p.id = %(plan)s),
{_objectives("plans")},
means AS ({_plan_means("objs")})
SELECT 'plan', plan_id, NULL, p, e, status FROM means
UNION ALL SELECT 'objective', id, NULL, p, e, status FROM objs
UNION ALL SELECT 'indicator', i.id, ind.period, ind.p, ind.e, {_status("ind.p", "ind.e")}
FROM nsp_indicator i LEFT JOIN ind ON ind.id = i.id WHERE i.plan_id = %(plan)s
UNION ALL SELECT 'action', a.id, a.status, NULL, NULL, NULL FROM nsp_action a WHERE a.plan_id = %(plan)s
"""  # nosec B608


def plan_detail(*, plan_id: int, as_of: dt.date) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(plan_detail_sql(), {"plan": plan_id, "as_of": as_of})
        return cursor.fetchall()


# --- everything a zone's plan page shows ---------------------------------------------------------------

# The History tab reads the latest versions of each of these (table, the plan's column), 200 of each at most.
PLAN_HISTORY = (
    ("zones_historicalzonalsecurityplan", "plan_ptr_id"),
    ("nsp_historicalobjective", "plan_id"),
    ("nsp_historicalindicator", "plan_id"),
    ("nsp_historicalaction", "plan_id"),
    ("zones_historicalnationalalignment", "plan_id"),
    ("zones_historicalplansection", "plan_id"),
)
HISTORY_LIMIT = 200

# One plain query per part of the page, by the plan's id (``%(plan)s``), its edition (``%(nsp)s``).
PLAN_PAGE_PARTS: dict[str, str] = {
    "plan": """
SELECT p.*, zp.*, z.key, z.number, z.name_nl, z.name_fr, z.name_de, n.code, n.title
FROM nsp_plan p JOIN zones_zonalsecurityplan zp ON zp.plan_ptr_id = p.id JOIN zones_policezone z ON z.id = p.zone_id
JOIN nsp_nationalsecurityplan n ON n.id = p.nsp_id WHERE p.id = %(plan)s""",
    "objectives": """
SELECT o.* FROM nsp_objective o WHERE o.plan_id = %(plan)s ORDER BY o.position, o.code, o.id""",
    "indicators": """
SELECT i.* FROM nsp_indicator i WHERE i.plan_id = %(plan)s ORDER BY i.position, i.id""",
    "actions": """
SELECT a.* FROM nsp_action a WHERE a.plan_id = %(plan)s ORDER BY a.position, a.due_date, a.id""",
    "alignments": """
SELECT na.*, array_agg(ao.objective_id ORDER BY o.position, o.code, o.id) FILTER (WHERE ao.objective_id IS NOT NULL)
FROM zones_nationalalignment na LEFT JOIN zones_nationalalignment_objectives ao ON ao.nationalalignment_id = na.id
LEFT JOIN nsp_objective o ON o.id = ao.objective_id WHERE na.plan_id = %(plan)s GROUP BY na.id ORDER BY na.id""",
    "phenomena": """
SELECT * FROM clusters_securityphenomenon WHERE nsp_id = %(nsp)s AND is_national_priority ORDER BY number""",
    "themes": """
SELECT * FROM clusters_crosscuttingtheme WHERE nsp_id = %(nsp)s AND is_national_priority ORDER BY number""",
    "transitions": """
SELECT t.*, u.username, u.first_name, u.last_name FROM zones_plantransition t LEFT JOIN auth_user u ON u.id = t.by_id
WHERE t.plan_id = %(plan)s ORDER BY t.at DESC, t.id DESC""",
    "sections": """
SELECT * FROM zones_plansection WHERE plan_id = %(plan)s ORDER BY position, id""",
    "candidates": """
SELECT c.*, (SELECT sum(s.score) FROM zones_matrixscore s WHERE s.candidate_id = c.id) AS total, o.code, o.title
FROM zones_matrixcandidate c LEFT JOIN nsp_objective o ON o.id = c.objective_id
WHERE c.plan_id = %(plan)s ORDER BY c.chosen DESC, total DESC NULLS LAST, c.label, c.id""",
    "expectations": """
SELECT * FROM zones_expectation WHERE plan_id = %(plan)s ORDER BY source, position, id""",
    "addenda": """
SELECT a.*, u.username, u.first_name, u.last_name FROM zones_addendum a LEFT JOIN auth_user u ON u.id = a.opened_by_id
WHERE a.plan_id = %(plan)s ORDER BY a.number""",
    "comments": """
SELECT c.*, u.username, u.first_name, u.last_name, o.code, i.name, ac.title FROM nsp_comment c
JOIN auth_user u ON u.id = c.author_id LEFT JOIN nsp_objective o ON o.id = c.objective_id
LEFT JOIN nsp_indicator i ON i.id = c.indicator_id LEFT JOIN nsp_action ac ON ac.id = c.action_id
WHERE c.plan_id = %(plan)s ORDER BY c.created_at, c.id""",
    **{
        f"history {table}": f"""
SELECT * FROM {table} WHERE {column} = %(plan)s ORDER BY history_date DESC, history_id DESC LIMIT {HISTORY_LIMIT}"""
        for table, column in PLAN_HISTORY
    },
    # Who made the versions shown, in one query over all of them.
    "history users": "SELECT id, username, first_name, last_name FROM auth_user WHERE id IN ("
    + " UNION ".join(
        f"(SELECT history_user_id FROM {table} WHERE {column} = %(plan)s "
        f"ORDER BY history_date DESC, history_id DESC LIMIT {HISTORY_LIMIT})"
        for table, column in PLAN_HISTORY
    )
    + ") ORDER BY id",
}


def plan_page_reads(*, plan_id: int, nsp_id: int, as_of: dt.date) -> dict[str, list[tuple]]:
    """Everything ``/plans/<pk>/`` shows, read by hand: the progress of the plan, its objectives, indicators and
    actions (``plan_detail``), then one plain query per tab's rows (``PLAN_PAGE_PARTS``): the plan and its zone,
    the objective tree with its indicators and actions, the alignments with their objectives and the edition's
    priorities, the transitions, the document's sections, the matrix, the expectations, the addenda, the comments
    and the History's versions with their users. The page's session, user and rights are not read here (they are
    the request's, not the plan's)."""
    reads = {"progress": plan_detail(plan_id=plan_id, as_of=as_of)}
    params = {"plan": plan_id, "nsp": nsp_id}
    with connection.cursor() as cursor:
        for name, sql in PLAN_PAGE_PARTS.items():
            cursor.execute(sql, params)
            reads[name] = cursor.fetchall()
    return reads
