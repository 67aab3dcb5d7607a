"""One URL naming convention: every named route is in its app's namespace (docs/decisions.md, "One URL naming
convention"), and no source file reverses a bare name, so a later un-namespaced reference fails here rather
than as a NoReverseMatch on one page (or, through ``url_or_empty``, as a link that silently disappears)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bin" / "rename-url-names"

# Named routes outside any namespace, each Django's own.
EXCEPTIONS = {"set_language": "Django's language switch (django.conf.urls.i18n), reversed by Django's name"}
# Namespaces that are not an app of ours.
FOREIGN_NAMESPACES = {"admin": "the Django admin site names its own routes"}
APP_NAMESPACES = {"nsp", "accounts", "api", "clusters", "zones", "programmes", "reporting"}

# Django's own reversers: a quoted name without a namespace as their first argument is a bare name.
REVERSERS = r"(?<![\w.])(?:reverse|reverse_lazy|redirect|resolve_url)\(\s*"
BARE = r"(?P<q>['\"])(?P<name>[\w-]+)(?P=q)"
TAG = re.compile(r"\{%-?\s*(?:url|url_or_empty)\s+" + BARE)
CALL = re.compile(REVERSERS + BARE)
SETTING = re.compile(r"^\s*(?:LOGIN_URL|LOGIN_REDIRECT_URL|LOGOUT_REDIRECT_URL|AXES_LOCKOUT_URL)\s*=\s*" + BARE, re.M)
URL_NAME = re.compile(r"resolver_match\.url_name\b")


def rename_script():
    loader = importlib.machinery.SourceFileLoader("rename_url_names", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def named_patterns(resolver=None, namespace: str = ""):
    """(namespace, name) of every named URL pattern; the namespace is "" outside any."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".lstrip(":") if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace, pattern.name


def line_of(text: str, match: re.Match) -> int:
    return text.count("\n", 0, match.start()) + 1


def test_every_named_route_is_in_a_namespace():
    bare = sorted(name for namespace, name in named_patterns() if not namespace and name not in EXCEPTIONS)
    assert bare == [], f"named routes outside a namespace (give the urls module an app_name): {bare}"


def test_the_namespaces_are_the_apps_and_the_exceptions_are_real():
    patterns = set(named_patterns())
    namespaces = {namespace.split(":")[0] for namespace, _name in patterns if namespace}
    assert namespaces == APP_NAMESPACES | set(FOREIGN_NAMESPACES)
    assert {name for namespace, name in patterns if not namespace} == set(EXCEPTIONS)


def test_the_core_accounts_and_api_names():
    assert reverse("nsp:home") == "/"
    assert reverse("nsp:healthz") == "/healthz/"
    assert reverse("nsp:objective", kwargs={"pk": 1}) == "/objectives/1/"
    assert reverse("accounts:login") == "/accounts/login/"
    assert reverse("api:root") == "/api/v1/"
    assert reverse("api:objectives-list") == "/api/v1/objectives/"
    assert reverse("api:schema") == "/api/schema/"
    assert reverse("api:docs") == "/api/docs/"


def test_the_login_settings_name_our_pages():
    assert resolve_url(settings.LOGIN_URL) == reverse("accounts:login")
    assert resolve_url(settings.LOGOUT_REDIRECT_URL) == reverse("accounts:login")
    assert resolve_url(settings.LOGIN_REDIRECT_URL) == reverse("nsp:home")


def test_the_auth_views_do_not_fall_back_on_djangos_bare_names():
    """Django's auth views send to ``password_change_done`` / ``password_reset_complete`` / ``password_reset_done``
    unless told otherwise: every one we route says where, within ``accounts:``."""
    checked = []
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "accounts":
            for route in pattern.url_patterns:
                view = getattr(route.callback, "view_class", None)
                if view and issubclass(view, auth_views.PasswordContextMixin) and hasattr(view, "success_url"):
                    target = resolve(str(view.success_url))  # a bare default raises NoReverseMatch here
                    assert target.namespace == "accounts", (view, target.view_name)
                    checked.append(view.__name__)
    assert sorted(checked) == ["PasswordChangeView", "PasswordResetConfirmView"]


def test_no_source_file_has_a_bare_core_or_accounts_name():
    """What ``bin/rename-url-names`` would still rewrite: run it (.venv/bin/python bin/rename-url-names)."""
    left = {path: count for path, (_text, count) in rename_script().plan().items()}
    assert left == {}, f"bare core/accounts URL names, run .venv/bin/python bin/rename-url-names: {left}"


def test_no_source_file_reverses_a_bare_name():
    """Any name, of any app: a ``{% url %}`` tag, a reverse call or a login setting with a name and no namespace."""
    found = []
    for path in rename_script().source_files():
        text = (ROOT / path).read_text(encoding="utf-8")
        for pattern in (TAG, CALL, SETTING):
            for match in pattern.finditer(text):
                if match["name"] not in EXCEPTIONS:
                    found.append(f"{path}:{line_of(text, match)} {match['name']}")
        found += [
            f"{path}:{line_of(text, m)} url_name of a resolver match (use view_name)" for m in URL_NAME.finditer(text)
        ]
    assert found == [], "bare URL names:\n" + "\n".join(found)
