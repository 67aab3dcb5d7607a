"""Import Belgium's police zones, districts and municipalities from a CSV file (``zones/data/police_zones.csv``).

Every row is checked before anything is written; when any row is wrong, nothing is written and the
error names each bad row by its line number. Then, in one transaction, districts, municipalities and
zones are created or updated and the reviewer groups of the affected districts re-granted.

A re-run updates rather than duplicates: a zone is matched by its number, then by its key (the number,
or a slug of its name for a zone the sources give no number), so a zone keeps its identity after an
administrator filled in its number. An empty cell never erases what is stored: the sources have gaps
(see ``zones/data/README.md``) that an administrator may have completed in the admin, and dates and
mergers that the file does not give are kept as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nsp import grants, intake
from nsp.exceptions import DomainError
from zones.models import District, Municipality, PoliceZone, Region

REQUIRED_COLUMNS = (
    "zone_number",
    "name_nl",
    "name_fr",
    "name_de",
    "region",
    "province",
    "coordination_district",
    "municipalities",
    "municipality_nis_codes",
    "status",
    "merged_into",
    "merged_into_name",
)
TEXT_COLUMNS = ("number_basis", "notes", "source")
DATE_COLUMNS = ("valid_from", "valid_to")
OPTIONAL_COLUMNS = TEXT_COLUMNS + DATE_COLUMNS
NAME_LANGUAGES = ("nl", "fr", "de")
CHANGE_REASON = "zone import"

_FOUR_DIGITS = re.compile(r"^\d{4}$")
_FIVE_DIGITS = re.compile(r"^\d{5}$")


class ZoneImportError(DomainError):
    """The file cannot be imported; ``extra["errors"]`` lists every problem, bad rows by line number."""


@dataclass
class ZoneRow:
    line: int
    number: str | None
    key: str
    name_key: str  # the key a zone without number would get; finds it again once it has one
    names: dict[str, str]
    region: str
    province: str
    district_name: str
    municipalities: list[tuple[str, str | None]]  # (name, NIS code)
    status: str
    merged_into_number: str | None
    merged_into_name: str
    texts: dict[str, str]  # only the optional text columns the file has
    dates: dict[str, dt.date]  # only the dates the file gives

    @property
    def label(self) -> str:
        return self.number or self.key


@dataclass
class ImportReport:
    path: str = ""
    rows: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    districts: int = 0
    districts_created: int = 0
    municipalities: int = 0
    municipalities_created: int = 0
    # Zone key -> what it lacks (PoliceZone.missing), for the zones of the file.
    incomplete: dict[str, list[str]] = field(default_factory=dict)
    unresolved_mergers: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        gaps = Counter(gap for missing in self.incomplete.values() for gap in missing)
        out = [
            _("%(rows)d rows read from %(path)s") % {"rows": self.rows, "path": self.path},
            _("zones: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
            % {"created": len(self.created), "updated": len(self.updated), "unchanged": len(self.unchanged)},
            _("districts: %(count)d (%(created)d created)")
            % {"count": self.districts, "created": self.districts_created},
            _("municipalities: %(count)d (%(created)d created)")
            % {"count": self.municipalities, "created": self.municipalities_created},
            _("incomplete zones: %(count)d (%(gaps)s)")
            % {
                "count": len(self.incomplete),
                "gaps": ", ".join(
                    _("%(count)d without %(gap)s") % {"count": n, "gap": gap} for gap, n in sorted(gaps.items())
                )
                or "-",
            },
        ]
        for gap in sorted(gaps):
            keys = [key for key, missing in self.incomplete.items() if gap in missing]
            out.append("  " + _("without %(gap)s: %(keys)s") % {"gap": gap, "keys": ", ".join(keys)})
        if self.unresolved_mergers:
            out.append(
                _("merged zones whose successor is not known: %(count)d (%(keys)s)")
                % {"count": len(self.unresolved_mergers), "keys": ", ".join(self.unresolved_mergers)}
            )
        return out


# --- reading and checking --------------------------------------------------------------------------------


def slug(text: str, *, max_length: int = 80) -> str:
    """``Brussel/Bruxelles`` -> ``brussel-bruxelles``; ``PZ Antwerpen`` -> ``pz-antwerpen``."""
    return slugify(re.sub(r"[\W_]+", " ", text))[:max_length].strip("-")


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|")] if value.strip() else []


def _name_key(names: dict[str, str]) -> str:
    # Dutch first, then French (then German): the key stays the same whichever language the admin adds later.
    return next((slug(names[language]) for language in NAME_LANGUAGES if names[language]), "")


class _Rows:
    """Reads the file and collects every error, each with its line number."""

    def __init__(self) -> None:
        self.errors: list[tuple[int, str]] = []

    def fail(self, line: int, message: str) -> None:
        self.errors.append((line, message))

    def messages(self) -> list[str]:
        """Every error, in the order of the file's lines."""
        ordered = sorted(self.errors, key=lambda error: error[0])
        return [_("line %(line)d: %(message)s") % {"line": line, "message": message} for line, message in ordered]

    def read(self, path: Path) -> list[ZoneRow]:
        """The file through the intake (size, rows, columns and cells bounded while it is read)."""
        try:
            data = intake.read_path(path, limits=intake.ADMIN_FILE)
            text = data.decode("utf-8-sig")
            return self._read(intake.csv_rows(text, limits=intake.ADMIN_FILE, delimiter=","))
        except FileNotFoundError:
            raise ZoneImportError(_("File not found: %(path)s") % {"path": path}) from None
        except UnicodeDecodeError as exc:
            raise ZoneImportError(_("%(path)s is not UTF-8 text: %(error)s") % {"path": path, "error": exc}) from exc
        except intake.IntakeError as exc:
            raise ZoneImportError(
                _("%(path)s is not a readable CSV file: %(error)s") % {"path": path, "error": exc.message},
                extra={"problems": exc.problems},
            ) from exc

    def _read(self, records) -> list[ZoneRow]:
        _line, header = next(records, (1, None))
        if not header:
            self.fail(
                1,
                _("the file is empty; expected a header line with the columns %(columns)s")
                % {"columns": ", ".join(REQUIRED_COLUMNS)},
            )
            return []
        header = [name.strip() for name in header]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            self.fail(1, _("missing required columns: %(columns)s") % {"columns": ", ".join(missing)})
        unknown = [name for name in header if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
        if unknown:
            self.fail(
                1,
                _("unknown columns: %(columns)s (known: %(known)s)")
                % {"columns": ", ".join(unknown), "known": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)},
            )
        doubled = sorted(name for name, n in Counter(header).items() if n > 1)
        if doubled:
            self.fail(1, _("columns named twice: %(columns)s") % {"columns": ", ".join(doubled)})
        if missing or doubled:
            return []
        rows = []
        for line, cells in records:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                self.fail(
                    line, _("%(found)d fields, expected %(expected)d") % {"found": len(cells), "expected": len(header)}
                )
                continue
            row = self._row(line, {name: cell.strip() for name, cell in zip(header, cells, strict=True)})
            if row is not None:
                rows.append(row)
        return rows

    def _row(self, line: int, cells: dict[str, str]) -> ZoneRow | None:
        errors_before = len(self.errors)
        number = cells["zone_number"] or None
        if number and not _FOUR_DIGITS.match(number):
            self.fail(line, _("zone number '%(value)s' is not four digits") % {"value": number})
        names = {language: cells[f"name_{language}"] for language in NAME_LANGUAGES}
        status = cells["status"]
        if status not in PoliceZone.Status.values:
            self.fail(
                line,
                _("status '%(value)s' is not one of %(choices)s")
                % {"value": status, "choices": ", ".join(PoliceZone.Status.values)},
            )
        if not any(names.values()):
            if not number:
                self.fail(line, _("neither a zone number nor a name (name_nl, name_fr or name_de)"))
            elif status == PoliceZone.Status.ACTIVE:
                self.fail(line, _("the name is empty in all languages (name_nl, name_fr, name_de)"))
        for language, name in names.items():
            if len(name) > 150:
                self.fail(line, _("name_%(language)s is longer than 150 characters") % {"language": language})
        region = cells["region"]
        if region and region not in Region.values:
            self.fail(
                line,
                _("region '%(value)s' is not one of %(choices)s")
                % {"value": region, "choices": ", ".join(Region.values)},
            )
        if len(cells["province"]) > 40:
            self.fail(line, _("province '%(value)s' is longer than 40 characters") % {"value": cells["province"]})
        district_name = cells["coordination_district"]
        if district_name and (len(district_name) > 100 or not slug(district_name, max_length=60)):
            self.fail(line, _("coordination district '%(value)s' is not a usable name") % {"value": district_name})
        municipalities = self._municipalities(line, cells["municipalities"], cells["municipality_nis_codes"])
        merged_into = cells["merged_into"] or None
        if merged_into:
            if not _FOUR_DIGITS.match(merged_into):
                self.fail(line, _("merged_into '%(value)s' is not four digits") % {"value": merged_into})
            elif merged_into == number:
                self.fail(line, _("zone %(number)s cannot be merged into itself") % {"number": number})
            elif status == PoliceZone.Status.ACTIVE:
                self.fail(
                    line,
                    _("an active zone is not merged into another (merged_into %(value)s); set the status to merged")
                    % {"value": merged_into},
                )
        if len(cells["merged_into_name"]) > 200:
            self.fail(line, _("merged_into_name is longer than 200 characters"))
        dates = {}
        for column in DATE_COLUMNS:
            value = cells.get(column, "")
            if not value:
                continue
            try:
                dates[column] = dt.date.fromisoformat(value)
            except ValueError:
                self.fail(
                    line, _("%(column)s '%(value)s' is not a date (YYYY-MM-DD)") % {"column": column, "value": value}
                )
        if len(dates) == 2 and dates["valid_to"] <= dates["valid_from"]:
            self.fail(line, _("valid_to must come after valid_from"))
        if len(self.errors) > errors_before:
            return None
        name_key = _name_key(names)
        return ZoneRow(
            line=line,
            number=number,
            key=number or name_key,
            name_key=name_key,
            names=names,
            region=region,
            province=cells["province"],
            district_name=district_name,
            municipalities=municipalities,
            status=status,
            merged_into_number=merged_into,
            merged_into_name=cells["merged_into_name"],
            texts={column: cells[column] for column in TEXT_COLUMNS if column in cells},
            dates=dates,
        )

    def _municipalities(self, line: int, names_cell: str, codes_cell: str) -> list[tuple[str, str | None]]:
        names, codes = _split(names_cell), _split(codes_cell)
        if any(not name for name in names):
            self.fail(line, _("an empty municipality name in '%(value)s'") % {"value": names_cell})
        for name in names:
            if len(name) > 100:
                self.fail(line, _("municipality name '%(value)s' is longer than 100 characters") % {"value": name})
        if not codes:
            return [(name, None) for name in names]
        if len(codes) != len(names):
            self.fail(
                line,
                _("%(names)d municipalities but %(codes)d NIS codes") % {"names": len(names), "codes": len(codes)},
            )
            return []
        for code in codes:
            if not _FIVE_DIGITS.match(code):
                self.fail(line, _("NIS code '%(value)s' is not five digits") % {"value": code})
        return list(zip(names, codes, strict=True))

    def check_across(self, rows: list[ZoneRow]) -> None:
        """What no single row shows: duplicates and contradictions between rows."""
        first_number: dict[str, int] = {}
        first_key: dict[str, int] = {}
        nis_names: dict[str, tuple[str, int]] = {}
        district_codes: dict[str, tuple[str, int]] = {}
        district_regions: dict[str, tuple[str, int]] = {}
        for row in rows:
            if row.number:
                if row.number in first_number:
                    self.fail(
                        row.line,
                        _("duplicate zone number %(number)s (also line %(other)d)")
                        % {"number": row.number, "other": first_number[row.number]},
                    )
                else:
                    first_number[row.number] = row.line
            elif row.key in first_key:
                self.fail(
                    row.line,
                    _("zone '%(key)s' has no number and the same name as line %(other)d")
                    % {"key": row.key, "other": first_key[row.key]},
                )
            else:
                first_key[row.key] = row.line
            for name, code in row.municipalities:
                if code is None:
                    continue
                seen = nis_names.setdefault(code, (name, row.line))
                if seen[0] != name:
                    self.fail(
                        row.line,
                        _("NIS code %(code)s is '%(name)s' here but '%(other)s' on line %(line)d")
                        % {"code": code, "name": name, "other": seen[0], "line": seen[1]},
                    )
            if row.district_name:
                code = slug(row.district_name, max_length=60)
                seen = district_codes.setdefault(code, (row.district_name, row.line))
                if seen[0] != row.district_name:
                    self.fail(
                        row.line,
                        _("district '%(name)s' gets the same code '%(code)s' as '%(other)s' on line %(line)d")
                        % {"name": row.district_name, "code": code, "other": seen[0], "line": seen[1]},
                    )
                if row.region:
                    seen = district_regions.setdefault(code, (row.region, row.line))
                    if seen[0] != row.region:
                        self.fail(
                            row.line,
                            _("district '%(name)s' is in %(region)s here but in %(other)s on line %(line)d")
                            % {"name": row.district_name, "region": row.region, "other": seen[0], "line": seen[1]},
                        )


def read_rows(path: Path) -> list[ZoneRow]:
    """Every row of the file, checked; ZoneImportError listing all errors when any row is wrong."""
    checker = _Rows()
    rows = checker.read(path)
    checker.check_across(rows)
    if checker.errors:
        raise _error(path, checker.messages())
    return rows


def _error(path: Path, errors: list[str]) -> ZoneImportError:
    return ZoneImportError(
        "\n".join([_("%(path)s was not imported; nothing was written:") % {"path": path}, *errors]),
        extra={"errors": errors},
    )


# --- matching the rows with what is stored -------------------------------------------------------------------


def _match(rows: list[ZoneRow], zones: list[PoliceZone]) -> tuple[dict[int, PoliceZone], list[str]]:
    """The stored zone each row describes (by number, then key), and the conflicts that forbid the import."""
    by_number = {zone.number: zone for zone in zones if zone.number}
    by_key = {zone.key: zone for zone in zones}
    matches: dict[int, PoliceZone] = {}
    errors: list[str] = []
    claimed: dict[int, int] = {}
    for row in rows:
        zone = (by_number.get(row.number) if row.number else None) or by_key.get(row.key)
        if zone is None and row.number and row.name_key in by_key:
            # The sources now give a number for a zone that was imported without one.
            candidate = by_key[row.name_key]
            if candidate.number and candidate.number != row.number:
                errors.append(
                    _(
                        "line %(line)d: zone %(number)s has the name of zone '%(key)s', which has number %(other)s; "
                        "correct the file or that zone"
                    )
                    % {"line": row.line, "number": row.number, "key": candidate.key, "other": candidate.number}
                )
                continue
            zone = candidate
        if zone is None:
            continue
        if zone.pk in claimed:
            errors.append(
                _("line %(line)d describes zone '%(key)s', like line %(other)d")
                % {"line": row.line, "key": zone.key, "other": claimed[zone.pk]}
            )
            continue
        claimed[zone.pk] = row.line
        matches[row.line] = zone
    return matches, errors


# --- writing ---------------------------------------------------------------------------------------------------


def _normalised(name: str) -> str:
    """For matching merger targets by name: case, spacing around '-' and '/' and repeated spaces ignored."""
    return " ".join(re.sub(r"\s*([-/])\s*", r"\1", name).casefold().split())


class _Writer:
    def __init__(self, path: Path, rows: list[ZoneRow], report: ImportReport) -> None:
        self.path = path
        self.rows = rows
        self.report = report
        self.outcome: dict[int, str] = {}  # zone pk -> created / updated / unchanged

    def districts(self) -> dict[str, District]:
        wanted: dict[str, tuple[str, str]] = {}
        for row in self.rows:
            if row.district_name:
                code = slug(row.district_name, max_length=60)
                name, region = wanted.get(code, (row.district_name, ""))
                wanted[code] = (name, region or row.region)
        stored = {district.code: district for district in District.objects.all()}
        by_name = {district.name: district for district in stored.values()}
        result = {}
        for code, (name, region) in wanted.items():
            district = stored.get(code) or by_name.get(name)
            if district is None:
                district = District(code=code, name=name, region=region)
                self.report.districts_created += 1
            elif district.name == name and (district.region == region or not region):
                result[code] = district
                continue
            else:
                district.name = name
                district.region = region or district.region
            district._change_reason = CHANGE_REASON
            district.full_clean(validate_unique=False)
            district.save()
            result[code] = district
        self.report.districts = len(result)
        return result

    def municipalities(self) -> dict[tuple[str, str | None], Municipality]:
        """The municipality of each (name, NIS code) pair of the file."""
        coded = {m.nis_code: m for m in Municipality.objects.filter(nis_code__isnull=False)}
        uncoded = {m.name.casefold(): m for m in Municipality.objects.filter(nis_code__isnull=True)}
        pairs = {pair for row in self.rows for pair in row.municipalities}
        for name, code in sorted(pair for pair in pairs if pair[1]):
            municipality = coded.get(code)
            if municipality is None:
                coded[code] = Municipality.objects.create(nis_code=code, name=name)
                self.report.municipalities_created += 1
            elif municipality.name != name:
                municipality.name = name
                municipality.save(update_fields=["name"])
        # A name without a code is the coded municipality of that name when exactly one has it.
        codes_by_name: dict[str, set[str]] = defaultdict(set)
        for municipality in coded.values():
            codes_by_name[municipality.name.casefold()].add(municipality.nis_code)
        result = {}
        for name, code in pairs:
            if code is not None:
                result[(name, code)] = coded[code]
                continue
            codes = codes_by_name.get(name.casefold(), set())
            if len(codes) == 1:
                result[(name, code)] = coded[next(iter(codes))]
                continue
            municipality = uncoded.get(name.casefold())
            if municipality is None:
                municipality = uncoded[name.casefold()] = Municipality.objects.create(name=name)
                self.report.municipalities_created += 1
            result[(name, code)] = municipality
        self.report.municipalities = len({m.pk for m in result.values()})
        return result

    def zone(
        self,
        row: ZoneRow,
        zone: PoliceZone | None,
        districts: dict[str, District],
        municipalities: dict[tuple[str, str | None], Municipality],
    ) -> PoliceZone:
        created = zone is None
        if created:
            zone = PoliceZone(key=row.key)
        values: dict[str, object] = {"status": row.status}
        # An empty cell leaves the stored value alone: an administrator may have filled the gap.
        if row.number:
            values["number"] = row.number
        for language, name in row.names.items():
            if name:
                values[f"name_{language}"] = name
        for column in ("region", "province", "merged_into_name"):
            if getattr(row, column):
                values[column] = getattr(row, column)
        for column, text in row.texts.items():
            if text:
                values[column] = text
        values.update(row.dates)
        changed = {name: value for name, value in values.items() if getattr(zone, name) != value}
        if row.district_name:
            district = districts[slug(row.district_name, max_length=60)]
            if zone.district_id != district.pk:
                changed["district"] = district
        if changed or created:
            for name, value in changed.items():
                setattr(zone, name, value)
            self._save(row, zone)
        wanted = {municipalities[pair].pk for pair in row.municipalities}
        if wanted and (created or wanted != {m.pk for m in zone.municipalities.all()}):
            zone._change_reason = CHANGE_REASON
            zone.municipalities.set(wanted)
            changed["municipalities"] = wanted
        self.outcome[zone.pk] = "created" if created else ("updated" if changed else "unchanged")
        return zone

    def merged_into(self, row: ZoneRow, zone: PoliceZone, zones: list[PoliceZone]) -> None:
        """Point a merged zone at its successor: by number, else the one zone its name(s) match; else keep."""
        target = None
        if row.merged_into_number:
            target = next((z for z in zones if z.number == row.merged_into_number), None)
        if target is None and row.merged_into_name:
            wanted = {_normalised(name) for name in _split(row.merged_into_name) if name}
            found = {
                z.pk: z
                for z in zones
                if z.pk != zone.pk and wanted & {_normalised(getattr(z, f"name_{lang}")) for lang in NAME_LANGUAGES}
            }
            if len(found) == 1:
                target = next(iter(found.values()))
        if target is None and row.merged_into_number and not zone.merged_into_name:
            # Keep what the source says even though no zone carries that number yet.
            zone.merged_into_name = row.merged_into_number
            self._save(row, zone)
            self._mark_updated(zone)
        if target is not None and zone.merged_into_id != target.pk:
            zone.merged_into = target
            self._save(row, zone)
            self._mark_updated(zone)

    def _mark_updated(self, zone: PoliceZone) -> None:
        if self.outcome[zone.pk] == "unchanged":
            self.outcome[zone.pk] = "updated"

    def _save(self, row: ZoneRow, zone: PoliceZone) -> None:
        try:
            zone.full_clean(validate_unique=False)
        except ValidationError as exc:
            # The row checks passed, but the stored zone and the file together break a rule (e.g. validity order).
            message = _("line %(line)d: %(errors)s") % {"line": row.line, "errors": "; ".join(exc.messages)}
            raise _error(self.path, [message]) from exc
        zone._change_reason = CHANGE_REASON
        zone.save()


def import_zones(*, path: Path | str) -> ImportReport:
    """Check every row of ``path``, then write districts, municipalities and zones in one transaction."""
    path = Path(path)
    rows = read_rows(path)
    report = ImportReport(path=str(path), rows=len(rows))
    with transaction.atomic():
        stored = list(
            PoliceZone.objects.select_for_update(of=("self",)).prefetch_related("municipalities").order_by("pk")
        )
        matches, conflicts = _match(rows, stored)
        if conflicts:
            raise _error(path, conflicts)
        previous_districts = {zone.pk: zone.district_id for zone in stored}
        writer = _Writer(path, rows, report)
        districts = writer.districts()
        municipalities = writer.municipalities()
        written = {row.line: writer.zone(row, matches.get(row.line), districts, municipalities) for row in rows}
        every_zone = list(PoliceZone.objects.all())
        for row in rows:
            if row.status == PoliceZone.Status.MERGED:
                writer.merged_into(row, written[row.line], every_zone)
        changed = [zone for zone in written.values() if writer.outcome[zone.pk] != "unchanged"]
        moved_from = {
            previous_districts[zone.pk]
            for zone in changed
            if previous_districts.get(zone.pk) and previous_districts[zone.pk] != zone.district_id
        }
        grants.zones_changed(changed, District.objects.filter(pk__in=moved_from))
    for row in rows:
        zone = written[row.line]
        getattr(report, writer.outcome[zone.pk]).append(zone.key)
        if zone.missing:
            report.incomplete[zone.key] = zone.missing
        if zone.status == PoliceZone.Status.MERGED and not zone.merged_into_id:
            report.unresolved_mergers.append(zone.key)
    return report
