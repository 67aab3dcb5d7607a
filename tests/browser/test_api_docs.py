"""Journey: the API documentation (``/api/docs/``, drf-spectacular's Swagger UI served from the
drf-spectacular-sidecar files in our own static files) lists every operation of the OpenAPI document and
lets a user try them: a read, and a write with the browser session and its CSRF token; an anonymous visitor
reads the documentation and the API answers them 401.

The write adds an objective with a title of its own to the 5339 current draft and deletes it again, so no
other journey sees it (docs/testing.md, "Independence")."""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from collections import Counter
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.helpers import csrf_token

pytestmark = pytest.mark.browser

DOCS = "/api/docs/"
SCHEMA = "/api/schema/?format=json"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
CHIEF, ZONE = "chief.5339", "5339"  # the zone chief of 5339, whose current plan is a draft
# Swagger UI downloads and parses the whole OpenAPI document (about 700 kB of YAML) before it shows anything.
RENDER_MS = 45_000


def schema_operations(page: Page) -> list[tuple[str, str]]:
    """Every (METHOD, path) of the OpenAPI document, as the page's user is served it."""
    response = page.request.get(SCHEMA)
    assert response.status == 200, f"{SCHEMA} answered {response.status}: {response.text()[:300]}"
    paths = response.json()["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item if method in HTTP_METHODS]


def rendered_operations(page: Page) -> list[tuple[str, str]]:
    """Every (METHOD, path) of the operation blocks Swagger UI shows."""
    pairs = page.locator(".opblock").evaluate_all(
        """blocks => blocks.map(block => {
            const path = block.querySelector('.opblock-summary-path');
            return [
                block.querySelector('.opblock-summary-method').textContent.trim(),
                path.dataset.path || path.textContent.replace(/\\u200b/g, '').trim(),
            ];
        })"""
    )
    return [(method.upper(), path) for method, path in pairs]


def wait_for_operations(page: Page, expected: int) -> None:
    """Wait until Swagger UI has drawn the document: its title, then (as far as it will) every operation."""
    expect(page.get_by_role("heading", level=1)).to_contain_text("NSP Planner API", timeout=RENDER_MS)
    # Not a failure yet: the comparison of the operations that follows says which ones differ.
    with contextlib.suppress(AssertionError):
        expect(page.locator(".opblock")).to_have_count(expected)


def assert_every_operation_shown(page: Page) -> None:
    expected = schema_operations(page)
    wait_for_operations(page, len(expected))
    shown = rendered_operations(page)
    missing, unknown = set(expected) - set(shown), set(shown) - set(expected)
    assert not missing and not unknown, (
        f"Swagger UI does not show the schema's operations.\nIn the schema, not on the page: {sorted(missing)}\n"
        f"On the page, not in the schema: {sorted(unknown)}"
    )
    twice = sorted(operation for operation, count in Counter(shown).items() if count > 1)
    assert not twice, f"Operations shown more than once: {twice}"


def try_out(page: Page, method: str, path: str) -> Locator:
    """Expand the operation and press "Try it out"; returns the operation's block."""
    block = page.locator(f".opblock.opblock-{method.lower()}").filter(
        has=page.locator(f'.opblock-summary-path[data-path="{path}"]')
    )
    expect(block).to_have_count(1, timeout=RENDER_MS)
    block.locator(".opblock-summary-control").click()
    block.get_by_role("button", name="Try it out").click()
    expect(block.get_by_role("button", name="Execute")).to_be_visible()
    return block


def execute(block: Locator, expected_status: int) -> dict:
    """Press "Execute" and wait for the live response; returns its JSON body."""
    block.get_by_role("button", name="Execute").click()
    live = block.locator(".live-responses-table tr.response")
    status = live.locator("td.response-col_status")
    expect(status).to_have_text(re.compile(r"\d{3}"))
    body = live.locator("td.response-col_description")
    assert status.inner_text().strip() == str(expected_status), (
        f"The live response is not {expected_status}: {status.inner_text()}\n{body.inner_text()}"
    )
    return json.loads(body.locator(".highlight-code code").inner_text())


def test_docs_load_from_the_site_alone_and_show_every_operation(open_page, demo_site):
    page = open_page(CHIEF)
    requested, failed, refused = [], [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))

    def answered(response) -> None:
        if response.status >= 400:
            refused.append(f"{response.url}: {response.status}")

    page.on("response", answered)
    site = urlsplit(demo_site.base_url).netloc

    def outside() -> list[str]:
        # data: and blob: URLs are read from the page itself; every other request must go to the site alone.
        local = {"data", "blob"}
        return [url for url in requested if urlsplit(url).scheme not in local and urlsplit(url).netloc != site]

    page.goto(DOCS)
    expect(page).to_have_url(re.compile(rf"{re.escape(DOCS)}$"))
    # Checked before waiting for Swagger UI too, which never draws when its scripts are not served here.
    assert not outside(), f"The documentation page asked another host than {site}: {outside()}"

    assert_every_operation_shown(page)

    page.wait_for_load_state("networkidle")  # what the page asks for late (images, badges) too
    assert not outside(), f"The documentation page asked another host than {site}: {outside()}"
    assert any("/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in url for url in requested), requested
    assert not failed, f"Requests of the documentation page failed: {failed}"
    assert not refused, f"Requests of the documentation page were refused: {refused}"


def test_try_out_a_read(open_page):
    page = open_page(CHIEF, DOCS)
    listed = page.request.get("/api/v1/zonal-plans/")
    assert listed.status == 200, listed.text()[:300]

    block = try_out(page, "GET", "/api/v1/zonal-plans/")
    body = execute(block, 200)

    assert set(body) >= {"count", "next", "previous", "results"}, body
    assert body["count"] == listed.json()["count"] > 0


def test_try_out_a_write_with_the_session_and_its_csrf_token(open_page, demo_site):
    page = open_page(CHIEF, DOCS)
    drafts = page.request.get(f"/api/v1/zonal-plans/?zone={ZONE}&status=draft")
    assert drafts.status == 200, drafts.text()[:300]
    (plan,) = drafts.json()["results"]
    assert plan["id"] == demo_site.plan(f"{ZONE}/current"), plan
    marker = uuid.uuid4().hex[:12]
    title = f"Tried out in the API documentation {marker}"

    def mine() -> list[dict]:
        found = page.request.get(f"/api/v1/objectives/?plan={plan['id']}&search={quote(marker)}")
        assert found.status == 200, found.text()[:300]
        return found.json()["results"]

    try:
        block = try_out(page, "POST", "/api/v1/objectives/")
        block.locator("textarea.body-param__text").fill(
            json.dumps({"plan": plan["id"], "level": "strategic", "title": title}, indent=2)
        )
        with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/api/v1/objectives/")) as sent:
            created = execute(block, 201)
        # Swagger UI's request interceptor adds the CSRF token of the page to the session's write.
        assert sent.value.headers.get("x-csrftoken"), sent.value.headers

        assert created["title"] == title and created["plan"] == plan["id"], created
        stored = page.request.get(f"/api/v1/objectives/{created['id']}/")
        assert stored.status == 200, stored.text()[:300]
        assert stored.json()["title"] == title
        assert stored.json()["level"] == "strategic"
        assert [objective["id"] for objective in mine()] == [created["id"]]
    finally:
        # The demo site is shared: leave the draft as it was, whatever happened above.
        for objective in mine():
            deleted = page.request.delete(
                f"/api/v1/objectives/{objective['id']}/", headers={"X-CSRFToken": csrf_token(page)}
            )
            assert deleted.status == 204, f"Could not delete objective {objective['id']}: {deleted.text()[:300]}"
    assert mine() == []


def test_anonymous_visitor_reads_the_docs_and_the_api_answers_401(open_page):
    page = open_page(None, DOCS)
    # The documentation is public (like the schema); only the API itself asks for credentials.
    expect(page).to_have_url(re.compile(rf"{re.escape(DOCS)}$"))
    assert_every_operation_shown(page)

    block = try_out(page, "GET", "/api/v1/zonal-plans/")
    body = execute(block, 401)

    assert body["extra"]["code"] == "not_authenticated", body
