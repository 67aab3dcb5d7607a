import csv
import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from nsp import grants
from tests.factories import UserFactory, ZonalSecurityPlanFactory
from zones.importer import REQUIRED_COLUMNS, ZoneImportError, import_zones
from zones.models import District, Municipality, PoliceZone, ZonalSecurityPlan, ZoneGroupObjectPermission

pytestmark = pytest.mark.django_db

REAL_FILE = Path(settings.BASE_DIR) / "zones" / "data" / "police_zones.csv"


def real_rows() -> list[dict[str, str]]:
    with open(REAL_FILE, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def zone_row(**cells) -> dict[str, str]:
    row = dict.fromkeys(REQUIRED_COLUMNS, "")
    row.update(region="Flanders", status="active")
    row.update(cells)
    return row


def write_csv(tmp_path, rows: list[dict[str, str]], name="zones.csv", columns=None) -> Path:
    path = tmp_path / name
    columns = columns or list(rows[0])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def counts() -> tuple[int, int, int]:
    return PoliceZone.objects.count(), District.objects.count(), Municipality.objects.count()


def test_real_file():
    report = import_zones(path=REAL_FILE)
    assert report.rows == 219
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (219, 0, 0)
    statuses = {s: PoliceZone.objects.filter(status=s).count() for s in PoliceZone.Status.values}
    assert statuses == {"active": 178, "merged": 38, "unknown": 3}

    brussels = PoliceZone.objects.get(number="5339")
    assert brussels.key == "5339"
    assert brussels.district.code == "brussel-bruxelles"
    assert brussels.district.name == "Brussel/Bruxelles"
    assert brussels.district.region == "Brussels-Capital"
    assert sorted(m.name for m in brussels.municipalities.all()) == ["Brussel", "Elsene"]
    assert set(brussels.municipalities.values_list("nis_code", flat=True)) == {"21004", "21009"}
    ghent = PoliceZone.objects.get(number="5415")
    assert (ghent.name_nl, ghent.district.code, ghent.is_complete) == ("PZ Gent", "oost-vlaanderen", True)

    unnumbered = PoliceZone.objects.filter(number__isnull=True)
    assert unnumbered.count() == 15
    assert all(zone.status == "active" and zone.key.startswith("pz-") for zone in unnumbered)
    antwerp = PoliceZone.objects.get(key="pz-antwerpen")
    assert antwerp.name_nl == "PZ Antwerpen" and antwerp.missing == ["zone number"]
    assert report.incomplete["pz-antwerpen"] == ["zone number"]
    assert "district" in report.incomplete["5330"]  # Hainaut: the sources do not split its two CSDs

    # Merged zones point at their successor: by number, or by the one zone their name matches.
    assert PoliceZone.objects.get(number="5357").merged_into.number == "5906"
    assert PoliceZone.objects.get(number="5345").merged_into == antwerp
    split = PoliceZone.objects.get(number="5351")  # went partly to PZ Antwerpen, partly to PZ Minos
    assert split.merged_into is None and split.merged_into_name == "PZ Antwerpen|PZ Minos"
    assert "5351" in report.unresolved_mergers
    # A municipality belongs to its 2013 zone and to its 2025 zone.
    mortsel = Municipality.objects.get(name="Mortsel")
    assert mortsel.nis_code and set(mortsel.zones.values_list("key", flat=True)) == {"5351", "pz-minos"}
    assert District.objects.count() == 12


def test_bad_rows_are_reported_by_line_and_nothing_is_written(tmp_path):
    rows = [
        zone_row(zone_number="5339", name_nl="PZ Brussel", municipalities="Brussel", municipality_nis_codes="21004"),
        zone_row(zone_number="53x9", name_nl="PZ Typo"),
        zone_row(zone_number="5339", name_nl="PZ Brussel again"),
        zone_row(zone_number="5340", name_nl="PZ Gone", status="gone"),
        zone_row(zone_number="5341", name_nl="PZ Short", municipalities="A|B|C", municipality_nis_codes="11001|11002"),
        zone_row(zone_number="5342"),
        zone_row(zone_number="5343", name_nl="PZ Elsewhere", region="Flandres"),
        zone_row(zone_number="5344", name_nl="PZ Merged", status="active", merged_into="5339"),
        zone_row(zone_number="5345", name_nl="PZ Dated", status="merged", merged_into="5339", merged_into_name="x"),
    ]
    path = write_csv(tmp_path, rows)
    with pytest.raises(ZoneImportError) as exc:
        import_zones(path=path)
    assert exc.value.extra["errors"] == [
        "line 3: zone number '53x9' is not four digits",
        "line 4: duplicate zone number 5339 (also line 2)",
        "line 5: status 'gone' is not one of active, merged, unknown",
        "line 6: 3 municipalities but 2 NIS codes",
        "line 7: the name is empty in all languages (name_nl, name_fr, name_de)",
        "line 8: region 'Flandres' is not one of Flanders, Wallonia, Brussels-Capital",
        "line 9: an active zone is not merged into another (merged_into 5339); set the status to merged",
    ]
    assert counts() == (0, 0, 0)


def test_header_and_cell_checks(tmp_path):
    columns = [c for c in REQUIRED_COLUMNS if c not in ("status", "region")] + ["vaild_to"]
    path = write_csv(tmp_path, [dict.fromkeys(columns, "")], columns=columns)
    with pytest.raises(ZoneImportError) as exc:
        import_zones(path=path)
    assert exc.value.extra["errors"][0] == "line 1: missing required columns: region, status"
    assert exc.value.extra["errors"][1].startswith("line 1: unknown columns: vaild_to")

    rows = [
        zone_row(name_nl="", name_fr=""),
        zone_row(zone_number="6001", name_nl="PZ A", municipalities="X", municipality_nis_codes="1234"),
        zone_row(zone_number="6002", name_nl="PZ B", valid_from="2020-13-01", valid_to="2019-01-01"),
        zone_row(zone_number="6003", name_nl="PZ C", valid_from="2020-01-01", valid_to="2019-01-01"),
        zone_row(zone_number="6004", name_nl="PZ D", municipalities="Gent", municipality_nis_codes="44021"),
        zone_row(zone_number="6005", name_nl="PZ E", municipalities="Ghent", municipality_nis_codes="44021"),
        zone_row(name_nl="PZ Twice"),
        zone_row(name_nl="PZ Twice", name_fr="ZP Deux fois"),
    ]
    with pytest.raises(ZoneImportError) as exc:
        import_zones(path=write_csv(tmp_path, rows, columns=[*REQUIRED_COLUMNS, "valid_from", "valid_to"]))
    assert exc.value.extra["errors"] == [
        "line 2: neither a zone number nor a name (name_nl, name_fr or name_de)",
        "line 3: NIS code '1234' is not five digits",
        "line 4: valid_from '2020-13-01' is not a date (YYYY-MM-DD)",
        "line 5: valid_to must come after valid_from",
        "line 7: NIS code 44021 is 'Ghent' here but 'Gent' on line 6",
        "line 9: zone 'pz-twice' has no number and the same name as line 8",
    ]
    assert "nothing was written" in exc.value.message
    assert counts() == (0, 0, 0)


def test_rerun_updates_in_place_and_a_quiet_rerun_writes_nothing(tmp_path):
    import_zones(path=REAL_FILE)
    history = PoliceZone.history.count(), District.history.count()
    report = import_zones(path=REAL_FILE)
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, 219)
    assert (PoliceZone.history.count(), District.history.count()) == history

    rows = real_rows()
    ghent = next(row for row in rows if row["zone_number"] == "5415")
    ghent["name_nl"] = "PZ Gent (stad)"
    antwerp = next(row for row in rows if row["name_nl"] == "PZ Antwerpen")
    antwerp["name_fr"] = "ZP Anvers"
    report = import_zones(path=write_csv(tmp_path, rows))
    assert sorted(report.updated) == ["5415", "pz-antwerpen"]
    assert report.created == [] and len(report.unchanged) == 217
    assert PoliceZone.objects.count() == 219
    assert PoliceZone.objects.get(number="5415").name_nl == "PZ Gent (stad)"
    assert PoliceZone.objects.get(key="pz-antwerpen").name_fr == "ZP Anvers"
    assert PoliceZone.objects.get(number="5415").history.first().history_change_reason == "zone import"


def test_merged_zones_keep_dates_and_successor_an_administrator_entered(tmp_path):
    rows = [
        zone_row(zone_number="6001", name_nl="PZ Nieuw", coordination_district="Limburg"),
        zone_row(zone_number="6002", name_nl="PZ Oud", status="merged", merged_into_name="PZ Onbekend"),
        zone_row(zone_number="6003", name_nl="PZ Ouder", status="merged", merged_into="6001"),
    ]
    path = write_csv(tmp_path, rows)
    import_zones(path=path)
    new, old, older = (PoliceZone.objects.get(number=n) for n in ("6001", "6002", "6003"))
    assert old.merged_into is None and old.merged_into_name == "PZ Onbekend"
    assert older.merged_into == new
    # The administrator completes what the sources do not give.
    old.merged_into, old.valid_from, old.valid_to = new, dt.date(2001, 1, 1), dt.date(2019, 12, 31)
    old.save()
    older.valid_to = dt.date(2014, 12, 31)
    older.save()

    report = import_zones(path=path)
    old.refresh_from_db()
    older.refresh_from_db()
    assert (old.merged_into, old.valid_from, old.valid_to) == (new, dt.date(2001, 1, 1), dt.date(2019, 12, 31))
    assert (older.merged_into, older.valid_to) == (new, dt.date(2014, 12, 31))
    assert sorted(report.unchanged) == ["6001", "6002", "6003"]

    # A file that gives dates sets them.
    rows[1].update(valid_from="", valid_to="2018-12-31")
    import_zones(path=write_csv(tmp_path, rows, columns=[*REQUIRED_COLUMNS, "valid_from", "valid_to"]))
    old.refresh_from_db()
    assert (old.valid_from, old.valid_to) == (dt.date(2001, 1, 1), dt.date(2018, 12, 31))


def test_a_conflict_found_while_writing_rolls_the_whole_import_back(tmp_path):
    columns = [*REQUIRED_COLUMNS, "valid_from", "valid_to"]
    rows = [zone_row(zone_number="6001", name_nl="PZ Een"), zone_row(zone_number="6002", name_nl="PZ Twee")]
    import_zones(path=write_csv(tmp_path, rows, columns=columns))
    PoliceZone.objects.filter(number="6002").update(valid_from=dt.date(2015, 1, 1))  # entered in the admin
    rows[0]["name_nl"] = "PZ Een (nieuw)"
    rows[1].update(status="merged", valid_to="2014-12-31")
    with pytest.raises(ZoneImportError) as exc:
        import_zones(path=write_csv(tmp_path, rows, columns=columns))
    assert exc.value.extra["errors"] == ["line 3: A zone's validity must end after it starts."]
    assert "nothing was written" in exc.value.message
    assert PoliceZone.objects.get(number="6001").name_nl == "PZ Een"
    assert PoliceZone.objects.get(number="6002").status == "active"


def test_a_number_an_administrator_filled_in_survives_a_rerun(tmp_path):
    import_zones(path=REAL_FILE)
    antwerp = PoliceZone.objects.get(key="pz-antwerpen")
    antwerp.number = "5999"
    antwerp.save()
    import_zones(path=REAL_FILE)
    antwerp.refresh_from_db()
    assert (antwerp.key, antwerp.number) == ("pz-antwerpen", "5999")
    assert PoliceZone.objects.count() == 219

    # The sources later give that number: still the same zone.
    rows = real_rows()
    next(row for row in rows if row["name_nl"] == "PZ Antwerpen")["zone_number"] = "5999"
    report = import_zones(path=write_csv(tmp_path, rows))
    assert "pz-antwerpen" in report.unchanged and PoliceZone.objects.count() == 219

    # The sources give a number for a zone imported without one: the zone gets it and keeps its key.
    next(row for row in rows if row["name_nl"] == "PZ Carma")["zone_number"] = "5998"
    report = import_zones(path=write_csv(tmp_path, rows))
    assert report.updated == ["pz-carma"]
    assert PoliceZone.objects.get(number="5998").key == "pz-carma"
    assert PoliceZone.objects.count() == 219

    # ...but not a number that contradicts the one the administrator entered.
    next(row for row in rows if row["name_nl"] == "PZ Antwerpen")["zone_number"] = "5997"
    with pytest.raises(ZoneImportError, match="zone 5997 has the name of zone 'pz-antwerpen', which has number 5999"):
        import_zones(path=write_csv(tmp_path, rows))
    assert PoliceZone.objects.get(key="pz-antwerpen").number == "5999"


def test_an_empty_cell_keeps_what_an_administrator_completed(tmp_path):
    rows = [zone_row(zone_number="5330", name_fr="Charleroi", region="Wallonia", municipalities="Charleroi")]
    path = write_csv(tmp_path, rows)
    import_zones(path=path)
    zone = PoliceZone.objects.get(number="5330")
    assert zone.missing == ["district"]
    zone.district = District.objects.create(code="charleroi", name="Charleroi", region="Wallonia")
    zone.name_nl = "PZ Charleroi"
    zone.save()
    report = import_zones(path=path)
    zone.refresh_from_db()
    assert (zone.district.code, zone.name_nl, zone.is_complete) == ("charleroi", "PZ Charleroi", True)
    assert report.unchanged == ["5330"] and report.incomplete == {}


def test_reviewer_grants_follow_a_zone_that_moves_district(tmp_path):
    rows = [
        zone_row(zone_number="6001", name_nl="PZ Een", coordination_district="Limburg"),
        zone_row(zone_number="6002", name_nl="PZ Twee", coordination_district="Leuven"),
    ]
    import_zones(path=write_csv(tmp_path, rows))
    limburg, leuven = District.objects.get(code="limburg"), District.objects.get(code="leuven")
    one, two = PoliceZone.objects.get(number="6001"), PoliceZone.objects.get(number="6002")
    reviewer = UserFactory()
    grants.role_grant(user=reviewer, role="federal_reviewer", district=limburg)
    other = UserFactory()
    grants.role_grant(user=other, role="federal_reviewer", district=leuven)
    plan_one = ZonalSecurityPlanFactory(zone=one, status="submitted", council_adopted_on=dt.date(2020, 3, 1))
    plan_two = ZonalSecurityPlanFactory(zone=two, status="submitted", council_adopted_on=dt.date(2020, 3, 1))

    def reviewable(user):
        return set(ZonalSecurityPlan.objects.restrict(user, "review").values_list("pk", flat=True))

    def granted_zones(user):
        held = ZoneGroupObjectPermission.objects.filter(group__user=user, permission__codename="review_zone_plans")
        return set(held.values_list("content_object__number", flat=True))

    assert reviewable(reviewer) == {plan_one.pk} and granted_zones(reviewer) == {"6001"}
    assert reviewable(other) == {plan_two.pk}
    assert PoliceZone.objects.restrict(reviewer, "view").count() == 2  # everyone reads the directory

    rows[0]["coordination_district"], rows[1]["coordination_district"] = "Leuven", "Limburg"
    report = import_zones(path=write_csv(tmp_path, rows))
    assert sorted(report.updated) == ["6001", "6002"]
    assert reviewable(reviewer) == {plan_two.pk} and granted_zones(reviewer) == {"6002"}
    assert reviewable(other) == {plan_one.pk} and granted_zones(other) == {"6001"}


def test_command_prints_a_summary(tmp_path):
    out = StringIO()
    call_command("import_zones", str(REAL_FILE), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"219 rows read from {REAL_FILE}"
    assert lines[1] == "zones: 219 created, 0 updated, 0 unchanged"
    assert lines[2] == "districts: 12 (12 created)"
    assert lines[3].startswith("municipalities: ")
    assert lines[4] == "incomplete zones: 39 (22 without district, 2 without name, 15 without zone number)"
    assert any(line.startswith("  without zone number: pz-aalter-maldegem, pz-antwerpen") for line in lines)

    bad = write_csv(tmp_path, [zone_row(zone_number="12", name_nl="PZ Kort")])
    with pytest.raises(CommandError, match="line 2: zone number '12' is not four digits"):
        call_command("import_zones", str(bad))


def test_command_exits_non_zero_on_a_bad_file(tmp_path):
    bad = write_csv(tmp_path, [zone_row(zone_number="6001", name_nl="PZ X", status="gone")])
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nsp.settings_test", "NSP_VAR_DIR": str(tmp_path / "var")}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_zones", "--skip-checks", str(bad)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "nothing was written" in result.stderr
    assert "line 2: status 'gone' is not one of active, merged, unknown" in result.stderr
    assert result.stdout == ""
