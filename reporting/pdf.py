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
from django.utils.translation import gettext as _
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
    return render_to_string("reporting/pdf/report.html", pdf_context(snapshot, digest=digest))


def pdf_context(snapshot: dict[str, Any], *, digest: str) -> dict[str, Any]:
    """What the report's template reads: the snapshot, and for a briefing its summary, charts and tables."""
    from reporting import briefing, charts, tables

    context: dict[str, Any] = {"snapshot": snapshot, "report": snapshot["report"], "digest": digest}
    if snapshot["report"]["kind"] == "national_overview":
        drawn = dict(charts.overview_charts(snapshot, prefix="pdf-"))
        sections = tables.overview_tables(snapshot)
        if "trend" in snapshot:
            national = snapshot["trend"]["national"]
            title = _("National progress at the end of each quarter")
            drawn["trend"] = charts.trend_line("pdf-trend", title, national) if national else ""
            rollups = snapshot["rollups"]
            drawn["provinces"] = charts.progress_bars("pdf-provinces", _("Progress per province"), rollups["provinces"])
            drawn["programmes"] = charts.progress_bars(
                "pdf-programmes", _("Progress per federal programme"), rollups["programmes"]
            )
            sections += tables.trend_tables(snapshot["trend"]) + tables.rollup_tables(rollups)
            sections.append(tables.attention_table(snapshot["attention"]))
            context["summary"] = briefing.national_summary(snapshot)
        context["charts"] = drawn
        context["tables"] = {t.key.replace("-", "_"): t for t in sections}
    elif snapshot["report"]["kind"] == "zone_annual":
        context["charts"] = charts.plan_charts(snapshot, prefix="pdf-")
        context["summary"] = briefing.zone_summary(snapshot)
        context["tables"] = {t.key.replace("-", "_"): t for t in tables.sections(snapshot) if t.key}
    return context


def pdf_document(snapshot: dict[str, Any], *, digest: str):
    """The laid-out WeasyPrint document (pages and boxes), before it becomes PDF bytes."""
    base_url = (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"
    html = HTML(string=pdf_html(snapshot, digest=digest), base_url=base_url, url_fetcher=LocalOnlyFetcher())
    return html.render()


def render_pdf(snapshot: dict[str, Any], *, digest: str) -> bytes:
    return pdf_document(snapshot, digest=digest).write_pdf()
