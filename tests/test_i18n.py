"""The French, Dutch and German catalogues (locale/): complete, faithful to their placeholders, compiled, used.

docs/translation.md says how to update them. The .po files are read with the small parser below, so the
checks need no new dependency; the checks that regenerate the catalogues or compile them need GNU gettext
(xgettext, msgfmt) and skip with the reason when it is missing.
"""

from __future__ import annotations

import ast
import html
import io
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGUAGES = ("fr", "nl", "de")
# The same --ignore patterns as the makemessages command in docs/translation.md.
MAKEMESSAGES_IGNORE = (".venv", "var", "node_modules", "*/tests/*", "tests")
# Not copied for the regeneration check: ignored above, or never a source of interface texts.
COPY_SKIP = frozenset({".venv", "var", "node_modules", "tests", "locale", "test-results", "__pycache__"})
JS_GETTEXT = re.compile(r"\b(?:n|p|np)?gettext(?:_noop)?\s*\(")


# --- Reading .po files ---------------------------------------------------------------------------------


@dataclass
class Message:
    msgid: str
    line: int
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def __str__(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt else ""
        return f"line {self.line}: {self.msgid!r}{context}"


@dataclass
class Catalogue:
    path: Path
    header: dict[str, str]
    header_fuzzy: bool
    messages: list[Message]

    @property
    def nplurals(self) -> int:
        match = re.search(r"nplurals\s*=\s*(\d+)", self.header.get("Plural-Forms", ""))
        return int(match.group(1)) if match else 2


ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{path}:{number}: expected a quoted string, found {text!r}")

    def escape(match: re.Match) -> str:
        if match.group(1) not in ESCAPES:
            raise ValueError(f"{path}:{number}: unknown escape \\{match.group(1)}")
        return ESCAPES[match.group(1)]

    return re.sub(r"\\(.)", escape, text[1:-1])


def read_po(path: Path) -> Catalogue:
    """The messages of a .po file; obsolete (#~) entries are left out, the header entry is parsed apart."""
    messages: list[Message] = []
    current: Message | None = None
    pending_flags: set[str] = set()
    pending_context: str | None = None
    target: tuple[str, int] | None = None  # which string a continuation line extends

    def finish() -> None:
        nonlocal current
        if current is not None:
            messages.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and current.msgstr:
                finish()
            if line.startswith("#,"):
                pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if target is None or (current is None and target[0] != "msgctxt"):
                raise ValueError(f"{path}:{number}: a continuation line outside an entry")
            text = _unquote(line, path, number)
            kind, index = target
            if kind == "msgctxt":
                pending_context = (pending_context or "") + text
            elif kind == "msgid":
                current.msgid += text
            elif kind == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + text
            else:
                current.msgstr[index] += text
        elif keyword == "msgctxt":
            finish()
            pending_context = _unquote(rest, path, number)
            target = ("msgctxt", 0)
        elif keyword == "msgid":
            if current is not None and not current.msgstr:
                raise ValueError(f"{path}:{current.line}: an entry without msgstr")
            finish()
            current = Message(msgid=_unquote(rest, path, number), line=number, msgctxt=pending_context)
            current.flags, pending_flags, pending_context = pending_flags, set(), None
            target = ("msgid", 0)
        elif keyword == "msgid_plural" and current is not None:
            current.msgid_plural = _unquote(rest, path, number)
            target = ("msgid_plural", 0)
        elif keyword.startswith("msgstr") and current is not None:
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            current.msgstr[index] = _unquote(rest, path, number)
            target = ("msgstr", index)
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    finish()

    header: dict[str, str] = {}
    header_fuzzy = False
    if messages and messages[0].msgid == "" and messages[0].msgctxt is None:
        entry = messages.pop(0)
        for header_line in entry.msgstr.get(0, "").splitlines():
            name, _, value = header_line.partition(":")
            header[name.strip()] = value.strip()
        header_fuzzy = "fuzzy" in entry.flags
    return Catalogue(path=path, header=header, header_fuzzy=header_fuzzy, messages=messages)


def catalogue_paths() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def catalogue_id(path: Path) -> str:
    return f"{path.parts[-3]}-{path.stem}"


# --- Placeholders --------------------------------------------------------------------------------------

# A printf-style directive as Python's % operator reads it: %(name)s, %s, %5.2f, %%.
PERCENT_DIRECTIVE = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0+ -]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<kind>.)", re.S)
PERCENT_KINDS = set("diouxXeEfFgGcrsa%")
BRACE_FIELD = re.compile(r"(?<!\{)\{(\w*)(?:[!:][^{}]*)?\}(?!\})")


def percent_placeholders(text: str) -> tuple[Counter, list[str]]:
    """The %-directives of ``text`` (name or position, and conversion) and the ones Python would refuse."""
    found: Counter = Counter()
    broken: list[str] = []
    for match in PERCENT_DIRECTIVE.finditer(text):
        kind = match.group("kind")
        if kind not in PERCENT_KINDS:
            broken.append(match.group(0))
        elif kind != "%":
            name = match.group("name")
            found[(f"%({name})" if name is not None else "%", "d" if kind in "iu" else kind)] += 1
    if text.rstrip().endswith("%") and not text.rstrip().endswith("%%"):
        broken.append("% at the end")
    return found, broken


def brace_placeholders(text: str) -> Counter:
    return Counter(BRACE_FIELD.findall(text))


def placeholder_problems(message: Message) -> list[str]:
    problems = []
    python_format = "python-format" in message.flags
    for index, translated in sorted(message.msgstr.items()):
        source = message.msgid if index == 0 or message.msgid_plural is None else message.msgid_plural
        if python_format:
            expected, _ = percent_placeholders(source)
            found, broken = percent_placeholders(translated)
            if broken:
                problems.append(f"msgstr[{index}] has directives Python cannot format: {broken}")
            named = {key for key in expected if key[0] != "%"}
            # Named placeholders may repeat or move; unnamed ones must keep their number and order.
            if {key for key in found if key[0] != "%"} != named:
                problems.append(f"msgstr[{index}] names {sorted(found)}, the source {sorted(expected)}")
            unnamed = [key[1] for key in expected.elements() if key[0] == "%"]
            if sorted(unnamed) != sorted(key[1] for key in found.elements() if key[0] == "%"):
                problems.append(f"msgstr[{index}] has unnamed directives {sorted(found)}, the source {unnamed}")
        if brace_placeholders(translated) != brace_placeholders(source):
            problems.append(
                f"msgstr[{index}] has {{fields}} {dict(brace_placeholders(translated))}, "
                f"the source {dict(brace_placeholders(source))}"
            )
    return problems


# --- (a) nothing untranslated, nothing fuzzy -----------------------------------------------------------


def test_every_language_has_its_catalogue():
    languages = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    assert languages == set(LANGUAGES)
    for language in LANGUAGES:
        assert (LOCALE / language / "LC_MESSAGES" / "django.po").is_file(), f"locale/{language} has no django.po"
    assert Path(settings.LOCALE_PATHS[0]).resolve() == LOCALE


@pytest.mark.parametrize("path", catalogue_paths(), ids=catalogue_id)
def test_catalogue_has_no_untranslated_and_no_fuzzy_entry(path):
    catalogue = read_po(path)
    language = path.parts[-3]
    assert catalogue.header.get("Language") == language
    assert not catalogue.header_fuzzy, "the header is fuzzy: msgfmt would leave out its Plural-Forms"
    assert catalogue.messages, f"{path} holds no message"
    problems = []
    for message in catalogue.messages:
        forms = set(range(catalogue.nplurals)) if message.msgid_plural is not None else {0}
        if set(message.msgstr) != forms or not all(message.msgstr.values()):
            problems.append(f"untranslated, {message}")
        if "fuzzy" in message.flags:
            problems.append(f"fuzzy, {message}")
    assert not problems, f"{len(problems)} entries to translate in {path}:\n" + "\n".join(problems)


def test_parser_reads_plurals_contexts_continuations_and_flags(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgctxt ""\n"me"\n"nu"\n'
        'msgid "Open %(name)s"\nmsgstr "Ouvrir %(name)s"\n\n'
        'msgid ""\n"%(count)d row "\n"has \\"errors\\""\nmsgid_plural "%(count)d rows"\n'
        'msgstr[0] "%(count)d ligne"\nmsgstr[1] ""\n\n#~ msgid "gone"\n#~ msgstr "parti"\n',
        encoding="utf-8",
    )
    catalogue = read_po(po)
    assert catalogue.header["Language"] == "fr" and catalogue.nplurals == 2
    first, second = catalogue.messages
    assert (first.msgctxt, first.msgid, first.flags) == ("menu", "Open %(name)s", {"fuzzy", "python-format"})
    assert second.msgid == '%(count)d row has "errors"'
    assert second.msgid_plural == "%(count)d rows" and second.msgstr == {0: "%(count)d ligne", 1: ""}


# --- (b) placeholders kept ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", catalogue_paths(), ids=catalogue_id)
def test_translations_keep_the_placeholders(path):
    problems = []
    for message in read_po(path).messages:
        problems += [f"{message}: {problem}" for problem in placeholder_problems(message)]
    assert not problems, f"{len(problems)} placeholder problems in {path}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("msgid", "msgstr", "flags", "ok"),
    [
        ("%(count)s plans", "%(count)s plannen", {"python-format"}, True),
        ("%(count)s plans", "%(counter)s plannen", {"python-format"}, False),
        ("%(a)s of %(b)s", "%(b)s van %(a)s", {"python-format"}, True),
        ("%(a)s of %(b)s", "%(a)s van", {"python-format"}, False),
        ("%s of %d", "%s de %d", {"python-format"}, True),
        ("%s of %d", "%s de %s", {"python-format"}, False),
        ("%(n)s %% done", "%(n)s % klaar", {"python-format"}, False),
        ("%(n)s %% done", "%(n)s %% klaar", {"python-format"}, True),
        ("Hello {name}", "Bonjour {nom}", set(), False),
        ("Hello {name}", "Bonjour {name}", set(), True),
        ("Save 5 %", "5 % enregistrer", set(), True),
    ],
)
def test_placeholder_check_tells_kept_from_lost(msgid, msgstr, flags, ok):
    message = Message(msgid=msgid, line=1, msgstr={0: msgstr}, flags=flags)
    assert (placeholder_problems(message) == []) is ok


# --- (c) no source text missing from the catalogues ---------------------------------------------------


def _copy_sources(target: Path) -> None:
    def skip(directory: str, names: list[str]) -> set[str]:
        return {name for name in names if name in COPY_SKIP or name.startswith(".")}

    shutil.copytree(ROOT, target, ignore=skip, symlinks=True)


def _domains(root: Path) -> list[str]:
    """django, plus djangojs once our own JavaScript marks a text for translation."""
    scripts = [p for p in (root / "static").rglob("*.js") if "vendor" not in p.parts and ".min." not in p.name]
    uses_gettext = any(JS_GETTEXT.search(p.read_text(encoding="utf-8", errors="replace")) for p in scripts)
    return ["django", "djangojs"] if uses_gettext else ["django"]


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory) -> dict[str, set[tuple[str | None, str]]]:
    """Per domain, the msgids makemessages finds in a fresh copy of the sources."""
    missing = [tool for tool in ("xgettext", "msguniq") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"GNU gettext is not installed ({', '.join(missing)} missing); cannot regenerate the catalogues")
    copy = tmp_path_factory.mktemp("sources") / "project"
    _copy_sources(copy)
    found: dict[str, set[tuple[str | None, str]]] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        patch.setattr(settings, "LOCALE_PATHS", [copy / "locale"])
        for domain in _domains(copy):
            call_command(
                "makemessages",
                locale=["fr"],
                domain=domain,
                ignore_patterns=list(MAKEMESSAGES_IGNORE),
                no_obsolete=True,
                verbosity=0,
                stdout=io.StringIO(),
            )
            found[domain] = {m.key for m in read_po(copy / "locale" / "fr" / "LC_MESSAGES" / f"{domain}.po").messages}
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogues_hold_every_source_text(source_messages, language):
    assert source_messages["django"], "makemessages found no text at all: the copy of the sources is wrong"
    for domain, expected in source_messages.items():
        path = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
        committed = {m.key for m in read_po(path).messages} if path.is_file() else set()
        missing = sorted(expected - committed, key=lambda key: (key[0] or "", key[1]))
        assert not missing, (
            f"{len(missing)} texts of the sources are not in {path.relative_to(ROOT)} "
            "(run makemessages as docs/translation.md says, translate, compilemessages):\n"
            + "\n".join(repr(msgid) for _context, msgid in missing)
        )


# Names under which makemessages (xgettext with Django's keywords) finds the texts; "_" only for one text.
EXTRACTED_NAMES = frozenset(
    {"gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
    | {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
)
SINGLE_TEXT = frozenset({"gettext", "gettext_lazy", "gettext_noop"})


def _python_sources(directory: Path) -> list[Path]:
    found = []
    for entry in sorted(directory.iterdir()):
        if entry.name in COPY_SKIP or entry.name.startswith("."):
            continue
        if entry.is_dir():
            found += _python_sources(entry)
        elif entry.suffix == ".py":
            found.append(entry)
    return found


def aliased_translation_imports() -> dict[str, list[str]]:
    """Modules importing a translation function under a name makemessages would not extract."""
    found: dict[str, list[str]] = {}
    for path in _python_sources(ROOT):
        relative = path.relative_to(ROOT)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not isinstance(node, ast.ImportFrom) or node.module != "django.utils.translation":
                continue
            for alias in node.names:
                name, used = alias.name, alias.asname or alias.name
                if name in EXTRACTED_NAMES and used != name and not (used == "_" and name in SINGLE_TEXT):
                    found.setdefault(relative.as_posix(), []).append(f"{name} as {used}")
    return found


def test_no_module_hides_its_texts_from_makemessages():
    found = aliased_translation_imports()
    assert not found, f"makemessages does not extract texts marked through these names: {found}"


def test_frequencies_and_refusals_are_translated():
    from nsp.periods import Frequency
    from nsp.permissions import REFUSALS

    with translation.override("fr"):
        assert str(Frequency.QUARTERLY.label) == "Par trimestre"
        assert str(REFUSALS["change"]) % {"model": "plan"} == "Vous ne pouvez pas modifier cet élément (plan)."
    with translation.override("nl"):
        assert [str(f.label) for f in Frequency] == ["Per maand", "Per kwartaal", "Per semester", "Per jaar"]
    with translation.override("de"):
        assert str(REFUSALS["review"]) % {"model": "Plan"} == "Sie dürfen dieses Element (Plan) nicht prüfen."


# --- (d) compiled catalogues up to date -------------------------------------------------------------


@pytest.mark.parametrize("path", catalogue_paths(), ids=catalogue_id)
def test_compiled_catalogue_is_up_to_date(path, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext is not installed (msgfmt missing); cannot compile the catalogue to compare")
    committed = path.with_suffix(".mo")
    assert committed.is_file(), f"{committed.relative_to(ROOT)} is missing: run compilemessages and commit it"
    fresh = tmp_path / committed.name
    # The same call as Django's compilemessages.
    result = subprocess.run([msgfmt, "--check-format", "-o", fresh, path], capture_output=True, text=True)
    assert result.returncode == 0, f"msgfmt refuses {path}:\n{result.stderr}"
    up_to_date = fresh.read_bytes() == committed.read_bytes()
    assert up_to_date, (
        f"{committed.relative_to(ROOT)} does not match {path.name}: run compilemessages and commit the .mo"
    )


# --- (e) the pages speak the user's language ------------------------------------------------------------

NAVIGATION = {
    "fr": ["Accueil", "Plans zonaux", "Programmes", "Référentiel PNS", "Zones", "Rapports", "Tableau de bord"],
    "nl": ["Start", "Zonale plannen", "Programma's", "NVP-referentie", "Zones", "Rapporten", "Dashboard"],
    "de": ["Startseite", "Zonale Pläne", "Programme", "NSP-Referenz", "Zonen", "Berichte", "Dashboard"],
}
NAVIGATION_LABEL = {"fr": "Navigation principale", "nl": "Hoofdnavigatie", "de": "Hauptnavigation"}


def _navigation(content: str) -> tuple[str, list[str]]:
    match = re.search(r'<nav class="site-nav" aria-label="([^"]*)">(.*?)</nav>', content, re.S)
    assert match, "the page has no main navigation"
    links = re.findall(r"<a\b[^>]*>(.*?)</a>", match.group(2), re.S)
    return html.unescape(match.group(1)), [html.unescape(re.sub(r"<[^>]+>", "", link)).strip() for link in links]


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["accept-language", "cookie"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_navigation_is_translated(client, language, how):
    from tests.factories import user_with_role

    client.force_login(user_with_role("committee_member"))
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get("/")
    else:
        response = client.get("/", headers={"accept-language": f"{language},en;q=0.5"})
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    label, links = _navigation(content)
    assert label == NAVIGATION_LABEL[language]
    assert links == NAVIGATION[language]


@pytest.mark.django_db
def test_home_page_navigation_stays_english_by_default(client):
    from tests.factories import user_with_role

    client.force_login(user_with_role("committee_member"))
    _label, links = _navigation(client.get("/").content.decode())
    assert links == ["Home", "Zonal plans", "Programmes", "NSP reference", "Zones", "Reports", "Dashboard"]


def test_progress_status_label_in_dutch():
    from nsp.progress import ProgressStatus

    with translation.override("nl"):
        assert str(ProgressStatus.ON_TRACK.label) == "Op schema"


# The established Belgian terms (docs/translation.md), as the interface shows them.
TERMS = [
    ("On track", "En bonne voie", "Op schema", "Im Plan"),
    ("At risk", "À risque", "Risico", "Gefährdet"),
    ("Off track", "Hors trajectoire", "Niet op schema", "Nicht im Plan"),
    ("Police zone", "Zone de police", "Politiezone", "Polizeizone"),
    ("Zonal security plan", "Plan zonal de sécurité", "Zonaal veiligheidsplan", "Zonaler Sicherheitsplan"),
    ("National Security Plan", "Plan national de sécurité", "Nationaal Veiligheidsplan", "Nationaler Sicherheitsplan"),
    ("Zone chief", "Chef de corps", "Korpschef", "Korpschef"),
    ("Security phenomenon", "Phénomène de sécurité", "Veiligheidsfenomeen", "Sicherheitsphänomen"),
    ("Adopted by the zonal security council", "Adopté par le conseil zonal de sécurité",
     "Aangenomen door de zonale veiligheidsraad", "Vom zonalen Sicherheitsrat angenommen"),
    ("Coordinating Committee member", "Membre du Comité de coordination", "Lid van het Coördinatiecomité",
     "Mitglied des Koordinierungsausschusses"),
]  # fmt: skip


@pytest.mark.parametrize(("english", "fr", "nl", "de"), TERMS, ids=[term[0] for term in TERMS])
def test_established_terms(english, fr, nl, de):
    for language, expected in (("fr", fr), ("nl", nl), ("de", de)):
        with translation.override(language):
            assert translation.gettext(english) == expected, language
