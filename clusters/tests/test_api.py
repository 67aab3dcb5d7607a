"""The NSP reference through the API: read by every role, in the request's language, filtered."""

import pytest

from nsp.api.testing import API, assert_error, client_for
from tests.factories import (
    CrossCuttingThemeFactory,
    NationalSecurityPlanFactory,
    PoliceZoneFactory,
    SecurityClusterFactory,
    SecurityPhenomenonFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference():
    nsp = NationalSecurityPlanFactory(code="nsp-2016-2019")
    cluster = SecurityClusterFactory(nsp=nsp, number=1, name="Traffic safety", name_fr="Sécurité routière")
    drugs = SecurityClusterFactory(nsp=nsp, number=2, name="Drugs")
    phenomenon = SecurityPhenomenonFactory(nsp=nsp, cluster=cluster, number=1, name="Road safety")
    SecurityPhenomenonFactory(nsp=nsp, cluster=drugs, number=2, name="Cannabis", is_national_priority=False)
    theme = CrossCuttingThemeFactory(nsp=nsp, number=1, name="Cybercrime", key_point="Digital first")
    return nsp, cluster, phenomenon, theme


def test_every_role_reads_the_reference(reference):
    _nsp, cluster, phenomenon, theme = reference
    client = client_for(user_with_role("cppl_member"))
    assert client.get(f"{API}clusters/").json()["count"] == 2
    assert client.get(f"{API}phenomena/{phenomenon.pk}/").json()["cluster"] == cluster.pk
    assert client.get(f"{API}themes/{theme.pk}/").json()["key_point"] == "Digital first"


def test_names_follow_the_request_language(reference):
    _nsp, cluster, _phenomenon, _theme = reference
    client = client_for(user_with_role("committee_member"))
    assert client.get(f"{API}clusters/{cluster.pk}/", HTTP_ACCEPT_LANGUAGE="fr").json()["name"] == "Sécurité routière"
    assert client.get(f"{API}clusters/{cluster.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()["name"] == "Traffic safety"


def test_filters_search_and_ordering(reference):
    nsp, cluster, phenomenon, _theme = reference
    client = client_for(user_with_role("committee_member"))
    assert [p["id"] for p in client.get(f"{API}phenomena/", {"cluster": cluster.pk}).json()["results"]] == [
        phenomenon.pk
    ]
    assert client.get(f"{API}phenomena/", {"is_national_priority": "true"}).json()["count"] == 1
    assert client.get(f"{API}phenomena/", {"nsp": "nsp-2016-2019"}).json()["count"] == 2
    assert client.get(f"{API}phenomena/", {"nsp": str(nsp.pk), "search": "cannabis"}).json()["count"] == 1
    names = [c["name"] for c in client.get(f"{API}clusters/", {"ordering": "-number"}).json()["results"]]
    assert names == ["Drugs", "Traffic safety"]
    assert client.get(f"{API}themes/", {"search": "cyber"}).json()["count"] == 1
    assert_error(client.get(f"{API}clusters/", {"ordering": "password"}), 400, field="ordering")


def test_federal_planners_correct_the_reference_others_may_not(reference):
    _nsp, cluster, phenomenon, _theme = reference
    client = client_for(user_with_role("federal_planner"))
    response = client.patch(f"{API}clusters/{cluster.pk}/", {"name_de": "Straßenverkehrssicherheit"}, format="json")
    assert response.status_code == 200, response.json()
    cluster.refresh_from_db()
    assert cluster.name_de == "Straßenverkehrssicherheit"
    assert cluster.history.first().history_user.username == response.wsgi_request.user.username
    response = client.patch(f"{API}phenomena/{phenomenon.pk}/", {"number": "many"}, format="json")
    assert response.status_code == 400 and "number" in response.json()["extra"]["fields"]
    chief = client_for(user_with_role("zone_chief", zone=PoliceZoneFactory()))
    assert chief.patch(f"{API}clusters/{cluster.pk}/", {"name_de": "x"}, format="json").status_code == 403
    # The reference is corrected, not created or deleted, through the API.
    assert client.post(f"{API}themes/", {"name": "x"}, format="json").status_code == 405
    assert client.delete(f"{API}clusters/{cluster.pk}/").status_code == 405


def test_users_without_a_role_see_no_reference(reference):
    _nsp, cluster, _phenomenon, _theme = reference
    client = client_for(UserFactory())
    assert client.get(f"{API}clusters/").json()["count"] == 0
    assert_error(client.get(f"{API}clusters/{cluster.pk}/"), 404)
