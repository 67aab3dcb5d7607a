"""The languages of the application, and the per-language columns modeltranslation adds (``name`` → ``name_en``...)."""

from __future__ import annotations

from django.conf import settings

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def translated_fields(*names: str) -> list[str]:
    """``name`` → ``name_en``, ``name_fr``, ``name_nl``, ``name_de``: the columns of a translated field."""
    return [f"{name}_{code}" for name in names for code in LANGUAGES]
