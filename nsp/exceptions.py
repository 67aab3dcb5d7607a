"""One exception type for domain errors. The API renders it as ``{"message": ..., "extra": ...}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A rule of the domain refused the request; ``message`` is for the user, ``extra`` details it."""

    status_code = 400

    def __init__(self, message: str, *, extra: dict[str, Any] | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = str(message)
        self.extra = extra or {}
        self.code = code

    @classmethod
    def from_validation_error(cls, error: ValidationError, message: str | None = None) -> DomainError:
        from django.utils.translation import gettext as _

        if hasattr(error, "error_dict"):
            fields = {name: [str(m) for e in errs for m in e.messages] for name, errs in error.error_dict.items()}
            first = next((msgs[0] for msgs in fields.values() if msgs), "")
            if message is None:
                message = first if len(fields) == 1 else _("Please correct the errors below.")
            return cls(message, extra={"fields": fields})
        messages = [str(m) for m in error.messages]
        return cls(message or (messages[0] if messages else _("Invalid input.")), extra={"errors": messages})


class Conflict(DomainError):
    """The object changed since the client read it (stale ETag / If-Match)."""

    status_code = 412
