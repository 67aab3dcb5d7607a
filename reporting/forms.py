"""Forms of the report pages. They collect; ``reporting.services.report_request`` validates and decides."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nsp.forms import DateInput
from nsp.models import Plan
from reporting import selectors
from reporting.models import ReportRun, ReportSubscription
from zones.models import District, PoliceZone


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportRun.Kind.choices)
    scope = forms.ChoiceField(
        label=_("About"),
        choices=ReportRun.Scope.choices,
        help_text=_("A plan progress report is about one plan; the others can cover a zone, a district or all."),
    )
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False)
    zone = forms.ModelChoiceField(label=_("Police zone"), queryset=PoliceZone.objects.none(), required=False)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    period = forms.CharField(
        label=_("Up to period"),
        max_length=7,
        required=False,
        help_text=_("For example 2024-Q4, 2024-H2, 2024-12 or 2024. Leave empty for today."),
    )
    as_at = forms.DateField(
        label=_("As at"),
        required=False,
        widget=DateInput(),
        help_text=_("A day before the end of the period, for the figures and alignments as they stood then."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=ReportRun.Format.choices, initial=ReportRun.Format.PDF)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only what the user may read is offered; the service checks again.
        self.fields["plan"].queryset = Plan.objects.restrict(user, "view").select_related("zone").order_by("title")
        self.fields["zone"].queryset = PoliceZone.objects.restrict(user, "view").order_by("number", "key")
        self.fields["district"].queryset = District.objects.restrict(user, "view").order_by("name")
        self.fields["language"].initial = (get_language() or settings.LANGUAGE_CODE)[:2]

    def service_kwargs(self) -> dict:
        """The service's arguments: only the target the chosen scope names."""
        data = self.cleaned_data
        target = {"plan": "plan", "zone": "zone", "district": "district"}.get(data["scope"])
        return {
            "kind": data["kind"],
            "scope": data["scope"],
            **({target: data[target]} if target else {}),
            "period": data["period"],
            "as_at": data["as_at"],
            "format": data["format"],
            "language": data["language"],
        }


class DashboardFilterForm(forms.Form):
    nsp = forms.ModelChoiceField(label=capfirst(_("NSP edition")), queryset=None, required=False, empty_label=None)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=None, required=False, empty_label=_("All districts")
    )
    as_at = forms.DateField(
        label=_("As at"),
        required=False,
        widget=DateInput(),
        help_text=_("Figures and alignments as they stood on that day; empty: today."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nsp"].queryset = selectors.editions(user=user)
        self.fields["district"].queryset = District.objects.restrict(user, "view").order_by("name")

    def clean_as_at(self):
        day = self.cleaned_data["as_at"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("Choose a day up to today: figures are not known ahead."))
        return day


class CoverageFilterForm(DashboardFilterForm):
    """The coverage matrix's filters: edition and district (as the dashboard), region, province, plan status."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    plan_status = forms.ChoiceField(label=_("Plan status"), required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        from reporting import coverage

        super().__init__(*args, user=user, **kwargs)
        choices = coverage.filter_choices(user=user)
        self.fields["region"].choices = [("", _("All regions")), *choices["regions"]]
        self.fields["province"].choices = [("", _("All provinces")), *choices["provinces"]]
        self.fields["plan_status"].choices = [("", _("Any status")), *choices["plan_statuses"]]
        # Region and province narrow the zones; the district comes after them.
        self.order_fields(["nsp", "region", "province", "district", "plan_status", "as_at"])


class SubscriptionForm(ReportRequestForm):
    """Subscribe to a report: what a report request asks, with a frequency instead of a period."""

    frequency = forms.ChoiceField(
        label=_("Every"),
        choices=ReportSubscription.Frequency.choices,
        initial=ReportSubscription.Frequency.QUARTERLY,
        help_text=_("After each period ends you get the report of that period, and an e-mail with its link."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        del self.fields["period"]
        del self.fields["as_at"]
        self.order_fields(["kind", "scope", "plan", "zone", "district", "frequency", "format", "language"])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        target = {"plan": "plan", "zone": "zone", "district": "district"}.get(data["scope"])
        return {
            "kind": data["kind"],
            "scope": data["scope"],
            **({target: data[target]} if target else {}),
            "frequency": data["frequency"],
            "format": data["format"],
            "language": data["language"],
        }


class ScheduleForm(forms.Form):
    """When a scheduled report or reminder runs, in crontab fields ("*" for every; lists such as 1,4,7,10)."""

    enabled = forms.BooleanField(label=_("Runs"), required=False, help_text=_("Untick to pause it."))
    hour = forms.CharField(label=_("Hour"), max_length=60, help_text=_("0-23, e.g. 6"))
    minute = forms.CharField(label=_("Minute"), max_length=60, help_text=_("0-59, e.g. 30"))
    day_of_month = forms.CharField(
        label=_("Days of the month"), max_length=60, help_text=_("1-31, * for every day, e.g. 1")
    )
    month_of_year = forms.CharField(
        label=_("Months"), max_length=60, help_text=_("1-12, * for every month, e.g. 1,4,7,10 for each quarter")
    )
    day_of_week = forms.CharField(
        label=_("Weekdays"), max_length=60, help_text=_("0-6 with 0 = Sunday, * for every day, e.g. 1 for Mondays")
    )
