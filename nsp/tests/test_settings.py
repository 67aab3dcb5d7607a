"""nsp/settings.py reads the environment in one place. Each case imports it in a fresh interpreter."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json
import nsp.settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST"), "port": db.get("PORT"),
    "user": db.get("USER"), "password": db.get("PASSWORD"), "test_name": db.get("TEST", {}).get("NAME"),
    "db_options": db.get("OPTIONS", {}),
    "secret_key": s.SECRET_KEY, "debug": s.DEBUG, "demo": s.DEMO, "embedded": s.EMBEDDED,
    "allowed_hosts": s.ALLOWED_HOSTS, "csrf_trusted_origins": s.CSRF_TRUSTED_ORIGINS,
    "broker_url": s.CELERY_BROKER_URL, "broker_options": s.CELERY_BROKER_TRANSPORT_OPTIONS,
    "always_eager": s.CELERY_TASK_ALWAYS_EAGER, "cache_backend": s.CACHES["default"]["BACKEND"],
    "cache_location": str(s.CACHES["default"]["LOCATION"]), "media_root": str(s.MEDIA_ROOT),
    "secure_cookies": s.SESSION_COOKIE_SECURE, "log_level": s.LOGGING["root"]["level"],
    "email_backend": s.EMAIL_BACKEND, "email_host": s.EMAIL_HOST,
}))
"""
# Variables the settings read; none leaks in from the shell that runs the tests.
SETTINGS_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "DEMO",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_COOKIES",
    "LOG_LEVEL",
    "NSP_VAR_DIR",
    "MEDIA_ROOT",
    "DB_CONN_MAX_AGE",
    "DATABASE_JIT",
    "CELERY_TASK_ALWAYS_EAGER",
    "DJANGO_SETTINGS_MODULE",
    "EMAIL_HOST",
    "EMAIL_BACKEND",
    "TASK_TIME_LIMIT",
    "TASK_SOFT_TIME_LIMIT",
    "BROKER_VISIBILITY_TIMEOUT",
}


def load(var_dir: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "NSP_VAR_DIR": str(var_dir), "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_for(var_dir: Path, **env: str) -> dict:
    result = load(var_dir, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_defaults(tmp_path):
    s = settings_for(tmp_path)

    assert s["embedded"] is True
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(tmp_path / "nsp.sqlite3")
    assert s["test_name"].startswith(str(tmp_path / "test-")) and s["test_name"].endswith(".sqlite3")
    assert s["debug"] is False
    assert s["demo"] is True
    assert s["allowed_hosts"] == ["127.0.0.1", "localhost"]
    assert s["cache_backend"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert s["cache_location"] == str(tmp_path / "cache")
    assert s["media_root"] == str(tmp_path / "media")
    assert s["secure_cookies"] is False


def test_secret_key_generated_once_and_kept_in_var(tmp_path):
    first = settings_for(tmp_path)["secret_key"]
    key_file = tmp_path / "secret_key"

    assert len(first) >= 50
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert settings_for(tmp_path)["secret_key"] == first
    assert settings_for(tmp_path / "other")["secret_key"] != first


def test_database_url_is_parsed(tmp_path):
    s = settings_for(
        tmp_path, DATABASE_URL="postgres://nsp:s3cret@db.example.test:5433/nsp_planner", SECRET_KEY="k" * 50
    )

    assert s["embedded"] is False
    assert s["engine"] == "django.db.backends.postgresql"
    assert (s["name"], s["host"], s["port"], s["user"], s["password"]) == (
        "nsp_planner",
        "db.example.test",
        5433,
        "nsp",
        "s3cret",
    )
    assert s["demo"] is False
    assert s["secret_key"] == "k" * 50
    assert not (tmp_path / "secret_key").exists()


def test_postgresql_connections_run_without_jit(tmp_path):
    url = "postgres://nsp@127.0.0.1/nsp"

    assert settings_for(tmp_path, DATABASE_URL=url, SECRET_KEY="k" * 50)["db_options"]["options"] == "-c jit=off"
    with_jit = settings_for(tmp_path, DATABASE_URL=url, SECRET_KEY="k" * 50, DATABASE_JIT="1")
    assert "options" not in with_jit["db_options"]
    assert "options" not in settings_for(tmp_path)["db_options"]  # SQLite has no JIT


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_session_has_jit_off():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize(
    "variable", ["DATABASE_URL=postgres://nsp@127.0.0.1/nsp", "REDIS_URL=redis://127.0.0.1:6379/0"]
)
def test_secret_key_required_outside_embedded_mode(tmp_path, variable):
    name, value = variable.split("=", 1)

    result = load(tmp_path, **{name: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_filesystem_broker_without_redis(tmp_path):
    s = settings_for(tmp_path)

    assert s["broker_url"] == "filesystem://"
    assert s["broker_options"]["data_folder_in"] == str(tmp_path / "celery" / "queue")
    assert s["broker_options"]["data_folder_out"] == str(tmp_path / "celery" / "queue")
    assert (tmp_path / "celery" / "queue").is_dir()


def test_redis_broker_and_cache_with_redis_url(tmp_path):
    s = settings_for(tmp_path, REDIS_URL="redis://127.0.0.1:6379/3", SECRET_KEY="k" * 50)

    assert s["broker_url"] == "redis://127.0.0.1:6379/3"
    assert s["cache_backend"] == "django.core.cache.backends.redis.RedisCache"
    assert s["cache_location"] == "redis://127.0.0.1:6379/3"
    assert s["engine"] == "django.db.backends.sqlite3"


def test_tasks_not_eager_by_default(tmp_path):
    assert settings_for(tmp_path)["always_eager"] is False
    assert settings_for(tmp_path, REDIS_URL="redis://127.0.0.1:6379/3", SECRET_KEY="k" * 50)["always_eager"] is False


def test_production_variables(tmp_path):
    s = settings_for(
        tmp_path,
        DATABASE_URL="postgres://nsp@127.0.0.1/nsp",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="nsp.police.example, localhost",
        CSRF_TRUSTED_ORIGINS="https://nsp.police.example",
        SECURE_COOKIES="1",
        LOG_LEVEL="WARNING",
        DEMO="on",
        DEBUG="0",
    )

    assert s["allowed_hosts"] == ["nsp.police.example", "localhost"]
    assert s["csrf_trusted_origins"] == ["https://nsp.police.example"]
    assert s["secure_cookies"] is True
    assert s["log_level"] == "WARNING"
    assert s["demo"] is True
    assert s["debug"] is False


CONSOLE = "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"DEMO": "1", "DATABASE_URL": "postgres://nsp@db.example/nsp", "SECRET_KEY": "k"},
        {"REDIS_URL": "redis://127.0.0.1:6379/0", "SECRET_KEY": "k"},
    ],
    ids=["embedded", "demo-on-postgres", "redis"],
)
def test_without_a_mail_server_mails_go_to_the_console_in_every_mode(tmp_path, env):
    s = settings_for(tmp_path, **env)
    assert (s["email_backend"], s["email_host"]) == (CONSOLE, "")


def test_a_named_mail_server_is_used_by_smtp(tmp_path):
    s = settings_for(tmp_path, EMAIL_HOST="smtp.example")
    assert (s["email_backend"], s["email_host"]) == ("django.core.mail.backends.smtp.EmailBackend", "smtp.example")


def test_time_limits_lie_below_the_brokers_visibility_timeout(tmp_path):
    s = settings_for(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0", SECRET_KEY="k")
    assert s["broker_options"] == {"visibility_timeout": 900}
    s = settings_for(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0", SECRET_KEY="k", TASK_TIME_LIMIT="1800")
    assert s["broker_options"] == {"visibility_timeout": 2100}


def test_a_time_limit_past_the_visibility_timeout_is_refused(tmp_path):
    result = load(tmp_path, TASK_TIME_LIMIT="1000", BROKER_VISIBILITY_TIMEOUT="900")
    assert result.returncode != 0
    assert "TASK_SOFT_TIME_LIMIT < TASK_TIME_LIMIT < BROKER_VISIBILITY_TIMEOUT" in result.stderr
