"""Pages of the NSP reference: editions, ambitions, ISFD clusters, phenomena, cross-cutting themes.

Every role reads them; federal planners change them (``restrict(user, "change")`` on the reference).
The zonal plans that adopt a phenomenon or theme are read through ``apps.get_model`` (the reference sits
below the zones in the dependency order) and, like everything else, through ``restrict``.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters import selectors
from clusters.forms import AmbitionForm, ClusterForm, EditionExtensionForm, EditionForm, PhenomenonForm, ThemeForm
from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from nsp import progress
from nsp.history import history_entries
from nsp.models import Ambition, NationalSecurityPlan, Objective
from nsp.permissions import PERM_REGIONAL, PERM_VISION, has_global
from nsp.selectors import edition_in_force
from nsp.services import edition_extend, reference_update
from nsp.viewmixins import ObjectEditView, ObjectListView, ObjectView, ServiceFormView
from nsp.views import today


def reference_crumbs(edition: NationalSecurityPlan | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("NSP reference"), reverse("clusters:edition-list"))]
    if edition is not None:
        crumbs.append((str(edition), edition.get_absolute_url()))
    return crumbs


def adoptions(user, **priority) -> dict[str, Any]:
    """The zonal plans (readable by the user) that answer a phenomenon or theme, and the progress of the
    objectives that adopt it."""
    alignment_model = apps.get_model("zones", "NationalAlignment")
    answers = (
        alignment_model.objects.restrict(user, "view")
        .filter(**priority)
        .select_related("plan", "plan__zone")
        .order_by("plan__zone__number", "plan__period_start")
    )
    prefixed = {f"alignments__{name}": value for name, value in priority.items()}
    adopting = Objective.objects.restrict(user, "view").filter(
        pk__in=Objective.objects.filter(alignments__adopted=True, **prefixed).values("pk")
    )
    answers = list(answers)
    return {
        "adopted_by": [a for a in answers if a.adopted],
        "not_adopted_by": [a for a in answers if not a.adopted],
        "summary": progress.summarize_objectives(adopting, as_of=today()),
    }


class ReferenceMixin:
    section = "reference"

    def get_breadcrumbs(self, obj=None):
        edition = obj if isinstance(obj, NationalSecurityPlan) else getattr(obj, "nsp", None)
        return reference_crumbs(None if isinstance(obj, NationalSecurityPlan) else edition)


class EditionListView(ObjectListView):
    queryset = NationalSecurityPlan.objects.all()
    template_name = "clusters/edition_list.html"
    title = gettext_lazy("National Security Plans")
    section = "reference"

    def annotate(self, queryset):
        return queryset.order_by("-period_start")

    def get_extra_context(self) -> dict[str, Any]:
        in_force = edition_in_force(on=today(), user=self.request.user)
        return {"in_force": in_force, "today": today()}


class EditionDetailView(ReferenceMixin, ObjectView):
    queryset = NationalSecurityPlan.objects.all()
    template_name = "clusters/edition_detail.html"
    rights = ("change",)

    def get_extra_context(self, edition) -> dict[str, Any]:
        user = self.request.user
        vision_model = apps.get_model("zones", "LocalPoliceVision")
        regional_model = apps.get_model("zones", "RegionalSecurityPlan")
        in_force = edition_in_force(on=today(), user=user)
        return {
            "ambitions": Ambition.objects.restrict(user, "view").filter(nsp=edition).order_by("number"),
            **selectors.edition_contents(user=user, edition=edition),
            "previous_edition": selectors.previous_edition(edition, user=user),
            "next_edition": selectors.next_edition(edition, user=user),
            "in_force_today": in_force is not None and in_force.pk == edition.pk,
            "today": today(),
            "edition_history": history_entries(NationalSecurityPlan.history.filter(id=edition.pk)),
            "vision": vision_model.objects.restrict(user, "view").filter(nsp=edition).first(),
            "regional_plans": regional_model.objects.restrict(user, "view").filter(nsp=edition),
            "may_write_vision": has_global(user, PERM_VISION),
            "may_add_regional": has_global(user, PERM_REGIONAL),
        }


class EditionMappingView(ReferenceMixin, ObjectView):
    """An edition beside the previous one: which earlier phenomenon, theme and cluster each row continues."""

    queryset = NationalSecurityPlan.objects.all()
    template_name = "clusters/edition_mapping.html"
    rights = ("change",)

    def get_title(self, obj=None) -> str:
        return _("%(edition)s and the edition before it") % {"edition": obj}

    def get_breadcrumbs(self, obj=None):
        return reference_crumbs(obj)

    def get_extra_context(self, edition) -> dict[str, Any]:
        before, mappings = selectors.edition_mapping(user=self.request.user, edition=edition)
        labels = {
            "phenomena": (_("Security phenomena"), _("Phenomena of %(edition)s no phenomenon continues")),
            "themes": (_("Cross-cutting themes"), _("Themes of %(edition)s no theme continues")),
            "clusters": (_("Security clusters"), _("Clusters of %(edition)s no cluster continues")),
        }
        sections = [
            {
                "mapping": mapping,
                "title": labels[mapping.kind][0],
                "not_continued_title": labels[mapping.kind][1] % {"edition": before} if before else "",
            }
            for mapping in mappings
        ]
        return {"before": before, "sections": sections}


class EditionExtendView(ReferenceMixin, ServiceFormView):
    """A federal planner records the extension of an edition's period, with the date of the decision."""

    form_class = EditionExtensionForm
    target_queryset = NationalSecurityPlan.objects.all()
    service = edition_extend
    target_kwarg = "edition"
    template_name = "pages/object_form.html"
    success_message = gettext_lazy("Recorded the period of %(object)s.")

    def get_form_kwargs(self, target) -> dict[str, Any]:
        return {"edition": target}

    def service_kwargs(self, form, target) -> dict[str, Any]:
        data = form.cleaned_data
        return {
            "edition": target,
            "extended_to": data["extended_to"],
            "decided_on": data["decided_on"],
            "reason": data["reason"],
        }

    def get_title(self, obj=None) -> str:
        return _("Extension of %(edition)s") % {"edition": obj}

    def get_breadcrumbs(self, obj=None):
        return reference_crumbs(obj)


class ClusterDetailView(ReferenceMixin, ObjectView):
    queryset = SecurityCluster.objects.select_related("nsp")
    template_name = "clusters/cluster_detail.html"
    rights = ("change",)

    def get_extra_context(self, cluster) -> dict[str, Any]:
        user = self.request.user
        return {
            "phenomena": SecurityPhenomenon.objects.restrict(user, "view").filter(cluster=cluster).order_by("number"),
            **adoptions(user, phenomenon__cluster=cluster),
        }


class PhenomenonDetailView(ReferenceMixin, ObjectView):
    queryset = SecurityPhenomenon.objects.select_related("nsp", "cluster")
    template_name = "clusters/phenomenon_detail.html"
    rights = ("change",)

    def get_extra_context(self, phenomenon) -> dict[str, Any]:
        user = self.request.user
        return {
            "programmes": phenomenon.programmes.restrict(user, "view").order_by("code"),
            "previous": phenomenon.previous.select_related("nsp").order_by("nsp__period_start", "number"),
            **adoptions(user, phenomenon=phenomenon),
        }


class ThemeDetailView(ReferenceMixin, ObjectView):
    queryset = CrossCuttingTheme.objects.select_related("nsp")
    template_name = "clusters/theme_detail.html"
    rights = ("change",)

    def get_extra_context(self, theme) -> dict[str, Any]:
        user = self.request.user
        return {
            "programmes": theme.programmes.restrict(user, "view").order_by("code"),
            "previous": theme.previous.select_related("nsp").order_by("nsp__period_start", "number"),
            **adoptions(user, theme=theme),
        }


class ReferenceEditView(ReferenceMixin, ObjectEditView):
    service = reference_update
    target_kwarg = "item"

    def get_breadcrumbs(self, obj=None):
        edition = obj if isinstance(obj, NationalSecurityPlan) else obj.nsp
        return reference_crumbs(edition)


class EditionEditView(ReferenceEditView):
    form_class = EditionForm
    target_queryset = NationalSecurityPlan.objects.all()


class AmbitionEditView(ReferenceEditView):
    form_class = AmbitionForm
    target_queryset = Ambition.objects.select_related("nsp")


class ClusterEditView(ReferenceEditView):
    form_class = ClusterForm
    target_queryset = SecurityCluster.objects.select_related("nsp")


class PhenomenonEditView(ReferenceEditView):
    form_class = PhenomenonForm
    target_queryset = SecurityPhenomenon.objects.select_related("nsp", "cluster")


class ThemeEditView(ReferenceEditView):
    form_class = ThemeForm
    target_queryset = CrossCuttingTheme.objects.select_related("nsp")
