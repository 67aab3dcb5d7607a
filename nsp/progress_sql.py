"""The progress rules of ``nsp.progress`` in SQL: one query per list, never row by row in Python.

``nsp.progress`` holds the rules as pure functions (the oracle); this module states the same rules in SQL,
built from the same constants, and ``nsp/tests/test_progress_sql.py`` checks on random data at every status
boundary that both agree (SQLite and PostgreSQL). ``nsp.progress`` re-exports the entry points, so callers
write ``progress.annotate_plans(...)``:

- ``annotate_indicators``: indicator lists and pages (``nsp.views``, the indicators API, the plan page, the
  dashboard's overdue indicators, the reminders); ``filter_overdue``: counting the overdue ones (the overview);
- ``annotate_actions``: action lists and pages, the plan page;
- ``annotate_objectives``: objective lists and pages, the objectives API, the coverage matrix, the plan report;
- ``annotate_plans``: plan lists and pages (zonal plans, programmes, the regional plan) and their APIs;
  ``attach_plan_progress``: a page of zonal plans not filtered or sorted on progress (the page and the API);
- ``objective_totals``: the overview (dashboard, national report): every objective in scope in one pass;
  ``objective_totals_at``: the same at every quarter end of the trend (trend page, national report), one query;
- ``summarize_objectives``: a group of objectives (a cluster's page).

One SQL shape serves objectives, plans and groups: ``_parts_sql``, the totals per objective of its
indicators' and actions' parts, where each indicator's latest measurement is found once (a join on the id
that one ordered, limited lookup returns, served by the ``(indicator, period_end)`` index) and the plan's
keep tolerance comes from one join. An objective reads its own row of totals, a plan sums its objectives'
rows, a group sums its members'. Nothing in it depends on PostgreSQL's JIT (which the settings turn off).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError, connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    Exists,
    Expression,
    F,
    FilteredRelation,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Abs, Cast, Greatest, Least, NullIf
from django.db.models.lookups import Exact, GreaterThanOrEqual, IsNull, LessThanOrEqual

from nsp import periods
from nsp.models import Action, Indicator, Measurement, Objective, Plan
from nsp.progress import (
    ACHIEVED_PROGRESS,
    CANCELLED,
    DONE,
    KEEP,
    SLACK,
    THRESHOLDS,
    Progress,
    ProgressStatus,
    ProgressSummary,
    from_totals,
)

# --- expressions of the rules ----------------------------------------------------------------------


class DaysBetween(Func):
    """Days from ``start`` to ``end`` (end - start) as a float; date arithmetic differs per database."""

    output_field = FloatField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def _operands(self, compiler, connection):
        (end, end_params), (start, start_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return end, start, [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra_context):
        end, start, params = self._operands(compiler, connection)
        return f"(julianday({end}) - julianday({start}))", params

    def as_postgresql(self, compiler, connection, **extra_context):
        end, start, params = self._operands(compiler, connection)
        return f"CAST(({end}) - ({start}) AS double precision)", params

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"DaysBetween supports SQLite and PostgreSQL, not {connection.vendor}.")


def _float(value: float) -> Value:
    return Value(value, output_field=FloatField())


def _as_float(expression) -> Cast:
    return Cast(expression, FloatField())


def _status_sql(progress, expected) -> Case:
    """``status_for`` as a CASE expression."""
    return Case(
        When(IsNull(progress, True), then=Value(ProgressStatus.NO_DATA.value)),
        When(
            GreaterThanOrEqual(progress, _float(ACHIEVED_PROGRESS - SLACK)),
            then=Value(ProgressStatus.ACHIEVED.value),
        ),
        *(
            When(GreaterThanOrEqual(progress, expected - _float(margin + SLACK)), then=Value(status.value))
            for status, margin in THRESHOLDS
        ),
        default=Value(ProgressStatus.OFF_TRACK.value),
        output_field=CharField(),
    )


def _elapsed_share_sql(*, start, end, at) -> Case:
    """``elapsed_share`` as a CASE expression."""
    return Case(
        When(GreaterThanOrEqual(at, end), then=_float(1.0)),
        When(LessThanOrEqual(at, start), then=_float(0.0)),
        default=DaysBetween(at, start) / DaysBetween(end, start),
        output_field=FloatField(),
    )


def _indicator_share_sql(*, direction, baseline_value, target_value, value, keep_tolerance) -> Case:
    """``indicator_share`` as a CASE expression."""
    v, b, t = _as_float(value), _as_float(baseline_value), _as_float(target_value)
    one, zero = _float(1.0), _float(0.0)
    scale = Case(When(Exact(t, zero), then=one), default=Abs(t), output_field=FloatField())
    keep = Case(
        When(LessThanOrEqual(Abs(v - t), keep_tolerance * scale + _float(SLACK)), then=one),
        default=zero,
        output_field=FloatField(),
    )
    # Target = baseline occurs only for 'keep' (a CHECK forbids it otherwise), whose branch this is not;
    # NULLIF keeps PostgreSQL from dividing by zero all the same, and the ratio is never NULL where it counts.
    ratio = Greatest(Least((v - b) / NullIf(t - b, zero), one), zero)
    return Case(When(Exact(direction, Value(KEEP.value)), then=keep), default=ratio, output_field=FloatField())


def _measurements_begun(as_of: dt.date) -> QuerySet:
    """The outer indicator's measurements of periods begun by ``as_of``, latest first."""
    return Measurement.objects.filter(indicator=OuterRef("pk"), period_start__lte=as_of).order_by(
        "-period_end", "-period_start", "-pk"
    )


# --- indicators: the latest measurement joined once -------------------------------------------------------


def _due_end_sql(as_of: dt.date) -> Case:
    """The end of the latest period that ended by ``as_of``, per frequency, computed here in Python."""
    return Case(
        *(
            When(frequency=frequency, then=Value(periods.last_complete(as_of, frequency).end))
            for frequency in periods.Frequency.values
        ),
        output_field=DateField(),
    )


def annotate_indicators(queryset: QuerySet, *, as_of: dt.date) -> QuerySet:
    """Add latest_value, latest_period, latest_period_end, progress, expected, progress_status, overdue.

    The latest measurement is joined once (``_latest``: the row whose id one ordered, limited lookup gives)
    and every value reads that row. ``progress_status`` rather than ``status`` so the name is the same on
    every model (actions and plans have a workflow ``status`` field of their own).
    """
    latest_pk = Subquery(_measurements_begun(as_of).values("pk")[:1])
    queryset = _with_due(
        queryset.annotate(_latest=FilteredRelation("measurements", condition=Q(measurements__pk=latest_pk))), as_of
    )
    measured = ~Q(_latest__pk=None)
    share = _indicator_share_sql(
        direction=F("direction"),
        baseline_value=F("baseline_value"),
        target_value=F("target_value"),
        value=F("_latest__value"),
        keep_tolerance=_as_float(F("plan__keep_tolerance")),
    )
    elapsed = _elapsed_share_sql(start=F("baseline_date"), end=F("target_date"), at=F("_latest__period_end"))
    progress = Case(When(measured, then=share), default=Value(None), output_field=FloatField())
    expected = Case(When(measured, then=elapsed), default=Value(None), output_field=FloatField())
    return queryset.annotate(
        latest_value=F("_latest__value"),
        latest_period=F("_latest__period"),
        latest_period_end=F("_latest__period_end"),
        progress=progress,
        expected=expected,
        progress_status=_status_sql(progress, expected),
        overdue=_overdue_sql(as_of),
    )


def _overdue_sql(as_of: dt.date) -> Case:
    """``progress.is_overdue``: one probe of the (indicator, period_end) index, without the latest's join."""
    return Case(
        When(
            Q(_due_end__gt=F("baseline_date"))
            & ~Exists(_measurements_begun(as_of).filter(period_end__gte=OuterRef("_due_cutoff"))),
            then=Value(True),
        ),
        default=Value(False),
        output_field=BooleanField(),
    )


def _with_due(queryset: QuerySet, as_of: dt.date) -> QuerySet:
    return queryset.alias(_due_end=_due_end_sql(as_of), _due_cutoff=Least(F("_due_end"), F("target_date")))


def filter_overdue(queryset: QuerySet, *, as_of: dt.date) -> QuerySet:
    """Only the overdue indicators, not annotated (cheap to count; ``annotate_indicators`` gives their values)."""
    return _with_due(queryset, as_of).alias(_overdue=_overdue_sql(as_of)).filter(_overdue=True)


# --- actions -----------------------------------------------------------------------------------------------


def _action_progress_sql() -> Case:
    return Case(
        When(status=DONE, then=_float(1.0)),
        default=_as_float(F("percent_complete")) / _float(100.0),
        output_field=FloatField(),
    )


def _action_expected_sql(as_of: dt.date) -> Case:
    return _elapsed_share_sql(start=F("start_date"), end=F("due_date"), at=Value(as_of, output_field=DateField()))


def annotate_actions(queryset: QuerySet, *, as_of: dt.date) -> QuerySet:
    """Add progress, expected, late, progress_status (``cancelled`` for cancelled actions)."""
    progress, expected = _action_progress_sql(), _action_expected_sql(as_of)
    return queryset.annotate(
        progress=progress,
        expected=expected,
        late=Case(
            When(Q(due_date__lt=as_of) & ~Q(status__in=[DONE, CANCELLED]), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        progress_status=Case(
            When(status=CANCELLED, then=Value(ProgressStatus.CANCELLED.value)),
            default=_status_sql(progress, expected),
            output_field=CharField(),
        ),
    )


# --- objectives, plans, groups: one shape ------------------------------------------------------------------


class _Dialect:
    """What differs between SQLite and PostgreSQL in the hand-built SQL below."""

    def __init__(self, connection):
        if connection.vendor not in ("sqlite", "postgresql"):
            raise NotSupportedError(f"The progress SQL supports SQLite and PostgreSQL, not {connection.vendor}.")
        self.postgresql = connection.vendor == "postgresql"
        self.float_type = "double precision" if self.postgresql else "REAL"
        self.connection = connection

    def float(self, sql: str) -> str:
        return f"CAST({sql} AS {self.float_type})"

    def days(self, end: str, start: str) -> str:
        if self.postgresql:
            return f"CAST(({end}) - ({start}) AS double precision)"
        return f"(julianday({end}) - julianday({start}))"

    def clamp(self, sql: str) -> str:
        greatest, least = ("GREATEST", "LEAST") if self.postgresql else ("MAX", "MIN")
        return f"{greatest}({least}({sql}, 1.0), 0.0)"

    def latest_join(self, table: str, at: str = "%s") -> str:
        """Each indicator ``i``'s latest measurement begun by ``at`` (the date parameter), as ``m``, found once: a
        LATERAL subquery on PostgreSQL (whose planner would hash every measurement for the other form), a
        join on the id one lookup gives on SQLite (which has no LATERAL and loops per row anyway)."""
        latest = "ORDER BY m2.period_end DESC, m2.period_start DESC, m2.id DESC LIMIT 1"
        if self.postgresql:
            return (
                f"CROSS JOIN LATERAL (SELECT m2.value, m2.period_end FROM {table} m2 "  # nosec B608
                f"WHERE m2.indicator_id = i.id AND m2.period_start <= {at} {latest}) m"
            )
        return (
            f"INNER JOIN {table} m ON m.id = (SELECT m2.id FROM {table} m2 "  # nosec B608
            f"WHERE m2.indicator_id = i.id AND m2.period_start <= {at} {latest})"
        )

    def date(self, value: dt.date):
        return self.connection.ops.adapt_datefield_value(value)


def status_case(progress: str, expected: str) -> str:
    """``progress.status_for`` as a CASE over two SQL expressions (the constants inlined as literals)."""
    thresholds = " ".join(
        f"WHEN {progress} >= {expected} - {margin + SLACK!r} THEN '{status.value}'" for status, margin in THRESHOLDS
    )
    return (
        f"CASE WHEN {progress} IS NULL THEN '{ProgressStatus.NO_DATA.value}' "
        f"WHEN {progress} >= {ACHIEVED_PROGRESS - SLACK!r} THEN '{ProgressStatus.ACHIEVED.value}' "
        f"{thresholds} ELSE '{ProgressStatus.OFF_TRACK.value}' END"
    )


def _parts_sql(d: _Dialect, as_of: dt.date, where: str, where_params: list) -> tuple[str, list]:
    """THE shape: per objective, the totals of its parts (``objective_id, w, wp, we``): the weight of its
    indicators with data and actions not cancelled, and the weighted sums of their progress and expected.

    ``where`` selects the indicators and actions (``{t}`` stands for the table alias, ``i`` or ``a``), e.g.
    ``{t}.objective_id = <outer>`` or ``{t}.plan_id = <outer>``.
    """
    return _shape_sql(d, None, where, where_params, as_of=as_of)


def _dated_parts_sql(d: _Dialect, dates: list[dt.date], where: str, where_params: list) -> tuple[str, list]:
    """The same shape at several days at once (``as_of, objective_id, w, wp, we``), for the trend: one query
    for every quarter of the edition, which reads each indicator's measurements once, not once per day.

    Each indicator's latest measurement begun by a day (``_measurements_begun``'s order: period end, then
    start, then id) is found by numbering its measurements in that order (``n``); the latest begun by a day
    is the highest ``n`` among those begun by then: a running maximum along its measurements and its days
    sorted by start and day together (one sort and one window, instead of one index lookup per day)."""
    return _shape_sql(d, dates, where, where_params)


def _latest_at_sql(d: _Dialect, dates: list[dt.date], where: str, where_params: list) -> tuple[str, list]:
    """``WITH`` tables: ``q`` (the days) and ``latest`` (indicator_id, as_of, value, period_end)."""
    i_table, m_table = Indicator._meta.db_table, Measurement._meta.db_table
    days = " UNION ALL ".join(["SELECT %s"] * len(dates))
    sql = (
        f"WITH q(as_of) AS ({days}), "  # nosec B608
        "r AS (SELECT m.indicator_id AS indicator_id, m.value AS value, m.period_start AS period_start, "
        "m.period_end AS period_end, ROW_NUMBER() OVER (PARTITION BY m.indicator_id "
        f"ORDER BY m.period_end, m.period_start, m.id) AS n FROM {m_table} m "
        f"WHERE m.indicator_id IN (SELECT i.id FROM {i_table} i WHERE {where.replace('{t}', 'i')})), "
        # Each indicator's days as rows among its measurements, after those begun on the same day: the running
        # maximum of ``n`` up to a day's row is the latest measurement begun by then.
        "p AS (SELECT r.indicator_id AS indicator_id, r.period_start AS day, 0 AS probe, r.n AS n FROM r "
        f"UNION ALL SELECT i.id, q.as_of, 1, NULL FROM q CROSS JOIN {i_table} i WHERE {where.replace('{t}', 'i')}), "
        "w AS (SELECT indicator_id, day, probe, MAX(n) OVER (PARTITION BY indicator_id ORDER BY day, probe "
        "ROWS UNBOUNDED PRECEDING) AS best FROM p), "
        "latest AS (SELECT w.indicator_id AS indicator_id, w.day AS as_of, r.value AS value, "
        "r.period_end AS period_end FROM w INNER JOIN r ON r.indicator_id = w.indicator_id AND r.n = w.best "
        "WHERE w.probe = 1) "
    )  # nosec B608
    return sql, [*(d.date(day) for day in dates), *where_params, *where_params]


def _shape_sql(d: _Dialect, dates, where: str, where_params: list, *, as_of: dt.date | None = None):
    i_table, m_table = Indicator._meta.db_table, Measurement._meta.db_table
    p_table, a_table = Plan._meta.db_table, Action._meta.db_table
    if dates is None:
        at, at_params, with_sql, with_params = "%s", [d.date(as_of)], "", []
        i_day, a_day, by, a_from = "", "", "", ""
        i_from = f"{i_table} i {d.latest_join(m_table, at)}"
    else:
        at, at_params, by = "q.as_of", [], "x.as_of, "
        with_sql, with_params = _latest_at_sql(d, dates, where, where_params)
        i_day, a_day, a_from = "m.as_of AS as_of, ", "q.as_of AS as_of, ", "q CROSS JOIN "
        i_from = f"{i_table} i INNER JOIN latest m ON m.indicator_id = i.id"
    v, b, t = d.float("m.value"), d.float("i.baseline_value"), d.float("i.target_value")
    keep = (
        f"CASE WHEN ABS({v} - {t}) <= {d.float('pl.keep_tolerance')} * "
        f"(CASE WHEN {t} = 0.0 THEN 1.0 ELSE ABS({t}) END) + {SLACK!r} THEN 1.0 ELSE 0.0 END"
    )
    ratio = d.clamp(f"({v} - {b}) / NULLIF({t} - {b}, 0.0)")
    indicator_progress = f"CASE WHEN i.direction = '{KEEP.value}' THEN {keep} ELSE {ratio} END"
    indicator_expected = (
        "CASE WHEN m.period_end >= i.target_date THEN 1.0 WHEN m.period_end <= i.baseline_date THEN 0.0 "
        f"ELSE {d.days('m.period_end', 'i.baseline_date')} / {d.days('i.target_date', 'i.baseline_date')} END"
    )
    action_progress = f"CASE WHEN a.status = '{DONE.value}' THEN 1.0 ELSE {d.float('a.percent_complete')} / 100.0 END"
    action_expected = (
        f"CASE WHEN {at} >= a.due_date THEN 1.0 WHEN {at} <= a.start_date THEN 0.0 "
        f"ELSE {d.days(at, 'a.start_date')} / {d.days('a.due_date', 'a.start_date')} END"
    )
    # Every value is a parameter; names and constants are this module's own.
    sql = (
        f"{with_sql}SELECT {by}x.objective_id AS objective_id, SUM(x.w) AS w, SUM(x.w * x.p) AS wp, "  # nosec B608
        "SUM(x.w * x.e) AS we FROM ("
        f"SELECT {i_day}i.objective_id AS objective_id, {d.float('i.weight')} AS w, {indicator_progress} AS p, "
        f"{indicator_expected} AS e FROM {i_from} "
        f"INNER JOIN {p_table} pl ON pl.id = i.plan_id WHERE {where.replace('{t}', 'i')} "
        "UNION ALL "
        f"SELECT {a_day}a.objective_id, {d.float('a.weight')}, {action_progress}, {action_expected} "
        f"FROM {a_from}{a_table} a WHERE a.status <> '{CANCELLED.value}' AND {where.replace('{t}', 'a')}"
        f") x GROUP BY {by}x.objective_id"
    )  # nosec B608
    return sql, [*with_params, *at_params, *where_params, *at_params * 3, *where_params]


def _plan_mean_sql(d: _Dialect, parts: str) -> str:
    """A group's weighted mean (``p``, ``e``) over its objectives' rows of ``parts`` (the rows with data)."""
    o_table = Objective._meta.db_table
    weight = d.float("o.weight")
    return (
        f"SELECT SUM({weight} * t.wp / t.w) / NULLIF(SUM({weight}), 0.0) AS p, "  # nosec B608
        f"SUM({weight} * t.we / t.w) / NULLIF(SUM({weight}), 0.0) AS e "
        f"FROM ({parts}) t INNER JOIN {o_table} o ON o.id = t.objective_id WHERE t.w > 0"
    )  # nosec B608


class _ProgressOf(Expression):
    """``progress``, ``expected`` or ``progress_status`` of the outer objective or plan, as one subquery of
    ``_parts_sql`` correlated on the outer row (``key`` names the column of indicators and actions that
    must equal ``outer``)."""

    def __init__(self, outer, *, key: str, mean: bool, value: str, as_of: dt.date):
        output = CharField() if value == "progress_status" else FloatField()
        super().__init__(output_field=output)
        self.outer, self.key, self.mean, self.value, self.as_of = outer, key, mean, value, as_of

    def get_source_expressions(self):
        return [self.outer]

    def set_source_expressions(self, exprs):
        (self.outer,) = exprs

    def as_sql(self, compiler, connection):
        d = _Dialect(connection)
        outer_sql, outer_params = compiler.compile(self.outer)
        parts, params = _parts_sql(d, self.as_of, f"{{t}}.{self.key} = {outer_sql}", list(outer_params))
        if self.mean:
            source = f"({_plan_mean_sql(d, parts)}) s"
            progress, expected = "s.p", "s.e"
        else:
            source = f"({parts}) s"
            progress, expected = "s.wp / NULLIF(s.w, 0.0)", "s.we / NULLIF(s.w, 0.0)"
        select = {"progress": progress, "expected": expected, "progress_status": status_case(progress, expected)}
        sql = f"(SELECT {select[self.value]} FROM {source})"  # nosec B608
        if self.value == "progress_status":
            sql = f"COALESCE({sql}, '{ProgressStatus.NO_DATA.value}')"
        return sql, params


def _progress_annotations(*, key: str, mean: bool, as_of: dt.date) -> dict[str, Expression]:
    return {
        value: _ProgressOf(F("pk"), key=key, mean=mean, value=value, as_of=as_of)
        for value in ("progress", "expected", "progress_status")
    }


def annotate_objectives(queryset: QuerySet, *, as_of: dt.date) -> QuerySet:
    """Add progress, expected, progress_status from the objective's own indicators and actions."""
    return queryset.annotate(**_progress_annotations(key="objective_id", mean=False, as_of=as_of))


def annotate_plans(queryset: QuerySet, *, as_of: dt.date) -> QuerySet:
    """Add progress, expected, progress_status: the weighted mean of every objective of the plan with data."""
    return queryset.annotate(**_progress_annotations(key="plan_id", mean=True, as_of=as_of))


@dataclass(frozen=True)
class Totals:
    """One objective's sums (``_parts_sql``): the weight of its parts with data, and the weighted sums."""

    weight: float
    weighted_progress: float
    weighted_expected: float

    def result(self) -> Progress:
        return from_totals(
            weight=self.weight, weighted_progress=self.weighted_progress, weighted_expected=self.weighted_expected
        )


def _in_queryset(objectives: QuerySet) -> tuple[str, list]:
    sql, params = objectives.order_by().values("pk").query.sql_with_params()
    return f"{{t}}.objective_id IN ({sql})", list(params)


def objective_totals(objectives: QuerySet, *, as_of: dt.date) -> dict[int, Progress]:
    """Every objective of the queryset that has data, with its progress, in one pass (one query); an
    objective missing from the result has no data. ``nsp.progress.from_totals`` turns the sums into results."""
    connection = connections[objectives.db]
    try:
        where, params = _in_queryset(objectives)
    except EmptyResultSet:  # the queryset can match nothing (pk__in=[])
        return {}
    sql, params = _parts_sql(_Dialect(connection), as_of, where, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: Totals(w, wp, we).result() for pk, w, wp, we in cursor.fetchall() if w}


def objective_totals_at(objectives: QuerySet, *, dates) -> dict[dt.date, dict[int, Progress]]:
    """``objective_totals`` at each of ``dates`` (the trend's quarter ends), in one query whatever their number:
    the same shape (``_parts_sql``) over a derived table of the days. Keyed by day, then by objective."""
    dates = sorted(set(dates))
    if not dates:
        return {}
    connection = connections[objectives.db]
    try:
        where, params = _in_queryset(objectives)
    except EmptyResultSet:  # the queryset can match nothing (pk__in=[])
        return {day: {} for day in dates}
    sql, params = _dated_parts_sql(_Dialect(connection), dates, where, params)
    by_day: dict[str, dict[int, Progress]] = {day.isoformat(): {} for day in dates}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for day, pk, w, wp, we in cursor.fetchall():
            if w:  # SQLite returns the day as text, PostgreSQL as a date
                by_day[str(day)[:10]][pk] = Totals(w, wp, we).result()
    return {day: by_day[day.isoformat()] for day in dates}


def plan_objectives(plan_id: int, *, as_of: dt.date, using: str = "default") -> list[Objective]:
    """A plan's objectives (ordered by position, code, id), each with ``progress``, ``expected`` and
    ``progress_status`` set as ``annotate_objectives`` would, in one query: the plan's parts totalled once per
    objective (``_parts_sql``) and joined to its objectives. Used by the plan pages' objective tree."""
    connection = connections[using]
    parts, params = _parts_sql(_Dialect(connection), as_of, "{t}.plan_id = %s", [plan_id])
    table = Objective._meta.db_table
    sql = (
        f"SELECT o.*, t.w AS _w, t.wp AS _wp, t.we AS _we FROM {table} o "  # nosec B608
        f"LEFT JOIN ({parts}) t ON t.objective_id = o.id WHERE o.plan_id = %s ORDER BY o.position, o.code, o.id"
    )  # nosec B608
    objectives = list(Objective.objects.db_manager(using).raw(sql, [*params, plan_id]))
    for objective in objectives:
        result = Totals(objective._w or 0.0, objective._wp, objective._we).result()
        objective.progress, objective.expected = result.progress, result.expected
        objective.progress_status = result.status.value
    return objectives


def summarize_objectives(queryset: QuerySet, *, as_of: dt.date) -> ProgressSummary:
    """The weighted mean over any group of objectives (a plan, a cluster, a theme), in one query."""
    connection = connections[queryset.db]
    d = _Dialect(connection)
    members = queryset.order_by().annotate(_member=F("pk"), _weight=Cast("weight", FloatField()))
    try:
        members_sql, members_params = members.values("_member", "_weight").query.sql_with_params()
        where, where_params = _in_queryset(queryset)
    except EmptyResultSet:  # the queryset can match nothing (pk__in=[])
        return ProgressSummary(None, None, ProgressStatus.NO_DATA, objectives=0, objectives_with_data=0)
    parts, parts_params = _parts_sql(d, as_of, where, where_params)
    # A member with data weighs its own weight; the sums are those of ``progress.group_progress``.
    weight = "o._weight"
    sql = (
        "SELECT COUNT(*), COUNT(CASE WHEN t.w > 0 THEN 1 END), "  # nosec B608
        f"SUM(CASE WHEN t.w > 0 THEN {weight} END), SUM(CASE WHEN t.w > 0 THEN {weight} * t.wp / t.w END), "
        f"SUM(CASE WHEN t.w > 0 THEN {weight} * t.we / t.w END) "
        f"FROM ({members_sql}) o LEFT JOIN ({parts}) t ON t.objective_id = o._member"
    )  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*members_params, *parts_params])
        objectives, with_data, weight_total, weighted_progress, weighted_expected = cursor.fetchone()
    mean = from_totals(weight=weight_total, weighted_progress=weighted_progress, weighted_expected=weighted_expected)
    return ProgressSummary(
        mean.progress, mean.expected, mean.status, objectives=objectives, objectives_with_data=with_data
    )


# --- a page of plans, totalled after paginating -----------------------------------------------------------


def progress_asked(params) -> bool:
    """Whether a list request filters or sorts on progress: then every row needs it in SQL (``annotate_plans``);
    otherwise the page's rows get it after paginating (``attach_plan_progress``), each plan totalled once."""
    ordering = params.get("ordering") or ""
    return bool(params.get("progress_status")) or "progress" in ordering or "expected" in ordering


def plan_results(plan_ids, *, as_of: dt.date, using: str = "default") -> dict[int, Progress]:
    """Each plan's weighted mean of its objectives with data, in one query (``_parts_sql`` grouped by plan);
    a plan missing from the result has no data."""
    plan_ids = [int(pk) for pk in plan_ids]
    if not plan_ids:
        return {}
    connection = connections[using]
    d = _Dialect(connection)
    marks = ", ".join(["%s"] * len(plan_ids))
    parts, params = _parts_sql(d, as_of, f"{{t}}.plan_id IN ({marks})", plan_ids)
    weight = d.float("o.weight")
    sql = (
        f"SELECT o.plan_id, SUM({weight}), SUM({weight} * t.wp / t.w), SUM({weight} * t.we / t.w) "  # nosec B608
        f"FROM ({parts}) t INNER JOIN {Objective._meta.db_table} o ON o.id = t.objective_id "
        "WHERE t.w > 0 GROUP BY o.plan_id"
    )  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: Totals(w, wp, we).result() for pk, w, wp, we in cursor.fetchall()}


def attach_plan_progress(rows, *, as_of: dt.date) -> list:
    """The page's plans with ``progress``, ``expected`` and ``progress_status`` set as ``annotate_plans`` would."""
    rows = list(rows)
    using = rows[0]._state.db if rows else "default"
    results = plan_results([row.pk for row in rows], as_of=as_of, using=using)
    for row in rows:
        result = results.get(row.pk, Progress(None, None, ProgressStatus.NO_DATA))
        row.progress, row.expected, row.progress_status = result.progress, result.expected, result.status.value
    return rows
