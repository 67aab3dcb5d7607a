"""The reference pages set the NSP 2022-2025 beside the 2016-2019 edition it continues, in the four languages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from clusters.reference import load_shipped
from nsp.models import NationalSecurityPlan
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
LANGUAGES = ("en", "fr", "nl", "de")


@pytest.fixture
def editions():
    load_shipped()
    return NationalSecurityPlan.objects.get(code="nsp-2016-2019"), NationalSecurityPlan.objects.get(
        code="nsp-2022-2025"
    )


def page(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    return response.content.decode()


def row_of(html: str, name: str) -> str:
    """The table row whose header names ``name``."""
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    found = [row for row in rows if name in row.split("</th>")[0]]
    assert found, name
    return found[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_mapping_page_sets_each_2022_phenomenon_beside_the_2016_one_it_continues(client, editions, language):
    old, new = editions
    client.force_login(user_with_role("cppl_member"))  # every role reads the reference
    html = page(client, reverse("clusters:edition-mapping", kwargs={"pk": new.pk}), language)
    property_crime = new.phenomena.get(number=4)
    with translation.override(language):
        row = row_of(html, getattr(property_crime, f"name_{language}"))
        # Phenomenon 4 of 2022-2025 continues phenomenon 7 of 2016-2019, by our inference.
        assert getattr(old.phenomena.get(number=7), f"name_{language}") in row
        assert gettext("Inferred") in row
        unofficial = gettext("Unofficial translation")
        assert (unofficial in row.split("</th>")[0]) == (language != "fr")  # French titles are the sources'
        # Phenomena 14 and 15 and themes 3 and 4 are new in 2022-2025.
        assert html.count(gettext("New in this edition")) == 4
        assert getattr(new, f"title_{language}") in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_edition_list_shows_both_editions_and_links_the_mapping(client, editions, language):
    old, new = editions
    client.force_login(user_with_role("committee_member"))
    html = page(client, reverse("clusters:edition-list"), language)
    assert getattr(old, f"title_{language}") in html and getattr(new, f"title_{language}") in html
    assert reverse("clusters:edition-mapping", kwargs={"pk": new.pk}) in html
    with translation.override(language):
        assert gettext("Beside the previous edition") in html
