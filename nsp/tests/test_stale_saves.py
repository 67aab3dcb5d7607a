"""Edit pages refuse stale saves (issue 13, L4): the form carries the version it was read at (the API's ETag);
a save over a newer version writes nothing and shows the other person's values beside yours."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from nsp.api.testing import API, client_for
from nsp.models import PlanStatus
from nsp.tests.test_views_scenario import build, form_data
from nsp.viewmixins import VERSION_FIELD
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

# (page, the world's row it edits, a text field, the plan's state the page needs)
EDIT_PAGES = [
    ("nsp:objective-edit", "objective", "title", PlanStatus.DRAFT),
    ("nsp:indicator-edit", "indicator", "name", PlanStatus.DRAFT),
    ("nsp:action-edit", "action", "title", PlanStatus.DRAFT),
    ("nsp:measurement-edit", "measurement", "note", PlanStatus.APPROVED),
    ("zones:expectation-edit", "expectation", "text", PlanStatus.DRAFT),
    ("zones:candidate-edit", "candidate", "label", PlanStatus.DRAFT),
    ("zones:plan-edit", "plan", "title", PlanStatus.DRAFT),
]


def edit_form(client: Client, address: str) -> tuple[dict, str]:
    """What the browser posts back (the form as rendered) and the version it carries."""
    response = client.get(address)
    assert response.status_code == 200
    version = re.search(rf'name="{VERSION_FIELD}" value="([^"]+)"', response.content.decode())
    assert version, "the edit form carries no version"
    return form_data(response.context["form"]), version.group(1).replace("&quot;", '"')


def two_editors(world):
    mine, theirs = Client(), Client()
    sign_in(mine, "zone_planner", zone=world.zone)
    sign_in(theirs, "zone_chief", zone=world.zone)
    return mine, theirs


@pytest.mark.parametrize(("page", "attr", "field", "status"), EDIT_PAGES)
def test_a_stale_save_is_refused_and_shows_both_values(page, attr, field, status):
    world = build(status)
    row = getattr(world, attr)
    address = reverse(page, kwargs={"pk": row.pk})
    mine, theirs = two_editors(world)
    my_data, my_version = edit_form(mine, address)
    their_data, _ = edit_form(theirs, address)

    assert theirs.post(address, {**their_data, field: "Their text", VERSION_FIELD: my_version}).status_code == 302
    response = mine.post(address, {**my_data, field: "My text", VERSION_FIELD: my_version})

    assert response.status_code == 409
    row.refresh_from_db()
    assert getattr(row, field) == "Their text"  # nothing of mine was written
    [difference] = [d for d in response.context["conflict"] if d.field == field]
    assert (difference.theirs, difference.yours) == ("Their text", "My text")
    page_text = response.content.decode()
    assert "Their text" in page_text and "My text" in page_text
    assert "Take theirs" in page_text and "Keep mine" in page_text

    # Keep mine: the refused page carries the new version; saving it again wins.
    _, new_version = response.context["form"], response.context["version"]
    assert new_version != my_version
    kept = mine.post(address, {**my_data, field: "My text", VERSION_FIELD: new_version})
    assert kept.status_code == 302
    row.refresh_from_db()
    assert getattr(row, field) == "My text"


def test_take_theirs_reloads_the_saved_values():
    world = build()
    address = reverse("nsp:objective-edit", kwargs={"pk": world.objective.pk})
    mine, theirs = two_editors(world)
    my_data, version = edit_form(mine, address)
    theirs.post(address, {**edit_form(theirs, address)[0], "title": "Their title", VERSION_FIELD: version})
    refused = mine.post(address, {**my_data, "title": "My title", VERSION_FIELD: version})
    assert refused.status_code == 409
    reloaded = mine.get(refused.context["reload_url"])
    assert reloaded.context["form"]["title"].value() == "Their title"


def test_only_the_fields_that_differ_are_listed():
    world = build()
    address = reverse("nsp:objective-edit", kwargs={"pk": world.objective.pk})
    mine, theirs = two_editors(world)
    my_data, version = edit_form(mine, address)
    theirs.post(address, {**my_data, "description": "Their description", VERSION_FIELD: version})
    response = mine.post(address, {**my_data, "title": "My title", VERSION_FIELD: version})
    assert response.status_code == 409
    assert {d.field for d in response.context["conflict"]} == {"title", "description"}


def test_the_page_version_is_the_api_etag():
    world = build()
    user = sign_in(Client(), "zone_planner", zone=world.zone)
    client = Client()
    client.force_login(user)
    _, version = edit_form(client, reverse("nsp:objective-edit", kwargs={"pk": world.objective.pk}))
    assert client_for(user).get(f"{API}objectives/{world.objective.pk}/")["ETag"] == version


def test_a_save_with_the_current_version_or_none_is_accepted():
    world = build()
    address = reverse("nsp:objective-edit", kwargs={"pk": world.objective.pk})
    mine, _ = two_editors(world)
    data, version = edit_form(mine, address)
    assert mine.post(address, {**data, "title": "First", VERSION_FIELD: version}).status_code == 302
    data, _ = edit_form(mine, address)
    assert mine.post(address, {**data, "title": "Second"}).status_code == 302  # no version: a script
    world.objective.refresh_from_db()
    assert world.objective.title == "Second"
