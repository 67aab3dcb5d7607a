"""Pages need a login; the API answers 401 itself; a few paths are public."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

PUBLIC_PREFIXES = ("/accounts/login/", "/accounts/reset/", "/healthz/", "/static/", "/api/", "/i18n/", "/favicon.ico")


class LoginRequiredPagesMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


def start_session_clock(sender, request, user, **kwargs) -> None:
    """On sign-in (``user_logged_in``): the session's absolute lifetime and idle time count from now."""
    import time

    if hasattr(request, "session"):
        now = int(time.time())
        request.session[SessionTimeoutMiddleware.STARTED] = now
        request.session[SessionTimeoutMiddleware.SEEN] = now


class SessionTimeoutMiddleware:
    """Sign a person out after ``SESSION_IDLE_MINUTES`` without a request (sliding), and in any case
    ``SESSION_MAX_HOURS`` after they signed in. The next page then asks them to sign in again."""

    STARTED = "nsp_session_started"
    SEEN = "nsp_session_seen"
    # The last-seen time is written at most this often, so a busy page does not save the session each request.
    RESOLUTION = 60

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            import time

            from django.contrib.auth import logout

            now = int(time.time())
            session = request.session
            started = session.get(self.STARTED)
            seen = session.get(self.SEEN)
            idle = settings.SESSION_IDLE_MINUTES * 60
            lifetime = settings.SESSION_MAX_HOURS * 3600
            if started is None:
                session[self.STARTED] = session[self.SEEN] = now
            elif now - started > lifetime or (seen is not None and now - seen > idle):
                logout(request)
            elif seen is None or now - seen >= self.RESOLUTION:
                session[self.SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer to a signed-in person and on every API answer: a shared
    computer's browser, or a proxy, keeps no copy of a plan."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            from django.utils.cache import add_never_cache_headers

            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private, max-age=0
        return response
