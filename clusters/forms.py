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
            "extended_to",
            "status",
            "unofficial_languages",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "extended_to": DateInput(),
            **{name: forms.Textarea(attrs={"rows": 5}) for name in translated_fields("summary")},
        }


class AmbitionForm(ReferenceForm):
    class Meta:
        model = Ambition
        fields = ["number", *translated_fields("title", "text"), "unofficial_languages"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in translated_fields("text")}


class ClusterForm(ReferenceForm):
    class Meta:
        model = SecurityCluster
        fields = ["number", *translated_fields("name"), "unofficial_languages"]


class PhenomenonForm(ReferenceForm):
    class Meta:
        model = SecurityPhenomenon
        fields = [
            "number",
            "cluster",
            "is_national_priority",
            *translated_fields("name", "key_point"),
            "unofficial_languages",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in translated_fields("key_point")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = SecurityCluster.objects.filter(nsp_id=self.instance.nsp_id)


class ThemeForm(ReferenceForm):
    class Meta:
        model = CrossCuttingTheme
        fields = ["number", "is_national_priority", *translated_fields("name", "key_point"), "unofficial_languages"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in translated_fields("key_point")}
