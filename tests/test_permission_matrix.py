"""Every row of tests/permission_matrix.csv, through the pages and through the API.

One world per module (tests/permission_matrix/world.py); each test runs in a savepoint rolled back at
its end, and each request of a row in a savepoint of its own. The requests per (object, action) and
channel are in tests/permission_matrix/specs.py; tests/test_route_coverage.py checks that they reach
every route. Run: ``.venv/bin/pytest -q tests/test_permission_matrix.py`` (add ``-n 2`` for two workers).
"""

from __future__ import annotations

import pytest

from tests.permission_matrix.probes import mismatches
from tests.permission_matrix.rows import CHANNELS, matrix_rows
from tests.permission_matrix.specs import SPECS, NoRoute
from tests.permission_matrix.world import world_in_transaction


def cases():
    for row in matrix_rows():
        for channel in CHANNELS:
            if not isinstance(SPECS[(row.object, row.action)][channel], NoRoute):
                yield pytest.param(row, channel, id=f"{row.id}-{channel}")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from world_in_transaction(django_db_blocker, tmp_path_factory.mktemp("matrix-media"))


@pytest.mark.parametrize(("row", "channel"), cases())
def test_permission_matrix(world, db, row, channel):
    found = mismatches(world, row, channel)
    assert not found, "\n".join(found)
