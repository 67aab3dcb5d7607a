"""Load on the served application (``bench/load.py`` runs it; bench/README.md, docs/performance.md).

Every simulated person works in one police zone of the national data set (``generate_national``), signed in
as that zone's chief or planner, and waits 1-3 s between tasks: 70 % zone pages (home, the zone, its current
plan, one of its indicators), 20 % measurement saves (the edit page of one of the plan's measurements is
read, then posted back through the page's own form, CSRF token and hidden fields included; a save counts
as failed unless it redirects), 10 % the dashboard, read through a second session signed in as the national
user. Signing in is left out of the figures. The people and their rows come from the file ``--people`` that
``bench/load.py prepare`` writes.
"""

from __future__ import annotations

import itertools
import json
import random
import threading
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.clients import HttpSession
from locust.event import EventHook

_people: list[dict] = []
_national: dict = {}
_next = itertools.count()
_lock = threading.Lock()


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--people", default="var/load/people.json", help="written by bench/load.py prepare")


@events.test_start.add_listener
def _load_people(environment, **kwargs):
    data = json.loads(Path(environment.parsed_options.people).read_text())
    _people[:] = data["zones"]
    _national.update(data["national"])


class FormFields(HTMLParser):
    """The named fields of the page's forms, with their current values (the last form wins a clash)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in ("submit", "button", "checkbox", "radio"):
            self.fields[name] = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def form_fields(html: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(html)
    return parser.fields


def sign_in(session, username: str, password: str) -> None:
    """Sign in, outside the figures (each person does it once, as the run starts); a refusal is a failure."""
    measured, session.request_event = session.request_event, EventHook()
    try:
        page = session.get("/accounts/login/")
        token = form_fields(page.text).get("csrfmiddlewaretoken", "")
        response = session.post(
            "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": username, "password": password},
            headers={"Referer": session.base_url + "/accounts/login/"},
            allow_redirects=False,
        )
    finally:
        session.request_event = measured
    if response.status_code != 302:
        measured.fire(
            request_type="POST",
            name="sign-in",
            response_time=0,
            response_length=0,
            response=response,
            context={},
            exception=RuntimeError(f"sign-in of {username} answered {response.status_code}"),
        )


class ZonePerson(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        with _lock:
            self.person = _people[next(_next) % len(_people)]
        self.saved = 0
        sign_in(self.client, self.person["username"], self.person["password"])
        self.national = HttpSession(base_url=self.host, request_event=self.environment.events.request, user=self)
        sign_in(self.national, _national["username"], _national["password"])

    @task(70)
    def zone_page(self):
        page = random.choice(("home", "zone", "plan", "indicator"))
        if page == "home":
            self.client.get("/", name="home")
        elif page == "zone":
            self.client.get(f"/zones/{self.person['zone']}/", name="zone")
        elif page == "plan":
            self.client.get(f"/plans/{self.person['plan']}/", name="plan")
        else:
            self.client.get(f"/indicators/{random.choice(self.person['indicators'])}/", name="indicator")

    @task(20)
    def measurement_save(self):
        measurement = random.choice(self.person["measurements"])
        url = f"/measurements/{measurement['pk']}/edit/"
        with self.client.get(url, name="measurement (form)", catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"edit page answered {page.status_code}")
                return
            fields = form_fields(page.text)
        # Alternate between the generated value and one unit less (both valid for every kind of indicator
        # the generator writes: counts, percentages, rates), so every save changes the row.
        self.saved += 1
        value = Decimal(measurement["value"])
        try:
            shown = Decimal(fields.get("value", ""))
        except InvalidOperation:
            shown = value
        fields["value"] = str(value - 1 if shown == value and value >= 1 else value)
        with self.client.post(
            url,
            data=fields,
            headers={"Referer": self.host + url},
            name="measurement (save)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"save answered {response.status_code}")

    @task(10)
    def dashboard(self):
        self.national.get("/dashboard/", name="dashboard")
