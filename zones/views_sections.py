"""Pages that write the plan document: its sections (chapters and sub-headings) added, edited, moved, deleted.

Kept apart from ``zones.views`` so the plan page and these pages change independently. Each page calls one
``zones.services.section_*`` service; the plan page shows the document (``zones.selectors.plan_document``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nsp.viewmixins import ObjectCreateView, ObjectDeleteView, ObjectEditView, ObjectView, ServiceFormView
from zones import selectors, services
from zones.forms import PlanSectionForm
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


class PlanSectionCreateView(ZonalPlanMixin, ObjectCreateView):
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


class PlanSectionEditView(ZonalPlanMixin, ObjectEditView):
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
