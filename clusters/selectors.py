"""Reads of the NSP reference: an edition beside the one before it, and how its rows continue that one's.

Every read starts from ``restrict(user, "view")``. The mapping is ``previous`` on clusters, phenomena and
themes (``clusters.models``); a mapping that is our inference says so until a federal planner confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from nsp.models import NationalSecurityPlan

KINDS = (
    ("phenomena", SecurityPhenomenon),
    ("themes", CrossCuttingTheme),
    ("clusters", SecurityCluster),
)


def previous_edition(edition: NationalSecurityPlan, *, user) -> NationalSecurityPlan | None:
    """The edition that began last before ``edition`` (what its rows continue)."""
    return (
        NationalSecurityPlan.objects.restrict(user, "view")
        .filter(period_start__lt=edition.period_start)
        .order_by("-period_start", "-pk")
        .first()
    )


def next_edition(edition: NationalSecurityPlan, *, user=None) -> NationalSecurityPlan | None:
    """The edition that began first after ``edition`` (its successor), outside preparation."""
    editions = NationalSecurityPlan.objects.all() if user is None else NationalSecurityPlan.objects.restrict(user)
    return (
        editions.exclude(status=NationalSecurityPlan.Status.PREPARATION)
        .filter(period_start__gt=edition.period_start)
        .order_by("period_start", "pk")
        .first()
    )


@dataclass(frozen=True)
class MappedRow:
    """A row of the edition and the rows of the previous edition it continues (none: new in this edition)."""

    item: SecurityPhenomenon | CrossCuttingTheme | SecurityCluster
    previous: list

    @property
    def is_new(self) -> bool:
        return not self.previous


@dataclass
class Mapping:
    """One kind of row (phenomena, themes, clusters) of an edition beside the previous edition's."""

    kind: str
    rows: list[MappedRow] = field(default_factory=list)
    # Rows of the previous edition that no row of this edition continues.
    not_continued: list = field(default_factory=list)


def _rows(model, *, user, edition) -> QuerySet:
    rows = model.objects.restrict(user, "view").filter(nsp=edition).order_by("number")
    if model is SecurityPhenomenon:
        rows = rows.select_related("cluster")
    return rows


def edition_mapping(*, user, edition: NationalSecurityPlan) -> tuple[NationalSecurityPlan | None, list[Mapping]]:
    """The previous edition and, per kind, each row of ``edition`` with what it continues there (3 + 3 queries)."""
    before = previous_edition(edition, user=user)
    mappings = []
    for kind, model in KINDS:
        earlier = model.objects.restrict(user, "view").filter(nsp=before) if before else model.objects.none()
        rows = _rows(model, user=user, edition=edition).prefetch_related(
            Prefetch("previous", queryset=model.objects.select_related("nsp").order_by("nsp__period_start", "number"))
        )
        mapping = Mapping(kind=kind)
        continued: set[int] = set()
        for row in rows:
            previous = list(row.previous.all())
            continued |= {p.pk for p in previous}
            mapping.rows.append(MappedRow(item=row, previous=previous))
        mapping.not_continued = [row for row in earlier.order_by("number") if row.pk not in continued]
        mappings.append(mapping)
    return before, mappings


def edition_contents(*, user, edition: NationalSecurityPlan) -> dict:
    """An edition's clusters with their phenomena, the phenomena outside every cluster, and its themes; each
    phenomenon and theme with what it continues in an earlier edition."""
    previous = Prefetch("previous", queryset=SecurityPhenomenon.objects.select_related("nsp").order_by("number"))
    phenomena = SecurityPhenomenon.objects.order_by("number").prefetch_related(previous)
    themes_previous = Prefetch("previous", queryset=CrossCuttingTheme.objects.select_related("nsp").order_by("number"))
    return {
        "clusters": SecurityCluster.objects.restrict(user, "view")
        .filter(nsp=edition)
        .prefetch_related(Prefetch("phenomena", queryset=phenomena))
        .order_by("number"),
        "unclustered": SecurityPhenomenon.objects.restrict(user, "view")
        .filter(nsp=edition, cluster__isnull=True)
        .prefetch_related(previous)
        .order_by("number"),
        "themes": CrossCuttingTheme.objects.restrict(user, "view")
        .filter(nsp=edition)
        .prefetch_related(themes_previous)
        .order_by("number"),
    }
