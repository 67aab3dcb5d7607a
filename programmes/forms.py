"""Forms for the programme pages: input types only; ``programmes.services`` decides what is allowed."""

from __future__ import annotations

from django import forms

from clusters.models import CrossCuttingTheme, SecurityPhenomenon
from nsp.forms import DateInput
from nsp.models import NationalSecurityPlan
from programmes.models import Programme

FIELDS = [
    "title",
    "code",
    "programme_type",
    "owning_unit",
    "description",
    "period_start",
    "period_end",
    "status",
    "keep_tolerance",
    "phenomena",
    "themes",
]
WIDGETS = {
    "period_start": DateInput(),
    "period_end": DateInput(),
    "description": forms.Textarea(attrs={"rows": 5}),
    "phenomena": forms.CheckboxSelectMultiple,
    "themes": forms.CheckboxSelectMultiple,
}


class ProgrammeEditForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = FIELDS
        widgets = WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The links the service accepts: phenomena and themes of the programme's own edition.
        edition = self.instance.nsp_id
        self.fields["phenomena"].queryset = SecurityPhenomenon.objects.filter(nsp_id=edition).order_by("number")
        self.fields["themes"].queryset = CrossCuttingTheme.objects.filter(nsp_id=edition).order_by("number")


class ProgrammeCreateForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["nsp", *FIELDS]
        widgets = WIDGETS

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nsp"].queryset = NationalSecurityPlan.objects.restrict(user, "view").order_by("-period_start")
        self.fields["phenomena"].queryset = SecurityPhenomenon.objects.select_related("nsp").order_by("nsp", "number")
        self.fields["themes"].queryset = CrossCuttingTheme.objects.select_related("nsp").order_by("nsp", "number")
        self.fields["phenomena"].label_from_instance = lambda item: f"{item.nsp.code}: {item}"
        self.fields["themes"].label_from_instance = lambda item: f"{item.nsp.code}: {item}"
