"""Load an NSP edition's reference data (ambitions, ISFD clusters, themes, phenomena) from a JSON file.

The file (``clusters/data/nsp_2016_2019.json`` for the shipped edition; its README says where each text
comes from) is validated whole before anything is written, then written in one transaction. Rows are
matched by edition code and number, so a second load updates in place, and a load that changes nothing
saves nothing (no new history rows). The loader touches only the edition named in its file; it never
deletes, so rows a planner added by hand and rows other editions own are left alone.
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

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "nsp_2016_2019.json"
CHANGE_REASON = "reference data load"
FORMAT = 1


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

    def line(self) -> str:
        parts = ", ".join(f"{n} {kind}" for kind, n in self.counts.items())
        text = _("%(edition)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged (%(parts)s)") % {
            "edition": self.edition,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "parts": parts,
        }
        if self.not_in_file:
            text += "; " + _("kept but not in the file: %(rows)s") % {"rows": ", ".join(self.not_in_file)}
        return text


# --- validation --------------------------------------------------------------------------------------

# Per section: the translated fields it must give (every language), those it may give, and the model.
SECTIONS: dict[str, dict[str, Any]] = {
    "ambitions": {"required": ("title", "text"), "optional": (), "model": Ambition},
    "clusters": {"required": ("name",), "optional": (), "model": SecurityCluster},
    "themes": {"required": ("name", "key_point"), "optional": (), "model": CrossCuttingTheme},
    "phenomena": {"required": ("name", "key_point"), "optional": (), "model": SecurityPhenomenon},
}


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
    for section, spec in SECTIONS.items():
        entries = document.get(section)
        if not isinstance(entries, list) or not entries:
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
            check.languages(where, entry)
            priority = entry.get("is_national_priority", True)
            if not isinstance(priority, bool):
                check.fail(where, _("'is_national_priority' must be true or false"))
            if section == "phenomena":
                cluster = entry.get("cluster")
                if cluster is None:
                    check.fail(where, _("missing 'cluster' (the number of its ISFD cluster)"))
                elif cluster not in cluster_numbers:
                    check.fail(where, _("cluster %(cluster)r is not among the file's clusters") % {"cluster": cluster})
        if section == "clusters":
            cluster_numbers = seen
    if check.errors:
        raise ReferenceDataError(
            "\n".join([_("The reference file is invalid:"), *(f"- {error}" for error in check.errors)]),
            extra={"errors": check.errors},
        )


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


def _translated_values(entry: dict, names: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for name in names:
        texts = entry.get(name) or {}
        for language in LANGUAGES:
            values[f"{name}_{language}"] = texts.get(language, "")
    return values


def _normalise_languages(value: str) -> str:
    return ",".join(code.strip() for code in value.split(",") if code.strip())


def _upsert(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any], tally: Counter, *, label: str
) -> models.Model:
    """Create or update one row; save (and so write history) only when a value differs."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        outcome = "created"
    else:
        changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
        if not changed:
            tally["unchanged"] += 1
            return obj
        for name, value in changed.items():
            setattr(obj, name, value)
        outcome = "updated"
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ReferenceDataError(
            _("%(entry)s cannot be saved: %(errors)s") % {"entry": label, "errors": "; ".join(exc.messages)},
            extra={"errors": exc.messages},
        ) from exc
    obj._change_reason = CHANGE_REASON
    obj.save()
    tally[outcome] += 1
    return obj


def _edition_values(edition: dict) -> dict[str, Any]:
    values = _translated_values(edition, ("title", "motto", "summary"))
    values.update(
        period_start=dt.date.fromisoformat(edition["period_start"]),
        period_end=dt.date.fromisoformat(edition["period_end"]),
        extended_to=dt.date.fromisoformat(edition["extended_to"]) if edition.get("extended_to") else None,
        status=edition.get("status", NationalSecurityPlan.Status.IN_FORCE),
        unofficial_languages=_normalise_languages(edition.get("unofficial_languages", "")),
    )
    return values


def _item_values(entry: dict, names: tuple[str, ...], *, priority: bool) -> dict[str, Any]:
    values = _translated_values(entry, names)
    values["unofficial_languages"] = _normalise_languages(entry.get("unofficial_languages", ""))
    if priority:
        values["is_national_priority"] = entry.get("is_national_priority", True)
    return values


def _label(section: str, entry: dict) -> str:
    return f"{section} (number {entry['number']})"


def load_reference(*, path: Path | str | None = None) -> LoadSummary:
    """Validate the file, then create or update its edition and every entry of it, in one transaction."""
    document = read(Path(path) if path else DEFAULT_PATH)
    validate(document)
    edition_data = document["edition"]
    summary = LoadSummary(edition=edition_data["code"])
    tally: Counter = Counter()
    # The untranslated column (e.g. ``name``) follows the active language on save; keep it English.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE), transaction.atomic():
        edition = _upsert(
            NationalSecurityPlan, {"code": edition_data["code"]}, _edition_values(edition_data), tally, label="edition"
        )
        summary.counts["edition"] = 1
        for entry in document["ambitions"]:
            values = _item_values(entry, ("title", "text"), priority=False)
            _upsert(
                Ambition, {"nsp": edition, "number": entry["number"]}, values, tally, label=_label("ambitions", entry)
            )
        clusters = {}
        for entry in document["clusters"]:
            values = _item_values(entry, ("name",), priority=False)
            lookup = {"nsp": edition, "number": entry["number"]}
            clusters[entry["number"]] = _upsert(SecurityCluster, lookup, values, tally, label=_label("clusters", entry))
        for entry in document["themes"]:
            values = _item_values(entry, ("name", "key_point"), priority=True)
            lookup = {"nsp": edition, "number": entry["number"]}
            _upsert(CrossCuttingTheme, lookup, values, tally, label=_label("themes", entry))
        for entry in document["phenomena"]:
            values = _item_values(entry, ("name", "key_point"), priority=True)
            values["cluster"] = clusters[entry["cluster"]]
            lookup = {"nsp": edition, "number": entry["number"]}
            _upsert(SecurityPhenomenon, lookup, values, tally, label=_label("phenomena", entry))
        for section, spec in SECTIONS.items():
            summary.counts[section] = len(document[section])
            listed = {entry["number"] for entry in document[section]}
            stale = spec["model"].objects.filter(nsp=edition).exclude(number__in=listed)
            summary.not_in_file += [f"{section} {number}" for number in stale.values_list("number", flat=True)]
    summary.created, summary.updated, summary.unchanged = tally["created"], tally["updated"], tally["unchanged"]
    return summary
