"""Journey 1: signing in and out, and being sent back to the page one asked for."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def test_wrong_password_is_refused_then_sign_in_and_out(open_page):
    page = open_page(None, "/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    page.get_by_label("Username").fill("planner.5339")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    error = page.get_by_role("alert")
    expect(error).to_contain_text("Could not sign you in")
    expect(error).to_contain_text("Please enter a correct username and password")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)

    sign_in(page, "planner.5339")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    expect(page.get_by_text("Welcome, Nadia El Amrani.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()

    page.locator("summary", has_text="Nadia El Amrani").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    # Signed out for real: the home page sends back to the login page.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_anonymous_visit_to_a_plan_returns_to_it_after_sign_in(open_page, demo_site):
    plan_url = demo_site.plan_url("5415/2020")
    page = open_page(None, plan_url)
    expect(page).to_have_url(re.compile(rf"/accounts/login/\?next={re.escape(plan_url)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    sign_in(page, "committee.member")
    expect(page).to_have_url(re.compile(rf"{re.escape(plan_url)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zonal security plan 2020-2025, 5415 PZ Gent")
