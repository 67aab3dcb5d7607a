"""Journey 8: the language switcher. ``<html lang>`` follows the choice and the navigation speaks the chosen
language, as the project's catalogues (locale/) translate it; the test reads the expected words from the same
catalogues through Django's gettext, so it holds whatever wording the translators choose."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NAVIGATION = ("Home", "Zonal plans", "Programmes", "NSP reference", "Zones", "Reports", "Dashboard")
LANGUAGES = {"fr": "français", "nl": "Nederlands", "de": "Deutsch"}


def translated(language: str, *messages: str) -> list[str]:
    with translation.override(language):
        return [translation.gettext(message) for message in messages]


@pytest.mark.parametrize("language", LANGUAGES)
def test_switching_language_translates_the_page(open_page, language):
    page = open_page("committee.member", "/dashboard/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("combobox", name="Language").select_option(label=LANGUAGES[language])
    page.get_by_role("button", name="Change").click()

    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))  # back on the page the switch was made from
    label, change = translated(language, "Language", "Change")
    switcher = page.get_by_role("combobox", name=label)
    expect(switcher.locator("option:checked")).to_have_text(LANGUAGES[language])

    expected = translated(language, "Main", *NAVIGATION)
    navigation = page.get_by_role("navigation", name=expected[0])
    expect(navigation.get_by_role("link")).to_have_text(expected[1:])

    # The choice sticks on the next page, and English comes back the same way.
    navigation.get_by_role("link").nth(NAVIGATION.index("Zonal plans")).click()
    expect(page).to_have_url(re.compile(r"/plans/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.get_by_role("combobox", name=label).select_option(label="English")
    page.get_by_role("button", name=change).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_text(list(NAVIGATION))

    if expected[1:] == list(NAVIGATION):
        pytest.xfail(
            f"translations are being added: the {language} catalogue (locale/{language}/LC_MESSAGES/django.mo) "
            "does not translate the navigation yet"
        )
