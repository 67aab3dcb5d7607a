"""The Content-Security-Policy in the browser (issue 9, S8): the main pages of each role and the profile page
load with no violation, and the check itself catches one (every journey's ``open_page`` fails on a violation)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MAIN_PAGES = {
    "chief.5339": ["/", "/accounts/profile/", "/plans/", "/reference/", "/reports/", "/reports/subscriptions/"],
    "committee.member": ["/", "/dashboard/", "/dashboard/trend/", "/dashboard/coverage/", "/dashboard/collection/"],
    "federal.planner": ["/", "/programmes/"],
}


@pytest.mark.parametrize("username", sorted(MAIN_PAGES))
def test_main_pages_load_under_the_policy(open_page, username):
    page = open_page(username)
    for path in MAIN_PAGES[username]:
        response = page.goto(path)
        assert response is not None
        if response.status == 404:
            continue  # an address this set-up does not have; the others still count
        assert response.status == 200, path
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        expect(page.locator("main")).to_be_visible()
    # A violation, if any, fails this test when open_page closes the window.


def test_the_check_sees_a_violation(browser, demo_site):
    context = browser.new_context(base_url=demo_site.base_url)
    seen: list[str] = []
    context.on("console", lambda message: seen.append(message.text))
    page = context.new_page()
    page.goto("/accounts/login/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">inline</p>')")
    page.evaluate("const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s)")
    page.wait_for_timeout(200)
    context.close()
    assert any("Content Security Policy" in text for text in seen), seen
