"""Pages of the planning core, shared by every plan type: home, objectives, indicators, measurements,
actions, comments, bulk upload of measurements.

Declarations over ``nsp.viewmixins``: each page names its queryset, form, template and the one service
that writes; permissions come from ``restrict`` through ``get_for``/``rights_for``; progress from the
``nsp.progress`` annotations.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nsp import home_sections, progress, selectors, services
from nsp.exceptions import DomainError
from nsp.forms import (
    ActionForm,
    ActionInPlaceForm,
    ActionProgressForm,
    ActionProgressInPlaceForm,
    CommentForm,
    IndicatorForm,
    IndicatorInPlaceForm,
    MeasurementForm,
    MeasurementUploadForm,
    ObjectiveAfterForm,
    ObjectiveForm,
    ObjectiveInPlaceForm,
    ObjectiveMoveForm,
    ObjectivePlaceForm,
    ObjectiveTitleForm,
)
from nsp.history import history_entries
from nsp.models import Action, Comment, DeletedItem, Indicator, Measurement, Objective, Plan
from nsp.permissions import can, get_for
from nsp.selectors import comments_of
from nsp.viewmixins import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectView,
    Page,
    ServiceFormView,
    apply_domain_error,
    get_for_any,
    rights_for,
    with_rights,
)

PLAN_SECTIONS = {Plan.Kind.ZONAL: "plans", Plan.Kind.PROGRAMME: "programmes", Plan.Kind.REGIONAL: "plans"}
PLAN_LISTS = {
    Plan.Kind.ZONAL: ("zones:plan-list", gettext_lazy("Zonal plans")),
    Plan.Kind.PROGRAMME: ("programmes:programme-list", gettext_lazy("Programmes")),
    Plan.Kind.REGIONAL: ("zones:regional-plan-list", gettext_lazy("Regional plans")),
}


def today():
    return timezone.localdate()


def plan_crumbs(plan: Plan) -> list[tuple[str, str]]:
    """Breadcrumbs down to a plan of any kind (no query: the plan row knows its kind)."""
    from django.urls import reverse

    list_name, list_label = PLAN_LISTS[plan.kind]
    return [(str(list_label), reverse(list_name)), (plan.title, plan.get_absolute_url())]


def objective_crumbs(objective: Objective) -> list[tuple[str, str]]:
    crumbs = plan_crumbs(objective.plan)
    if objective.parent_id:
        crumbs.append((str(objective.parent), objective.parent.get_absolute_url()))
    return [*crumbs, (str(objective), objective.get_absolute_url())]


# --- home ------------------------------------------------------------------------------------------------


class HomeView(Page):
    """The user's own work: their plans, what is overdue or late, what waits for them, recent comments."""

    template_name = "pages/home.html"
    title = gettext_lazy("Your work")
    section = "home"
    list_size = 10

    def get(self, request, *args, **kwargs):
        context = {
            **selectors.home(request.user, as_of=today(), size=self.list_size),
            # Sections other apps add for the roles they serve (nsp.home_sections), shown first.
            "sections": home_sections.sections(request),
        }
        return self.render(context)


# --- objectives ------------------------------------------------------------------------------------------


class ObjectiveDetailView(ObjectView):
    queryset = Objective.objects.select_related("plan", "parent")
    template_name = "nsp/objective_detail.html"
    rights = ("change", "delete")

    def get_queryset(self):
        return progress.annotate_objectives(super().get_queryset(), as_of=today())

    def get_title(self, obj=None) -> str:
        return str(obj)

    def get_breadcrumbs(self, obj=None):
        return objective_crumbs(obj)[:-1]

    def get_extra_context(self, objective) -> dict[str, Any]:
        user, as_of = self.request.user, today()
        return {
            "section": PLAN_SECTIONS[objective.plan.kind],
            "summary": objective,
            "plan_may": rights_for(user, objective.plan, ("record",)),
            "indicators": progress.annotate_indicators(objective.indicators.all(), as_of=as_of),
            "actions": progress.annotate_actions(objective.actions.all(), as_of=as_of),
            "children": progress.annotate_objectives(objective.children.all(), as_of=as_of),
            "comments": comments_of(user, objective=objective),
            "comment_form": CommentForm(),
            "comment_url": _url("nsp:objective-comment-add", objective.pk),
            "history": history_entries(Objective.history.filter(id=objective.pk)),
        }


class InPlace:
    """The same page, asked by htmx from the plan's tree: a small form in place (``in_place_form``), and once
    saved, the re-rendered tree (``tree_response``) with the focus on the new or changed row. Without
    JavaScript the tree's links open the full page, as before."""

    in_place_form = None

    def in_place(self) -> bool:
        return bool(self.request.htmx) and self.in_place_form is not None

    def get_form(self, target, data=None, files=None):
        if self.in_place():
            kwargs = self.get_form_kwargs(target)
            kwargs.setdefault("plan", target if isinstance(target, Plan) else target.plan)
            return self.in_place_form(data=data, **kwargs)
        return super().get_form(target, data=data, files=files)

    def render_form(self, target, form, *, status: int = 200):
        if not self.in_place():
            return super().render_form(target, form, status=status)
        from django.template.response import TemplateResponse

        context = {
            "form": form,
            "action_url": self.request.get_full_path(),
            "form_id": "tree-form" + self.request.path.replace("/", "-").rstrip("-"),
            "heading": self.get_title(target),
            "submit_label": self.submit_label or _("Save"),
            **self.form_state(),
        }
        # 200 even for a refused save: htmx swaps the form with its messages in place of itself.
        return TemplateResponse(self.request, "includes/tree_form.html", context)

    def success(self, result, target):
        if not self.in_place():
            return super().success(result, target)
        changed = result if isinstance(result, models.Model) else target
        plan = changed.plan
        message = self.get_success_message(result, target)
        return tree_response(self.request, plan, focus=changed, message=message)


def tree_response(
    request, plan: Plan, *, focus: models.Model | None = None, message: str = "", error: str = "", move: str = ""
):
    """The plan's whole tree, to replace the one on the page (``#objective-tree``), the focus on ``focus``'s row."""
    from django.template.response import TemplateResponse
    from django_htmx.http import reswap, retarget

    rows, _summary = selectors.objective_rows(plan, as_of=today())
    context = {
        "rows": rows,
        "editable": True,
        "plan": plan,
        "focus_kind": focus._meta.model_name if focus is not None else "",
        "focus_pk": getattr(focus, "pk", None),
        "tree_message": message,
        "tree_error": error,
        "focus_move": move,
        "tree_label": _("Objectives from strategic to operational"),
    }
    response = TemplateResponse(request, "includes/objective_tree.html", context)
    return reswap(retarget(response, "#objective-tree"), "outerHTML")


class ObjectiveCreateView(InPlace, ObjectCreateView):
    """Add an objective to a plan (any kind), optionally under a parent (``?parent=<id>``)."""

    form_class = ObjectiveForm
    target_queryset = Plan.objects.all()
    service = services.objective_create
    in_place_form = ObjectiveInPlaceForm
    target_kwarg = "plan"
    title = gettext_lazy("Add an objective")

    def get_form_kwargs(self, plan) -> dict[str, Any]:
        return {"plan": plan, "initial": self.request.GET.dict()}

    def get_breadcrumbs(self, obj=None):
        return plan_crumbs(obj)

    def get_extra_context(self, target, form):
        return {"section": PLAN_SECTIONS[target.kind]}


class ObjectiveCreateAfterView(InPlace, ObjectCreateView):
    """Add an objective right after another, at its level and under its parent (``services.objective_create_after``):
    a row's "Add an objective after" in the tree; without JavaScript the full form."""

    form_class = ObjectiveAfterForm
    in_place_form = ObjectiveTitleForm
    target_queryset = Objective.objects.select_related("plan", "parent")
    service = services.objective_create_after
    target_kwarg = "sibling"

    def get_form_kwargs(self, target) -> dict[str, Any]:
        return {"plan": target.plan}

    def get_title(self, obj=None) -> str:
        return _("Add an objective after %(object)s") % {"object": obj}

    def get_breadcrumbs(self, obj=None):
        return objective_crumbs(obj)[:-1]

    def get_success_url(self, result, target) -> str:
        return f"{target.plan.get_absolute_url()}#objective-{result.pk}"

    def get_cancel_url(self, target) -> str:
        return f"{target.plan.get_absolute_url()}#objective-{target.pk}"

    def get_extra_context(self, target, form):
        return {"section": PLAN_SECTIONS[target.plan.kind]}


class ObjectiveEditView(InPlace, ObjectEditView):
    form_class = ObjectiveForm
    in_place_form = ObjectiveTitleForm
    target_queryset = Objective.objects.select_related("plan", "parent")
    service = services.objective_update
    target_kwarg = "objective"

    def get_breadcrumbs(self, obj=None):
        return objective_crumbs(obj)


class ObjectiveDeleteView(ObjectDeleteView):
    restorable = True
    target_queryset = Objective.objects.select_related("plan", "parent")
    service = services.objective_delete
    target_kwarg = "objective"

    def get_breadcrumbs(self, obj=None):
        return objective_crumbs(obj)

    def get_success_url(self, result, target) -> str:
        return target.parent.get_absolute_url() if target.parent_id else target.plan.get_absolute_url()

    def get_extra_context(self, target, form):
        return {
            "consequences": [
                _("Its sub-objectives, indicators (with their measurements) and actions are deleted with it.")
            ]
        }


# --- indicators and measurements -------------------------------------------------------------------------


class IndicatorDetailView(ObjectView):
    template_name = "nsp/indicator_detail.html"
    partial_template_name = "nsp/partials/measurements.html"

    def get_breadcrumbs(self, obj=None):
        return objective_crumbs(obj.objective)

    def get(self, request, *args, **kwargs):
        indicator = selectors.indicator(request.user, pk=kwargs["pk"], as_of=today())
        self.may = {right: bool(getattr(indicator, f"may_{right}")) for right in selectors.INDICATOR_RIGHTS}
        context = {"object": indicator, "may": self.may, "section": PLAN_SECTIONS[indicator.plan.kind]}
        context.update(indicator_context(request, indicator, current=indicator))
        return self.render(context, obj=indicator)


def indicator_context(
    request, indicator: Indicator, form: MeasurementForm | None = None, *, current: Indicator | None = None
) -> dict[str, Any]:
    """What the indicator page and its htmx-refreshed measurement section show: the reads
    (``selectors.indicator_page``) and the forms."""
    as_of = today()
    context = selectors.indicator_page(request.user, indicator, as_of=as_of, current=current)
    if form is None and context["may_record"]:
        period = _period_to_record(indicator, context["current"], as_of)
        form = MeasurementForm(initial={"period": period}, indicator=indicator)
    context.update(
        {
            "measurement_form": form,
            "comment_form": CommentForm(),
            "comment_url": _url("nsp:indicator-comment-add", indicator.pk),
        }
    )
    return context


def _period_to_record(indicator: Indicator, current, as_of) -> str:
    """The last due period when it has no measurement yet (what a planner records next)."""
    due = progress.last_due_period(
        frequency=indicator.frequency,
        baseline_date=indicator.baseline_date,
        target_date=indicator.target_date,
        as_of=as_of,
    )
    return due.label if due is not None and current.overdue else ""


class ObjectiveMoveView(ServiceFormView):
    """Move an objective up, down, in or out in its plan's tree (``services.objective_move``): the buttons of
    each row post here; htmx gets the tree back (a refusal as its message), a plain post the plan's page."""

    form_class = ObjectiveMoveForm
    target_queryset = Objective.objects.select_related("plan", "parent")
    service = services.objective_move
    target_kwarg = "objective"
    title = gettext_lazy("Move an objective")
    success_message = gettext_lazy("Moved %(object)s.")
    submit_label = gettext_lazy("Move")

    def get_breadcrumbs(self, obj=None):
        return objective_crumbs(obj)

    def get_success_url(self, result, target) -> str:
        return f"{target.plan.get_absolute_url()}#objective-{target.pk}"

    def get_cancel_url(self, target) -> str:
        return self.get_success_url(None, target)

    def _move(self) -> str:
        move = self.request.POST.get("direction", "")
        return move if move in services.MOVES else ""

    def success(self, result, target):
        if not self.request.htmx:
            return super().success(result, target)
        message = self.get_success_message(result, target)
        return tree_response(self.request, target.plan, focus=target, message=message, move=self._move())

    def render_form(self, target, form, *, status: int = 200):
        if not (self.request.htmx and self.request.method == "POST"):
            return super().render_form(target, form, status=status)
        errors = [str(e) for e in form.non_field_errors()] + [str(e) for f in form for e in f.errors]
        return tree_response(self.request, target.plan, focus=target, error=" ".join(errors), move=self._move())


class ObjectivePlaceView(ObjectiveMoveView):
    """Put an objective under a parent at a position (``services.objective_place``): where a dragged row is
    dropped in the tree (static/js/app.js). htmx gets the tree back, a refusal (a stale tree too) as its message."""

    form_class = ObjectivePlaceForm
    service = services.objective_place
    title = gettext_lazy("Place an objective")

    def get_form_kwargs(self, target) -> dict[str, Any]:
        return {"plan": target.plan}

    def service_kwargs(self, form, target) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            "objective": target,
            "parent": data["parent"],
            "position": data["position"],
            "tree_version": data["tree"] or None,
        }

    def _move(self) -> str:
        return ""


class IndicatorCreateView(InPlace, ObjectCreateView):
    form_class = IndicatorForm
    in_place_form = IndicatorInPlaceForm
    target_queryset = Objective.objects.select_related("plan", "parent")
    service = services.indicator_create
    target_kwarg = "objective"
    title = gettext_lazy("Add an indicator")

    def get_breadcrumbs(self, obj=None):
        return objective_crumbs(obj)


class IndicatorEditView(InPlace, ObjectEditView):
    form_class = IndicatorForm
    in_place_form = IndicatorInPlaceForm
    target_queryset = Indicator.objects.select_related("plan", "objective", "objective__parent")
    service = services.indicator_update
    target_kwarg = "indicator"

    def get_breadcrumbs(self, obj=None):
        return objective_crumbs(obj.objective)


class IndicatorDeleteView(ObjectDeleteView):
    restorable = True
    target_queryset = Indicator.objects.select_related("plan", "objective", "objective__parent")
    service = services.indicator_delete
    target_kwarg = "indicator"

    def get_breadcrumbs(self, obj=None):
        return objective_crumbs(obj.objective)

    def get_success_url(self, result, target) -> str:
        return target.objective.get_absolute_url()

    def get_extra_context(self, target, form):
        return {"consequences": [_("Its measurements are deleted with it.")]}


class MeasurementRecordView(ServiceFormView):
    """Record a period's value; htmx swaps the measurement section, a plain POST redirects back."""

    form_class = MeasurementForm
    target_queryset = Indicator.objects.select_related("plan", "objective", "objective__parent")
    target_action = "view"
    service = services.measurement_record
    target_kwarg = "indicator"
    template_name = "pages/object_form.html"
    title = gettext_lazy("Record a measurement")
    success_message = gettext_lazy("Recorded %(object)s.")

    def get_target(self):
        indicator = super().get_target()
        # Recording is a right on the plan; 403 when the user may read the indicator only.
        get_for(self.request.user, "record", Plan.objects.all(), pk=indicator.plan_id)
        return indicator

    def get_form_kwargs(self, target) -> dict[str, Any]:
        return {"indicator": target}

    def get_breadcrumbs(self, obj=None):
        return [*objective_crumbs(obj.objective), (str(obj), obj.get_absolute_url())]

    def get_success_url(self, result, target) -> str:
        return target.get_absolute_url() + "#measurements"

    def render_form(self, target, form, *, status: int = 200):
        if self.request.htmx:
            return self._section(target, form)
        return super().render_form(target, form, status=status)

    def success(self, result, target):
        if self.request.htmx:
            # The swapped section says it was recorded; a flash message would reappear on the next page.
            return self._section(target, None, recorded=result)
        return super().success(result, target)

    def _section(self, indicator, form, recorded=None):
        from django.template.response import TemplateResponse

        context = indicator_context(self.request, indicator, form)
        context["recorded"] = recorded
        return TemplateResponse(self.request, "nsp/partials/measurements.html", context)


class MeasurementEditView(ObjectEditView):
    form_class = MeasurementForm
    target_queryset = Measurement.objects.select_related("plan", "indicator", "indicator__objective")
    service = services.measurement_update
    target_kwarg = "measurement"

    def get_breadcrumbs(self, obj=None):
        indicator = obj.indicator
        return [*objective_crumbs(indicator.objective), (str(indicator), indicator.get_absolute_url())]

    def get_title(self, obj=None) -> str:
        return _("Change the measurement of %(period)s") % {"period": obj.period}

    def get_cancel_url(self, target) -> str:
        return target.indicator.get_absolute_url()


class MeasurementDeleteView(ObjectDeleteView):
    restorable = True
    target_queryset = Measurement.objects.select_related("plan", "indicator", "indicator__objective")
    service = services.measurement_delete
    target_kwarg = "measurement"

    def get_breadcrumbs(self, obj=None):
        indicator = obj.indicator
        return [*objective_crumbs(indicator.objective), (str(indicator), indicator.get_absolute_url())]

    def get_cancel_url(self, target) -> str:
        return target.indicator.get_absolute_url()

    def get_success_url(self, result, target) -> str:
        return target.indicator.get_absolute_url() + "#measurements"


class MeasurementUploadView(ServiceFormView):
    """Measurements of a whole plan from a CSV or XLSX file; all rows or none.

    ``?template=xlsx`` (or ``csv``) downloads a file to fill in, one row per indicator of the plan with
    the period now due.
    """

    form_class = MeasurementUploadForm
    target_queryset = Plan.objects.all()
    target_action = "record"
    target_kwarg = "plan"
    template_name = "nsp/measurement_upload.html"
    title = gettext_lazy("Upload measurements")
    submit_label = gettext_lazy("Upload")

    @staticmethod
    def service(**kwargs):
        from nsp import bulk

        return bulk.measurements_import(**kwargs)

    def service_kwargs(self, form, target) -> dict[str, Any]:
        upload = form.cleaned_data["file"]
        return {"plan": target, "file": upload, "filename": upload.name}

    def get_breadcrumbs(self, obj=None):
        return plan_crumbs(obj)

    def get_extra_context(self, target, form):
        from nsp import bulk

        return {
            "section": PLAN_SECTIONS[target.kind],
            "problems": getattr(form, "problems", None),
            "limits": bulk.LIMITS,
            "max_megabytes": bulk.LIMITS.max_bytes // (1024 * 1024),
        }

    def get_success_message(self, result, target) -> str:
        from nsp import bulk

        return bulk.result_message(result)

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("template")
        if kind in {"csv", "xlsx"}:
            from django.http import HttpResponse

            from nsp import bulk

            target = self.get_target()
            content, content_type = bulk.template_file(target, kind, as_of=timezone.localdate())
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="measurements-plan-{target.pk}.{kind}"'
            return response
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        from nsp import intake

        target = self.get_target()
        form = self.get_form(target, data=request.POST, files=request.FILES)
        try:
            intake.single_upload(request.FILES)
        except DomainError as error:
            form.is_valid()
            form.problems = error.extra.get("problems")
            form.add_error(None, error.message)
            return self.render_form(target, form)
        if form.is_valid():
            try:
                result = self.call_service(form, target)
            except DomainError as error:
                form.problems = error.extra.get("problems")
                apply_domain_error(form, error)
            else:
                return self.success(result, target)
        return self.render_form(target, form)


class MeasurementGridView(Page):
    """A quarter of a plan in one form: every indicator due, grouped by objective, saved all or nothing through
    ``services.measurements_upsert`` (the upload's service). Reads in ``nsp.grid``; rights as the measurement
    form (``record`` on the plan, through ``restrict``)."""

    template_name = "nsp/measurement_grid.html"
    title = gettext_lazy("Record a quarter")

    def get_plan(self) -> Plan:
        plan = get_for(self.request.user, "view", Plan.objects.select_related("zone"), pk=self.kwargs["pk"])
        # 403 unless the plan records progress; to the editor of a draft, why, in words.
        services.ensure_recording(self.request.user, plan)
        return plan

    def get_title(self, obj=None) -> str:
        return _("Record %(period)s") % {"period": obj.quarter.label} if obj else str(self.title)

    def get_breadcrumbs(self, obj=None):
        return plan_crumbs(obj.plan)

    def context(self, grid, **extra) -> dict[str, Any]:
        from nsp import collection

        user = self.request.user
        return {
            "grid": grid,
            "object": grid.plan,
            "section": PLAN_SECTIONS[grid.plan.kind],
            "cycle": collection.cycle_of(grid.quarter),
            "plans": Plan.objects.restrict(user, "record").order_by("kind", "title", "pk").only("pk", "title", "kind"),
            "due_count": sum(1 for row in grid.rows if row.due),
            **extra,
        }

    def get(self, request, *args, **kwargs):
        from nsp import grid as grids

        plan = self.get_plan()
        quarter, quarters = grids.chosen_quarter(plan, request.GET.get("period"), today=today())
        grid = grids.build(plan, quarter, quarters=quarters)
        return self.render(self.context(grid), obj=grid)

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.http import HttpResponseRedirect

        from nsp import bulk
        from nsp import grid as grids

        plan = self.get_plan()
        quarter, quarters = grids.chosen_quarter(plan, request.POST.get("period"), today=today())
        grid = grids.build(plan, quarter, quarters=quarters)
        posted = grids.read_posted(grid, request.POST)
        problems: list[dict] = []
        if posted.errors:
            # Nothing is written; the rule's own refusals of the readable cells are shown with them at once.
            problems = services.measurement_problems(plan=plan, rows=posted.rows)
        elif posted.rows:
            try:
                result = services.measurements_upsert(
                    plan=plan, rows=posted.rows, actor=request.user, reason=_("Recorded in the quarter grid")
                )
            except DomainError as error:
                problems = error.extra.get("problems") or []
                if not problems:
                    posted.errors["__all__"] = error.message
            else:
                messages.success(request, bulk.result_message(result))
                return HttpResponseRedirect(f"{request.path}?period={quarter.label}")
        else:
            messages.info(request, _("No value was given; nothing was recorded."))
            return HttpResponseRedirect(f"{request.path}?period={quarter.label}")
        errors = {**posted.errors, **grids.problem_errors(posted, problems)}
        refused = grids.build(plan, quarter, quarters=quarters, posted=request.POST, errors=errors)
        return self.render(self.context(refused, refusal=errors.get("__all__", "")), status=200, obj=refused)


class MeasurementGridPickView(Page):
    """``?plan=<id>&period=<label>``: to that plan's quarter grid; without a plan, the plans one may record."""

    template_name = "nsp/measurement_grid_pick.html"
    title = gettext_lazy("Record a quarter")

    def get(self, request, *args, **kwargs):
        from urllib.parse import urlencode

        from django.http import HttpResponseRedirect
        from django.urls import reverse

        plans = Plan.objects.restrict(request.user, "record").order_by("kind", "title", "pk")
        chosen = request.GET.get("plan", "")
        if chosen.isdigit():
            plan = get_for(request.user, "record", Plan.objects.all(), pk=int(chosen))
            url = reverse("nsp:measurement-grid", kwargs={"pk": plan.pk})
            period = request.GET.get("period", "")
            return HttpResponseRedirect(f"{url}?{urlencode({'period': period})}" if period else url)
        return self.render({"plans": list(plans)})


# --- actions ---------------------------------------------------------------------------------------------


class ActionDetailView(ObjectView):
    queryset = Action.objects.select_related("plan", "objective", "objective__parent")
    template_name = "nsp/action_detail.html"
    rights = ("change", "delete", "record")

    def get_queryset(self):
        return progress.annotate_actions(super().get_queryset(), as_of=today())

    def get_breadcrumbs(self, obj=None):
        return objective_crumbs(obj.objective)

    def get_extra_context(self, action) -> dict[str, Any]:
        user = self.request.user
        return {
            "section": PLAN_SECTIONS[action.plan.kind],
            "current": action,
            "comments": comments_of(user, action=action),
            "comment_form": CommentForm(),
            "comment_url": _url("nsp:action-comment-add", action.pk),
            "history": history_entries(Action.history.filter(id=action.pk)),
        }

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        may = response.context_data["may"]
        # Progress is recorded on an approved plan, or set up while the plan is a draft.
        may["progress"] = may["record"] or may["change"]
        return response


class ActionCreateView(InPlace, ObjectCreateView):
    form_class = ActionForm
    in_place_form = ActionInPlaceForm
    target_queryset = Objective.objects.select_related("plan", "parent")
    service = services.action_create
    target_kwarg = "objective"
    title = gettext_lazy("Add an action")

    def get_breadcrumbs(self, obj=None):
        return objective_crumbs(obj)


class ActionEditView(InPlace, ObjectEditView):
    form_class = ActionForm
    in_place_form = ActionInPlaceForm
    target_queryset = Action.objects.select_related("plan", "objective", "objective__parent")
    service = services.action_update
    target_kwarg = "action"

    def get_breadcrumbs(self, obj=None):
        return [*objective_crumbs(obj.objective), (str(obj), obj.get_absolute_url())]


class ActionProgressView(InPlace, ObjectEditView):
    """Record an action's status and percent complete (in the plan's tree too, by htmx)."""

    form_class = ActionProgressForm
    in_place_form = ActionProgressInPlaceForm
    target_queryset = Action.objects.select_related("plan", "objective", "objective__parent")
    service = services.action_update
    target_kwarg = "action"
    success_message = gettext_lazy("Progress of %(object)s recorded.")
    submit_label = gettext_lazy("Record progress")

    def get_target(self):
        queryset = self.target_queryset.all()
        return get_for_any(self.request.user, ("record", "change"), queryset, pk=self.kwargs["pk"])

    def get_title(self, obj=None) -> str:
        return _("Record the progress of %(object)s") % {"object": obj}

    def get_breadcrumbs(self, obj=None):
        return [*objective_crumbs(obj.objective), (str(obj), obj.get_absolute_url())]


class ActionDeleteView(ObjectDeleteView):
    restorable = True
    target_queryset = Action.objects.select_related("plan", "objective", "objective__parent")
    service = services.action_delete
    target_kwarg = "action"

    def get_breadcrumbs(self, obj=None):
        return objective_crumbs(obj.objective)

    def get_success_url(self, result, target) -> str:
        return target.objective.get_absolute_url()


# --- comments --------------------------------------------------------------------------------------------


class CommentCreateView(ServiceFormView):
    """Comment on a plan or one of its items: anyone who may read it."""

    form_class = CommentForm
    target_action = "view"
    service = services.comment_create
    title = gettext_lazy("Add a comment")
    success_message = gettext_lazy("Comment added.")
    submit_label = gettext_lazy("Add comment")
    target_field = ""  # "objective", "indicator", "action", or "" for the plan itself

    def service_kwargs(self, form, target) -> dict[str, Any]:
        kwargs = {"plan": target if not self.target_field else target.plan, "body": form.cleaned_data["body"]}
        if self.target_field:
            kwargs[self.target_field] = target
        return kwargs

    def get_success_url(self, result, target) -> str:
        return result.get_absolute_url()

    def get_cancel_url(self, target) -> str:
        return target.get_absolute_url()

    def get_breadcrumbs(self, obj=None):
        if self.target_field:
            return [*objective_crumbs(obj if self.target_field == "objective" else obj.objective)]
        return plan_crumbs(obj)


class PlanCommentCreateView(CommentCreateView):
    target_queryset = Plan.objects.all()


class ObjectiveCommentCreateView(CommentCreateView):
    target_queryset = Objective.objects.select_related("plan", "parent")
    target_field = "objective"


class IndicatorCommentCreateView(CommentCreateView):
    target_queryset = Indicator.objects.select_related("plan", "objective", "objective__parent")
    target_field = "indicator"


class ActionCommentCreateView(CommentCreateView):
    target_queryset = Action.objects.select_related("plan", "objective", "objective__parent")
    target_field = "action"


class CommentDeleteView(ObjectDeleteView):
    target_queryset = Comment.objects.select_related("plan", "objective", "indicator", "action", "author")
    service = services.comment_delete
    target_kwarg = "comment"

    def get_title(self, obj=None) -> str:
        return _("Delete your comment")

    def get_success_url(self, result, target) -> str:
        item = target.objective or target.indicator or target.action
        return (item or target.plan).get_absolute_url()

    def get_cancel_url(self, target) -> str:
        return self.get_success_url(None, target)


def _url(name: str, pk) -> str:
    from django.urls import reverse

    return reverse(name, kwargs={"pk": pk})


# --- deleted items ---------------------------------------------------------------------------------------


class DeletedItemsView(ObjectView):
    """A plan's "Deleted items": what was deleted, with how much went with it, who, when, until when; the zone's
    chief and administrators restore a whole item. Open to those who may delete or restore in the plan."""

    queryset = Plan.objects.all()
    template_name = "nsp/deleted_items.html"
    rights = ()

    def get_object(self):
        """404 unless the user may read the plan's deleted items (change or record it), as the API's list."""
        plan = get_for(self.request.user, "view", self.get_queryset(), pk=self.kwargs["pk"])
        if not (can(self.request.user, "change", plan) or can(self.request.user, "record", plan)):
            raise Http404(_("No %(model)s matches the given query.") % {"model": DeletedItem._meta.verbose_name})
        return plan

    def get_title(self, obj=None) -> str:
        return _("Deleted items of %(plan)s") % {"plan": obj}

    def get_breadcrumbs(self, obj=None):
        return plan_crumbs(obj)

    def get_extra_context(self, plan) -> dict[str, Any]:
        user = self.request.user
        items = DeletedItem.objects.restrict(user, "view").filter(plan=plan).select_related("deleted_by")
        return {
            "section": PLAN_SECTIONS[plan.kind],
            "plan": plan.specific,
            "items": with_rights(items.defer("rows", "links"), user, "restore"),
            "retention_days": settings.DELETED_RETENTION_DAYS,
        }


class DeletedItemRestoreView(ServiceFormView):
    """Confirm, then put the whole deleted item back as it was."""

    template_name = "nsp/deleted_item_restore.html"
    form_class = forms.Form
    target_queryset = DeletedItem.objects.select_related("plan", "deleted_by")
    target_action = "restore"
    service = services.deleted_item_restore
    target_kwarg = "item"
    success_message = gettext_lazy("Restored %(object)s.")
    submit_label = gettext_lazy("Restore")

    def service_kwargs(self, form, target) -> dict[str, Any]:
        return {"item": target}

    def get_title(self, obj=None) -> str:
        return _("Restore %(object)s") % {"object": obj}

    def get_breadcrumbs(self, obj=None):
        return [*plan_crumbs(obj.plan), (_("Deleted items"), obj.get_absolute_url())]

    def get_success_message(self, result, target) -> str:
        return _("Restored %(item)s, with %(what)s.") % {"item": target.label, "what": target.what_went}

    def get_success_url(self, result, target) -> str:
        return result.get_absolute_url()

    def get_extra_context(self, target, form) -> dict[str, Any]:
        return {"section": PLAN_SECTIONS[target.plan.kind]}
