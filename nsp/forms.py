"""Forms for the planning-core pages: input types only. Rules live in the services, which the views call."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nsp.models import Action, Comment, Indicator, Measurement, Objective


class DateInput(forms.DateInput):
    """The browser's date picker; ISO values so every locale reads them back."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AtTheEnd:
    """A new row's position may be left empty: the service puts it at the end of its list."""

    def leave_position_open(self) -> None:
        if not self.instance.pk and "position" in self.fields:
            field = self.fields["position"]
            field.required = False
            field.initial = None
            if self.initial.get("position") in ("", None, 0):  # the model's default, not a choice
                self.initial.pop("position", None)
            field.help_text = _("Leave it empty to add it at the end.")


class ObjectiveForm(AtTheEnd, forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["level", "parent", "code", "title", "description", "kind", "domain", "year", "weight", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        plan = plan or self.instance.plan
        # Parents come from the same plan; the service refuses anything else anyway.
        candidates = Objective.objects.filter(plan=plan).exclude(level=Objective.Level.OPERATIONAL)
        if self.instance.pk:
            candidates = candidates.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = candidates.order_by("position", "code", "pk")
        self.fields["parent"].required = False
        self.fields["domain"].help_text = _("Zonal plans separate security and quality of life from management.")
        self.leave_position_open()


class ObjectiveAfterForm(forms.ModelForm):
    """A new objective right after another (``services.objective_create_after``): its parent, level and place
    come from that one, so the form leaves them out."""

    class Meta:
        model = Objective
        fields = ["code", "title", "description", "kind", "domain", "year", "weight"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].help_text = _("Zonal plans separate security and quality of life from management.")


class IndicatorForm(AtTheEnd, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "description",
            "unit",
            "scale",
            "minimum_value",
            "maximum_value",
            "source",
            "source_detail",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "direction",
            "frequency",
            "weight",
            "position",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "baseline_date": DateInput(),
            "target_date": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out (an older client), the kind of value stays what it is: "any number" for a new indicator.
        self.fields["scale"].required = False
        self.leave_position_open()

    def clean_scale(self) -> str:
        return self.cleaned_data.get("scale") or self.instance.scale or Indicator.Scale.NUMBER


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["period", "value", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, indicator: Indicator | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The service normalises and checks the period against the indicator's frequency, and the value
        # against the indicator's kind of value (``Indicator.value_problem``); the hint says that rule.
        self.fields["period"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        indicator = indicator or (self.instance.indicator if self.instance.indicator_id else None)
        if indicator is not None:
            self.fields["value"].help_text = indicator.value_rule


class ActionForm(AtTheEnd, forms.ModelForm):
    """An action's structure: what, who, when."""

    class Meta:
        model = Action
        fields = ["title", "description", "owner", "start_date", "due_date", "weight", "position"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "due_date": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.leave_position_open()


class ActionProgressForm(forms.ModelForm):
    """An action's progress: status and percent complete."""

    class Meta:
        model = Action
        fields = ["status", "percent_complete"]
        widgets = {"percent_complete": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5})}


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class MeasurementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV or XLSX with the columns indicator, period, value and note (optional). "
            "Nothing is saved unless every row is valid."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class LanguagePreferenceForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the pages"),
        required=False,
        help_text=_("Also used when you sign in on another computer."),
    )

    def __init__(self, *args, **kwargs) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("The browser's language")), *settings.LANGUAGES]


# --- the small forms the plan's tree opens in place (htmx); the full pages keep the full forms ------------


class InPlaceDates:
    """A new row added in the tree takes the plan's period as its dates; its page changes them."""

    date_fields: tuple[str, str] = ("", "")

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and self.plan is not None:
            start, end = self.date_fields
            cleaned.setdefault(start, self.plan.period_start)
            cleaned.setdefault(end, self.plan.period_end)
        return cleaned


class ObjectiveInPlaceForm(forms.ModelForm):
    """A new objective's title, under the parent and at the level the tree's link chose."""

    class Meta:
        model = Objective
        fields = ["level", "parent", "title"]
        widgets = {"level": forms.HiddenInput, "parent": forms.HiddenInput}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Objective.objects.filter(plan=plan or self.instance.plan)
        self.fields["parent"].required = False


class ObjectiveTitleForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title"]

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)


class IndicatorInPlaceForm(InPlaceDates, forms.ModelForm):
    date_fields = ("baseline_date", "target_date")

    class Meta:
        model = Indicator
        fields = ["name", "unit", "direction", "baseline_value", "target_value"]


class ActionInPlaceForm(InPlaceDates, forms.ModelForm):
    date_fields = ("start_date", "due_date")

    class Meta:
        model = Action
        fields = ["title", "owner"]


class ActionProgressInPlaceForm(ActionProgressForm):
    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)


class ObjectiveMoveForm(forms.Form):
    """Where an objective goes in its plan's tree (``services.objective_move``)."""

    direction = forms.ChoiceField(
        label=_("Move"),
        choices=[
            ("up", _("Up, before the objective above it")),
            ("down", _("Down, after the objective below it")),
            ("indent", _("Indent: under the objective before it")),
            ("outdent", _("Outdent: after its parent, one level higher")),
        ],
    )


class ObjectivePlaceForm(forms.Form):
    """Where a dragged objective goes (``services.objective_place``): under ``parent`` (empty: the top), as the
    ``position``-th of its new siblings; ``tree`` is the version of the tree the page showed."""

    parent = forms.ModelChoiceField(label=_("Under"), queryset=Objective.objects.none(), required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=100000)
    tree = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Any objective of the plan; the service says why a place is refused (under itself, too deep).
        self.fields["parent"].queryset = Objective.objects.filter(plan=plan).order_by("position", "code", "pk")
