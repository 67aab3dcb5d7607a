"""Sending e-mail so that one bad address or a mail server that is down never stops a loop.

Every mail of the application goes out through ``send_each``: one message per recipient, each failure
logged and returned (so the caller records it), the others sent all the same.
"""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)


def send_each(*, subject: str, body: str, recipients: list[str]) -> list[dict[str, str]]:
    """Send the same mail to each recipient on its own; return the failures as ``{"email", "error"}``."""
    failures = []
    for email in recipients:
        try:
            EmailMessage(subject=subject, body=body, to=[email]).send()
        except Exception as exc:  # SMTP errors, refused connections, timeouts: the next recipient still gets it
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            logger.warning("E-mail %r to %s could not be sent: %s", subject, email, error)
            failures.append({"email": email, "error": error})
    return failures
