"""Dependencies point one way (docs/architecture.md). Reads every module's imports with ``ast``.

demo → reporting → zones, programmes → clusters → nsp. String model references ("zones.PoliceZone") and
``apps.get_model`` are not imports and stay allowed. Tests (``<app>/tests/``) may import anything.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERED_APPS = ("nsp", "clusters", "zones", "programmes", "reporting")
# The demo data set sits on top of everything; nothing depends on it.
APPS = (*LAYERED_APPS, "demo")

# What each app may not import (any module of it).
FORBIDDEN: dict[str, frozenset[str]] = {
    "nsp": frozenset({"clusters", "zones", "programmes", "reporting", "demo"}),
    "clusters": frozenset({"zones", "programmes", "reporting", "demo"}),
    "zones": frozenset({"programmes", "reporting", "demo"}),
    "programmes": frozenset({"zones", "reporting", "demo"}),
    "reporting": frozenset({"demo"}),
    "demo": frozenset(),
}
# The root URLconf wires every app's URLs in; it is the top of the stack, not the core.
WIRING = frozenset({"nsp.urls"})
# Models hold data and rules; they never reach up into presentation or background jobs.
MODEL_FORBIDDEN_PARTS = frozenset({"views", "forms", "serializers", "tasks"})
# Modules that may read the environment: settings, and the entry points that name the settings module.
ENVIRONMENT_READERS = frozenset({"nsp.settings", "nsp.settings_test", "nsp.celery", "nsp.wsgi", "nsp.asgi"})
ENVIRONMENT_NAMES = frozenset({"environ", "environb", "getenv", "getenvb"})
# The permission chokepoint: nsp.grants writes guardian's grants, nsp.permissions reads them; the models declare
# the grant tables, the admin shows them read-only, settings name guardian's backend. Nobody else touches them.
GRANT_HANDLERS = frozenset(
    {
        "nsp.grants",
        "nsp.permissions",
        "nsp.settings",
        "zones.models",
        "zones.admin",
        "programmes.models",
        "programmes.admin",
    }
)


@dataclass(frozen=True)
class Arrow:
    module: str
    imported: str
    line: int
    rule: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.imported} ({self.rule})"


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_modules(root: Path, apps: tuple[str, ...] = APPS) -> dict[str, Path]:
    """Every module of the apps, tests excluded."""
    modules = {}
    for app in apps:
        # rglob of a missing folder yields nothing: an app not written yet has nothing to check.
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root / app).parts
            if "tests" in relative[:-1] or relative[-1] == "conftest.py":
                continue
            modules[module_name(root, path)] = path
    return modules


def imports_of(module: str, path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import statement, including those inside functions."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # ``from zones import models`` imports zones.models: name each imported name as a module too.
            found.append((base, node.lineno))
            found.extend((f"{base}.{alias.name}", node.lineno) for alias in node.names if alias.name != "*")
    return found


def is_models_module(module: str) -> bool:
    parts = module.split(".")
    return "models" in parts[1:]


def wrong_arrows(root: Path, apps: tuple[str, ...] = APPS) -> list[Arrow]:
    arrows: list[Arrow] = []
    for module, path in app_modules(root, apps).items():
        app = module.split(".")[0]
        for imported, line in imports_of(module, path):
            top = imported.split(".")[0]
            if top not in APPS:
                continue
            if module not in WIRING and top in FORBIDDEN[app]:
                arrows.append(Arrow(module, imported, line, f"{app} must not depend on {top}"))
            if is_models_module(module) and MODEL_FORBIDDEN_PARTS & set(imported.split(".")[1:]):
                arrows.append(Arrow(module, imported, line, "models must not import views, forms, serializers, tasks"))
    # ``from a import b`` yields both "a" and "a.b"; report each offending line once.
    unique: dict[tuple[str, int, str], Arrow] = {}
    for arrow in arrows:
        unique.setdefault((arrow.module, arrow.line, arrow.rule), arrow)
    return sorted(unique.values(), key=lambda a: (a.module, a.line))


def environment_readers(root: Path, apps: tuple[str, ...] = APPS) -> list[str]:
    readers = []
    for module, path in app_modules(root, apps).items():
        if module in ENVIRONMENT_READERS:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ENVIRONMENT_NAMES
                and isinstance(node.value, ast.Name)
                and node.value.id == "os"
            ) or (
                isinstance(node, ast.ImportFrom)
                and node.module == "os"
                and ENVIRONMENT_NAMES & {alias.name for alias in node.names}
            ):
                readers.append(f"{module}:{node.lineno}")
    return sorted(readers)


def grant_touchers(root: Path, apps: tuple[str, ...] = APPS) -> list[str]:
    """Modules outside GRANT_HANDLERS that import guardian or name a grant table (also as a string)."""
    found = []
    for module, path in app_modules(root, apps).items():
        if module in GRANT_HANDLERS or "migrations" in module.split("."):
            continue
        found += [
            f"{module}:{line} imports {name}"
            for name, line in imports_of(module, path)
            if name.split(".")[0] == "guardian"
        ]
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            text = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            if text and "ObjectPermission" in text:
                found.append(f"{module}:{node.lineno} names {text}")
    return sorted(set(found))


def test_dependencies_point_one_way():
    arrows = wrong_arrows(ROOT)
    assert not arrows, "Imports against the layering (docs/architecture.md):\n" + "\n".join(map(str, arrows))


def test_only_settings_read_the_environment():
    readers = environment_readers(ROOT)
    assert not readers, "Read the environment in nsp/settings.py only:\n" + "\n".join(readers)


def test_only_the_permission_core_touches_the_grants():
    touchers = grant_touchers(ROOT)
    assert not touchers, "Grants are written by nsp.grants and read by nsp.permissions only:\n" + "\n".join(touchers)


def test_every_layered_app_has_modules_to_check():
    modules = app_modules(ROOT)
    for app in LAYERED_APPS:
        assert f"{app}.models" in modules


# --- the checker itself, on a small tree with known arrows ---------------------------------------


def write(root: Path, module: str, source: str) -> None:
    path = root.joinpath(*module.split(".")).with_suffix(".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in path.relative_to(root).parents:
        if str(parent) != ".":
            (root / parent / "__init__.py").touch()
    path.write_text(source)


@pytest.fixture
def tree(tmp_path):
    write(tmp_path, "nsp.models", "from django.db import models\nfrom nsp import periods\n")
    write(tmp_path, "clusters.models", "from nsp.models import Plan\n")
    write(tmp_path, "zones.models", "from clusters.models import SecurityPhenomenon\nfrom nsp.models import Plan\n")
    write(tmp_path, "programmes.models", "from nsp.models import Plan\nzone = 'zones.PoliceZone'\n")
    write(tmp_path, "reporting.models", "from zones.models import PoliceZone\nfrom programmes import models\n")
    return tmp_path


def test_checker_accepts_the_intended_direction(tree):
    write(tree, "nsp.urls", "from zones import views\n")
    write(tree, "programmes.services", "from django.apps import apps\nZone = apps.get_model('zones', 'PoliceZone')\n")
    write(tree, "zones.tests.test_models", "from programmes.models import Programme\n")
    assert wrong_arrows(tree) == []


@pytest.mark.parametrize(
    ("module", "source", "rule"),
    [
        ("nsp.services", "from zones.models import ZonalSecurityPlan\n", "nsp must not depend on zones"),
        ("nsp.views", "def f():\n    from reporting import selectors\n", "nsp must not depend on reporting"),
        ("clusters.selectors", "import programmes.models\n", "clusters must not depend on programmes"),
        ("zones.services", "from programmes.models import Programme\n", "zones must not depend on programmes"),
        ("programmes.selectors", "from zones import selectors\n", "programmes must not depend on zones"),
        ("zones.api.views", "from reporting.models import ReportRun\n", "zones must not depend on reporting"),
        ("zones.models", "from . import forms\n", "models must not import views, forms, serializers, tasks"),
        ("reporting.models", "from reporting.tasks import run\n", "models must not import views, forms, serializers"),
        ("zones.models", "from zones.api.serializers import X\n", "models must not import views, forms"),
        ("programmes.models", "from .views import x\n", "models must not import views"),
        ("reporting.services", "from demo.seed import seed\n", "reporting must not depend on demo"),
    ],
)
def test_checker_finds_a_wrong_arrow(tree, module, source, rule):
    write(tree, module, source)
    arrows = wrong_arrows(tree)
    assert [a.module for a in arrows] == [module]
    assert arrows[0].rule.startswith(rule)


def test_checker_resolves_relative_imports(tree):
    write(tree, "zones.api.views", "from ..selectors import zone_list\nfrom ...programmes import models\n")
    arrows = wrong_arrows(tree)
    assert [(a.imported, a.line) for a in arrows] == [("programmes", 2)]


def test_grant_toucher_is_found(tree):
    write(tree, "zones.views", "from guardian.shortcuts import get_objects_for_user\n")
    write(
        tree,
        "reporting.selectors",
        "from django.apps import apps\nM = apps.get_model('zones', 'ZoneGroupObjectPermission')\n",
    )
    write(tree, "nsp.grants", "from guardian.shortcuts import assign_perm\n")
    assert grant_touchers(tree) == [
        "reporting.selectors:2 names ZoneGroupObjectPermission",
        "zones.views:1 imports guardian.shortcuts",
        "zones.views:1 imports guardian.shortcuts.get_objects_for_user",
    ]


def test_environment_reader_is_found(tree):
    write(tree, "zones.services", "import os\nURL = os.environ.get('X')\n")
    write(tree, "programmes.tasks", "from os import getenv\n")
    write(tree, "nsp.settings", "import os\nURL = os.environ.get('X')\n")
    assert environment_readers(tree) == ["programmes.tasks:1", "zones.services:2"]
