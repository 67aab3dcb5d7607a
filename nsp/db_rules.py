"""Cross-row rules no CHECK constraint can state, installed as database triggers.

- ``same_plan``: a row and the row its foreign key points to belong to the same plan
  (an objective's parent, an indicator's or action's objective, a measurement's indicator, ...).
- ``fixed_plan``: a planning row never changes plan; carrying work into another plan is a copy.

The triggers are (re)installed after every ``migrate`` (idempotent), for SQLite and PostgreSQL, so
a later table rebuild cannot silently drop them. A violation raises an IntegrityError whose text
starts with the rule name; ``nsp.services`` turns it into a readable message.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection as default_connection
from django.utils.translation import gettext, gettext_noop


@dataclass(frozen=True)
class SamePlan:
    """``table.column`` points at ``ref_table``; their plans must agree.

    ``plan_column`` is the row's own plan column; when None, the row's plan is read through
    ``via_column`` -> ``via_table.plan_id`` (for many-to-many link tables).
    """

    name: str
    table: str
    column: str
    ref_table: str
    plan_column: str | None = "plan_id"
    via_column: str | None = None
    via_table: str | None = None
    message: str = ""


@dataclass(frozen=True)
class FixedPlan:
    name: str
    table: str
    message: str = ""


SAME_PLAN_RULES: list[SamePlan] = [
    SamePlan(
        "nsp_objective_parent_same_plan",
        "nsp_objective",
        "parent_id",
        "nsp_objective",
        message=gettext_noop("The parent objective must belong to the same plan."),
    ),
    SamePlan(
        "nsp_indicator_objective_same_plan",
        "nsp_indicator",
        "objective_id",
        "nsp_objective",
        message=gettext_noop("The indicator's objective must belong to the indicator's plan."),
    ),
    SamePlan(
        "nsp_action_objective_same_plan",
        "nsp_action",
        "objective_id",
        "nsp_objective",
        message=gettext_noop("The action's objective must belong to the action's plan."),
    ),
    SamePlan(
        "nsp_measurement_indicator_same_plan",
        "nsp_measurement",
        "indicator_id",
        "nsp_indicator",
        message=gettext_noop("The measurement's indicator must belong to the measurement's plan."),
    ),
    SamePlan(
        "nsp_comment_objective_same_plan",
        "nsp_comment",
        "objective_id",
        "nsp_objective",
        message=gettext_noop("The comment's objective must belong to the comment's plan."),
    ),
    SamePlan(
        "nsp_comment_indicator_same_plan",
        "nsp_comment",
        "indicator_id",
        "nsp_indicator",
        message=gettext_noop("The comment's indicator must belong to the comment's plan."),
    ),
    SamePlan(
        "nsp_comment_action_same_plan",
        "nsp_comment",
        "action_id",
        "nsp_action",
        message=gettext_noop("The comment's action must belong to the comment's plan."),
    ),
    SamePlan(
        "zones_alignment_objective_same_plan",
        "zones_nationalalignment_objectives",
        "objective_id",
        "nsp_objective",
        plan_column=None,
        via_column="nationalalignment_id",
        via_table="zones_nationalalignment",
        message=gettext_noop("An alignment can only name objectives of its own plan."),
    ),
    SamePlan(
        "zones_candidate_objective_same_plan",
        "zones_matrixcandidate",
        "objective_id",
        "nsp_objective",
        message=gettext_noop("The chosen priority must be an objective of the same plan."),
    ),
    SamePlan(
        "zones_score_candidate_same_plan",
        "zones_matrixscore",
        "candidate_id",
        "zones_matrixcandidate",
        message=gettext_noop("A score belongs to a candidate of the same plan."),
    ),
    SamePlan(
        "zones_section_parent_same_plan",
        "zones_plansection",
        "parent_id",
        "zones_plansection",
        message=gettext_noop("A sub-heading belongs to a chapter of the same plan."),
    ),
]
FIXED_PLAN_RULES: list[FixedPlan] = [
    FixedPlan(f"{table}_fixed_plan", table, message=gettext_noop("A planning item cannot move to another plan."))
    for table in (
        "nsp_objective",
        "nsp_indicator",
        "nsp_action",
        "nsp_measurement",
        "nsp_comment",
        "zones_expectation",
        "zones_matrixcandidate",
        "zones_matrixscore",
        "zones_nationalalignment",
        "zones_plansection",
    )
]
MESSAGES = {rule.name: rule.message for rule in [*SAME_PLAN_RULES, *FIXED_PLAN_RULES]}


def _row_plan_sql(rule: SamePlan, new: str) -> str:
    if rule.plan_column:
        return f"{new}.{rule.plan_column}"
    # Trigger DDL from the rules declared in this module (table and column names), never from input.
    return f"(SELECT plan_id FROM {rule.via_table} WHERE id = {new}.{rule.via_column})"  # nosec B608


def _sql_text(rule) -> str:
    return f"{rule.name}: {rule.message}".replace("'", "''")


def _sqlite_statements(rule) -> list[str]:
    if isinstance(rule, FixedPlan):
        return [
            f"CREATE TRIGGER IF NOT EXISTS {rule.name} BEFORE UPDATE OF plan_id ON {rule.table} "
            f"FOR EACH ROW WHEN NEW.plan_id IS NOT OLD.plan_id "
            f"BEGIN SELECT RAISE(ABORT, '{_sql_text(rule)}'); END"
        ]
    condition = (
        f"NEW.{rule.column} IS NOT NULL AND "  # nosec B608
        f"(SELECT plan_id FROM {rule.ref_table} WHERE id = NEW.{rule.column}) IS NOT {_row_plan_sql(rule, 'NEW')}"
    )
    body = f"BEGIN SELECT RAISE(ABORT, '{_sql_text(rule)}'); END"
    watched = ", ".join(c for c in (rule.column, rule.plan_column, rule.via_column) if c)
    return [
        f"CREATE TRIGGER IF NOT EXISTS {rule.name}_ins BEFORE INSERT ON {rule.table} "
        f"FOR EACH ROW WHEN {condition} {body}",
        f"CREATE TRIGGER IF NOT EXISTS {rule.name}_upd BEFORE UPDATE OF {watched} ON {rule.table} "
        f"FOR EACH ROW WHEN {condition} {body}",
    ]


def _postgres_statements(rule) -> list[str]:
    if isinstance(rule, FixedPlan):
        check = "NEW.plan_id IS DISTINCT FROM OLD.plan_id"
        events = "UPDATE OF plan_id"
    else:
        check = (
            f"NEW.{rule.column} IS NOT NULL AND "  # nosec B608
            f"(SELECT plan_id FROM {rule.ref_table} WHERE id = NEW.{rule.column}) "
            f"IS DISTINCT FROM {_row_plan_sql(rule, 'NEW')}"
        )
        events = "INSERT OR UPDATE"
    message = _sql_text(rule)
    return [
        f"""CREATE OR REPLACE FUNCTION {rule.name}_fn() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF {check} THEN
            RAISE EXCEPTION USING ERRCODE = '23514', MESSAGE = '{message}', CONSTRAINT = '{rule.name}';
          END IF;
          RETURN NEW;
        END $$""",
        f"DROP TRIGGER IF EXISTS {rule.name} ON {rule.table}",
        f"CREATE TRIGGER {rule.name} BEFORE {events} ON {rule.table} FOR EACH ROW EXECUTE FUNCTION {rule.name}_fn()",
    ]


def install(connection=None) -> int:
    """Install every rule whose table exists. Returns the number of rules installed."""
    connection = connection or default_connection
    builders = {"sqlite": _sqlite_statements, "postgresql": _postgres_statements}
    build = builders.get(connection.vendor)
    if build is None:
        return 0
    tables = set(connection.introspection.table_names())
    installed = 0
    with connection.cursor() as cursor:
        for rule in [*SAME_PLAN_RULES, *FIXED_PLAN_RULES]:
            needed = {rule.table} | ({rule.ref_table} if isinstance(rule, SamePlan) else set())
            if not needed <= tables:
                continue
            for statement in build(rule):
                cursor.execute(statement)
            installed += 1
    return installed


def rule_message(error: Exception) -> str | None:
    """The readable message of a rule violation, if ``error`` is one."""
    text = str(error)
    for name, message in MESSAGES.items():
        if name in text:
            return gettext(message)
    return None
