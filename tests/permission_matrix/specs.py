"""Which requests perform each (object, action) of the matrix, per channel (pages, API).

A spec is a function of the row's target (the world's rows the role, state and relation pick) that
returns the requests to send. Pages: the GET of the page that performs the action (the permission is
checked on GET), then the POST that does it; the API: the call that does it. Each request says what an
allowed one changes (``effect``) and what a refused one must leave as it was (``watch``: row counts of
the models and of their history; ``rows``: the values of the rows concerned).

Three kinds of check:
- ``status``: the answer follows the row (allow = 200 / 302 after a page POST / 200, 201, 204 in the
  API; 403; 404, or for an API create a 400 "does not exist" on the foreign key that names the hidden
  parent; login = the login page with ``next`` / 401);
- ``listed``: a list page or endpoint answers 200 and shows the row's object exactly when the row
  allows reading it (login rows: the login page / 401);
- ``open``: a page every signed-in user has (home, dashboard) answers 200 (login rows: the login page).

Where a channel has no route for an (object, action) the spec is a ``NoRoute`` with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusters.forms import AmbitionForm, ClusterForm, EditionForm, PhenomenonForm, ThemeForm
from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from nsp.forms import ActionForm, IndicatorForm, MeasurementForm, ObjectiveForm
from nsp.models import Action, Ambition, Comment, DeletedItem, Indicator, Measurement, NationalSecurityPlan, Objective
from programmes.forms import ProgrammeEditForm
from programmes.models import Programme
from reporting.models import ReportRun
from tests.permission_matrix.effects import Changed, Created, Deleted, Effect, Moved, Restored, every
from tests.permission_matrix.rows import Row
from tests.permission_matrix.world import Content, World
from zones.forms import (
    ExpectationForm,
    MatrixCandidateForm,
    PlanSectionForm,
    RegionalPlanForm,
    VisionForm,
    ZonalPlanEditForm,
)
from zones.models import (
    Addendum,
    Expectation,
    LocalPoliceVision,
    MatrixCandidate,
    MatrixScore,
    NationalAlignment,
    PlanSection,
    PlanTransition,
    PoliceZone,
    RegionalSecurityPlan,
    ZonalSecurityPlan,
)

API = "/api/v1/"
CHANGED = "Changed by the permission matrix"


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    data: Any = None
    multipart: bool = False  # an API file upload
    check: str = "status"  # "status", "listed" or "open"
    listed: str = ""  # "listed": the id (API) or link (page) the list shows exactly when reading is allowed
    shows: str = ""  # an allowed GET's answer contains this
    creates_with: str = ""  # API create: the foreign key naming the parent (400 "does not exist" there = 404)
    effect: Effect | None = None  # what an allowed write changes
    watch: tuple = ()  # models whose rows (and history rows) a refused request leaves as they were
    rows: tuple = ()  # rows whose values a refused request leaves as they were
    prepare: Callable[[], None] | None = None  # runs first, inside the test's savepoint
    writes: bool = True  # False: a POST that only reads (a preview): allowed, it answers 200 and leaves ``watch``

    @property
    def is_write(self) -> bool:
        return self.method != "GET"

    def __str__(self) -> str:
        return f"{self.method} {self.url}"


@dataclass(frozen=True)
class NoRoute:
    """The channel has no route for this (object, action)."""

    reason: str


@dataclass
class Target:
    """What a row's role, state and relation pick in the world."""

    world: World
    row: Row

    @property
    def relation(self) -> str:
        return "other" if self.row.relation == "other" else "own"

    @property
    def content(self) -> Content:
        w, obj = self.world, self.row.object
        if obj.startswith("programme"):
            return w.programmes[self.relation]
        if obj == "regional_plan":
            return w.regional
        return w.plans[(self.relation, self.row.state if self.row.state != "-" else "approved")]

    @property
    def plan(self):
        return self.content.plan

    @property
    def zone(self):
        return self.world.zones[self.relation]

    def authored(self, rows: dict):
        """The role's own comment or report run for "own", someone else's for "other"."""
        role = self.row.role
        return rows[role] if self.row.relation == "own" and role in rows else rows["other"]


Spec = Callable[[Target], list[Request]] | NoRoute


def url(name: str, obj=None, query: str = "", **kwargs) -> str:
    if obj is not None:
        kwargs["key" if isinstance(obj, PoliceZone) else "pk"] = obj.key if isinstance(obj, PoliceZone) else obj.pk
    return reverse(name, kwargs=kwargs or None) + query


def form_data(form, **changes) -> dict:
    """What a browser posts back for a form as rendered, with some changes."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return {**data, **changes}


def csv_upload(indicator, period: str = "2016-Q2", value: str = "4") -> SimpleUploadedFile:
    text = f"indicator,period,value,note\n{indicator.pk},{period},{value},uploaded\n"
    return SimpleUploadedFile("measurements.csv", text.encode(), content_type="text/csv")


# --- request builders ----------------------------------------------------------------------------


def get(path: str, *, watch=(), rows=(), shows: str = "") -> Request:
    return Request("GET", path, watch=tuple(watch), rows=tuple(rows), shows=shows)


def post(path: str, data: dict | None, effect: Effect, *, watch=(), rows=(), prepare=None) -> Request:
    return Request("POST", path, data or {}, effect=effect, watch=tuple(watch), rows=tuple(rows), prepare=prepare)


def post_reading(path: str, data: dict, *, shows: str, watch=(), rows=()) -> Request:
    """A POST that writes nothing (a preview): allowed, 200 showing ``shows``; never a change to ``watch``."""
    return Request("POST", path, data, shows=shows, watch=tuple(watch), rows=tuple(rows), writes=False)


def page_form(path: str, data: dict, effect: Effect, *, watch=(), rows=(), prepare=None) -> list[Request]:
    """The page that performs the action, then its form posted."""
    return [get(path, watch=watch, rows=rows), post(path, data, effect, watch=watch, rows=rows, prepare=prepare)]


def page_list(name: str, obj) -> Request:
    return Request("GET", url(name), check="listed", listed=f'href="{obj.get_absolute_url()}"')


def api_get(path: str) -> Request:
    return Request("GET", path)


def api_list(resource: str, obj) -> Request:
    return Request("GET", f"{API}{resource}/?page_size=500", check="listed", listed=str(obj.pk))


def api_write(method: str, path: str, data=None, effect=None, *, watch=(), rows=(), creates_with="", multipart=False):
    return Request(
        method,
        path,
        data,
        multipart=multipart,
        effect=effect,
        watch=tuple(watch),
        rows=tuple(rows),
        creates_with=creates_with,
    )


def detail(resource: str, obj) -> str:
    return f"{API}{resource}/{obj.pk}/"


# --- plan content: objectives, indicators, measurements, actions (zonal plans and programmes) -----


def page_objective_view(t: Target) -> list[Request]:
    o = t.content.objective
    return [get(url("nsp:objective", o), shows=o.title)]


def page_objective_create(t: Target) -> list[Request]:
    data = {"level": "strategic", "kind": "priority", "title": "New objective", "weight": "1", "position": "9"}
    requests = page_form(
        url("nsp:objective-add", t.plan), data, Created(Objective, title="New objective"), watch=[Objective]
    )
    # The tree's "Add an objective after": the same right (change the plan), the row it follows in the URL.
    after = {"kind": "priority", "title": "New sibling", "weight": "1"}
    effect = Created(Objective, title="New sibling")
    return requests + page_form(url("nsp:objective-add-after", t.content.objective), after, effect, watch=[Objective])


def page_objective_change(t: Target) -> list[Request]:
    o = t.content.objective
    data = form_data(ObjectiveForm(instance=o), title=CHANGED)
    requests = page_form(url("nsp:objective-edit", o), data, Changed(o, title=CHANGED), watch=[Objective], rows=[o])
    child = t.content.child
    if child is not None:  # the tree's move buttons: the tactical child out to the top level
        effect = Changed(child, level="strategic", parent=None)
        requests += page_form(
            url("nsp:objective-move", child), {"direction": "outdent"}, effect, watch=[Objective], rows=[child]
        )
        # A dragged row dropped at the top of the tree (services.objective_place).
        requests += page_form(
            url("nsp:objective-place", child), {"parent": "", "position": "0"}, effect, watch=[Objective], rows=[child]
        )
    return requests


def page_objective_delete(t: Target) -> list[Request]:
    o = t.content.objective
    return page_form(url("nsp:objective-delete", o), {}, Deleted(o), watch=[Objective, Indicator, Action], rows=[o])


def api_objective_view(t: Target) -> list[Request]:
    o = t.content.objective
    return [api_get(detail("objectives", o)), api_list("objectives", o)]


def api_objective_create(t: Target) -> list[Request]:
    data = {"plan": t.plan.pk, "level": "strategic", "title": "New objective"}
    effect = Created(Objective, title="New objective")
    return [api_write("POST", f"{API}objectives/", data, effect, watch=[Objective], creates_with="plan")]


def api_objective_change(t: Target) -> list[Request]:
    o = t.content.objective
    effect = Changed(o, title=CHANGED)
    return [api_write("PATCH", detail("objectives", o), {"title": CHANGED}, effect, watch=[Objective], rows=[o])]


def api_objective_delete(t: Target) -> list[Request]:
    o = t.content.objective
    return [api_write("DELETE", detail("objectives", o), None, Deleted(o), watch=[Objective], rows=[o])]


INDICATOR_DATA = {
    "name": "New indicator",
    "unit": "cases",
    "source": "internal",
    "baseline_value": "10",
    "baseline_date": "2016-01-01",
    "target_value": "5",
    "target_date": "2019-12-31",
    "direction": "decrease",
    "frequency": "quarterly",
    "weight": "1",
    "position": "9",
}


def page_indicator_view(t: Target) -> list[Request]:
    i = t.content.indicator
    return [get(url("nsp:indicator", i), shows=i.name)]


def page_indicator_create(t: Target) -> list[Request]:
    path = url("nsp:indicator-add", t.content.objective)
    return page_form(path, INDICATOR_DATA, Created(Indicator, name="New indicator"), watch=[Indicator])


def page_indicator_change(t: Target) -> list[Request]:
    i = t.content.indicator
    data = form_data(IndicatorForm(instance=i), name=CHANGED)
    return page_form(url("nsp:indicator-edit", i), data, Changed(i, name=CHANGED), watch=[Indicator], rows=[i])


def page_indicator_delete(t: Target) -> list[Request]:
    i = t.content.indicator
    return page_form(url("nsp:indicator-delete", i), {}, Deleted(i), watch=[Indicator, Measurement], rows=[i])


def api_indicator_view(t: Target) -> list[Request]:
    i = t.content.indicator
    return [api_get(detail("indicators", i)), api_list("indicators", i)]


def api_indicator_create(t: Target) -> list[Request]:
    data = {**INDICATOR_DATA, "objective": t.content.objective.pk}
    effect = Created(Indicator, name="New indicator")
    return [api_write("POST", f"{API}indicators/", data, effect, watch=[Indicator], creates_with="objective")]


def api_indicator_change(t: Target) -> list[Request]:
    i = t.content.indicator
    effect = Changed(i, name=CHANGED)
    return [api_write("PATCH", detail("indicators", i), {"name": CHANGED}, effect, watch=[Indicator], rows=[i])]


def api_indicator_delete(t: Target) -> list[Request]:
    i = t.content.indicator
    return [api_write("DELETE", detail("indicators", i), None, Deleted(i), watch=[Indicator], rows=[i])]


def page_measurement_view(t: Target) -> list[Request]:
    m = t.content.measurement
    return [get(url("nsp:indicator", m.indicator), shows=f'id="measurement-{m.pk}"')]


def page_measurement_create(t: Target) -> list[Request]:
    indicator = t.content.indicator
    new = Created(Measurement, indicator=indicator, period="2016-Q2")
    return [
        *page_form(
            url("nsp:measurement-add", indicator), {"period": "2016-Q2", "value": "4"}, new, watch=[Measurement]
        ),
        get(url("nsp:measurement-upload", t.plan), watch=[Measurement]),
        post(url("nsp:measurement-upload", t.plan), {"file": csv_upload(indicator)}, new, watch=[Measurement]),
        # The quarter grid: 2016-Q2 due for the indicator (its span made to hold it), one cell given.
        *page_form(
            url("nsp:measurement-grid", t.plan),
            {"period": "2016-Q2", f"value-{indicator.pk}-2016-Q2": "4"},
            new,
            watch=[Measurement],
            prepare=lambda: Indicator.objects.filter(pk=indicator.pk).update(
                baseline_date=dt.date(2015, 12, 31), target_date=dt.date(2019, 12, 31)
            ),
        ),
    ]


def page_measurement_change(t: Target) -> list[Request]:
    m = t.content.measurement
    data = form_data(MeasurementForm(instance=m), value="42")
    return page_form(url("nsp:measurement-edit", m), data, Changed(m, value=42), watch=[Measurement], rows=[m])


def page_measurement_delete(t: Target) -> list[Request]:
    m = t.content.measurement
    return page_form(url("nsp:measurement-delete", m), {}, Deleted(m), watch=[Measurement], rows=[m])


def api_measurement_view(t: Target) -> list[Request]:
    m = t.content.measurement
    return [api_get(detail("measurements", m)), api_list("measurements", m)]


def api_measurement_create(t: Target) -> list[Request]:
    indicator = t.content.indicator
    new = Created(Measurement, indicator=indicator, period="2016-Q2")
    data = {"indicator": indicator.pk, "period": "2016-Q2", "value": "4"}
    resource = "programmes" if isinstance(t.plan, Programme) else "zonal-plans"
    upload = f"{API}{resource}/{t.plan.pk}/measurements/import/"
    return [
        api_write("POST", f"{API}measurements/", data, new, watch=[Measurement], creates_with="indicator"),
        api_write("POST", upload, {"file": csv_upload(indicator)}, new, watch=[Measurement], multipart=True),
    ]


def api_measurement_change(t: Target) -> list[Request]:
    m = t.content.measurement
    effect = Changed(m, value=42)
    return [api_write("PATCH", detail("measurements", m), {"value": "42"}, effect, watch=[Measurement], rows=[m])]


def api_measurement_delete(t: Target) -> list[Request]:
    m = t.content.measurement
    return [api_write("DELETE", detail("measurements", m), None, Deleted(m), watch=[Measurement], rows=[m])]


ACTION_DATA = {
    "title": "New action",
    "owner": "Traffic service",
    "start_date": "2016-01-01",
    "due_date": "2016-12-31",
    "weight": "1",
    "position": "9",
}


def page_action_view(t: Target) -> list[Request]:
    a = t.content.action
    return [get(url("nsp:action", a), shows=a.title)]


def page_action_create(t: Target) -> list[Request]:
    path = url("nsp:action-add", t.content.objective)
    return page_form(path, ACTION_DATA, Created(Action, title="New action"), watch=[Action])


def page_action_change(t: Target) -> list[Request]:
    a = t.content.action
    data = form_data(ActionForm(instance=a), title=CHANGED)
    return page_form(url("nsp:action-edit", a), data, Changed(a, title=CHANGED), watch=[Action], rows=[a])


def page_action_record(t: Target) -> list[Request]:
    a = t.content.action
    data = {"status": "in_progress", "percent_complete": "50"}
    effect = Changed(a, status="in_progress", percent_complete=50)
    return page_form(url("nsp:action-progress", a), data, effect, watch=[Action], rows=[a])


def page_action_delete(t: Target) -> list[Request]:
    a = t.content.action
    return page_form(url("nsp:action-delete", a), {}, Deleted(a), watch=[Action], rows=[a])


def api_action_view(t: Target) -> list[Request]:
    a = t.content.action
    return [api_get(detail("actions", a)), api_list("actions", a)]


def api_action_create(t: Target) -> list[Request]:
    data = {**ACTION_DATA, "objective": t.content.objective.pk}
    effect = Created(Action, title="New action")
    return [api_write("POST", f"{API}actions/", data, effect, watch=[Action], creates_with="objective")]


def api_action_change(t: Target) -> list[Request]:
    a = t.content.action
    effect = Changed(a, title=CHANGED)
    return [api_write("PATCH", detail("actions", a), {"title": CHANGED}, effect, watch=[Action], rows=[a])]


def api_action_record(t: Target) -> list[Request]:
    a = t.content.action
    data = {"status": "in_progress", "percent_complete": 50}
    effect = Changed(a, status="in_progress", percent_complete=50)
    return [api_write("PATCH", detail("actions", a), data, effect, watch=[Action], rows=[a])]


def api_action_delete(t: Target) -> list[Request]:
    a = t.content.action
    return [api_write("DELETE", detail("actions", a), None, Deleted(a), watch=[Action], rows=[a])]


# --- zonal plan parts: alignment, expectations, argumentation matrix -----------------------------------


def alignment_post(t: Target, justification: str) -> dict:
    key = f"theme-{t.world.priority_theme.pk}"
    return {"priority": key, f"{key}-adopted": "no", f"{key}-justification": justification}


def page_alignment_view(t: Target) -> list[Request]:
    return [get(url("zones:plan-alignment", t.plan), shows=t.world.priority_theme.name)]


def page_alignment_create(t: Target) -> list[Request]:
    # The page answers the national priorities; "create" answers one not answered yet (its answer removed first).
    justified = t.content.justified
    effect = Created(NationalAlignment, plan=t.plan, theme=t.world.priority_theme)
    path = url("zones:plan-alignment", t.plan)
    data = alignment_post(t, "Not a problem here.")
    return [
        post(
            path,
            data,
            effect,
            watch=[NationalAlignment],
            prepare=lambda: NationalAlignment.objects.filter(pk=justified.pk).delete(),
        )
    ]


def page_alignment_change(t: Target) -> list[Request]:
    justified = t.content.justified
    path = url("zones:plan-alignment", t.plan)
    effect = Changed(justified, justification=CHANGED)
    return [post(path, alignment_post(t, CHANGED), effect, watch=[NationalAlignment], rows=[justified])]


def page_alignment_delete(t: Target) -> list[Request]:
    a = t.content.justified
    return page_form(url("zones:alignment-delete", a), {}, Deleted(a), watch=[NationalAlignment], rows=[a])


def api_alignment_view(t: Target) -> list[Request]:
    a = t.content.justified
    return [api_get(detail("alignments", a)), api_list("alignments", a)]


def api_alignment_create(t: Target) -> list[Request]:
    theme = t.world.free_theme
    data = {"plan": t.plan.pk, "theme": theme.pk, "adopted": False, "justification": "Handled by the federal police."}
    effect = Created(NationalAlignment, plan=t.plan, theme=theme)
    return [api_write("POST", f"{API}alignments/", data, effect, watch=[NationalAlignment], creates_with="plan")]


def api_alignment_change(t: Target) -> list[Request]:
    a = t.content.justified
    effect = Changed(a, justification=CHANGED)
    data = {"justification": CHANGED}
    return [api_write("PATCH", detail("alignments", a), data, effect, watch=[NationalAlignment], rows=[a])]


def api_alignment_delete(t: Target) -> list[Request]:
    a = t.content.justified
    return [api_write("DELETE", detail("alignments", a), None, Deleted(a), watch=[NationalAlignment], rows=[a])]


def page_expectation_view(t: Target) -> list[Request]:
    e = t.content.expectation
    return [get(url("zones:plan-expectations", t.plan), shows=f'id="expectation-{e.pk}"')]


def page_expectation_create(t: Target) -> list[Request]:
    data = {"source": "partners", "stakeholder": "Schools", "text": "New expectation", "position": "9"}
    effect = Created(Expectation, text="New expectation")
    return page_form(url("zones:expectation-add", t.plan), data, effect, watch=[Expectation])


def page_expectation_change(t: Target) -> list[Request]:
    e = t.content.expectation
    data = form_data(ExpectationForm(instance=e), text=CHANGED)
    path = url("zones:expectation-edit", e)
    return page_form(path, data, Changed(e, text=CHANGED), watch=[Expectation], rows=[e])


def page_expectation_delete(t: Target) -> list[Request]:
    e = t.content.expectation
    return page_form(url("zones:expectation-delete", e), {}, Deleted(e), watch=[Expectation], rows=[e])


def api_expectation_view(t: Target) -> list[Request]:
    e = t.content.expectation
    return [api_get(detail("expectations", e)), api_list("expectations", e)]


def api_expectation_create(t: Target) -> list[Request]:
    data = {"plan": t.plan.pk, "source": "partners", "text": "New expectation"}
    effect = Created(Expectation, text="New expectation")
    return [api_write("POST", f"{API}expectations/", data, effect, watch=[Expectation], creates_with="plan")]


def api_expectation_change(t: Target) -> list[Request]:
    e = t.content.expectation
    effect = Changed(e, text=CHANGED)
    return [api_write("PATCH", detail("expectations", e), {"text": CHANGED}, effect, watch=[Expectation], rows=[e])]


def api_expectation_delete(t: Target) -> list[Request]:
    e = t.content.expectation
    return [api_write("DELETE", detail("expectations", e), None, Deleted(e), watch=[Expectation], rows=[e])]


def page_section_view(t: Target) -> list[Request]:
    s = t.content.section
    return [
        get(url("zones:plan-document", t.plan), shows=f'id="section-{s.pk}"'),
        get(url("zones:plan", t.plan), shows=s.title),
    ]


def page_section_create(t: Target) -> list[Request]:
    data = {"title": "Drugs around the station", "body": "More *checks*."}
    effect = Created(PlanSection, title="Drugs around the station")
    return page_form(url("zones:section-add", t.plan), data, effect, watch=[PlanSection])


def page_section_change(t: Target) -> list[Request]:
    s = t.content.section
    data = form_data(PlanSectionForm(instance=s), body=CHANGED)
    edit = page_form(url("zones:section-edit", s), data, Changed(s, body=CHANGED), watch=[PlanSection], rows=[s])
    move = page_form(
        url("zones:section-move", s), {"direction": "up"}, Changed(s, position=1), watch=[PlanSection], rows=[s]
    )
    # The preview of a text being written, by htmx and by the form's own Preview button: rendered, never saved.
    text, rendered = {"body": f"**{CHANGED}**"}, f"<strong>{CHANGED}</strong>"
    preview = [
        post_reading(url("zones:section-preview", t.plan), text, shows=rendered, watch=[PlanSection], rows=[s]),
        post_reading(
            url("zones:section-edit", s),
            {**data, **text, "_preview": "1"},
            shows=rendered,
            watch=[PlanSection],
            rows=[s],
        ),
    ]
    return edit + move + preview


def page_section_delete(t: Target) -> list[Request]:
    s = t.content.section
    return page_form(url("zones:section-delete", s), {}, Deleted(s), watch=[PlanSection], rows=[s])


def api_section_view(t: Target) -> list[Request]:
    s = t.content.section
    return [api_get(detail("plan-sections", s)), api_list("plan-sections", s)]


def api_section_create(t: Target) -> list[Request]:
    data = {"plan": t.plan.pk, "title": "Drugs around the station", "body": "More checks."}
    effect = Created(PlanSection, title="Drugs around the station")
    return [api_write("POST", f"{API}plan-sections/", data, effect, watch=[PlanSection], creates_with="plan")]


def api_section_change(t: Target) -> list[Request]:
    s = t.content.section
    effect = Changed(s, body=CHANGED)
    moved = Changed(s, position=1)
    return [
        api_write("PATCH", detail("plan-sections", s), {"body": CHANGED}, effect, watch=[PlanSection], rows=[s]),
        api_write(
            "POST", f"{detail('plan-sections', s)}move/", {"direction": "up"}, moved, watch=[PlanSection], rows=[s]
        ),
    ]


def api_section_delete(t: Target) -> list[Request]:
    s = t.content.section
    return [api_write("DELETE", detail("plan-sections", s), None, Deleted(s), watch=[PlanSection], rows=[s])]


def page_candidate_view(t: Target) -> list[Request]:
    c = t.content.candidate
    return [get(url("zones:plan-matrix", t.plan), shows=f'id="candidate-{c.pk}"')]


def page_candidate_create(t: Target) -> list[Request]:
    data = {"label": "New candidate", "note": ""}
    effect = Created(MatrixCandidate, label="New candidate")
    return page_form(url("zones:candidate-add", t.plan), data, effect, watch=[MatrixCandidate])


def page_candidate_change(t: Target) -> list[Request]:
    c = t.content.candidate
    data = form_data(MatrixCandidateForm(instance=c), note=CHANGED)
    watch = [MatrixCandidate, MatrixScore]
    # The matrix page saves the grid of scores (a POST; its GET shows the matrix to every reader).
    scores = {f"score-{c.pk}-mayors": "4", f"score-{c.pk}-prosecutor": "2"}
    scored = Created(MatrixScore, candidate=c, source="prosecutor")
    return [
        *page_form(url("zones:candidate-edit", c), data, Changed(c, note=CHANGED), watch=watch, rows=[c]),
        post(url("zones:plan-matrix", t.plan), scores, scored, watch=watch, rows=[c]),
    ]


def page_candidate_delete(t: Target) -> list[Request]:
    c = t.content.candidate
    return page_form(url("zones:candidate-delete", c), {}, Deleted(c), watch=[MatrixCandidate, MatrixScore], rows=[c])


def api_candidate_view(t: Target) -> list[Request]:
    c = t.content.candidate
    return [api_get(detail("matrix-candidates", c)), api_list("matrix-candidates", c)]


def api_candidate_create(t: Target) -> list[Request]:
    data = {"plan": t.plan.pk, "label": "New candidate"}
    effect = Created(MatrixCandidate, label="New candidate")
    return [api_write("POST", f"{API}matrix-candidates/", data, effect, watch=[MatrixCandidate], creates_with="plan")]


def api_candidate_change(t: Target) -> list[Request]:
    c = t.content.candidate
    watch = [MatrixCandidate, MatrixScore]
    scored = Created(MatrixScore, candidate=c, source="prosecutor")
    return [
        api_write("PATCH", detail("matrix-candidates", c), {"note": CHANGED}, Changed(c, note=CHANGED), watch=watch),
        api_write("POST", detail("matrix-candidates", c) + "scores/", {"source": "prosecutor", "score": 2}, scored),
    ]


def api_candidate_delete(t: Target) -> list[Request]:
    c = t.content.candidate
    watch = [MatrixCandidate, MatrixScore]
    return [api_write("DELETE", detail("matrix-candidates", c), None, Deleted(c), watch=watch, rows=[c])]


# --- zonal plans: the plan, its workflow, comments -----------------------------------------------------


def page_plan_view(t: Target) -> list[Request]:
    plan = t.plan
    return [get(url("zones:plan", plan), shows=plan.title), page_list("zones:plan-list", plan)]


def page_plan_change(t: Target) -> list[Request]:
    plan = t.plan
    data = form_data(ZonalPlanEditForm(instance=plan), title=CHANGED)
    return page_form(
        url("zones:plan-edit", plan), data, Changed(plan, title=CHANGED), watch=[ZonalSecurityPlan], rows=[plan]
    )


def page_plan_delete(t: Target) -> list[Request]:
    plan = t.plan
    watch = [ZonalSecurityPlan, Objective]
    return page_form(url("zones:plan-delete", plan), {}, Deleted(plan), watch=watch, rows=[plan])


def api_plan_view(t: Target) -> list[Request]:
    plan, transition = t.plan, t.content.transition
    return [
        api_get(detail("zonal-plans", plan)),
        api_list("zonal-plans", plan),
        api_get(detail("zonal-plans", plan) + "alignment-status/"),
        api_get(detail("zonal-plans", plan) + "export/"),
        # The plan's workflow history is read with the plan.
        api_get(detail("transitions", transition)),
        api_list("transitions", transition),
    ]


def api_plan_change(t: Target) -> list[Request]:
    plan = t.plan
    effect = Changed(plan, title=CHANGED)
    data = {"title": CHANGED}
    return [api_write("PATCH", detail("zonal-plans", plan), data, effect, watch=[ZonalSecurityPlan], rows=[plan])]


def api_plan_delete(t: Target) -> list[Request]:
    plan = t.plan
    watch = [ZonalSecurityPlan, Objective]
    return [api_write("DELETE", detail("zonal-plans", plan), None, Deleted(plan), watch=watch, rows=[plan])]


STEPS = {
    # step: (target status, what the step asks for)
    "adopt": ("adopted", {"on_date": "2019-01-01"}),
    "submit": ("submitted", {}),
    "withdraw": ("draft", {"reason": "More consultation of the mayors."}),
    "approve": ("approved", {"on_date": "2019-06-01"}),
    "return": ("draft", {"reason": "The baselines are missing."}),
    "reopen": ("draft", {"reason": "An addendum on intrafamily violence."}),
    "close": ("closed", {}),
}


def step_effect(t: Target, step: str) -> Effect:
    target, _fields = STEPS[step]
    effects = [Moved(t.plan, target), Created(PlanTransition, plan_id=t.plan.pk, to_status=target)]
    if step == "reopen":
        effects.append(Created(Addendum, plan_id=t.plan.pk))
    return every(*effects)


def page_step(step: str):
    def spec(t: Target) -> list[Request]:
        _target, fields = STEPS[step]
        path = url("zones:plan-transition", t.plan, query=f"?step={step}")
        watch = [ZonalSecurityPlan, PlanTransition, Addendum]
        requests = page_form(path, {"step": step, **fields}, step_effect(t, step), watch=watch, rows=[t.plan])
        if step == "reopen":
            # The re-alignment addendum reopens the plan too: its page asks the same right.
            requests.insert(0, get(url("zones:plan-realign", t.plan), watch=watch, rows=[t.plan]))
        return requests

    return spec


def api_step(step: str):
    def spec(t: Target) -> list[Request]:
        target, fields = STEPS[step]
        watch = [ZonalSecurityPlan, PlanTransition, Addendum]
        data = {"to_status": target, **fields}
        path = detail("zonal-plans", t.plan) + "transition/"
        return [api_write("POST", path, data, step_effect(t, step), watch=watch, rows=[t.plan])]

    return spec


def page_plan_comment(t: Target) -> list[Request]:
    c = t.content
    requests = []
    for name, item in (
        ("nsp:plan-comment-add", c.plan),
        ("nsp:objective-comment-add", c.objective),
        ("nsp:indicator-comment-add", c.indicator),
        ("nsp:action-comment-add", c.action),
    ):
        effect = Created(Comment, plan_id=c.plan.pk, body=f"Comment via {name}")
        requests += page_form(url(name, item), {"body": f"Comment via {name}"}, effect, watch=[Comment])
    return requests


def api_plan_comment(t: Target) -> list[Request]:
    c = t.content
    on_plan = {"plan": c.plan.pk, "body": "A remark on the plan"}
    on_indicator = {"plan": c.plan.pk, "indicator": c.indicator.pk, "body": "A remark on the indicator"}
    return [
        api_write(
            "POST", f"{API}comments/", data, Created(Comment, body=data["body"]), watch=[Comment], creates_with="plan"
        )
        for data in (on_plan, on_indicator)
    ]


# --- comments ----------------------------------------------------------------------------------------


def page_comment_view(t: Target) -> list[Request]:
    comment = t.authored(t.world.comments)
    return [get(url("zones:plan", comment.plan), shows=f'id="comment-{comment.pk}"')]


def page_comment_delete(t: Target) -> list[Request]:
    comment = t.authored(t.world.comments)
    return page_form(url("nsp:comment-delete", comment), {}, Deleted(comment), watch=[Comment], rows=[comment])


def api_comment_view(t: Target) -> list[Request]:
    comment = t.authored(t.world.comments)
    return [api_get(detail("comments", comment)), api_list("comments", comment)]


def api_comment_delete(t: Target) -> list[Request]:
    comment = t.authored(t.world.comments)
    return [api_write("DELETE", detail("comments", comment), None, Deleted(comment), watch=[Comment], rows=[comment])]


# --- zones -----------------------------------------------------------------------------------------


def page_zone_view(t: Target) -> list[Request]:
    zone = t.zone
    return [get(url("zones:zone", zone), shows=zone.name_nl), page_list("zones:zone-list", zone)]


NEW_PLAN = {"title": "Next zonal plan", "period_start": "2040-01-01", "period_end": "2045-12-31"}


def page_zone_create_plan(t: Target) -> list[Request]:
    data = {**NEW_PLAN, "nsp": t.world.nsp.pk}
    effect = Created(ZonalSecurityPlan, zone=t.zone, title="Next zonal plan")
    return page_form(url("zones:plan-create", t.zone), data, effect, watch=[ZonalSecurityPlan])


def api_zone_view(t: Target) -> list[Request]:
    zone, district = t.zone, t.zone.district
    # Districts are read like zones (the directory).
    return [
        api_get(detail("zones", zone)),
        api_list("zones", zone),
        api_get(detail("districts", district)),
        api_list("districts", district),
    ]


def api_zone_change(t: Target) -> list[Request]:
    zone = t.zone
    effect = Changed(zone, notes=CHANGED)
    return [api_write("PATCH", detail("zones", zone), {"notes": CHANGED}, effect, watch=[PoliceZone], rows=[zone])]


def api_zone_create_plan(t: Target) -> list[Request]:
    data = {**NEW_PLAN, "zone": t.zone.pk, "nsp": t.world.nsp.pk}
    effect = Created(ZonalSecurityPlan, zone=t.zone, title="Next zonal plan")
    carried = {
        "document": t.world.document,
        "zone": t.zone.pk,
        "period_start": "2040-01-01",
        "period_end": "2045-12-31",
    }
    return [
        api_write("POST", f"{API}zonal-plans/", data, effect, watch=[ZonalSecurityPlan], creates_with="zone"),
        # Carrying a plan forward drafts a new one: the same right.
        api_write(
            "POST",
            f"{API}zonal-plans/import/",
            carried,
            Created(ZonalSecurityPlan, zone=t.zone),
            watch=[ZonalSecurityPlan, Objective],
            creates_with="zone",
        ),
    ]


# --- programmes ------------------------------------------------------------------------------------


PROGRAMME_DATA = {
    "code": "new-programme",
    "title": "New programme",
    "programme_type": "programme",
    "owning_unit": "DGJ/DJSOC",
    "period_start": "2016-01-01",
    "period_end": "2019-12-31",
    "status": "approved",
    "keep_tolerance": "0.05",
}


def page_programme_view(t: Target) -> list[Request]:
    programme = t.plan
    return [
        get(url("programmes:programme", programme), shows=programme.title),
        page_list("programmes:programme-list", programme),
    ]


def page_programme_create(t: Target) -> list[Request]:
    data = {**PROGRAMME_DATA, "nsp": t.world.nsp.pk}
    path = url("programmes:programme-create")
    return page_form(path, data, Created(Programme, code="new-programme"), watch=[Programme])


def page_programme_change(t: Target) -> list[Request]:
    programme = t.plan
    data = form_data(ProgrammeEditForm(instance=programme), description=CHANGED)
    path = url("programmes:programme-edit", programme)
    return page_form(path, data, Changed(programme, description=CHANGED), watch=[Programme], rows=[programme])


def page_programme_delete(t: Target) -> list[Request]:
    programme = t.plan
    path = url("programmes:programme-delete", programme)
    return page_form(path, {}, Deleted(programme), watch=[Programme, Objective], rows=[programme])


def api_programme_view(t: Target) -> list[Request]:
    programme = t.plan
    return [api_get(detail("programmes", programme)), api_list("programmes", programme)]


def api_programme_create(t: Target) -> list[Request]:
    data = {**PROGRAMME_DATA, "nsp": t.world.nsp.pk}
    effect = Created(Programme, code="new-programme")
    return [api_write("POST", f"{API}programmes/", data, effect, watch=[Programme], creates_with="nsp")]


def api_programme_change(t: Target) -> list[Request]:
    programme = t.plan
    effect = Changed(programme, description=CHANGED)
    data = {"description": CHANGED}
    return [api_write("PATCH", detail("programmes", programme), data, effect, watch=[Programme], rows=[programme])]


def api_programme_delete(t: Target) -> list[Request]:
    programme = t.plan
    watch = [Programme, Objective]
    return [
        api_write("DELETE", detail("programmes", programme), None, Deleted(programme), watch=watch, rows=[programme])
    ]


# --- the regional plan and the local-police vision ------------------------------------------------------


REGIONAL_DATA = {
    "title": "Brussels regional security plan 2025-2028",
    "authority": "Brussels-Capital Region",
    "period_start": "2025-01-01",
    "period_end": "2028-12-31",
    "status": "draft",
    "keep_tolerance": "0.05",
}


def page_regional_view(t: Target) -> list[Request]:
    plan = t.plan
    return [get(url("zones:regional-plan", plan), shows=plan.title), page_list("zones:regional-plan-list", plan)]


def page_regional_create(t: Target) -> list[Request]:
    path = url("zones:regional-plan-create", t.world.spare_nsp)
    effect = Created(RegionalSecurityPlan, nsp=t.world.spare_nsp)
    return page_form(path, REGIONAL_DATA, effect, watch=[RegionalSecurityPlan])


def page_regional_change(t: Target) -> list[Request]:
    plan = t.plan
    data = form_data(RegionalPlanForm(instance=plan), summary=CHANGED)
    path = url("zones:regional-plan-edit", plan)
    return page_form(path, data, Changed(plan, summary=CHANGED), watch=[RegionalSecurityPlan], rows=[plan])


def api_regional_view(t: Target) -> list[Request]:
    plan = t.plan
    return [api_get(detail("regional-plans", plan)), api_list("regional-plans", plan)]


def api_regional_create(t: Target) -> list[Request]:
    data = {**REGIONAL_DATA, "nsp": t.world.spare_nsp.pk}
    effect = Created(RegionalSecurityPlan, nsp=t.world.spare_nsp)
    return [api_write("POST", f"{API}regional-plans/", data, effect, watch=[RegionalSecurityPlan], creates_with="nsp")]


def api_regional_change(t: Target) -> list[Request]:
    plan, indicator = t.plan, t.content.indicator
    effect = Changed(plan, summary=CHANGED)
    upload = detail("regional-plans", plan) + "measurements/import/"
    recorded = Created(Measurement, indicator=indicator, period="2016-Q2")
    data = {"summary": CHANGED}
    return [
        api_write("PATCH", detail("regional-plans", plan), data, effect, watch=[RegionalSecurityPlan], rows=[plan]),
        # The regional plan's content is kept by those who keep the plan (record == change there).
        api_write("POST", upload, {"file": csv_upload(indicator)}, recorded, watch=[Measurement], multipart=True),
    ]


def page_vision_view(t: Target) -> list[Request]:
    vision = t.world.vision
    return [get(url("zones:vision", vision), shows=vision.text)]


def page_vision_create(t: Target) -> list[Request]:
    path = url("zones:vision-create", t.world.spare_nsp)
    data = {"title": "The local police's view 2022-2025", "text": "Local first."}
    return page_form(path, data, Created(LocalPoliceVision, nsp=t.world.spare_nsp), watch=[LocalPoliceVision])


def api_vision_view(t: Target) -> list[Request]:
    vision = t.world.vision
    return [api_get(detail("visions", vision)), api_list("visions", vision)]


def api_vision_create(t: Target) -> list[Request]:
    data = {"nsp": t.world.spare_nsp.pk, "title": "The local police's view 2022-2025", "text": "Local first."}
    effect = Created(LocalPoliceVision, nsp=t.world.spare_nsp)
    return [api_write("POST", f"{API}visions/", data, effect, watch=[LocalPoliceVision], creates_with="nsp")]


def api_vision_change(t: Target) -> list[Request]:
    vision = t.world.vision
    effect = Changed(vision, text=CHANGED)
    return [
        api_write(
            "PATCH", detail("visions", vision), {"text": CHANGED}, effect, watch=[LocalPoliceVision], rows=[vision]
        )
    ]


def page_vision_change(t: Target) -> list[Request]:
    vision = t.world.vision
    data = form_data(VisionForm(instance=vision), text=CHANGED)
    path = url("zones:vision-edit", vision)
    return page_form(path, data, Changed(vision, text=CHANGED), watch=[LocalPoliceVision], rows=[vision])


# --- the NSP reference ------------------------------------------------------------------------------


def page_edition_view(t: Target) -> list[Request]:
    nsp = t.world.nsp
    return [
        get(url("clusters:edition", nsp), shows=nsp.title),
        get(url("clusters:edition-mapping", nsp), shows=nsp.title),
        page_list("clusters:edition-list", nsp),
        # Pages every signed-in user has; what they show is restricted (test_permitted_lists).
        Request("GET", url("nsp:home"), check="open"),
        Request("GET", url("reporting:dashboard"), check="open"),
        Request("GET", url("reporting:dashboard-csv", table="districts"), check="open"),
        Request("GET", url("reporting:trend"), check="open"),
        Request("GET", url("reporting:collection"), check="open"),
        # Subscriptions are for holders of a role, like report requests (no role: 404).
        get(url("reporting:subscription-list")),
        Request("GET", url("reporting:dashboard-csv", table="attention"), check="open"),
        Request("GET", url("reporting:coverage"), check="open"),
        Request("GET", url("reporting:coverage-file", format="csv"), check="open"),
        Request("GET", url("reporting:coverage-file", format="xlsx"), check="open"),
        # The drill-downs name the edition: one who may read no edition (no role) gets 404.
        get(url("reporting:coverage-priority", nsp=nsp.pk, kind="phenomenon", priority=t.world.priority.pk)),
        get(
            url(
                "reporting:coverage-cell",
                nsp=nsp.pk,
                kind="theme",
                priority=t.world.priority_theme.pk,
                zone=t.world.zones["own"].key,
            )
        ),
    ]


def page_edition_change(t: Target) -> list[Request]:
    nsp, ambition = t.world.nsp, t.world.ambition
    edition = form_data(EditionForm(instance=nsp), motto_en=CHANGED)
    ambition_data = form_data(AmbitionForm(instance=ambition), text_en=CHANGED)
    return [
        *page_form(
            url("clusters:edition-edit", nsp),
            edition,
            Changed(nsp, motto_en=CHANGED),
            watch=[NationalSecurityPlan],
            rows=[nsp],
        ),
        # An extension of the period is recorded on a page of its own, with the date of the decision.
        *page_form(
            url("clusters:edition-extend", nsp),
            {"extended_to": "2022-12-31", "decided_on": "2019-11-15", "reason": CHANGED},
            Changed(nsp, extended_to=dt.date(2022, 12, 31)),
            watch=[NationalSecurityPlan],
            rows=[nsp],
        ),
        # The edition's ambitions are part of its reference.
        *page_form(
            url("clusters:ambition-edit", ambition),
            ambition_data,
            Changed(ambition, text_en=CHANGED),
            watch=[Ambition],
            rows=[ambition],
        ),
    ]


def reference_specs(model, form_class, name: str, resource: str, pick: Callable[[World], Any], field_name: str):
    def page_view(t: Target) -> list[Request]:
        item = pick(t.world)
        return [get(url(f"clusters:{name}", item), shows=item.name)]

    def page_change(t: Target) -> list[Request]:
        item = pick(t.world)
        data = form_data(form_class(instance=item), **{field_name: CHANGED})
        path = url(f"clusters:{name}-edit", item)
        return page_form(path, data, Changed(item, **{field_name: CHANGED}), watch=[model], rows=[item])

    def api_view(t: Target) -> list[Request]:
        item = pick(t.world)
        return [api_get(detail(resource, item)), api_list(resource, item)]

    def api_change(t: Target) -> list[Request]:
        item = pick(t.world)
        effect = Changed(item, **{field_name: CHANGED})
        return [api_write("PATCH", detail(resource, item), {field_name: CHANGED}, effect, watch=[model], rows=[item])]

    return page_view, page_change, api_view, api_change


def api_edition_view(t: Target) -> list[Request]:
    nsp = t.world.nsp
    return [api_get(detail("nsp-editions", nsp)), api_list("nsp-editions", nsp)]


def api_edition_change(t: Target) -> list[Request]:
    nsp = t.world.nsp
    effect = Changed(nsp, motto_en=CHANGED)
    return [
        api_write(
            "PATCH",
            detail("nsp-editions", nsp),
            {"motto_en": CHANGED},
            effect,
            watch=[NationalSecurityPlan],
            rows=[nsp],
        )
    ]


# --- report runs -------------------------------------------------------------------------------------


def report_request_data(t: Target) -> dict:
    plan = t.world.plans[("own", "approved")].plan
    return {"kind": "plan_progress", "scope": "plan", "plan": plan.pk, "format": "json", "language": "en"}


def page_report_view(t: Target) -> list[Request]:
    run = t.authored(t.world.reports)
    return [
        get(url("reporting:run", run), shows=str(run)),
        page_list("reporting:run-list", run),
        get(url("reporting:run-download", run)),
    ]


def page_report_create(t: Target) -> list[Request]:
    return page_form(url("reporting:run-new"), report_request_data(t), Created(ReportRun), watch=[ReportRun])


def page_report_delete(t: Target) -> list[Request]:
    run, queued = t.authored(t.world.reports), t.authored(t.world.queued)
    return [
        *page_form(url("reporting:run-delete", run), {}, Deleted(run), watch=[ReportRun], rows=[run]),
        post(
            url("reporting:run-cancel", queued),
            {},
            Changed(queued, status="cancelled"),
            watch=[ReportRun],
            rows=[queued],
        ),
    ]


def api_report_view(t: Target) -> list[Request]:
    run = t.authored(t.world.reports)
    return [api_get(detail("reports", run)), api_list("reports", run), api_get(detail("reports", run) + "download/")]


def api_report_create(t: Target) -> list[Request]:
    return [
        api_write(
            "POST", f"{API}reports/", report_request_data(t), Created(ReportRun), watch=[ReportRun], creates_with="plan"
        )
    ]


def api_report_delete(t: Target) -> list[Request]:
    run, queued = t.authored(t.world.reports), t.authored(t.world.queued)
    cancelled = Changed(queued, status="cancelled")
    return [
        api_write("DELETE", detail("reports", run), None, Deleted(run), watch=[ReportRun], rows=[run]),
        api_write("POST", detail("reports", queued) + "cancel/", None, cancelled, watch=[ReportRun], rows=[queued]),
    ]


# --- the registry ------------------------------------------------------------------------------------

NO_ZONE_CHANGE = NoRoute("police zones are kept in the admin, the API and `manage.py import_zones`, not on a page")

CONTENT = {
    "objective": (page_objective_view, page_objective_create, page_objective_change, page_objective_delete),
    "indicator": (page_indicator_view, page_indicator_create, page_indicator_change, page_indicator_delete),
    "measurement": (page_measurement_view, page_measurement_create, page_measurement_change, page_measurement_delete),
    "action": (page_action_view, page_action_create, page_action_change, page_action_delete),
}
CONTENT_API = {
    "objective": (api_objective_view, api_objective_create, api_objective_change, api_objective_delete),
    "indicator": (api_indicator_view, api_indicator_create, api_indicator_change, api_indicator_delete),
    "measurement": (api_measurement_view, api_measurement_create, api_measurement_change, api_measurement_delete),
    "action": (api_action_view, api_action_create, api_action_change, api_action_delete),
}
PARTS = {
    "alignment": (
        (page_alignment_view, page_alignment_create, page_alignment_change, page_alignment_delete),
        (api_alignment_view, api_alignment_create, api_alignment_change, api_alignment_delete),
    ),
    "expectation": (
        (page_expectation_view, page_expectation_create, page_expectation_change, page_expectation_delete),
        (api_expectation_view, api_expectation_create, api_expectation_change, api_expectation_delete),
    ),
    "plan_section": (
        (page_section_view, page_section_create, page_section_change, page_section_delete),
        (api_section_view, api_section_create, api_section_change, api_section_delete),
    ),
    "matrix_candidate": (
        (page_candidate_view, page_candidate_create, page_candidate_change, page_candidate_delete),
        (api_candidate_view, api_candidate_create, api_candidate_change, api_candidate_delete),
    ),
}
CRUD = ("view", "create", "change", "delete")


# --- a plan's deleted items (a deleted objective) ----------------------------------------------------------


def page_deleted_view(t: Target) -> list[Request]:
    d = t.content.deleted
    return [get(url("nsp:plan-deleted-items", t.plan), shows=d.label)]


def page_deleted_restore(t: Target) -> list[Request]:
    d = t.content.deleted
    effect = Restored(d, Objective)
    return page_form(url("nsp:deleted-item-restore", d), {}, effect, watch=[Objective, DeletedItem], rows=[d])


def api_deleted_view(t: Target) -> list[Request]:
    d = t.content.deleted
    return [api_get(detail("deleted-items", d)), api_list("deleted-items", d)]


def api_deleted_restore(t: Target) -> list[Request]:
    d = t.content.deleted
    effect = Restored(d, Objective)
    return [
        api_write("POST", f"{detail('deleted-items', d)}restore/", {}, effect, watch=[Objective, DeletedItem], rows=[d])
    ]


def _registry() -> dict[tuple[str, str], dict[str, Spec]]:
    specs: dict[tuple[str, str], dict[str, Spec]] = {}

    def add(obj: str, action: str, page: Spec, api: Spec) -> None:
        specs[(obj, action)] = {"page": page, "api": api}

    for obj in CONTENT:
        # Programmes carry the same content; the matrix has rows for their objectives, indicators, measurements.
        for prefix in ("", "programme_") if obj != "action" else ("",):
            for action, page, api in zip(CRUD, CONTENT[obj], CONTENT_API[obj], strict=True):
                add(prefix + obj, action, page, api)
    add("action", "record", page_action_record, api_action_record)
    for obj, (pages, apis) in PARTS.items():
        for action, page, api in zip(CRUD, pages, apis, strict=True):
            add(obj, action, page, api)

    add("zonal_plan", "view", page_plan_view, api_plan_view)
    add("zonal_plan", "change", page_plan_change, api_plan_change)
    add("zonal_plan", "delete", page_plan_delete, api_plan_delete)
    add("zonal_plan", "comment", page_plan_comment, api_plan_comment)
    for step in STEPS:
        add("zonal_plan", step, page_step(step), api_step(step))

    add("comment", "view", page_comment_view, api_comment_view)
    add("comment", "delete", page_comment_delete, api_comment_delete)

    add("zone", "view", page_zone_view, api_zone_view)
    add("zone", "create_plan", page_zone_create_plan, api_zone_create_plan)
    add("zone", "change", NO_ZONE_CHANGE, api_zone_change)

    add("programme", "view", page_programme_view, api_programme_view)
    add("programme", "create", page_programme_create, api_programme_create)
    add("programme", "change", page_programme_change, api_programme_change)
    add("programme", "delete", page_programme_delete, api_programme_delete)

    add("regional_plan", "view", page_regional_view, api_regional_view)
    add("regional_plan", "create", page_regional_create, api_regional_create)
    add("regional_plan", "change", page_regional_change, api_regional_change)

    add("vision", "view", page_vision_view, api_vision_view)
    add("vision", "create", page_vision_create, api_vision_create)
    add("vision", "change", page_vision_change, api_vision_change)

    add("nsp_edition", "view", page_edition_view, api_edition_view)
    add("nsp_edition", "change", page_edition_change, api_edition_change)
    for obj, model, form_class, name, resource, pick, name_field in (
        ("cluster", SecurityCluster, ClusterForm, "cluster", "clusters", lambda w: w.cluster, "name_en"),
        (
            "phenomenon",
            SecurityPhenomenon,
            PhenomenonForm,
            "phenomenon",
            "phenomena",
            lambda w: w.priority,
            "key_point_en",
        ),
        ("theme", CrossCuttingTheme, ThemeForm, "theme", "themes", lambda w: w.priority_theme, "key_point_en"),
    ):
        page_view, page_change, api_view, api_change = reference_specs(
            model, form_class, name, resource, pick, name_field
        )
        add(obj, "view", page_view, api_view)
        add(obj, "change", page_change, api_change)

    add("deleted_item", "view", page_deleted_view, api_deleted_view)
    add("deleted_item", "restore", page_deleted_restore, api_deleted_restore)
    add("report", "view", page_report_view, api_report_view)
    add("report", "create", page_report_create, api_report_create)
    add("report", "delete", page_report_delete, api_report_delete)
    return specs


SPECS = _registry()
