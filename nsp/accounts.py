"""A person's account: API tokens that expire, login lockout (django-axes), language preference, and the
sections of the profile page.

- **Tokens.** One DRF token per user; it expires ``TOKEN_TTL_DAYS`` after it was issued. An expired token
  answers 401 with ``extra.code = "token_expired"``; asking for a token again issues a new one.
- **Lockout.** django-axes counts failed logins per username and address, on the login page, the admin's
  login and ``POST /api/v1/auth/token/`` alike; past ``LOGIN_FAILURE_LIMIT`` failures within
  ``LOGIN_COOLOFF_MINUTES`` the pair is locked out for that long. :func:`lockout_response` answers: a page
  in the user's language, or the API's error shape (429) under ``/api/``. Administrators clear a lockout
  from the users list in the admin, or with ``manage.py axes_reset_username <username>``.
- **Profile sections.** ``/accounts/profile/`` shows every registered :class:`ProfileSection`, in order.
  Another app adds its own with :func:`register_section` (in its ``AppConfig.ready``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

# --- API tokens -----------------------------------------------------------------------------------


def token_expires_at(token: Token) -> dt.datetime:
    return token.created + dt.timedelta(days=settings.TOKEN_TTL_DAYS)


def token_expired(token: Token, *, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= token_expires_at(token)


def token_for(user) -> Token | None:
    return Token.objects.filter(user=user).first()


def token_issue(*, user) -> Token:
    """The user's token: the current one, or a new one when there is none or it has expired."""
    token = token_for(user)
    if token is not None and not token_expired(token):
        return token
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_renew(*, user) -> Token:
    """A new token; the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_revoke(*, user) -> bool:
    deleted, _details = Token.objects.filter(user=user).delete()
    return bool(deleted)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than ``TOKEN_TTL_DAYS`` (401, ``token_expired``)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(
                _("Your API token expired on %(date)s; ask for a new one (POST /api/v1/auth/token/ or your profile).")
                % {"date": timezone.localtime(token_expires_at(token)).date().isoformat()},
                code="token_expired",
            )
        return user, token


# --- login lockout (django-axes) ------------------------------------------------------------------


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first of ``AUTHENTICATION_BACKENDS``; the next backend checks the password.

    ``authenticate()`` without a request (a management command, a test client's ``login``) has no address
    to count; axes refuses those outright, this backend leaves them to the password check. Every login a
    person can reach (the login page, the admin's, the token endpoint) passes the request and is counted.
    """

    def authenticate(self, request: HttpRequest | None = None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return _(
        "Too many failed sign-ins for this account from your address. For your security, signing in is blocked "
        "for %(minutes)d minutes; try again later, or ask an administrator to lift the block."
    ) % {"minutes": cool_off_minutes()}


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What a locked-out sign-in answers: the API's error shape under /api/, a page elsewhere (429)."""
    minutes = cool_off_minutes()
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"message": lockout_message(), "extra": {"code": "locked_out", "retry_after_minutes": minutes}},
            status=429,
        )
    else:
        response = TemplateResponse(
            request,
            "registration/locked_out.html",
            {"title": _("Signing in is blocked for a while"), "message": lockout_message(), "minutes": minutes},
            status=429,
        )
        response.render()
    response["Retry-After"] = str(minutes * 60)
    return response


def lockout_reset(*, username: str) -> int:
    """Lift every lockout and forget the failures of ``username`` (any address); answers the rows removed."""
    from axes.utils import reset

    return reset(username=username)


def locked_out(*, username: str) -> bool:
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(
        username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


# --- the profile page's sections ------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileSection:
    """One section of ``/accounts/profile/``: a template and what it needs from the request."""

    key: str
    title: Any
    template: str
    order: int = 100
    context: Callable[[HttpRequest], dict[str, Any]] | None = None


_SECTIONS: dict[str, ProfileSection] = {}


def register_section(section: ProfileSection) -> None:
    """Add (or replace, by key) a section of the profile page."""
    _SECTIONS[section.key] = section


def sections(request: HttpRequest) -> list[dict[str, Any]]:
    """The sections in order, each with its template and context."""
    out = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request) if section.context else {}
        out.append({"key": section.key, "title": section.title, "template": section.template, **context})
    return out


def _language_context(request: HttpRequest) -> dict[str, Any]:
    from nsp.forms import LanguagePreferenceForm

    return {"form": LanguagePreferenceForm(initial={"language": preferred_language(request.user) or ""})}


def _token_context(request: HttpRequest) -> dict[str, Any]:
    token = token_for(request.user)
    return {
        "token": token,
        "expires": token_expires_at(token) if token else None,
        "expired": token_expired(token) if token else False,
        "ttl_days": settings.TOKEN_TTL_DAYS,
    }


register_section(
    ProfileSection("language", gettext_lazy("Language"), "accounts/sections/language.html", 10, _language_context)
)
register_section(ProfileSection("token", gettext_lazy("API token"), "accounts/sections/token.html", 20, _token_context))
register_section(ProfileSection("password", gettext_lazy("Password"), "accounts/sections/password.html", 30))


# --- language preference --------------------------------------------------------------------------


def preferred_language(user) -> str:
    from nsp.models import UserPreference

    if not getattr(user, "is_authenticated", False):
        return ""
    return UserPreference.objects.filter(user=user).values_list("language", flat=True).first() or ""


def language_set(*, user, language: str) -> str:
    """Remember the user's language ("" = follow the browser)."""
    from nsp.models import UserPreference

    UserPreference.objects.update_or_create(user=user, defaults={"language": language})
    return language


def remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """Make the language cookie follow the preference (LocaleMiddleware reads it)."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )
    return response
