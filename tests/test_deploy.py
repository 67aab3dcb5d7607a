"""The deployment files: docker-compose.yml's topology, the example environment, the systemd units."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess  # nosec B404
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE = ROOT / "docker-compose.yml"
UNITS = ROOT / "deploy" / "systemd"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())  # merge keys (<<: *app) resolved


def test_compose_has_the_topology_of_the_docs(compose):
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    for name in ("web", "postgres", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert "postgres:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert {"postgres", "redis", "media"} <= set(compose["volumes"])
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["environment"]["DATABASE_URL"].startswith("postgres://"), name
        assert service["environment"]["REDIS_URL"].startswith("redis://"), name
        assert service["stop_grace_period"] == "60s", name
    assert "beat" in " ".join(services["beat"]["command"].split()[:4])
    assert services["worker"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_every_variable_compose_reads_is_in_the_example_environment():
    used = set(re.findall(r"\$\{([A-Z_]+)", COMPOSE.read_text()))
    example = {line.split("=", 1)[0].lstrip("# ").strip() for line in (ROOT / ".env.example").read_text().splitlines()}
    assert used - example == set()


def test_docker_compose_accepts_the_file_where_the_cli_has_compose(tmp_path):
    """``docker compose config`` where the docker CLI has the compose plugin; the parse above holds elsewhere."""
    docker = shutil.which("docker")
    has_compose = docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0  # nosec
    if not has_compose:
        assert yaml.safe_load(COMPOSE.read_text())["services"]  # the YAML itself is checked without the CLI
        return
    env = tmp_path / ".env"
    env.write_text("SECRET_KEY=x\nPOSTGRES_PASSWORD=y\n")
    done = subprocess.run(  # nosec B603
        [docker, "compose", "--env-file", str(env), "-f", str(COMPOSE), "config", "--quiet"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("unit", ["nsp-web.service", "nsp-worker.service", "nsp-beat.service", "nsp-backup.service"])
def test_the_systemd_units_run_what_the_project_has(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read(UNITS / unit)
    service = parser["Service"]
    assert service["EnvironmentFile"].endswith("nsp-planner.env")
    command = service["ExecStart"]
    program = re.search(r"\.venv/bin/(\w+)", command).group(1)
    assert program in {"gunicorn", "celery", "python"}
    if program == "celery":
        assert "-A nsp" in command
    if unit != "nsp-backup.service":
        assert int(service["TimeoutStopSec"]) >= 30 and service["KillSignal"] == "SIGTERM"
    timer = configparser.ConfigParser(interpolation=None)
    timer.read(UNITS / "nsp-backup.timer")
    assert timer["Timer"]["OnCalendar"]
