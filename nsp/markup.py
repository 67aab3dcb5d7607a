"""The one place where text a person wrote in Markdown becomes HTML (the plan document: page and PDF).

markdown-it-py with raw HTML off (``<script>`` comes out as text), images off (nothing is loaded from
elsewhere, and the pages keep to the Content-Security-Policy), headings off (a section's text sits under
the section's own heading; ``#`` stays text) and links only to ``http``, ``https`` and ``mailto`` addresses
or to places in the same site; any other link (``javascript:``, ``data:``, ``vbscript:``, ``file:`` ...)
stays as plain text. Everything that is not markup is escaped by markdown-it itself.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


def link_allowed(url: str) -> bool:
    """An absolute link with an allowed scheme, or a relative one (a path or ``#anchor``)."""
    # Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"): so do we.
    cleaned = "".join(ch for ch in url if ch.isprintable() and not ch.isspace()).strip()
    if cleaned.startswith("//"):
        return False  # protocol-relative: another site, under whatever scheme the page has
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    if scheme:
        return scheme in ALLOWED_SCHEMES
    return ":" not in cleaned.split("/", 1)[0].split("#", 1)[0].split("?", 1)[0]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable(["image", "heading", "lheading", "html_block", "html_inline"])
    md.validateLink = link_allowed
    return md


def render_markdown(text: str | None) -> SafeString:
    """``text`` as safe HTML: paragraphs, emphasis, lists, quotes, code, tables and checked links."""
    if not text:
        return SafeString("")
    html = _parser().render(text)
    # markdown-it's own output, raw HTML disabled and links validated: nothing a person typed is passed through.
    return mark_safe(html)  # nosec B308 B703
