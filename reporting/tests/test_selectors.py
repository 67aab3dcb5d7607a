"""The overview's group means agree with ``summarize_objectives`` (the SQL form of the same rule)."""

from __future__ import annotations

import pytest

from nsp import progress
from nsp.models import Objective
from reporting import selectors
from reporting.tests.conftest import AS_OF


def _summary(queryset):
    return progress.summarize_objectives(Objective.objects.filter(pk__in=queryset.values("pk")), as_of=AS_OF)


@pytest.mark.parametrize("who", ["committee", "chief_a", "chief_b", "federal"])
def test_group_means_match_summarize_objectives(world, who):
    user = getattr(world, who)
    data = selectors.overview(user=user, as_of=AS_OF, nsp=world.nsp)
    readable = Objective.objects.restrict(user, "view")
    expected = {
        world.cluster.pk: readable.filter(alignments__adopted=True, alignments__phenomenon__cluster=world.cluster)
        | readable.filter(plan__programme__phenomena__cluster=world.cluster),
        world.other_cluster.pk: readable.filter(
            alignments__adopted=True, alignments__phenomenon__cluster=world.other_cluster
        )
        | readable.filter(plan__programme__phenomena__cluster=world.other_cluster),
    }
    for row in data["clusters"]:
        summary = _summary(expected[row["id"]])
        assert row["objectives"] == summary.objectives
        assert row["progress"] == progress.rounded(summary.progress)
        assert row["progress_status"] == summary.status
    theme_objectives = readable.filter(alignments__adopted=True, alignments__theme=world.theme) | readable.filter(
        plan__programme__themes=world.theme
    )
    (theme,) = data["themes"]
    assert (theme["objectives"], theme["progress_status"]) == (
        _summary(theme_objectives).objectives,
        _summary(theme_objectives).status,
    )
    for row in data["districts"]:
        summary = _summary(readable.filter(plan__kind="zonal", plan__zone__district_id=row["id"]))
        assert (row["objectives"], row["progress"], row["progress_status"]) == (
            summary.objectives,
            progress.rounded(summary.progress),
            summary.status,
        )


def test_the_edition_follows_the_day(world):
    from tests.factories import NationalSecurityPlanFactory

    later = NationalSecurityPlanFactory(
        code="nsp-2026-2029", period_start=AS_OF.replace(year=2026), period_end=AS_OF.replace(year=2029)
    )
    assert selectors.edition_for(user=world.committee, as_of=AS_OF) == world.nsp
    assert selectors.edition_for(user=world.committee, as_of=AS_OF.replace(year=2027)) == later
    assert selectors.period_for_edition(world.nsp, today=AS_OF.replace(year=2027)) == "2025-Q4"
    assert selectors.as_of_for("2030-Q1", today=AS_OF) == AS_OF
