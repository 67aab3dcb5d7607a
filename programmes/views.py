"""Pages of federal programmes and improvement projects: list, detail, create, edit, delete.

A programme carries objectives like any plan; its objective, indicator and action pages are the
planning core's (``nsp.views``). Federal planners create and delete programmes; a programme's managers
change it and its content (``restrict(user, "change")``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nsp import progress
from nsp.forms import CommentForm
from nsp.history import history_entries
from nsp.models import NationalSecurityPlan, Objective
from nsp.permissions import PERM_ANY_PROGRAMME, has_global
from nsp.selectors import comments_of, objective_rows
from nsp.viewmixins import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    ServiceFormView,
)
from nsp.views import today
from programmes import services
from programmes.filtersets import ProgrammeFilterSet
from programmes.forms import ProgrammeCreateForm, ProgrammeEditForm
from programmes.models import Programme


def programme_crumbs(programme: Programme | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Programmes"), reverse("programmes:programme-list"))]
    if programme is not None:
        crumbs.append((programme.title, programme.get_absolute_url()))
    return crumbs


class ProgrammeListView(ObjectListView):
    queryset = Programme.objects.select_related("nsp")
    filterset_class = ProgrammeFilterSet
    filter_fields = ("search", "programme_type", "status", "period", "progress_status", "ordering")
    template_name = "programmes/programme_list.html"
    partial_template_name = "programmes/partials/programme_rows.html"
    title = gettext_lazy("Federal programmes and improvement projects")
    section = "programmes"

    def annotate(self, queryset):
        return progress.annotate_plans(queryset, as_of=today()).order_by("code")

    def adapt_filter_form(self, form) -> None:
        form.fields["status"].widget = forms.CheckboxSelectMultiple(choices=form.fields["status"].choices)
        form.fields["period"].label = _("Period")
        form.fields["period"].help_text = _("A year (2018) or years (2016-2019).")

    def get_extra_context(self) -> dict[str, Any]:
        return {"may_create": has_global(self.request.user, PERM_ANY_PROGRAMME)}


class ProgrammeDetailView(ObjectView):
    queryset = Programme.objects.select_related("nsp")
    template_name = "programmes/programme_detail.html"
    rights = ("change", "delete", "record")
    section = "programmes"

    def get_queryset(self):
        return progress.annotate_plans(super().get_queryset(), as_of=today())

    def get_breadcrumbs(self, obj=None):
        return programme_crumbs()

    def get_extra_context(self, programme) -> dict[str, Any]:
        user = self.request.user
        managers = (
            get_user_model()
            .objects.filter(groups__role__programme=programme, groups__role__role="programme_manager")
            .order_by("last_name", "username")
        )
        return {
            "tree": objective_rows(programme, as_of=today())[0],
            "managers": managers.distinct(),
            "phenomena": programme.phenomena.select_related("cluster").order_by("number"),
            "themes": programme.themes.order_by("number"),
            "comments": comments_of(user, plan_id=programme.pk).select_related(
                "objective", "indicator", "action", "plan"
            ),
            "comment_form": CommentForm(),
            "comment_url": reverse("nsp:plan-comment-add", kwargs={"pk": programme.pk}),
            "history": history_entries(
                Programme.history.filter(plan_ptr_id=programme.pk), Objective.history.filter(plan_id=programme.pk)
            ),
        }


class ProgrammeCreateView(ServiceFormView):
    """Federal planners create programmes (the URL names no parent row)."""

    form_class = ProgrammeCreateForm
    service = services.programme_create
    title = gettext_lazy("Add a federal programme")
    section = "programmes"
    success_message = gettext_lazy("Added %(object)s.")

    def get_target(self):
        user = self.request.user
        # A programme belongs to an NSP edition: one who may read none (no role) gets 404, as for any unreadable row.
        if not NationalSecurityPlan.objects.restrict(user, "view").exists():
            edition = NationalSecurityPlan._meta.verbose_name
            raise Http404(_("No %(model)s matches the given query.") % {"model": edition})
        if not has_global(user, PERM_ANY_PROGRAMME):
            raise PermissionDenied(_("Only federal planners create programmes."))
        return None

    def get_form_kwargs(self, target) -> dict[str, Any]:
        return {"user": self.request.user}

    def service_kwargs(self, form, target) -> dict[str, Any]:
        return dict(form.cleaned_data)

    def get_cancel_url(self, target) -> str:
        return reverse("programmes:programme-list")

    def get_breadcrumbs(self, obj=None):
        return programme_crumbs()


class ProgrammeEditView(ObjectEditView):
    form_class = ProgrammeEditForm
    target_queryset = Programme.objects.select_related("nsp")
    service = services.programme_update
    target_kwarg = "programme"
    section = "programmes"

    def get_breadcrumbs(self, obj=None):
        return programme_crumbs(obj)


class ProgrammeDeleteView(ObjectDeleteView):
    target_queryset = Programme.objects.select_related("nsp")
    service = services.programme_delete
    target_kwarg = "programme"
    section = "programmes"

    def get_breadcrumbs(self, obj=None):
        return programme_crumbs(obj)

    def get_success_url(self, result, target) -> str:
        return reverse("programmes:programme-list")

    def get_extra_context(self, target, form):
        return {"consequences": [_("Its objectives, indicators, measurements and actions are deleted with it.")]}
