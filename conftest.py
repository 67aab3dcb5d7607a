"""Fixtures shared by every test suite."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read messages in English unless they ask for another language."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def nsp_edition(db):
    from tests.factories import NationalSecurityPlanFactory

    return NationalSecurityPlanFactory(code="nsp-2016-2019", title="National Security Plan 2016-2019")
