"""Send a spec's requests as a row's role and judge each answer against the row's expectation."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from django.db import transaction
from django.urls import reverse

from tests.permission_matrix.effects import Unchanged
from tests.permission_matrix.rows import Row
from tests.permission_matrix.specs import SPECS, NoRoute, Request, Target
from tests.permission_matrix.world import World

# Allowed API writes: 201 for a create, 200 for a change or an action (transition, scores, cancel, import),
# 202 for a report request (accepted: the run is queued, a worker produces it).
API_WRITE_STATUSES = {"POST": (200, 201, 202), "PATCH": (200,), "PUT": (200,), "DELETE": (204,)}


def requests_for(world: World, row: Row, channel: str) -> list[Request]:
    spec = SPECS[(row.object, row.action)][channel]
    assert not isinstance(spec, NoRoute), f"{row} has no {channel} route: {spec.reason}"
    return spec(Target(world, row))


def send(world: World, row: Row, channel: str, request: Request):
    if channel == "page":
        client = world.pages[row.role]
        if request.method == "GET":
            return client.get(request.url)
        return client.post(request.url, request.data or {})
    client = world.api[row.role]
    method = getattr(client, request.method.lower())
    if request.data is None:
        return method(request.url)
    return method(request.url, request.data, format="multipart" if request.multipart else "json")


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return f"<a file: {response.get('Content-Disposition', '')}>"
    return response.content.decode(errors="replace")


def listed(channel: str, request: Request, response) -> bool:
    if channel == "page":
        return request.listed in body_of(response)
    ids = {str(item.get("id")) for item in response.json().get("results", [])}
    return request.listed in ids


def login_problem(channel: str, request: Request, response) -> str | None:
    if channel == "api":
        return None if response.status_code == 401 else "expected 401"
    location = response.get("Location", "")
    parts = urlsplit(location)
    if response.status_code != 302 or parts.path != reverse("accounts:login"):
        return "expected a redirect to the login page"
    if parse_qs(parts.query).get("next") != [request.url]:
        return f"the login redirect names next={parse_qs(parts.query).get('next')}, expected {request.url}"
    return None


def hidden_parent(request: Request, response) -> bool:
    """An API create naming a parent the caller may not read: 400 "does not exist" on that field."""
    if not request.creates_with or response.status_code != 400:
        return False
    fields = response.json().get("extra", {}).get("fields", {})
    return any("does not exist" in str(message) for message in fields.get(request.creates_with, []))


def status_problem(row: Row, channel: str, request: Request, response) -> str | None:
    expected, status = row.expected, response.status_code
    if request.check == "open":
        return None if status == 200 else "expected 200 (a page every signed-in user has)"
    if request.check == "listed":
        if status != 200:
            return "expected 200 (a list)"
        shown, readable = listed(channel, request, response), expected != "404"
        if shown != readable:
            return f"the list {'shows' if shown else 'does not show'} {request.listed}"
        return None
    if expected == "403":
        return None if status == 403 else "expected 403"
    if expected == "404":
        return None if status == 404 or hidden_parent(request, response) else "expected 404"
    if channel == "page":
        wanted = (302,) if request.is_write and request.writes else (200,)
    else:
        wanted = API_WRITE_STATUSES[request.method] if request.is_write else (200,)
    if status not in wanted:
        return f"expected {' or '.join(map(str, wanted))}"
    if request.shows and request.shows not in body_of(response):
        return f"the answer does not show {request.shows!r}"
    return None


def probe(world: World, row: Row, channel: str, request: Request) -> str | None:
    """Send one request in a savepoint that is rolled back; None when it answers as the row expects."""
    with transaction.atomic():
        if request.prepare is not None:
            request.prepare()
        allowed_write = row.expected == "allow" and request.is_write and request.writes and request.check == "status"
        unchanged = Unchanged(request.watch, request.rows)
        before = unchanged.snapshot()
        effect_before = request.effect.before() if allowed_write and request.effect else None
        try:
            response = send(world, row, channel, request)
        except Exception as exc:  # a 500: say which request raised what
            transaction.set_rollback(True)
            return describe(row, channel, request, None, f"raised {type(exc).__name__}: {exc}")
        problem = (
            login_problem(channel, request, response)
            if row.expected == "login"
            else status_problem(row, channel, request, response)
        )
        if problem is None and allowed_write and request.effect is not None:
            problem = request.effect.check(effect_before)
        if problem is None and not allowed_write:
            problem = unchanged.differences(before)
        transaction.set_rollback(True)
    return None if problem is None else describe(row, channel, request, response, problem)


def describe(row: Row, channel: str, request: Request, response, problem: str) -> str:
    sent = f"{request}"
    if request.data:
        shown = {k: (v.name if hasattr(v, "read") else v) for k, v in request.data.items()}
        sent += f" {json.dumps(shown, default=str)[:200]}"
    got = "no answer" if response is None else f"{response.status_code} {response.get('Location', '')}".strip()
    body = "" if response is None else body_of(response)[:300]
    return f"{row} via {channel}: {sent}\n  expected {row.expected}, got {got}: {problem}\n  body: {body}"


def mismatches(world: World, row: Row, channel: str) -> list[str]:
    return [m for request in requests_for(world, row, channel) if (m := probe(world, row, channel, request))]
