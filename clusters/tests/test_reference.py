import copy
import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from clusters.reference import DEFAULT_PATH, ReferenceDataError, load_reference
from nsp.models import Ambition, NationalSecurityPlan

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "nl", "de")
MODELS = (NationalSecurityPlan, Ambition, SecurityCluster, CrossCuttingTheme, SecurityPhenomenon)


def shipped() -> dict:
    return json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def write(tmp_path, document, name="reference.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in MODELS}


def test_shipped_file_loads_the_whole_edition():
    summary = load_reference()
    assert (summary.created, summary.updated, summary.unchanged) == (31, 0, 0)
    edition = NationalSecurityPlan.objects.get(code="nsp-2016-2019")
    assert edition.title_en == "National Security Plan 2016-2019"
    assert edition.motto_en == "Together to the heart of the matter"
    assert (edition.period_start, edition.period_end) == (dt.date(2016, 1, 1), dt.date(2019, 12, 31))
    assert edition.extended_to == dt.date(2021, 12, 31)
    assert edition.status == NationalSecurityPlan.Status.ENDED
    assert edition.summary_en.startswith("The National Security Plan (NSP) is the ultimate strategic policy plan")
    assert edition.ambitions.count() == 3
    assert edition.clusters.count() == 10
    assert edition.themes.count() == 7
    assert edition.phenomena.count() == 10
    for phenomenon in edition.phenomena.select_related("cluster"):
        assert phenomenon.cluster.number == phenomenon.number
        assert phenomenon.cluster.nsp_id == edition.pk


def test_english_is_the_seeds_wording():
    load_reference()
    cluster = SecurityCluster.objects.get(number=10)
    assert cluster.name_en == (
        "Improvement of public order (nuisances, negotiated management of public space and illegal migration)"
    )
    assert SecurityPhenomenon.objects.get(number=1).key_point_en == (
        "making special efforts to counter radicalisation, violent extremism and terrorism, paying particular "
        "attention to the exchange of information between stakeholders;"
    )
    # The PDF's line-break hyphens are joined, and nothing else of the wording changes.
    assert "an integrated and multidisciplinary approach to environmental crime in the widest sense" in (
        SecurityPhenomenon.objects.get(number=8).key_point_en
    )
    assert (
        "expertise and knowledge of the police in this field ;" in SecurityPhenomenon.objects.get(number=5).key_point_en
    )
    assert CrossCuttingTheme.objects.get(number=3).key_point_en == (
        "paying more attention to identify fraud (for the whole chain of criminal activity) and domicile fraud;"
    )
    assert CrossCuttingTheme.objects.get(number=7).key_point_en == (
        "destabilising as much as possible poly-criminal criminal organisations, including by better identifying them."
    )
    assert Ambition.objects.get(number=3).text_en.endswith(
        "so as to combat crime and insecurity on the ground in an efficient and effective way."
    )
    for model, field in (
        (SecurityPhenomenon, "key_point_en"),
        (CrossCuttingTheme, "key_point_en"),
        (Ambition, "text_en"),
    ):
        for text in model.objects.values_list(field, flat=True):
            assert not re.search(r"[a-z]-\s+[a-z]", text) and "  " not in text, text


def test_every_name_and_text_in_four_languages():
    load_reference()
    fields = {
        NationalSecurityPlan: ("title", "motto", "summary"),
        Ambition: ("title", "text"),
        SecurityCluster: ("name",),
        CrossCuttingTheme: ("name", "key_point"),
        SecurityPhenomenon: ("name", "key_point"),
    }
    for model, names in fields.items():
        for obj in model.objects.all():
            for name in names:
                texts = {language: getattr(obj, f"{name}_{language}") for language in LANGUAGES}
                assert all(text and text.strip() for text in texts.values()), (obj, name, texts)
                assert texts["de"] != texts["en"] or name == "title", (obj, name)


def test_official_cluster_names_and_unofficial_languages():
    load_reference()
    ten = SecurityCluster.objects.get(number=10)
    assert (ten.name_nl, ten.name_fr) == ("Overlast", "Incivilités")
    assert SecurityCluster.objects.get(number=2).name_nl == "Mensensmokkel en mensenhandel"
    assert set(SecurityCluster.objects.values_list("unofficial_languages", flat=True)) == {"de"}
    assert ten.is_official("nl") and ten.is_official("fr") and not ten.is_official("de")
    for model in (NationalSecurityPlan, Ambition, CrossCuttingTheme, SecurityPhenomenon):
        assert set(model.objects.values_list("unofficial_languages", flat=True)) == {"fr,nl,de"}, model


def test_second_load_changes_nothing():
    load_reference()
    rows, history = row_counts(), history_counts()
    summary = load_reference()
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 31)
    assert row_counts() == rows
    assert history_counts() == history


def test_load_records_history_with_reason_and_updates_in_place(tmp_path):
    load_reference()
    document = shipped()
    document["phenomena"][8]["name"]["en"] = "Road safety and traffic enforcement"
    summary = load_reference(path=write(tmp_path, document))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 30)
    phenomenon = SecurityPhenomenon.objects.get(number=9)
    assert phenomenon.name_en == "Road safety and traffic enforcement"
    assert [h.history_change_reason for h in phenomenon.history.all()] == ["reference data load"] * 2
    assert SecurityPhenomenon.objects.count() == 10


def test_a_second_edition_coexists(tmp_path):
    load_reference()
    history = history_counts()
    document = copy.deepcopy(shipped())
    document["edition"].update(
        code="nsp-2022-2025", period_start="2022-01-01", period_end="2025-12-31", status="in_force"
    )
    document["edition"]["title"] = {lang: f"NSP 2022-2025 ({lang})" for lang in LANGUAGES}
    del document["edition"]["extended_to"]
    document["themes"] = document["themes"][:3]
    summary = load_reference(path=write(tmp_path, document))
    assert summary.created == 1 + 3 + 10 + 3 + 10
    old, new = NationalSecurityPlan.objects.order_by("period_start")
    assert (old.code, new.code) == ("nsp-2016-2019", "nsp-2022-2025")
    assert (old.themes.count(), new.themes.count()) == (7, 3)
    assert SecurityPhenomenon.objects.filter(nsp=new, cluster__nsp=new).count() == 10
    # Loading the second edition left the first one's rows alone.
    assert NationalSecurityPlan.history.filter(code="nsp-2016-2019").count() == 1
    assert SecurityPhenomenon.history.filter(nsp=old).count() == history["SecurityPhenomenon"]
    assert load_reference().unchanged == 31


def test_malformed_file_names_every_bad_entry_and_writes_nothing(tmp_path):
    document = shipped()
    del document["phenomena"][3]["key_point"]["de"]
    document["phenomena"][6]["cluster"] = 42
    del document["clusters"][0]["name"]
    document["edition"]["unofficial_languages"] = "fr,xx"
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(path=write(tmp_path, document))
    message = exc.value.message
    assert "phenomena[3] (number 4): missing 'key_point.de'" in message
    assert "phenomena[6] (number 7): cluster 42 is not among the file's clusters" in message
    assert "clusters[0] (number 1): missing 'name'" in message
    assert "edition: 'unofficial_languages' names unknown languages ['xx']" in message
    assert len(exc.value.extra["errors"]) == 4
    assert set(row_counts().values()) == {0}


def test_failure_while_writing_rolls_everything_back(tmp_path):
    document = shipped()
    document["phenomena"][9]["name"]["fr"] = "x" * 301  # passes the file check, fails the model's max_length
    with pytest.raises(ReferenceDataError, match=r"phenomena \(number 10\) cannot be saved"):
        load_reference(path=write(tmp_path, document))
    assert set(row_counts().values()) == {0}


def test_unreadable_files_are_refused_clearly(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": 1,', encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="is not valid JSON"):
        load_reference(path=broken)
    with pytest.raises(ReferenceDataError, match="not found"):
        load_reference(path=tmp_path / "missing.json")


def test_command_prints_a_one_line_summary_and_fails_on_a_bad_file(tmp_path):
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert out.getvalue().strip().splitlines() == [
        "nsp-2016-2019: 31 created, 0 updated, 0 unchanged "
        "(1 edition, 3 ambitions, 10 clusters, 7 themes, 10 phenomena)",
        "nsp-2022-2025: 30 created, 0 updated, 0 unchanged "
        "(1 edition, 0 ambitions, 10 clusters, 4 themes, 15 phenomena)",
    ]
    out = StringIO()
    call_command("load_reference", "--file", str(DEFAULT_PATH), stdout=out)
    assert "0 created, 0 updated, 31 unchanged" in out.getvalue()
    document = shipped()
    del document["edition"]["period_start"]
    with pytest.raises(CommandError, match="edition: missing 'period_start'"):
        call_command("load_reference", "--file", str(write(tmp_path, document)))
