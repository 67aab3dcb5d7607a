"""A person's account (nsp/accounts.py): the profile page, expiring API tokens, login lockout (S4)."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from nsp import accounts
from nsp.api.auth import TokenThrottle
from nsp.api.testing import API, assert_error
from nsp.models import UserPreference
from tests.factories import sign_in, user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-password-42"


@pytest.fixture
def person():
    user = user_with_role("committee_member", username="planner.lockout")
    user.set_password(PASSWORD)
    user.save()
    return user


def page_login(client, username, password, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def api_login(client, username, password, **extra):
    return client.post(f"{API}auth/token/", {"username": username, "password": password}, format="json", **extra)


# --- S4: lockout on the login page and on the token endpoint -----------------------------------------


def test_s4_the_login_page_locks_out_after_five_failures_even_with_the_right_password(client, person):
    for _attempt in range(4):
        response = page_login(client, person.username, "wrong")
        assert response.status_code == 200  # the form again, "please enter a correct username"
    assert page_login(client, person.username, "wrong").status_code == 429  # the fifth failure locks
    response = page_login(client, person.username, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # In the user's language.
    response = page_login(client, person.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 429 and "Trop de tentatives" in response.content.decode()
    # Another address is not locked out (the lockout is per username and address).
    response = page_login(client, person.username, PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302


def test_s4_the_token_endpoint_counts_and_locks_the_same_way(person):
    client = APIClient()
    for _attempt in range(4):
        assert_error(api_login(client, person.username, "wrong"), 400)
    assert_error(api_login(client, person.username, "wrong"), 429)
    body = assert_error(api_login(client, person.username, PASSWORD), 429)
    assert body["extra"]["code"] == "locked_out"
    # The page and the API share the count: the page is locked out too.
    from django.test import Client

    assert page_login(Client(), person.username, PASSWORD).status_code == 429


def test_s4_fifty_attempts_then_the_right_password_do_not_get_in(person):
    client = APIClient()
    answers = {api_login(client, person.username, f"guess-{n}").status_code for n in range(50)}
    assert answers == {400, 429}
    assert api_login(client, person.username, PASSWORD).status_code == 429
    assert not Token.objects.filter(user=person).exists()


def test_a_success_before_the_limit_forgets_the_failures(client, person):
    for _attempt in range(4):
        page_login(client, person.username, "wrong")
    assert page_login(client, person.username, PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(4):
        page_login(client, person.username, "wrong")
    assert page_login(client, person.username, PASSWORD).status_code == 302


def test_the_cool_off_ends_the_lockout(client, person):
    for _attempt in range(5):
        page_login(client, person.username, "wrong")
    from axes.models import AccessAttemptExpiration

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    AccessAttemptExpiration.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert page_login(client, person.username, PASSWORD).status_code == 302


def test_an_administrator_lifts_a_lockout_in_the_admin_and_by_command(client, person):
    for _attempt in range(5):
        page_login(client, person.username, "wrong")
    admin = get_user_model().objects.create_superuser("root.admin", "root@example.org", "x")
    client.force_login(admin)
    change = client.get(reverse("admin:auth_user_change", args=[person.pk])).content.decode()
    assert "Locked out after too many failed sign-ins" in change
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "clear_login_lockouts", "_selected_action": [person.pk]}
    )
    assert response.status_code == 302 and not accounts.locked_out(username=person.username)
    client.logout()
    assert page_login(client, person.username, PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(5):
        page_login(client, person.username, "wrong")
    call_command("axes_reset_username", person.username)
    assert page_login(client, person.username, PASSWORD).status_code == 302


def test_the_token_endpoint_is_rate_limited_per_address(person, settings):
    settings.TOKEN_THROTTLE_RATE = "3/minute"
    # Only this throttle's key: the cache may share Redis with the task broker (never clear it whole).
    key = TokenThrottle.cache_format % {"scope": TokenThrottle.scope, "ident": "198.51.100.7"}
    cache.delete(key)
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    try:
        for _attempt in range(3):
            api_login(client, "nobody-at-all", "x")
        body = assert_error(api_login(client, person.username, PASSWORD), 429)
        assert body["extra"]["code"] == "throttled"
    finally:
        cache.delete(key)


# --- tokens expire ----------------------------------------------------------------------------------


def test_an_expired_token_answers_401_token_expired_and_a_new_one_is_issued(person, settings):
    settings.TOKEN_TTL_DAYS = 90
    client = APIClient()
    key = api_login(client, person.username, PASSWORD).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(f"{API}zonal-plans/").status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(days=91))
    body = assert_error(client.get(f"{API}zonal-plans/"), 401)
    assert body["extra"]["code"] == "token_expired"
    fresh = api_login(APIClient(), person.username, PASSWORD).json()["token"]
    assert fresh != key


# --- the profile page --------------------------------------------------------------------------------


def test_the_profile_page_shows_language_token_and_password(client):
    sign_in(client, "committee_member")
    html = client.get(reverse("accounts:profile")).content.decode()
    for section in ('id="language"', 'id="token"', 'id="password"'):
        assert section in html
    assert "You have no API token." in html
    assert reverse("accounts:password_change") in html


def test_a_user_creates_sees_and_revokes_their_token(client):
    user = sign_in(client, "committee_member")
    client.post(reverse("accounts:profile-token"), {"action": "create"})
    token = Token.objects.get(user=user)
    assert token.key in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:profile-token"), {"action": "renew"})
    renewed = Token.objects.get(user=user)
    assert renewed.key != token.key
    client.post(reverse("accounts:profile-token"), {"action": "revoke"})
    assert not Token.objects.filter(user=user).exists()


def test_the_language_preference_is_kept_and_applied_at_sign_in(client, person):
    client.force_login(person)
    response = client.post(reverse("accounts:profile-language"), {"language": "nl"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "nl"
    assert UserPreference.objects.get(user=person).language == "nl"
    client.logout()
    client.cookies.clear()
    response = page_login(client, person.username, PASSWORD)
    assert response.cookies["django_language"].value == "nl"
    assert client.post(reverse("accounts:profile-language"), {"language": "xx"}).status_code == 302
    assert UserPreference.objects.get(user=person).language == "nl"


def test_password_change(client, person):
    client.force_login(person)
    assert client.get(reverse("accounts:password_change")).status_code == 200
    assert reverse("accounts:password_change") == "/accounts/password_change/"
    new = "another-long-unusual-password-43"
    response = client.post(
        reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new)


def test_an_administrator_hands_over_a_reset_link(client, person):
    admin = get_user_model().objects.create_superuser("root.admin", "root@example.org", "x")
    client.force_login(admin)
    html = client.get(reverse("admin:auth_user_change", args=[person.pk])).content.decode()
    start = html.index("/accounts/reset/")
    link = html[start : html.index('"', start)]
    client.logout()
    response = client.get(link, follow=True)
    assert response.status_code == 200 and "new_password1" in response.content.decode()
    new = "reset-long-unusual-password-44"
    response = client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new)
