"""Page views as declarations: object, list, edit and delete views over the permission layer.

Every view fetches through ``nsp.permissions.get_for`` (404 when the user may not read the row, 403
when they may read but not act), writes by calling exactly one service, turns a ``DomainError`` into
form errors on the same page, and says what happened in a message. Which buttons a page shows comes
from ``rights_for``/``with_rights`` (the same ``restrict`` the services check), never from role names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from nsp.exceptions import DomainError
from nsp.permissions import can, ensure, get_for, may_column
from nsp.selectors import count_phrase, deletion_counts

Crumbs = list[tuple[str, str]]


# --- rights for showing buttons --------------------------------------------------------------------


def rights_for(user, obj: models.Model, actions: Iterable[str]) -> dict[str, bool]:
    """Which of ``actions`` the user may take on ``obj``, in one query."""
    actions = tuple(actions)
    if not actions or obj is None:
        return {}
    manager = type(obj)._default_manager
    # One row by its key: no ordering (the default one would join the parent tables to sort it).
    one = manager.filter(pk=obj.pk).order_by()
    row = with_rights(one, user, *actions).values(*(f"may_{a}" for a in actions)).first()
    return {action: bool(row and row[f"may_{action}"]) for action in actions}


def with_rights(queryset: QuerySet, user, *actions: str) -> QuerySet:
    """Annotate each row with ``may_<action>`` (``restrict``'s rule as a column, ``permissions.may_column``), so
    a list asks once, not per row."""
    return queryset.annotate(**{f"may_{action}": may_column(queryset.model, user, action) for action in actions})


def get_for_any(user, actions: tuple[str, ...], queryset: QuerySet, **lookup):
    """Like ``get_for``, for a page that either of several rights opens (e.g. change or record)."""
    obj = get_for(user, "view", queryset, **lookup)
    if not any(can(user, action, obj) for action in actions):
        ensure(user, actions[0], obj)
    return obj


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal on the form: field messages on their fields, the rest on top."""
    fields = error.extra.get("fields") or {}
    placed: set[str] = set()
    for name, field_messages in fields.items():
        target = name if name in form.fields else None
        for message in field_messages if isinstance(field_messages, list | tuple) else [field_messages]:
            form.add_error(target, str(message))
            placed.add(str(message))
    if error.message not in placed:
        form.add_error(None, error.message)


# --- the page --------------------------------------------------------------------------------------


class Page(View):
    """A server-rendered page: template, title, breadcrumbs, navigation section."""

    template_name: str = ""
    partial_template_name: str = ""  # what an htmx request that targets part of the page receives
    title: Any = ""
    section: str = ""

    def get_title(self, obj=None) -> str:
        return str(self.title) if self.title else str(obj or "")

    def get_breadcrumbs(self, obj=None) -> Crumbs:
        return []

    def render(self, context: dict[str, Any], *, status: int = 200, obj=None) -> HttpResponse:
        context.setdefault("title", self.get_title(obj))
        context.setdefault("breadcrumbs", self.get_breadcrumbs(obj))
        context.setdefault("section", self.section)
        template = self.template_name
        if self.partial_template_name and getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            template = self.partial_template_name
        return TemplateResponse(self.request, template, context, status=status)


class ObjectView(Page):
    """One row, readable by the user (404 otherwise), with the rights its buttons need."""

    queryset: ClassVar[QuerySet]
    lookup: str = "pk"
    rights: tuple[str, ...] = ("change", "delete")

    def get_queryset(self) -> QuerySet:
        return self.queryset.all()

    def get_object(self):
        return get_for(self.request.user, "view", self.get_queryset(), **{self.lookup: self.kwargs[self.lookup]})

    def get_extra_context(self, obj) -> dict[str, Any]:
        return {}

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        self.may = rights_for(request.user, obj, self.rights)
        context = {"object": obj, "may": self.may}
        context.update(self.get_extra_context(obj))
        return self.render(context, obj=obj)


class ObjectListView(Page):
    """The rows the user may read, annotated, filtered through the model's FilterSet (the one the API uses),
    searched and paginated; annotations instead of per-row queries."""

    queryset: ClassVar[QuerySet]
    filterset_class: ClassVar[type | None] = None
    filter_fields: tuple[str, ...] = ()  # the FilterSet's filters the page offers, in this order
    paginate_by: int = 25

    def get_queryset(self) -> QuerySet:
        return self.queryset.restrict(self.request.user, "view")

    def annotate(self, queryset: QuerySet) -> QuerySet:
        """Progress and the like, before filtering, so a filter or an ordering may use them."""
        return queryset

    def finish_rows(self, rows):
        """The page's rows, once paginated: what is cheaper to add to these rows only (a page of plans' progress)."""
        return rows

    def adapt_filter_form(self, form: forms.Form) -> None:
        """Friendlier widgets for the page (a select of districts rather than a code to type)."""

    def get_filterset(self, queryset: QuerySet):
        if self.filterset_class is None:
            return None
        filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
        for field in filterset.form.fields.values():
            # "---------" says nothing to a reader: the empty choice of a filter means "any".
            if getattr(field, "empty_label", None) is not None:
                field.empty_label = gettext_lazy("Any")
                field.widget.choices = field.choices  # the widget's copy still names the old label
        self.adapt_filter_form(filterset.form)
        return filterset

    def get_extra_context(self) -> dict[str, Any]:
        return {}

    def get(self, request, *args, **kwargs):
        queryset = self.annotate(self.get_queryset())
        filterset = self.get_filterset(queryset)
        if filterset is not None:
            # An invalid filter shows its error and no rows, rather than silently everything.
            queryset = filterset.qs
        page = Paginator(queryset, self.paginate_by).get_page(request.GET.get("page"))
        page.object_list = self.finish_rows(page.object_list)
        form = filterset.form if filterset is not None else None
        context = {
            "page_obj": page,
            "rows": page.object_list,
            "filter_form": form,
            "filter_fields": [form[name] for name in self.filter_fields] if form is not None else [],
            "filtered": bool(request.GET.dict().keys() - {"page"}),
        }
        context.update(self.get_extra_context())
        return self.render(context)


class ServiceFormView(Page):
    """A form whose valid data goes to one service. Subclasses say how to fetch the target and call it.

    ``target_queryset`` and ``target_action`` name the row the URL points at (the edited row, or the
    parent a new row goes under) and the right needed on it; ``service`` is the one write.
    """

    template_name = "pages/object_form.html"
    form_class: ClassVar[type[forms.BaseForm]]
    target_queryset: ClassVar[QuerySet]
    target_action: str = "change"
    target_lookup: str = "pk"
    service: ClassVar[Callable[..., Any]]
    target_kwarg: str = ""  # the service's keyword for the target row
    success_message: Any = gettext_lazy("Saved.")
    submit_label: Any = ""
    cancel_url_attr: str = "get_absolute_url"

    def get_target(self):
        lookup = {self.target_lookup: self.kwargs[self.target_lookup]}
        return get_for(self.request.user, self.target_action, self.target_queryset.all(), **lookup)

    def get_form_kwargs(self, target) -> dict[str, Any]:
        return {}

    def get_form(self, target, data=None, files=None):
        return self.form_class(data=data, files=files, **self.get_form_kwargs(target))

    def service_kwargs(self, form, target) -> dict[str, Any]:
        return {self.target_kwarg: target, **form.cleaned_data}

    def call_service(self, form, target):
        return type(self).service(actor=self.request.user, **self.service_kwargs(form, target))

    def get_success_url(self, result, target) -> str:
        return (result if isinstance(result, models.Model) else target).get_absolute_url()

    def get_success_message(self, result, target) -> str:
        return str(self.success_message) % {"object": result if result is not None else target}

    def get_cancel_url(self, target) -> str:
        return target.get_absolute_url()

    def get_extra_context(self, target, form) -> dict[str, Any]:
        return {}

    def form_state(self) -> dict[str, Any]:
        """What the form template shows besides the form (an edit page's version and a refused save)."""
        return {}

    def render_form(self, target, form, *, status: int = 200) -> HttpResponse:
        context = {
            "object": target,
            "form": form,
            "cancel_url": self.get_cancel_url(target),
            "submit_label": self.submit_label or _("Save"),
            **self.form_state(),
        }
        context.update(self.get_extra_context(target, form))
        return self.render(context, status=status, obj=target)

    def success(self, result, target) -> HttpResponse:
        messages.success(self.request, self.get_success_message(result, target))
        return HttpResponseRedirect(self.get_success_url(result, target))

    def get(self, request, *args, **kwargs):
        target = self.get_target()
        return self.render_form(target, self.get_form(target))

    def post(self, request, *args, **kwargs):
        target = self.get_target()
        form = self.get_form(target, data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                result = self.call_service(form, target)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                return self.success(result, target)
        return self.render_form(target, form)


@dataclass(frozen=True)
class Difference:
    """One field two people saved differently: theirs (stored now) beside yours (what you sent)."""

    field: str
    label: str
    theirs: Any
    yours: Any


class StaleVersion(Exception):
    def __init__(self, current: str) -> None:
        super().__init__(current)
        self.current = current


VERSION_FIELD = "_version"


def shown_value(instance: models.Model, name: str, value: Any) -> Any:
    """A field's value as a person reads it (the label of a choice, the name of a row, a dash for nothing)."""
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:  # a form field that is not a model field
        field = None
    if value in (None, ""):
        return "\u2014"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and getattr(field, "flatchoices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(str(item) for item in value) or "\u2014"
    return value


class ObjectEditView(ServiceFormView):
    """Change a row: ``get_for(user, "change", ...)``, a ModelForm on it, the update service.

    Stale saves are refused: the form carries the row's version as it was read (``_version``, the ETag the
    API gives the same row); the save locks the plan and the row, compares, and writes only when nobody saved
    in between. Otherwise nothing is written and the page answers 409 with the other person's values beside
    yours, field by field: save again to keep yours (the form now carries the new version), or reload to take
    theirs. A post without a version (a script, an old tab) is accepted, as the API accepts a write without
    ``If-Match``.
    """

    conflict: list[Difference] | None = None

    def get_form_kwargs(self, target) -> dict[str, Any]:
        return {"instance": target}

    def versions(self, target):
        from nsp.api.base import PageVersion

        return PageVersion(self.request, type(target))

    def get(self, request, *args, **kwargs):
        target = self.get_target()
        self.version = self.versions(target).current(target)
        return self.render_form(target, self.get_form(target))

    def post(self, request, *args, **kwargs):
        target = self.get_target()
        read = request.POST.get(VERSION_FIELD) or None
        form = self.get_form(target, data=request.POST, files=request.FILES)
        versions = self.versions(target)
        self.version = read
        if form.is_valid():
            try:
                with transaction.atomic():
                    versions.lock(target)
                    current = versions.current(target)
                    if read is not None and read != current:
                        raise StaleVersion(current)
                    result = self.call_service(form, target)
            except StaleVersion as stale:
                return self.refuse_stale(target, form, stale.current)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                return self.success(result, target)
        return self.render_form(target, form)

    def refuse_stale(self, target, form, current: str) -> HttpResponse:
        """Nothing was written: show theirs beside yours, and carry the new version for "keep mine"."""
        fresh = type(target)._base_manager.get(pk=target.pk)
        theirs_form = self.get_form(fresh)
        differences = []
        for name, field in form.fields.items():
            if name not in form.cleaned_data:
                continue
            stored = theirs_form[name].initial
            if not field.has_changed(stored, form[name].data):
                continue
            theirs = getattr(fresh, name, stored)
            differences.append(
                Difference(
                    field=name,
                    label=str(field.label or name),
                    theirs=shown_value(fresh, name, theirs),
                    yours=shown_value(fresh, name, form.cleaned_data[name]),
                )
            )
        self.conflict = differences
        self.version = current
        saved = getattr(fresh, "history", None)
        last = saved.select_related("history_user").first() if saved is not None else None
        self.conflict_by = last
        return self.render_form(target, form, status=409)

    def form_state(self) -> dict[str, Any]:
        return {
            "version_field": VERSION_FIELD,
            "version": getattr(self, "version", None),
            "conflict": self.conflict,
            "conflict_by": getattr(self, "conflict_by", None),
            "reload_url": self.request.path,
        }

    def service_kwargs(self, form, target) -> dict[str, Any]:
        # A ModelForm's cleaned data may hold more than its fields (e.g. the instance's own keys).
        changes = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
        return {self.target_kwarg: target, **changes}

    def get_title(self, obj=None) -> str:
        return str(self.title) if self.title else _("Edit %(object)s") % {"object": obj}


class ObjectCreateView(ServiceFormView):
    """Add a row under a parent the URL names (a plan, an objective...): the parent's right is checked."""

    success_message = gettext_lazy("Added %(object)s.")

    def get_form_kwargs(self, target) -> dict[str, Any]:
        return {"initial": self.request.GET.dict()}


class ObjectDeleteView(ServiceFormView):
    """Confirm, then delete through the service; back to the parent page."""

    template_name = "pages/object_delete.html"
    target_action = "delete"
    form_class = forms.Form
    success_message = gettext_lazy("Deleted %(object)s.")
    # The service keeps the row (and what goes with it) in the plan's "Deleted items", to be restored.
    restorable = False

    def service_kwargs(self, form, target) -> dict[str, Any]:
        return {self.target_kwarg: target}

    def get_success_message(self, result, target) -> str:
        message = str(self.success_message) % {"object": target}
        if self.restorable:
            message += " " + _("It waits in the plan's deleted items, where it can be restored for %(days)d days.") % {
                "days": settings.DELETED_RETENTION_DAYS
            }
        return message

    def get_success_url(self, result, target) -> str:
        raise NotImplementedError("ObjectDeleteView subclasses say where to go after deleting")

    def get_title(self, obj=None) -> str:
        return _("Delete %(object)s") % {"object": obj}

    def render_form(self, target, form, *, status: int = 200) -> HttpResponse:
        context = {
            "object": target,
            "form": form,
            "cancel_url": self.get_cancel_url(target),
            "verbose_name": target._meta.verbose_name,
            "goes_with_it": count_phrase(deletion_counts(target)),
            "restorable": self.restorable,
            "retention_days": settings.DELETED_RETENTION_DAYS,
            "deleted_items_url": reverse("nsp:plan-deleted-items", kwargs={"pk": target.plan_id})
            if self.restorable
            else "",
        }
        context.update(self.get_extra_context(target, form))
        return self.render(context, status=status, obj=target)
