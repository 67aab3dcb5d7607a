"""The two real NSP editions: counts and titles, the inferred mappings, the loader keeping a planner's correction,
and the extension moving "in force"."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from clusters.reference import SHIPPED_PATHS, ReferenceDataError, load_reference, load_shipped
from nsp.exceptions import DomainError
from nsp.models import Ambition, NationalSecurityPlan
from nsp.selectors import edition_default, edition_in_force
from nsp.services import edition_extend, reference_update
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

NEW = "nsp-2022-2025"
OLD = "nsp-2016-2019"


def edition(code: str) -> NationalSecurityPlan:
    return NationalSecurityPlan.objects.get(code=code)


def phenomenon(code: str, number: int) -> SecurityPhenomenon:
    return SecurityPhenomenon.objects.get(nsp__code=code, number=number)


def previous_numbers(item) -> list[int]:
    return sorted(item.previous.values_list("number", flat=True))


@pytest.fixture
def loaded():
    load_shipped()


def test_both_editions_with_their_counts(loaded):
    old, new = edition(OLD), edition(NEW)
    assert (old.clusters.count(), old.phenomena.count(), old.themes.count(), old.ambitions.count()) == (10, 10, 7, 3)
    assert (new.clusters.count(), new.phenomena.count(), new.themes.count(), new.ambitions.count()) == (10, 15, 4, 0)
    assert (new.period_start, new.period_end, new.extended_to) == (dt.date(2022, 1, 1), dt.date(2025, 12, 31), None)
    assert new.title_fr == "Plan national de sécurité 2022-2025"
    assert new.motto_fr == "Une Police Intégrée résiliente, au service de la société"
    assert (old.extended_to, old.title_en) == (dt.date(2021, 12, 31), "National Security Plan 2016-2019")


def test_french_titles_as_the_sources_give_them_with_a_capital(loaded):
    assert phenomenon(NEW, 1).name_fr == "Les infractions contre l'intégrité physique et psychique"
    assert phenomenon(NEW, 9).name_fr == (
        "Le dopage humain, la criminalité liée à la chaîne alimentaire et la criminalité environnementale"
    )
    assert phenomenon(NEW, 15).name_fr == "Les violations graves du droit international humanitaire"
    assert CrossCuttingTheme.objects.get(nsp__code=NEW, number=1).name_fr == "Internet et les nouvelles technologies"
    assert SecurityCluster.objects.get(nsp__code=NEW, number=8).name_fr == "L'environnement"
    assert phenomenon(NEW, 6).name_en == "Road safety" and phenomenon(NEW, 12).name_nl == "Mensenhandel"
    for model in (SecurityCluster, SecurityPhenomenon, CrossCuttingTheme):
        for row in model.objects.filter(nsp__code=NEW):
            for language in ("en", "fr", "nl", "de"):
                text = getattr(row, f"name_{language}")
                assert text and text[0].isupper(), (row, language)
            # French from the sources; English, Dutch and German are ours.
            assert row.unofficial_languages == "en,nl,de" and row.is_official("fr") and not row.is_official("de")
    assert edition(NEW).unofficial_languages == "en,nl,de"


def test_the_mappings_are_marked_as_inferred(loaded):
    assert phenomenon(NEW, 11).cluster.number == 2
    assert previous_numbers(phenomenon(NEW, 11)) == [2, 10]
    assert all(p.nsp.code == OLD for p in phenomenon(NEW, 11).previous.all())
    assert previous_numbers(phenomenon(NEW, 1)) == [6] and previous_numbers(phenomenon(NEW, 13)) == [5]
    for number in (14, 15):
        assert phenomenon(NEW, number).cluster is None and previous_numbers(phenomenon(NEW, number)) == []
    themes = {t.number: previous_numbers(t) for t in CrossCuttingTheme.objects.filter(nsp__code=NEW)}
    assert themes == {1: [2], 2: [7], 3: [], 4: []}
    assert SecurityPhenomenon.objects.filter(nsp__code=NEW, cluster_inferred=False).count() == 0
    for model in (SecurityCluster, SecurityPhenomenon, CrossCuttingTheme):
        assert not model.objects.filter(nsp__code=NEW, previous_inferred=False).exists()
        # The 2016-2019 edition states its own structure: nothing of it is inferred.
        assert not model.objects.filter(nsp__code=OLD, previous_inferred=True).exists()


def test_no_ambition_and_no_key_point_is_invented(loaded):
    assert not Ambition.objects.filter(nsp__code=NEW).exists()
    for model in (SecurityPhenomenon, CrossCuttingTheme):
        assert set(model.objects.filter(nsp__code=NEW).values_list("key_point_en", flat=True)) == {""}


def test_loading_again_changes_nothing(loaded):
    histories = [model.history.count() for model in (NationalSecurityPlan, SecurityPhenomenon, CrossCuttingTheme)]
    assert [(s.created, s.updated) for s in load_shipped()] == [(0, 0), (0, 0)]
    assert [model.history.count() for model in (NationalSecurityPlan, SecurityPhenomenon, CrossCuttingTheme)] == (
        histories
    )


def test_the_loader_keeps_a_planners_correction(loaded, tmp_path):
    planner = user_with_role("federal_planner")
    eleven = phenomenon(NEW, 11)
    reference_update(
        actor=planner,
        item=eleven,
        name_nl="Veiligheidsproblemen verbonden aan irreguliere migratie en mensensmokkel",
        previous=[phenomenon(OLD, 2)],
    )
    eleven.refresh_from_db()
    assert previous_numbers(eleven) == [2] and eleven.previous_inferred is False  # a planner's link is confirmed
    assert eleven.history.first().history_user == planner
    # The file changes the English name (nobody corrected it) and the Dutch one (a planner did).
    document = json.loads(SHIPPED_PATHS[1].read_text(encoding="utf-8"))
    entry = document["phenomena"][10]
    entry["name"]["en"] = "Security problems of irregular migration and smuggling"
    entry["name"]["nl"] = "Iets anders"
    path = tmp_path / "nsp_2022_2025.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    summary = load_reference(path=path)
    eleven.refresh_from_db()
    assert eleven.name_en == "Security problems of irregular migration and smuggling"
    assert eleven.name_nl == "Veiligheidsproblemen verbonden aan irreguliere migratie en mensensmokkel"
    assert previous_numbers(eleven) == [2] and eleven.previous_inferred is False
    assert {"phenomena (number 11): name_nl", "phenomena (number 11): previous"} <= set(summary.corrections_kept)
    assert "planners' corrections kept" in summary.line()
    # And the shipped file, loaded again, still leaves the correction alone.
    load_shipped()
    eleven.refresh_from_db()
    assert eleven.name_nl.startswith("Veiligheidsproblemen verbonden") and previous_numbers(eleven) == [2]


def test_a_planner_corrects_a_cluster_and_confirms_the_mapping(loaded):
    planner = user_with_role("federal_planner")
    fourteen = phenomenon(NEW, 14)
    seven = SecurityCluster.objects.get(nsp__code=NEW, number=7)
    reference_update(actor=planner, item=fourteen, cluster=seven)
    fourteen.refresh_from_db()
    assert fourteen.cluster == seven and fourteen.cluster_inferred is False
    load_shipped()
    fourteen.refresh_from_db()
    assert fourteen.cluster == seven


def test_a_mapping_points_at_an_earlier_edition_only(loaded):
    planner = user_with_role("federal_planner")
    with pytest.raises(DomainError, match="earlier NSP edition"):
        reference_update(actor=planner, item=phenomenon(OLD, 1), previous=[phenomenon(NEW, 10)])
    with pytest.raises(DomainError, match="earlier NSP edition"):
        reference_update(actor=planner, item=phenomenon(NEW, 1), previous=[phenomenon(NEW, 2)])
    assert previous_numbers(phenomenon(NEW, 1)) == [6]


def test_a_file_naming_an_unloaded_previous_edition_is_refused(tmp_path):
    path = tmp_path / "nsp.json"
    path.write_text(SHIPPED_PATHS[1].read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="nsp-2016-2019 is not loaded"):
        load_reference(path=path)
    assert not NationalSecurityPlan.objects.exists()


def test_in_force_follows_the_period_and_the_extension(loaded):
    old, new = edition(OLD), edition(NEW)
    assert edition_in_force(on=dt.date(2018, 6, 1)) == old
    # Extended to the end of 2021: still in force in 2021, then the NSP 2022-2025.
    assert edition_in_force(on=dt.date(2021, 6, 1)) == old
    assert edition_in_force(on=dt.date(2022, 1, 1)) == new
    assert edition_in_force(on=dt.date(2026, 12, 2)) is None
    # No successor loaded yet: new plans, reports and the dashboard start from the latest edition.
    assert edition_default(on=dt.date(2026, 12, 2)) == new
    assert edition_default(on=dt.date(2010, 1, 1)) == old


def test_a_planner_records_an_extension_and_in_force_follows(loaded):
    planner = user_with_role("federal_planner")
    new = edition(NEW)
    extended = edition_extend(
        actor=planner,
        edition=new,
        extended_to=dt.date(2026, 12, 31),
        decided_on=dt.date(2025, 11, 20),
        reason="Decision of the ministers",
    )
    assert (extended.extended_to, extended.extension_decided_on) == (dt.date(2026, 12, 31), dt.date(2025, 11, 20))
    assert edition_in_force(on=dt.date(2026, 12, 2)) == new
    record = new.history.first()
    assert record.history_user == planner and record.history_change_reason == "extension: Decision of the ministers"
    # The loader keeps the planner's extension (the file has none).
    load_shipped()
    assert edition(NEW).extended_to == dt.date(2026, 12, 31)
    edition_extend(actor=planner, edition=new, extended_to=None)
    assert edition_in_force(on=dt.date(2026, 12, 2)) is None


def test_an_extension_is_checked_and_only_for_federal_planners(loaded):
    new = edition(NEW)
    with pytest.raises(DomainError, match="ends after the original period"):
        edition_extend(actor=user_with_role("federal_planner"), edition=new, extended_to=dt.date(2025, 6, 30))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        edition_extend(actor=user_with_role("committee_member"), edition=new, extended_to=dt.date(2026, 12, 31))
    assert edition(NEW).extended_to is None


def test_an_edition_in_preparation_is_not_in_force(loaded):
    NationalSecurityPlan.objects.filter(code=NEW).update(status=NationalSecurityPlan.Status.PREPARATION)
    assert edition_in_force(on=dt.date(2023, 1, 1)) is None
    assert edition_default(on=dt.date(2023, 1, 1)) == edition(OLD)
