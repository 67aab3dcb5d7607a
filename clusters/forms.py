"""Forms for the NSP reference pages: every translated text in its four languages, input types only."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clusters.models import CrossCuttingTheme, SecurityCluster, SecurityPhenomenon
from nsp.forms import DateInput
from nsp.languages import translated_fields
from nsp.models import Ambition, NationalSecurityPlan

LANGUAGE_NAMES = dict(settings.LANGUAGES)


class UnofficialLanguagesField(forms.MultipleChoiceField):
    """The languages whose texts are our own translation; stored as "de" or "de,fr"."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Unofficial translations"))
        kwargs.setdefault("help_text", _("Tick the languages whose texts are our translation, not an official one."))
        super().__init__(choices=settings.LANGUAGES, required=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return [code.strip() for code in value.split(",") if code.strip()]
        return value

    def clean(self, value):
        return ",".join(super().clean(value))


class ReferenceForm(forms.ModelForm):
    """Labels the translated columns "Name (French)" rather than modeltranslation's "name [fr]"."""

    unofficial_languages = UnofficialLanguagesField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            base, _sep, code = name.rpartition("_")
            if code in LANGUAGE_NAMES and base:
                base_label = self._meta.model._meta.get_field(base).verbose_name
                field.label = f"{str(base_label).capitalize()} ({LANGUAGE_NAMES[code]})"
                field.widget.attrs["lang"] = code
                # The default language carries a required text; the others may stay empty (they fall back).
                needed = not self._meta.model._meta.get_field(base).blank
                field.required = needed and code == settings.MODELTRANSLATION_DEFAULT_LANGUAGE


class EditionForm(ReferenceForm):
    class Meta:
        model = NationalSecurityPlan
        fields = [
            *translated_fields("title", "motto"),
            *translated_fields("summary"),
            "period_start",
            "period_end",
            "status",
            "unofficial_languages",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            **{name: forms.Textarea(attrs={"rows": 5}) for name in translated_fields("summary")},
        }


class EditionExtensionForm(forms.Form):
    """Record the extension of an edition's period (or withdraw it: leave the end empty)."""

    extended_to = forms.DateField(
        label=_("Extended to"),
        required=False,
        widget=DateInput(),
        help_text=_("The last day of the extended period. Leave empty to withdraw an extension recorded by mistake."),
    )
    decided_on = forms.DateField(
        label=_("Decided on"), required=False, widget=DateInput(), help_text=_("The date of the decision, if known.")
    )
    reason = forms.CharField(
        label=_("Decision or source"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the decision or the publication that extends the plan; kept in the history."),
    )

    def __init__(self, *args, edition=None, **kwargs):
        super().__init__(*args, **kwargs)
        if edition is not None and not self.is_bound:
            self.initial.setdefault("extended_to", edition.extended_to)
            self.initial.setdefault("decided_on", edition.extension_decided_on)


class PreviousEditionField(forms.ModelMultipleChoiceField):
    """What a row continues: rows of the same kind in earlier editions, labelled with their edition."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Continues (previous edition)"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("The rows of an earlier edition this one continues; a zonal plan's answers follow them.")
        )
        super().__init__(queryset=None, widget=forms.CheckboxSelectMultiple, **kwargs)

    def label_from_instance(self, obj) -> str:
        return f"{obj.nsp.code}: {obj}"


class MappingMixin:
    """``previous`` limited to the same kind of row in editions that began before this row's edition."""

    def limit_previous(self) -> None:
        model = self._meta.model
        edition = self.instance.nsp
        self.fields["previous"].queryset = (
            model.objects.filter(nsp__period_start__lt=edition.period_start)
            .select_related("nsp")
            .order_by("-nsp__period_start", "number")
        )


class AmbitionForm(ReferenceForm):
    class Meta:
        model = Ambition
        fields = ["number", *translated_fields("title", "text"), "unofficial_languages"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in translated_fields("text")}


class ClusterForm(MappingMixin, ReferenceForm):
    previous = PreviousEditionField()

    class Meta:
        model = SecurityCluster
        fields = ["number", *translated_fields("name"), "unofficial_languages", "previous", "previous_inferred"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_previous()


class PhenomenonForm(MappingMixin, ReferenceForm):
    previous = PreviousEditionField()

    class Meta:
        model = SecurityPhenomenon
        fields = [
            "number",
            "cluster",
            "cluster_inferred",
            "is_national_priority",
            *translated_fields("name", "key_point"),
            "unofficial_languages",
            "previous",
            "previous_inferred",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in translated_fields("key_point")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = SecurityCluster.objects.filter(nsp_id=self.instance.nsp_id)
        self.limit_previous()


class ThemeForm(MappingMixin, ReferenceForm):
    previous = PreviousEditionField()

    class Meta:
        model = CrossCuttingTheme
        fields = [
            "number",
            "is_national_priority",
            *translated_fields("name", "key_point"),
            "unofficial_languages",
            "previous",
            "previous_inferred",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in translated_fields("key_point")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_previous()
