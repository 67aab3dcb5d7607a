"""Forms for the zone and zonal-plan pages: input types only; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import SecurityPhenomenon
from nsp.forms import DateInput
from nsp.models import NationalSecurityPlan, Objective
from nsp.selectors import edition_default
from nsp.services import text_too_long
from zones.models import (
    Expectation,
    LocalPoliceVision,
    MatrixCandidate,
    PlanSection,
    RegionalSecurityPlan,
    StakeholderSource,
    ZonalSecurityPlan,
)

TEXTAREA = forms.Textarea(attrs={"rows": 6})


class ZonalPlanCreateForm(forms.ModelForm):
    class Meta:
        model = ZonalSecurityPlan
        fields = ["nsp", "title", "period_start", "period_end"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nsp"].queryset = NationalSecurityPlan.objects.restrict(user, "view").order_by("-period_start")
        # A new plan answers the edition in force (nsp.selectors.edition_default), unless the chief picks another.
        if not self.initial.get("nsp"):
            self.initial["nsp"] = edition_default(on=timezone.localdate(), user=user)


class ZonalPlanEditForm(forms.ModelForm):
    class Meta:
        model = ZonalSecurityPlan
        fields = ["title", "period_start", "period_end", "keep_tolerance"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}


class TransitionForm(forms.Form):
    """One workflow step; the fields shown are those the step asks for."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    on_date = forms.DateField(label=_("Date of the decision"), widget=DateInput(), required=False)

    def __init__(self, *args, step=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        if step is not None:
            if not step.needs_reason:
                del self.fields["reason"]
            if not step.needs_date:
                del self.fields["on_date"]
            elif step.name == "approve":
                self.fields["on_date"].label = _("Date of the ministerial approval")
            elif step.name == "adopt":
                self.fields["on_date"].label = _("Date of the council's adoption")


class RealignmentForm(forms.Form):
    """Open the addendum that re-aligns a plan with the successor of its NSP edition."""

    reason = forms.CharField(
        label=_("Reason for the addendum"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the addendum and in the plan's workflow history."),
    )


class AlignmentForm(forms.Form):
    """How the plan answers one national priority."""

    adopted = forms.TypedChoiceField(
        label=_("Does the plan adopt this priority?"),
        choices=[("yes", _("Yes, adopted by these objectives")), ("no", _("No, not adopted"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    objectives = forms.ModelMultipleChoiceField(
        label=_("Adopting objectives"),
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    justification = forms.CharField(
        label=_("Why not"),
        help_text=_("Required when the plan does not adopt the priority."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = Objective.objects.filter(plan=plan).order_by("position", "code", "pk")


class ExpectationForm(forms.ModelForm):
    class Meta:
        model = Expectation
        fields = ["source", "stakeholder", "text", "position"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class MatrixCandidateForm(forms.ModelForm):
    class Meta:
        model = MatrixCandidate
        fields = ["phenomenon", "label", "chosen", "objective", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"label": _("Leave empty to use the phenomenon's name.")}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        plan = plan or self.instance.plan
        self.fields["phenomenon"].queryset = SecurityPhenomenon.objects.filter(nsp_id=plan.nsp_id).order_by("number")
        self.fields["phenomenon"].label = _("Phenomenon of the NSP")
        self.fields["label"].required = False
        self.fields["objective"].queryset = Objective.objects.filter(plan=plan, level=Objective.Level.STRATEGIC)


SCORE_CHOICES = [("", "—"), *((str(n), str(n)) for n in range(6))]


class MatrixScoresForm(forms.Form):
    """Every candidate-by-source score of the matrix, 0-5 or empty, in one form."""

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cells: dict[tuple[int, str], str] = {}
        for candidate in candidates:
            scores = {s.source: s.score for s in candidate.scores.all()}
            for source, source_label in StakeholderSource.choices:
                name = self.field_name(candidate.pk, source)
                self.fields[name] = forms.TypedChoiceField(
                    label=f"{candidate.label}: {source_label}",
                    choices=SCORE_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=scores.get(source),
                )
                self.cells[(candidate.pk, source)] = name

    @staticmethod
    def field_name(candidate_pk: int, source: str) -> str:
        return f"score-{candidate_pk}-{source}"


class VisionForm(forms.ModelForm):
    class Meta:
        model = LocalPoliceVision
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 16})}


class RegionalPlanForm(forms.ModelForm):
    class Meta:
        model = RegionalSecurityPlan
        fields = ["title", "authority", "period_start", "period_end", "status", "keep_tolerance", "summary"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "summary": TEXTAREA}


class PlanSectionForm(forms.ModelForm):
    """A heading of the plan document: its heading (a zone's own section), its text, the chapter it sits under."""

    class Meta:
        model = PlanSection
        fields = ["title", "parent", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
        help_texts = {"parent": _("Leave empty for a chapter; choose a chapter to make this a sub-heading of it.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        section = self.instance
        chapters = PlanSection.objects.filter(plan_id=section.plan_id, parent__isnull=True).order_by("position", "pk")
        if section.pk:
            chapters = chapters.exclude(pk=section.pk)
        self.fields["parent"].queryset = chapters
        self.fields["parent"].empty_label = _("(a chapter of its own)")
        if section.key:
            # A standard chapter's heading is its kind's name, in the reader's language.
            del self.fields["title"]
        else:
            self.fields["title"].required = True
        if section.pk and section.children.exists():
            del self.fields["parent"]


class SectionPreviewForm(forms.Form):
    """The text of a section being written, for its preview: nothing is saved, so the only rule is the bound that
    every saved text keeps (``TEXT_MAX_LENGTH``, with the services' message)."""

    body = forms.CharField(label=_("text"), required=False, strip=False, widget=forms.Textarea)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if len(body) > settings.TEXT_MAX_LENGTH:
            raise forms.ValidationError(text_too_long(settings.TEXT_MAX_LENGTH, len(body)))
        return body
