"""Every management command of ours prints its --help (argparse formats plain strings only)."""

from __future__ import annotations

import pytest
from django.core.management import get_commands, load_command_class

OURS = ("nsp", "zones", "clusters", "programmes", "reporting", "demo")
COMMANDS = sorted((name, app) for name, app in get_commands().items() if app in OURS)


def test_there_are_commands_of_ours():
    assert {"generate_national", "seed_demo", "backup", "load_reference"} <= {name for name, _ in COMMANDS}


@pytest.mark.parametrize(("name", "app"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_help_is_printable(name, app):
    parser = load_command_class(app, name).create_parser("manage.py", name)
    text = parser.format_help()
    assert f"manage.py {name}" in text
