"""Sections another app adds at the top of the home page, for the roles it serves (the Committee's and the
CPPL-VCLP's sections come from ``reporting``). The core names no app above it: an app registers a
:class:`HomeSection` in its ``AppConfig.ready``; the home page shows those whose ``context`` answers a dict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class HomeSection:
    key: str
    template: str
    order: int = 100
    # The section's context for this request, or None when the section is not for this user.
    context: Callable[[HttpRequest], dict[str, Any] | None] | None = None


_SECTIONS: dict[str, HomeSection] = {}


def register_section(section: HomeSection) -> None:
    """Add (or replace, by key) a home page section."""
    _SECTIONS[section.key] = section


def sections(request: HttpRequest) -> list[dict[str, Any]]:
    """The sections for this request, in order, each with its template and context."""
    out = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request) if section.context else {}
        if context is not None:
            out.append({"key": section.key, "template": section.template, **context})
    return out
