"""Backups of the database and their restore: ``manage.py backup`` and ``manage.py restore``.

PostgreSQL through its own tools (``pg_dump --format=custom``, ``pg_restore --clean --if-exists --no-owner``),
which keep the database triggers, sequences and constraints exactly; SQLite (embedded mode) through its online
backup API, safe while the application runs. Why not django-dbbackup: these two calls are all it would do for
us, and it would add its own storage settings; see docs/decisions.md.

``fingerprints`` gives each table's row count and a checksum of its rows, so a restore can be compared with
what was backed up (the tests do; ``manage.py restore`` prints the counts).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3

# pg_dump and pg_restore run with argument lists, never through a shell; the table names come from the catalogue.
import subprocess  # nosec B404
from pathlib import Path

from django.conf import settings
from django.db import connections

from nsp.exceptions import DomainError


def _vendor(alias: str) -> str:
    return connections[alias].vendor


def default_path(alias: str = "default") -> Path:
    """``var/backups/nsp-<date>-<time>.dump`` (PostgreSQL) or ``.sqlite3`` (SQLite)."""
    suffix = "dump" if _vendor(alias) == "postgresql" else "sqlite3"
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"nsp-{stamp}.{suffix}"


def _pg_command(tool: str, database: dict) -> tuple[list[str], dict[str, str] | None]:
    """The tool (by its full path) with the connection of ``database`` (a DATABASES entry) as options; the
    password, when there is one, in the tool's own environment only (never on its command line)."""
    executable = shutil.which(tool)
    if executable is None:
        raise DomainError(
            f"{tool} is not installed; install PostgreSQL's client tools (apt-get install postgresql-client)."
        )
    env = {"PGPASSWORD": str(database["PASSWORD"])} if database.get("PASSWORD") else None
    args = [executable]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            args += [option, str(database[key])]
    return args, env


def _run(args: list[str], env: dict[str, str] | None) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # nosec B603
    if done.returncode != 0:
        raise DomainError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr.strip()[:2000]}")


def backup(path: Path | str | None = None, *, alias: str = "default") -> Path:
    """Write a consistent copy of the database to ``path`` (a new file; default ``default_path()``)."""
    target = Path(path) if path else default_path(alias)
    target.parent.mkdir(parents=True, exist_ok=True)
    database = connections[alias].settings_dict
    if _vendor(alias) == "postgresql":
        args, env = _pg_command("pg_dump", database)
        _run([*args, "--format=custom", "--no-owner", f"--file={target}", database["NAME"]], env)
    elif _vendor(alias) == "sqlite":
        connection = connections[alias]
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        raise DomainError(f"No backup for the {_vendor(alias)} database.")
    return target


def restore(path: Path | str, *, alias: str = "default", database: dict | None = None) -> None:
    """Replace the contents of the database (``alias``'s, or the DATABASES-style ``database``) with the backup
    at ``path``. Everything in it now is dropped first. Run ``bin/release`` afterwards on a newer release."""
    source = Path(path)
    if not source.is_file():
        raise DomainError(f"No backup file at {source}.")
    target = database or connections[alias].settings_dict
    engine = target["ENGINE"]
    if "postgresql" in engine:
        if database is None:
            connections[alias].close()
        args, env = _pg_command("pg_restore", target)
        _run(
            [
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={target['NAME']}",
                str(source),
            ],
            env,
        )
    elif "sqlite" in engine:
        if database is None:
            connections[alias].close()
        with sqlite3.connect(source) as backup_file, sqlite3.connect(target["NAME"]) as live:
            backup_file.backup(live)
        backup_file.close()
        live.close()
    else:
        raise DomainError(f"No restore for the {engine} database.")


def fingerprints(cursor, vendor: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a SHA-256 of its rows (in a fixed order), through an open DB-API cursor."""
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    tables = [row[0] for row in cursor.fetchall()]
    result = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(f"SELECT * FROM {quoted}")  # nosec B608
        rows = sorted(repr(tuple(str(value) for value in row)) for row in cursor.fetchall())
        digest = hashlib.sha256()
        for row in rows:
            digest.update(row.encode())
        result[table] = (len(rows), digest.hexdigest())
    return result
