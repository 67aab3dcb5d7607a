"""manage.py backup and restore: a backup restored into a fresh database holds every row of every table."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from nsp import backup
from tests.factories import ActionFactory, CommentFactory, MeasurementFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan_data(db):
    """Committed plan data with history rows, a decimal and text that needs quoting."""
    measurement = MeasurementFactory(value=Decimal("12.3456"), note='It\'s "quoted"; DROP TABLE x;')
    ActionFactory(objective=measurement.indicator.objective)
    CommentFactory(plan=measurement.plan, body="Ligne 1\nLigne 2 — é")
    return measurement


def live_fingerprints():
    with connection.cursor() as cursor:
        return backup.fingerprints(cursor, connection.vendor)


def test_backup_restored_into_a_fresh_database_holds_every_row(plan_data, tmp_path):
    """On the test database's own engine: SQLite's online backup, or pg_dump and pg_restore."""
    if connection.vendor == "postgresql":
        postgresql_round_trip(tmp_path)
    else:
        sqlite_round_trip(tmp_path)


def sqlite_round_trip(tmp_path):
    # Read both sides with the same driver (Django's SQLite connection converts dates and times).
    with sqlite3.connect(connection.settings_dict["NAME"]) as live:
        before = backup.fingerprints(live.cursor(), "sqlite")
    path = tmp_path / "nsp.sqlite3"
    call_command("backup", output=str(path))
    fresh = tmp_path / "fresh.sqlite3"
    backup.restore(path, database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(fresh)})
    with sqlite3.connect(fresh) as restored:
        after = backup.fingerprints(restored.cursor(), "sqlite")
    assert after == before
    assert before["nsp_measurement"][0] == 1 and before["nsp_historicalmeasurement"][0] >= 1


def postgresql_round_trip(tmp_path):
    before = live_fingerprints()
    path = tmp_path / "nsp.dump"
    call_command("backup", output=str(path))
    settings_dict = connection.settings_dict
    fresh_name = f"{settings_dict['NAME']}_restore"
    params = {
        k: settings_dict[v] for k, v in (("host", "HOST"), ("port", "PORT"), ("user", "USER")) if settings_dict[v]
    }
    admin = psycopg2.connect(dbname="postgres", password=settings_dict.get("PASSWORD") or None, **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh_name}"')
        cursor.execute(f'CREATE DATABASE "{fresh_name}"')
    try:
        backup.restore(path, database={**settings_dict, "NAME": fresh_name})
        restored = psycopg2.connect(dbname=fresh_name, password=settings_dict.get("PASSWORD") or None, **params)
        with restored, restored.cursor() as cursor:
            after = backup.fingerprints(cursor, "postgresql")
            # The database rules (triggers) came back too.
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")
            triggers = cursor.fetchone()[0]
        restored.close()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh_name}"')
        admin.close()
    assert after == before
    assert before["nsp_measurement"][0] == 1
    assert triggers > 0


def test_a_missing_backup_file_is_refused_and_nothing_changes(plan_data, tmp_path):
    before = live_fingerprints()
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "nothing.dump"), yes=True)
    assert live_fingerprints() == before


def test_restore_asks_before_replacing_everything(plan_data, tmp_path, monkeypatch):
    path = tmp_path / "copy"
    call_command("backup", output=str(path))
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore", str(path))
