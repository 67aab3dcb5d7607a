"""The PDF of a report, by WeasyPrint, built offline: its template and CSS are ours, fonts come from the system's
fontconfig, and the URL fetcher refuses anything that is not a local file under our static or template folders (or
a ``data:`` URL). Imported only where a PDF is rendered (``renderers.render_pdf``): WeasyPrint is slow to load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def local_roots() -> list[Path]:
    """Where the PDF may load files from: our static files and templates, nothing else."""
    roots = [Path(settings.BASE_DIR) / "static", Path(settings.BASE_DIR) / "templates"]
    return [r.resolve() for r in roots]


class LocalOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that refuses the network: only ``data:`` and files under ``roots``."""

    def __init__(self, roots: list[Path] | None = None) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = roots if roots is not None else local_roots()

    def fetch(self, url: str, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            path = Path(url2pathname(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"Refused a file outside the report's folders: {url}")
        elif scheme != "data":
            raise ValueError(f"Refused a remote resource (reports load nothing from the network): {url}")
        return super().fetch(url, headers)


def pdf_html(snapshot: dict[str, Any], *, digest: str) -> str:
    from reporting import charts

    kind = snapshot["report"]["kind"]
    figures = charts.overview_charts(snapshot) if kind == "national_overview" else {}
    return render_to_string(
        "reporting/pdf/report.html",
        {"snapshot": snapshot, "report": snapshot["report"], "digest": digest, "charts": figures},
    )


def pdf_document(snapshot: dict[str, Any], *, digest: str):
    """The laid-out WeasyPrint document (pages and boxes), before it becomes PDF bytes."""
    base_url = (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"
    html = HTML(string=pdf_html(snapshot, digest=digest), base_url=base_url, url_fetcher=LocalOnlyFetcher())
    return html.render()


def render_pdf(snapshot: dict[str, Any], *, digest: str) -> bytes:
    return pdf_document(snapshot, digest=digest).write_pdf()
