"""Pages that write the plan document: its sections (chapters and sub-headings) added, edited, moved, deleted.

Kept apart from ``zones.views`` so the plan page and these pages change independently. Each page calls one
``zones.services.section_*`` service; the plan page shows the document (``zones.selectors.plan_document``).
The add and edit forms preview their text as the plan shows it (``nsp.markup``): with JavaScript htmx asks
``PlanSectionPreviewView``; without, their Preview button posts the form back to itself. A preview writes nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nsp.permissions import get_for
from nsp.viewmixins import (
    VERSION_FIELD,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectView,
    Page,
    ServiceFormView,
)
from zones import selectors, services
from zones.forms import PlanSectionForm, SectionPreviewForm
from zones.models import PlanSection, ZonalSecurityPlan
from zones.views import ZonalPlanMixin


def document_url(plan_id: int, section: PlanSection | None = None) -> str:
    url = reverse("zones:plan-document", kwargs={"pk": plan_id})
    return url + (f"#section-{section.pk}" if section is not None else "")


class PlanDocumentView(ZonalPlanMixin, ObjectView):
    """The plan document's headings in order; to those who may change the plan, each with its buttons (edit, move
    up or down, delete, add a sub-heading) and a form to add a chapter."""

    queryset = ZonalSecurityPlan.objects.select_related("zone", "nsp")
    template_name = "zones/plan_document.html"
    rights = ("change",)

    def get_title(self, obj=None) -> str:
        return _("The plan document of %(plan)s") % {"plan": obj}

    def get_extra_context(self, plan) -> dict[str, Any]:
        return {"document": selectors.plan_document(user=self.request.user, plan=plan), "plan": plan}


PREVIEW_BUTTON = "_preview"  # the name of the forms' Preview button, posted only when it was pressed


def preview_context(text: str) -> dict[str, Any]:
    """What the preview partial shows for ``text``: the text to render, or why it is not rendered (too long)."""
    form = SectionPreviewForm(data={"body": text})
    if form.is_valid():
        return {"preview_text": form.cleaned_data["body"], "preview_errors": []}
    return {"preview_text": "", "preview_errors": form.errors["body"]}


class SectionPreviewMixin:
    """The add and edit forms of a section, with the Markdown help and a preview of the text beside the textarea.

    The Preview button (``PREVIEW_BUTTON``) without JavaScript: the same form again, holding what was posted (as
    initial values, so an unfinished form shows no errors) and the posted text rendered; nothing is saved, and an
    edit keeps the version it was read at, so a later save still notices someone else's save in between."""

    template_name = "zones/section_form.html"
    wide_form = True

    def plan_id_of(self, target) -> int:
        return target.pk if isinstance(target, ZonalSecurityPlan) else target.plan_id

    def post(self, request, *args, **kwargs):
        if PREVIEW_BUTTON not in request.POST:
            return super().post(request, *args, **kwargs)
        target = self.get_target()
        self.version = request.POST.get(VERSION_FIELD) or None
        form = self.get_form(target)
        for name in form.fields:
            if name in request.POST:
                form.initial[name] = request.POST[name]
        return self.render_form(target, form)

    def get_extra_context(self, target, form) -> dict[str, Any]:
        text = form["body"].value() if "body" in form.fields else ""  # what was posted, else what is stored
        return {
            "wide_form": self.wide_form,
            "preview_url": reverse("zones:section-preview", kwargs={"pk": self.plan_id_of(target)}),
            "preview_button": PREVIEW_BUTTON,
            **preview_context(text or ""),
        }


class PlanSectionPreviewView(Page):
    """The text of a section being written, rendered as the plan will show it: htmx posts the textarea here when
    the Preview button is pressed and as the person types. Writes nothing; open to those who may write the
    plan's sections (the right to change the plan: 404 when they may not read it, 403 when they may only read)."""

    template_name = "zones/partials/section_preview.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs) -> HttpResponse:
        get_for(request.user, "change", ZonalSecurityPlan.objects.all(), pk=kwargs["pk"])
        return TemplateResponse(request, self.template_name, preview_context(request.POST.get("body", "")))


class PlanSectionCreateView(ZonalPlanMixin, SectionPreviewMixin, ObjectCreateView):
    form_class = PlanSectionForm
    target_queryset = ZonalSecurityPlan.objects.select_related("zone", "nsp")
    service = services.section_create
    target_kwarg = "plan"
    title = gettext_lazy("Add a heading to the plan")
    success_message = gettext_lazy("Added the heading %(object)s.")

    def get_form_kwargs(self, target) -> dict[str, Any]:
        initial = {}
        parent = self.request.GET.get("parent", "")
        if parent.isdigit():
            initial["parent"] = int(parent)
        return {"instance": PlanSection(plan=target), "initial": initial}

    def get_success_url(self, result, target) -> str:
        return document_url(target.pk, result)

    def get_cancel_url(self, target) -> str:
        return document_url(target.pk)


class PlanSectionEditView(ZonalPlanMixin, SectionPreviewMixin, ObjectEditView):
    form_class = PlanSectionForm
    target_queryset = PlanSection.objects.select_related("plan")
    service = services.section_update
    target_kwarg = "section"

    def get_success_url(self, result, target) -> str:
        return document_url(target.plan_id, target)

    def get_cancel_url(self, target) -> str:
        return document_url(target.plan_id, target)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        label=gettext_lazy("Move"), choices=[("up", gettext_lazy("Up")), ("down", gettext_lazy("Down"))]
    )


class PlanSectionMoveView(ZonalPlanMixin, ServiceFormView):
    """One place up or down among its siblings (the plan's document page posts here)."""

    form_class = MoveForm
    target_queryset = PlanSection.objects.select_related("plan")
    service = services.section_move
    target_kwarg = "section"
    submit_label = gettext_lazy("Move")
    success_message = gettext_lazy("Moved %(object)s.")

    def get_title(self, obj=None) -> str:
        return _("Move %(object)s") % {"object": obj}

    def get_form_kwargs(self, target) -> dict[str, Any]:
        return {"initial": self.request.GET.dict()}

    def get_success_url(self, result, target) -> str:
        return document_url(target.plan_id, target)

    def get_cancel_url(self, target) -> str:
        return document_url(target.plan_id, target)


class PlanSectionDeleteView(ZonalPlanMixin, ObjectDeleteView):
    restorable = True
    target_queryset = PlanSection.objects.select_related("plan")
    service = services.section_delete
    target_kwarg = "section"

    def get_success_url(self, result, target) -> str:
        return document_url(target.plan_id)

    def get_cancel_url(self, target) -> str:
        return document_url(target.plan_id, target)
