"""Load an NSP edition's reference data (ambitions, ISFD clusters, themes, phenomena) from a JSON file.

The shipped files (``clusters/data/nsp_2016_2019.json``, ``nsp_2022_2025.json``; their README says where each
text comes from) are validated whole before anything is written, then written in one transaction. Rows are
matched by edition code and number, so a second load updates in place, and a load that changes nothing saves
nothing (no new history rows). The loader touches only the edition named in its file; it never deletes, so
rows a planner added by hand and rows other editions own are left alone.

A planner's correction wins over the file: each row remembers what the last load wrote (``loaded_values``);
a stored value that differs from it was changed in the application since, and a load keeps it (and says so).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from nsp import intake
from nsp.exceptions import DomainError
from nsp.languages import LANGUAGES
from nsp.models import Ambition, NationalSecurityPlan

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PATH = DATA_DIR / "nsp_2016_2019.json"
# Every shipped edition, in the order they are loaded: an edition maps onto the one before it.
SHIPPED_PATHS = (DEFAULT_PATH, DATA_DIR / "nsp_2022_2025.json")
CHANGE_REASON = "reference data load"
FORMAT = 1
INFERABLE = {"clusters": ("previous",), "themes": ("previous",), "phenomena": ("cluster", "previous")}


class ReferenceDataError(DomainError):
    """The reference file is unreadable or invalid; ``extra["errors"]`` lists every problem found."""


@dataclass
class LoadSummary:
    edition: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Per kind ("ambitions", "clusters", ...): how many rows the file holds.
    counts: dict[str, int] = field(default_factory=dict)
    # Rows of this edition in the database that the file no longer lists (kept, never deleted).
    not_in_file: list[str] = field(default_factory=list)
    # Values a planner corrected in the application that differ from the file (kept, never overwritten).
    corrections_kept: list[str] = field(default_factory=list)

    def line(self) -> str:
        parts = ", ".join(f"{n} {kind}" for kind, n in self.counts.items())
        text = _("%(edition)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged (%(parts)s)") % {
            "edition": self.edition,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "parts": parts,
        }
        if self.corrections_kept:
            text += "; " + _("planners' corrections kept: %(fields)s") % {"fields": ", ".join(self.corrections_kept)}
        if self.not_in_file:
            text += "; " + _("kept but not in the file: %(rows)s") % {"rows": ", ".join(self.not_in_file)}
        return text


# --- validation --------------------------------------------------------------------------------------

# Per section: the translated fields it must give (every language), those it may give, and the model.
SECTIONS: dict[str, dict[str, Any]] = {
    "ambitions": {"required": ("title", "text"), "optional": (), "model": Ambition},
    "clusters": {"required": ("name",), "optional": (), "model": SecurityCluster},
    "themes": {"required": ("name",), "optional": ("key_point",), "model": CrossCuttingTheme},
    "phenomena": {"required": ("name",), "optional": ("key_point",), "model": SecurityPhenomenon},
}
# An edition may have no ambitions in the sources (the NSP 2022-2025 has none there): that section may be empty.
MAY_BE_EMPTY = {"ambitions"}


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def translated(self, where: str, entry: dict, name: str, *, required: bool) -> dict[str, str] | None:
        value = entry.get(name)
        if value is None:
            if required:
                self.fail(where, _("missing '%(field)s'") % {"field": name})
            return None
        if not isinstance(value, dict):
            self.fail(where, _("'%(field)s' must map each language to a text") % {"field": name})
            return None
        for language in LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                self.fail(where, _("missing '%(field)s.%(language)s'") % {"field": name, "language": language})
        unknown = sorted(set(value) - set(LANGUAGES))
        if unknown:
            self.fail(where, _("'%(field)s' has unknown languages: %(codes)s") % {"field": name, "codes": unknown})
        return value

    def languages(self, where: str, entry: dict) -> None:
        value = entry.get("unofficial_languages", "")
        if not isinstance(value, str):
            self.fail(where, _("'unofficial_languages' must be a comma-separated text such as 'fr,nl,de'"))
            return
        codes = [code.strip() for code in value.split(",") if code.strip()]
        unknown = [code for code in codes if code not in LANGUAGES]
        if unknown:
            self.fail(
                where,
                _("'unofficial_languages' names unknown languages %(codes)s (known: %(known)s)")
                % {"codes": unknown, "known": ", ".join(LANGUAGES)},
            )

    def date(self, where: str, entry: dict, name: str, *, required: bool) -> dt.date | None:
        value = entry.get(name)
        if value in (None, ""):
            if required:
                self.fail(where, _("missing '%(field)s'") % {"field": name})
            return None
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(where, _("'%(field)s' is not a date (YYYY-MM-DD): %(value)r") % {"field": name, "value": value})
            return None


def _entry_label(section: str, index: int, entry: Any) -> str:
    number = entry.get("number") if isinstance(entry, dict) else None
    return f"{section}[{index}] (number {number})" if number is not None else f"{section}[{index}]"


def validate(document: Any) -> None:
    """Raise ReferenceDataError listing every problem of the file; return quietly when it is sound."""
    check = _Checker()
    if not isinstance(document, dict):
        raise ReferenceDataError(_("The reference file must hold one JSON object."))
    if document.get("format") != FORMAT:
        check.fail(
            "format", _("expected %(format)d, found %(found)r") % {"format": FORMAT, "found": document.get("format")}
        )

    edition = document.get("edition")
    if not isinstance(edition, dict):
        check.fail("edition", _("missing"))
    else:
        code = edition.get("code")
        if not isinstance(code, str) or not code.strip():
            check.fail("edition", _("missing 'code'"))
        check.translated("edition", edition, "title", required=True)
        check.translated("edition", edition, "motto", required=False)
        check.translated("edition", edition, "summary", required=False)
        check.languages("edition", edition)
        start = check.date("edition", edition, "period_start", required=True)
        end = check.date("edition", edition, "period_end", required=True)
        extended = check.date("edition", edition, "extended_to", required=False)
        if start and end and end <= start:
            check.fail("edition", _("'period_end' must come after 'period_start'"))
        if end and extended and extended <= end:
            check.fail("edition", _("'extended_to' must come after 'period_end'"))
        status = edition.get("status", NationalSecurityPlan.Status.IN_FORCE)
        if status not in NationalSecurityPlan.Status.values:
            check.fail(
                "edition",
                _("status %(status)r is not one of %(choices)s")
                % {"status": status, "choices": ", ".join(NationalSecurityPlan.Status.values)},
            )

    cluster_numbers: set[int] = set()
    previous_edition = edition.get("previous_edition") if isinstance(edition, dict) else None
    if previous_edition is not None and (not isinstance(previous_edition, str) or not previous_edition.strip()):
        check.fail("edition", _("'previous_edition' must be the code of an edition, such as 'nsp-2016-2019'"))
        previous_edition = None
    for section, spec in SECTIONS.items():
        entries = document.get(section, [] if section in MAY_BE_EMPTY else None)
        if not isinstance(entries, list) or (not entries and section not in MAY_BE_EMPTY):
            check.fail(section, _("missing (a list of entries)"))
            continue
        seen: set[int] = set()
        for index, entry in enumerate(entries):
            where = _entry_label(section, index, entry)
            if not isinstance(entry, dict):
                check.fail(where, _("must be an object"))
                continue
            number = entry.get("number")
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                check.fail(where, _("missing 'number' (a whole number from 1)"))
            elif number in seen:
                check.fail(where, _("number %(number)d appears twice") % {"number": number})
            else:
                seen.add(number)
            for name in spec["required"]:
                check.translated(where, entry, name, required=True)
            for name in spec["optional"]:
                check.translated(where, entry, name, required=False)
            check.languages(where, entry)
            priority = entry.get("is_national_priority", True)
            if not isinstance(priority, bool):
                check.fail(where, _("'is_national_priority' must be true or false"))
            if section == "phenomena":
                if "cluster" not in entry:
                    check.fail(where, _("missing 'cluster' (the number of its ISFD cluster, or null for none)"))
                elif entry["cluster"] is not None and entry["cluster"] not in cluster_numbers:
                    check.fail(
                        where, _("cluster %(cluster)r is not among the file's clusters") % {"cluster": entry["cluster"]}
                    )
            _check_mapping(check, where, section, entry, previous_edition)
        if section == "clusters":
            cluster_numbers = seen
    if check.errors:
        raise ReferenceDataError(
            "\n".join([_("The reference file is invalid:"), *(f"- {error}" for error in check.errors)]),
            extra={"errors": check.errors},
        )


def _check_mapping(check: _Checker, where: str, section: str, entry: dict, previous_edition: str | None) -> None:
    """``previous`` (numbers of the previous edition's rows of the same kind) and ``inferred``."""
    if "previous" in entry and section not in INFERABLE:
        check.fail(where, _("'previous' is given for clusters, themes and phenomena only"))
    previous = entry.get("previous", [])
    if not isinstance(previous, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in previous):
        check.fail(where, _("'previous' must be a list of numbers of the previous edition"))
    elif previous and previous_edition is None:
        check.fail(where, _("'previous' needs the edition's 'previous_edition'"))
    inferred = entry.get("inferred", [])
    allowed = INFERABLE.get(section, ())
    if not isinstance(inferred, list) or any(name not in allowed for name in inferred):
        check.fail(
            where,
            _("'inferred' lists what of %(allowed)s is our inference, not the plan's own")
            % {"allowed": ", ".join(allowed) or "-"},
        )


def _previous_rows(document: dict) -> dict[str, dict[int, models.Model]]:
    """The previous edition's rows that the file's ``previous`` numbers name; every missing one is an error."""
    code = document["edition"].get("previous_edition")
    if not code:
        return {}
    edition = NationalSecurityPlan.objects.filter(code=code).first()
    if edition is None:
        raise ReferenceDataError(
            _("The previous edition %(code)s is not loaded; load its file first.") % {"code": code},
            extra={"errors": [f"edition: previous_edition {code!r} is not loaded"]},
        )
    rows: dict[str, dict[int, models.Model]] = {}
    errors = []
    for section in INFERABLE:
        model = SECTIONS[section]["model"]
        rows[section] = {row.number: row for row in model.objects.filter(nsp=edition)}
        for index, entry in enumerate(document[section]):
            for number in entry.get("previous", []):
                if number not in rows[section]:
                    errors.append(
                        f"{_entry_label(section, index, entry)}: "
                        + _("%(code)s has no %(section)s number %(number)d")
                        % {"code": code, "section": section, "number": number}
                    )
    if errors:
        raise ReferenceDataError(
            "\n".join([_("The reference file is invalid:"), *(f"- {error}" for error in errors)]),
            extra={"errors": errors},
        )
    return rows


def read(path: Path) -> dict:
    """The reference file through the intake: its size and nesting depth bounded."""
    try:
        data = intake.read_path(path, limits=intake.ADMIN_FILE)
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise ReferenceDataError(_("Reference file not found: %(path)s") % {"path": path}) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
    except intake.IntakeError as exc:
        raise ReferenceDataError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.message}, extra=exc.extra
        ) from exc
    try:
        return intake.read_json(text, limits=intake.ADMIN_FILE, what="file")
    except intake.IntakeError as exc:
        where = exc.problems[0]["where"] if exc.problems else ""
        raise ReferenceDataError(
            _("%(path)s is not valid JSON (%(where)s): %(error)s")
            % {"path": path, "where": where, "error": exc.message},
            extra=exc.extra,
        ) from exc


# --- writing -----------------------------------------------------------------------------------------

_NO_BASELINE = object()


def _translated_values(entry: dict, names: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for name in names:
        texts = entry.get(name) or {}
        for language in LANGUAGES:
            values[f"{name}_{language}"] = texts.get(language, "")
    return values


def _normalise_languages(value: str) -> str:
    return ",".join(code.strip() for code in value.split(",") if code.strip())


def _stored(obj: models.Model, name: str) -> Any:
    """A row's value as the file writes it (JSON): dates as text, the cluster by number, ``previous`` as codes."""
    if name == "cluster":
        return obj.cluster.number if obj.cluster_id else None
    if name == "previous":
        if obj.pk is None:
            return []
        return sorted(f"{code}:{number}" for code, number in obj.previous.values_list("nsp__code", "number"))
    value = getattr(obj, name)
    return value.isoformat() if isinstance(value, dt.date) else value


def _was_last_written_by_a_load(obj: models.Model) -> bool:
    """For rows loaded before ``loaded_values`` existed: unchanged since a load when its latest history is one."""
    latest = obj.history.order_by("-history_date", "-history_id").first()
    return latest is not None and latest.history_change_reason == CHANGE_REASON


class _Writer:
    def __init__(self, summary: LoadSummary) -> None:
        self.summary = summary
        self.tally: Counter = Counter()

    def upsert(
        self, model: type[models.Model], lookup: dict[str, Any], wanted: dict[str, Any], *, label: str, resolve=None
    ) -> models.Model:
        """Create the row, or update the values that nobody corrected since the last load.

        ``wanted``: the file's values, JSON-comparable; ``resolve`` turns one into what the model field takes
        (a cluster number into the cluster, ``previous`` codes into rows). Saves, and so writes history, only
        when a value changes; ``loaded_values`` (not in history) follows the file either way.
        """
        resolve = resolve or (lambda name, value: value)
        obj = model._default_manager.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup)
            baseline: dict = {}
        else:
            baseline = obj.loaded_values or (
                {name: _stored(obj, name) for name in wanted} if _was_last_written_by_a_load(obj) else {}
            )
        changes = {}
        for name, value in wanted.items():
            have = _stored(obj, name)
            if have == value:
                continue
            loaded = baseline.get(name, _NO_BASELINE)
            untouched = loaded == have if loaded is not _NO_BASELINE else have in (None, "", [], False)
            if created or untouched:
                changes[name] = value
            else:
                self.summary.corrections_kept.append(f"{label}: {name}")
        scalar = {name: value for name, value in changes.items() if name != "previous"}
        if not created and not changes:
            self.tally["unchanged"] += 1
            if obj.loaded_values != wanted:
                model._default_manager.filter(pk=obj.pk).update(loaded_values=wanted)
            return obj
        for name, value in scalar.items():
            setattr(obj, name, resolve(name, value))
        obj.loaded_values = wanted
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise ReferenceDataError(
                _("%(entry)s cannot be saved: %(errors)s") % {"entry": label, "errors": "; ".join(exc.messages)},
                extra={"errors": exc.messages},
            ) from exc
        obj._change_reason = CHANGE_REASON
        obj.save()
        if "previous" in changes:
            obj._change_reason = CHANGE_REASON
            obj.previous.set(resolve("previous", changes["previous"]))
        self.tally["created" if created else "updated"] += 1
        return obj


def _edition_values(edition: dict) -> dict[str, Any]:
    values: dict[str, Any] = _translated_values(edition, ("title", "motto", "summary"))
    values.update(
        period_start=edition["period_start"],
        period_end=edition["period_end"],
        extended_to=edition.get("extended_to") or None,
        status=edition.get("status", NationalSecurityPlan.Status.IN_FORCE),
        unofficial_languages=_normalise_languages(edition.get("unofficial_languages", "")),
    )
    return values


def _item_values(entry: dict, section: str, names: tuple[str, ...], previous_code: str | None) -> dict[str, Any]:
    values: dict[str, Any] = _translated_values(entry, names)
    values["unofficial_languages"] = _normalise_languages(entry.get("unofficial_languages", ""))
    if section in ("themes", "phenomena"):
        values["is_national_priority"] = entry.get("is_national_priority", True)
    if section in INFERABLE:
        inferred = set(entry.get("inferred", []))
        values["previous"] = sorted(f"{previous_code}:{number}" for number in entry.get("previous", []))
        values["previous_inferred"] = "previous" in inferred
        if section == "phenomena":
            values["cluster"] = entry["cluster"]
            values["cluster_inferred"] = "cluster" in inferred
    return values


def _label(section: str, entry: dict) -> str:
    return f"{section} (number {entry['number']})"


def _resolver(*, clusters: dict[int, SecurityCluster], previous: dict[int, models.Model]):
    def resolve(name: str, value: Any) -> Any:
        if name == "cluster":
            return clusters[value] if value is not None else None
        if name == "previous":
            return [previous[int(code.rsplit(":", 1)[1])] for code in value]
        if name in ("period_start", "period_end", "extended_to"):
            return dt.date.fromisoformat(value) if value else None
        return value

    return resolve


def load_reference(*, path: Path | str | None = None) -> LoadSummary:
    """Validate the file, then create or update its edition and every entry of it, in one transaction."""
    document = read(Path(path) if path else DEFAULT_PATH)
    validate(document)
    edition_data = document["edition"]
    summary = LoadSummary(edition=edition_data["code"])
    writer = _Writer(summary)
    # The untranslated column (e.g. ``name``) follows the active language on save; keep it English.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE), transaction.atomic():
        previous = _previous_rows(document)
        previous_code = edition_data.get("previous_edition")
        edition = writer.upsert(
            NationalSecurityPlan,
            {"code": edition_data["code"]},
            _edition_values(edition_data),
            label="edition",
            resolve=_resolver(clusters={}, previous={}),
        )
        summary.counts["edition"] = 1
        for entry in document.get("ambitions", []):
            values = _item_values(entry, "ambitions", ("title", "text"), previous_code)
            writer.upsert(
                Ambition, {"nsp": edition, "number": entry["number"]}, values, label=_label("ambitions", entry)
            )
        clusters: dict[int, SecurityCluster] = {}
        for section, names in (
            ("clusters", ("name",)),
            ("themes", ("name", "key_point")),
            ("phenomena", ("name", "key_point")),
        ):
            resolve = _resolver(clusters=clusters, previous=previous.get(section, {}))
            for entry in document[section]:
                values = _item_values(entry, section, names, previous_code)
                lookup = {"nsp": edition, "number": entry["number"]}
                row = writer.upsert(
                    SECTIONS[section]["model"], lookup, values, label=_label(section, entry), resolve=resolve
                )
                if section == "clusters":
                    clusters[entry["number"]] = row
        for section, spec in SECTIONS.items():
            entries = document.get(section, [])
            summary.counts[section] = len(entries)
            listed = {entry["number"] for entry in entries}
            stale = spec["model"].objects.filter(nsp=edition).exclude(number__in=listed)
            summary.not_in_file += [f"{section} {number}" for number in stale.values_list("number", flat=True)]
    summary.created, summary.updated, summary.unchanged = (
        writer.tally["created"],
        writer.tally["updated"],
        writer.tally["unchanged"],
    )
    return summary


def load_shipped() -> list[LoadSummary]:
    """Every edition the application ships, oldest first (each maps onto the one before it)."""
    return [load_reference(path=path) for path in SHIPPED_PATHS]
