"""Report pages (list, request, status with htmx polling, download) and the national dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from nsp import data_version
from nsp.exceptions import DomainError
from nsp.models import Plan
from nsp.permissions import get_for
from nsp.viewmixins import ObjectDeleteView, ObjectListView, ObjectView, Page, apply_domain_error
from reporting import cached, coverage, insights, renderers, selectors, services
from reporting import charts as report_charts
from reporting import tables as report_tables
from reporting.files import FILE_TYPES
from reporting.forms import CoverageFilterForm, DashboardFilterForm, ReportRequestForm, ScheduleForm, SubscriptionForm
from reporting.models import ReportRun, ReportSubscription
from zones.models import PoliceZone

RUNS = ReportRun.objects.select_related("plan", "zone", "district", "requested_by")


def _reports_crumb() -> tuple[str, str]:
    return (_("Reports"), reverse("reporting:run-list"))


class RunListView(ObjectListView):
    queryset = RUNS
    template_name = "reporting/run_list.html"
    title = gettext_lazy("Reports")
    section = "reports"

    def get_breadcrumbs(self, obj=None):
        return [(_("Reports"), "")]

    def get_extra_context(self) -> dict[str, Any]:
        return {
            "may_request": services.may_request_reports(self.request.user),
            "may_schedule": services.may_edit_schedules(self.request.user),
        }


class RunCreateView(Page):
    """Request a report. ``?plan=<pk>`` preselects a plan progress report on that plan."""

    template_name = "reporting/run_form.html"
    title = gettext_lazy("Request a report")
    section = "reports"

    def get_breadcrumbs(self, obj=None):
        return [_reports_crumb(), (str(self.title), "")]

    def _initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name in ("kind", "scope", "period", "format"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        if self.request.GET.get("plan"):
            try:
                pk = int(self.request.GET["plan"])
            except ValueError:
                raise Http404(_("No plan matches the given query.")) from None
            plan = get_for(self.request.user, "view", Plan.objects.all(), pk=pk)
            initial.update(plan=plan.pk, scope=ReportRun.Scope.PLAN)
            # A plan's reports: its progress unless the link asks for another (the printed plan).
            if initial.get("kind") not in (ReportRun.Kind.PLAN_DOCUMENT, ReportRun.Kind.ZONE_ANNUAL):
                initial["kind"] = ReportRun.Kind.PLAN_PROGRESS
        return initial

    def dispatch(self, request, *args, **kwargs):
        # Reports are on what one may read: one who may read nothing (no role) gets 404, on GET and POST alike.
        if not services.may_request_reports(request.user):
            raise Http404(_("You may not request reports."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = ReportRequestForm(user=request.user, initial=self._initial())
        return self.render({"form": form})

    def post(self, request, *args, **kwargs):
        form = ReportRequestForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                run = services.report_request(actor=request.user, **form.service_kwargs())
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                if services.awaits_dispatch(run):
                    messages.warning(
                        request,
                        _(
                            "Your report is queued. The task queue cannot be reached just now; the report starts "
                            "as soon as it is back, and this page follows it."
                        ),
                    )
                else:
                    messages.success(request, _("Your report is queued; this page follows it."))
                return HttpResponseRedirect(run.get_absolute_url())
        return self.render({"form": form}, status=400)


class RunDetailView(ObjectView):
    """A run's status, progress and log; htmx polls the status part every 2 s until the run ends."""

    queryset = RUNS
    template_name = "reporting/run_detail.html"
    partial_template_name = "reporting/partials/run_status.html"
    section = "reports"
    rights = ("delete",)

    def get_breadcrumbs(self, obj=None):
        return [_reports_crumb(), (str(obj), "")]

    def get_extra_context(self, obj) -> dict[str, Any]:
        return {"run": obj, "download_name": download_name(obj) if obj.file else ""}


class RunCancelView(View):
    def post(self, request, pk: int):
        run = get_for(request.user, "delete", RUNS, pk=pk)
        try:
            services.report_cancel(actor=request.user, run=run)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The report is cancelled."))
        return redirect(run)


class RunDeleteView(ObjectDeleteView):
    target_queryset = RUNS
    service = services.report_delete
    target_kwarg = "run"
    section = "reports"

    def get_success_url(self, result, target) -> str:
        return reverse("reporting:run-list")


class RunDownloadView(View):
    """The report's file, for its requester only, once it is done."""

    def get(self, request, pk: int):
        run = get_for(request.user, "view", RUNS, pk=pk)
        if run.status != ReportRun.Status.DONE or not run.file or not run.file.storage.exists(run.file.name):
            raise Http404(_("This report has no file (yet)."))
        file_type = FILE_TYPES[run.format]
        return FileResponse(
            run.file.open("rb"), as_attachment=True, filename=download_name(run), content_type=file_type.content_type
        )


def download_name(run: ReportRun) -> str:
    """``plan-progress-zonal-security-plan-5339-2020-2025-2024-Q4.pdf``: what, about what, as at when."""
    target = run.plan or run.zone or run.district
    when = run.period or (run.finished_at or run.requested_at or timezone.now()).date().isoformat()
    parts = [slugify(run.kind.replace("_", "-")), slugify(str(target)) if target else "", when]
    return "-".join(p for p in parts if p) + "." + FILE_TYPES[run.format].extension


# --- the national dashboard --------------------------------------------------------------------------


def _url(name: str | None, **kwargs) -> str:
    """The URL, or "" while another app has not added that page."""
    try:
        return reverse(name, kwargs=kwargs) if name else ""
    except NoReverseMatch:
        return ""


def as_at_of(form) -> dt.date:
    """The day the figures are as at: the form's ``as_at`` (a query parameter), else today."""
    if form.is_bound and form.is_valid() and form.cleaned_data.get("as_at"):
        return form.cleaned_data["as_at"]
    return timezone.localdate()


def dashboard_scope(request) -> dict[str, Any]:
    """The dashboard's choices from the query string: the day it is as at (``as_at``, default today), the
    edition (default: the one in force that day), district. ``today`` is the as-at day: every figure, and the
    edition each plan counts under (``selectors.scoped_plans``), is as it stood then.

    ``fallback``: when the default edition has no plan the user may read yet, the latest edition that has."""
    user = request.user
    form = DashboardFilterForm(request.GET or None, user=user)
    today = as_at_of(form)
    default = selectors.default_edition(user=user, as_of=today)
    current = default["edition"]
    form.initial["nsp"] = current
    nsp, district = current, None
    if form.is_bound and form.is_valid():
        nsp, district = form.cleaned_data["nsp"] or current, form.cleaned_data["district"]
    fallback = default["fallback"] if nsp == current else None
    return {"form": form, "nsp": nsp, "district": district, "today": today, "fallback": fallback}


def dashboard_data(request, scope: dict[str, Any]) -> dict[str, Any]:
    data = cached.overview(user=request.user, as_of=scope["today"], nsp=scope["nsp"], district=scope["district"])
    for row in data["off_track_plans"]:
        row["url"] = _url(Plan.URL_NAMES.get(row["kind"]), pk=row["id"])
    for row in data["overdue_indicators"]:
        row["url"] = _url("nsp:indicator", pk=row["id"])
    return data


DASHBOARD_FILTERS = ("nsp", "district", "as_at")


def dashboard_page(request) -> dict[str, Any]:
    """The dashboard's choices (``dashboard_scope``), figures, tables and charts, and the HTML of its filters and
    figures, cached on the data version (``nsp.data_version``) for the reader's scope and language: a load from the
    cache reads no edition, no figure and renders only the page around them. Keyed on the day and the filters the
    page knows (other query parameters are not part of its links); filters that do not validate are shown with their
    error and not kept."""
    query = urlencode([(name, request.GET[name]) for name in DASHBOARD_FILTERS if request.GET.get(name)])

    def compute() -> dict[str, Any]:
        scope = dashboard_scope(request)
        form = scope["form"]
        data = dashboard_data(request, scope)
        figures = figures_for(report_tables.overview_tables(data), report_charts.overview_charts(data), query)
        filters = {"filter_form": form, "filtered": bool(query)}
        return {
            **{k: scope[k] for k in ("nsp", "district", "today", "fallback")},
            "valid": not form.is_bound or form.is_valid(),
            "data": data,
            "figures": figures,
            "filters_html": render_to_string("reporting/partials/dashboard_filters.html", filters),
            "figures_html": render_to_string(
                "reporting/partials/dashboard_figures.html", {"figures": figures, "data": data}
            ),
        }

    parts = [timezone.localdate(), query]
    return data_version.cached("dashboard-page", parts, compute, user=request.user, keep=lambda page: page["valid"])


def csv_response(table, *, filename: str) -> HttpResponse:
    response = HttpResponse(renderers.table_csv(table), content_type=FILE_TYPES["csv"].content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DashboardView(Page):
    """National progress for every role, restricted to what the user may read; filters: edition, district.

    Each section is a chart (``reporting.charts``) beside the table of its figures (``reporting.tables``),
    which downloads as CSV (``DashboardCsvView``) with the same filters.
    """

    template_name = "reporting/dashboard.html"
    title = gettext_lazy("National dashboard")
    section = "dashboard"

    def get_breadcrumbs(self, obj=None):
        return [(str(self.title), "")]

    def get(self, request, *args, **kwargs):
        user = request.user
        page = dashboard_page(request)
        nsp, district, today = page["nsp"], page["district"], page["today"]
        context = {
            "filtered": bool(request.GET),
            "nsp": nsp,
            "district": district,
            "as_of": today,
            "fallback": page["fallback"],
            "data": page["data"],
            "figures": page["figures"],
            "filters_html": mark_safe(page["filters_html"]),  # nosec B308 B703  # our own template, escaped there
            "figures_html": mark_safe(page["figures_html"]),  # nosec B308 B703  # our own template, escaped there
            "may_request": services.may_request_reports(user),
            "download": {
                "kind": ReportRun.Kind.NATIONAL_OVERVIEW,
                "scope": ReportRun.Scope.DISTRICT if district else ReportRun.Scope.NATIONAL,
                "district": district.pk if district else "",
                "period": selectors.period_for_edition(nsp, today=today) if nsp else "",
                # The report of the dashboard as shown: as at the same day when it is not today.
                "as_at": today.isoformat() if today != timezone.localdate() else "",
            },
        }
        return self.render(context)


INSIGHT_TABLES = ("trend", "trend-clusters", "trend-districts", "provinces", "programmes", "attention")


def insights_data(request, scope: dict[str, Any]) -> dict[str, Any]:
    """The trend page's reads: trend over the edition's quarters, roll-ups, zones needing attention."""
    user, nsp, district, today = request.user, scope["nsp"], scope["district"], scope["today"]
    attention = insights.zones_needing_attention(user=user, nsp=nsp, as_of=today, district=district)
    for row in attention["zones"]:
        row["url"] = reverse("zones:zone", kwargs={"key": row["key"]})
    return {
        "trend": insights.trend(user=user, nsp=nsp, today=today, district=district),
        "rollups": insights.rollups(user=user, nsp=nsp, as_of=today, district=district),
        "attention": attention,
    }


def insights_tables(data: dict[str, Any]) -> list:
    return [
        *report_tables.trend_tables(data["trend"]),
        *report_tables.rollup_tables(data["rollups"]),
        report_tables.attention_table(data["attention"]),
    ]


def collection_data(request, scope: dict[str, Any]) -> dict[str, Any]:
    status = insights.collection_status(user=request.user, today=scope["today"], district=scope["district"])
    for row in status["zones"]:
        row["url"] = reverse("zones:zone", kwargs={"key": row["key"]})
    return status


class DashboardCsvView(View):
    """One table of the dashboard pages as CSV: exactly the figures the page shows for the same filters."""

    def get(self, request, table: str):
        scope = dashboard_scope(request)
        if table == "collection":
            found = report_tables.collection_table(collection_data(request, scope))
        elif table in INSIGHT_TABLES:
            found = report_tables.table_by_key(insights_tables(insights_data(request, scope)), table)
        else:
            found = report_tables.table_by_key(report_tables.overview_tables(dashboard_data(request, scope)), table)
        if found is None:
            raise Http404(_("The dashboard has no such table."))
        parts = ["dashboard", table, slugify(scope["nsp"].code) if scope["nsp"] else "", scope["today"].isoformat()]
        return csv_response(found, filename="-".join(p for p in parts if p) + ".csv")


def figures_for(tables: list, charts: dict, query: str) -> dict[str, dict[str, Any]]:
    """Per table (by its key, ``-`` as ``_`` for templates): the table, its chart if any, its CSV URL."""
    return {
        table.key.replace("-", "_"): {
            "table": table,
            "chart": charts.get(table.key),
            "csv_url": reverse("reporting:dashboard-csv", kwargs={"table": table.key}) + (f"?{query}" if query else ""),
        }
        for table in tables
    }


class CollectionView(Page):
    """The data-collection cycle: the period being collected, its deadline, and per zone who reported it and
    which reminders went out (when, to whom)."""

    template_name = "reporting/collection.html"
    title = gettext_lazy("Data collection")
    section = "dashboard"

    def get_breadcrumbs(self, obj=None):
        return [(_("National dashboard"), reverse("reporting:dashboard")), (str(self.title), "")]

    def get(self, request, *args, **kwargs):
        scope = dashboard_scope(request)
        status = collection_data(request, scope)
        context = {
            "filter_form": scope["form"],
            "filtered": bool(request.GET),
            "as_of": scope["today"],
            "status": status,
            "figures": figures_for([report_tables.collection_table(status)], {}, request.GET.urlencode()),
        }
        return self.render(context)


class TrendView(Page):
    """How the nation moves: progress at the end of each quarter, roll-ups by province and programme, and the
    zones needing attention."""

    template_name = "reporting/trend.html"
    title = gettext_lazy("Trend, roll-ups and attention")
    section = "dashboard"

    def get_breadcrumbs(self, obj=None):
        return [(_("National dashboard"), reverse("reporting:dashboard")), (str(self.title), "")]

    def get(self, request, *args, **kwargs):
        scope = dashboard_scope(request)
        data = insights_data(request, scope)
        charts = {
            "trend": report_charts.trend_line(
                "trend", _("National progress at the end of each quarter"), data["trend"]["national"]
            )
            if data["trend"]["national"]
            else None,
            "provinces": report_charts.progress_bars(
                "provinces", _("Progress per province"), data["rollups"]["provinces"]
            ),
            "programmes": report_charts.progress_bars(
                "programmes", _("Progress per federal programme"), data["rollups"]["programmes"]
            ),
        }
        context = {
            "filter_form": scope["form"],
            "filtered": bool(request.GET),
            "nsp": scope["nsp"],
            "as_of": scope["today"],
            "data": data,
            "change": insights.change(data["trend"]["national"]),
            "fallback": scope["fallback"],
            "figures": figures_for(insights_tables(data), charts, request.GET.urlencode()),
        }
        return self.render(context)


# --- the coverage matrix ------------------------------------------------------------------------------


def coverage_scope(request) -> dict[str, Any]:
    """The matrix's choices from the query string: the day it is as at (``as_at``, default today) and the edition
    (default: the one in force that day); each plan counts under the edition it was aligned with that day."""
    user = request.user
    form = CoverageFilterForm(request.GET or None, user=user)
    today = as_at_of(form)
    default = selectors.default_edition(user=user, as_of=today)
    current = default["edition"]
    form.initial["nsp"] = current
    filters: dict[str, Any] = {}
    nsp = current
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        nsp = data["nsp"] or current
        filters = {
            "region": data["region"],
            "province": data["province"],
            "district": data["district"],
            "plan_status": data["plan_status"],
        }
    fallback = default["fallback"] if nsp == current else None
    return {"form": form, "nsp": nsp, "filters": filters, "today": today, "fallback": fallback}


def coverage_matrix(request, scope: dict[str, Any]) -> dict[str, Any]:
    return cached.coverage_matrix(user=request.user, nsp=scope["nsp"], as_of=scope["today"], **scope["filters"])


class CoverageView(Page):
    """Which zones took up which national priority: the coverage matrix, its filters, drill-downs and files."""

    template_name = "reporting/coverage.html"
    title = gettext_lazy("Coverage of the national priorities")
    section = "dashboard"

    def get_breadcrumbs(self, obj=None):
        return [(_("National dashboard"), reverse("reporting:dashboard")), (str(self.title), "")]

    def get(self, request, *args, **kwargs):
        scope = coverage_scope(request)
        matrix = coverage_matrix(request, scope)
        nsp, query = scope["nsp"], request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        placeholders = {"nsp": nsp.pk if nsp else 0, "kind": "__kind__", "priority": 0}
        row_url = reverse("reporting:coverage-priority", kwargs=placeholders).replace("/0/", "/__id__/")
        cell_url = reverse("reporting:coverage-cell", kwargs={**placeholders, "zone": "__zone__"}).replace(
            "/0/", "/__id__/"
        )
        if request.GET.get("as_at") and scope["form"].is_valid():
            cell_url += "?" + urlencode({"as_at": scope["today"].isoformat()})
        for zone in matrix["zones"]:
            zone["url"] = (
                reverse("zones:plan", kwargs={"pk": zone["plan_id"]})
                if zone["plan_id"]
                else reverse("zones:zone", kwargs={"key": zone["key"]})
            )
        context = {
            "filter_form": scope["form"],
            "filtered": bool(request.GET),
            "nsp": nsp,
            "as_of": scope["today"],
            "matrix": matrix,
            "row_url": row_url + suffix,
            "cell_url": cell_url,
            "csv_url": reverse("reporting:coverage-file", kwargs={"format": "csv"}) + suffix,
            "xlsx_url": reverse("reporting:coverage-file", kwargs={"format": "xlsx"}) + suffix,
            "zones_with_plan": sum(1 for z in matrix["zones"] if z["plan_id"]),
            "fallback": scope["fallback"],
        }
        return self.render(context)


class CoverageFileView(View):
    """The coverage matrix as CSV (the matrix as shown) or XLSX (the matrix and one row per cell)."""

    def get(self, request, format: str):
        if format not in ("csv", "xlsx"):
            raise Http404(_("The coverage matrix downloads as CSV or XLSX."))
        scope = coverage_scope(request)
        matrix = coverage_matrix(request, scope)
        sheets = report_tables.coverage_tables(matrix)
        parts = ["coverage", slugify(scope["nsp"].code) if scope["nsp"] else "", scope["today"].isoformat()]
        name = "-".join(p for p in parts if p)
        if format == "csv":
            return csv_response(sheets[0], filename=f"{name}.csv")
        about = [
            (_("Report"), str(CoverageView.title)),
            (capfirst(_("NSP edition")), scope["nsp"].title if scope["nsp"] else ""),
            (_("As at"), scope["today"].isoformat()),
            (_("Filters"), request.GET.urlencode() or _("None")),
        ]
        response = HttpResponse(renderers.workbook_bytes(about, sheets), content_type=FILE_TYPES["xlsx"].content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


class CoveragePriorityView(Page):
    """A row of the matrix: one national priority across the zones, their answers, objectives and progress."""

    template_name = "reporting/coverage_priority.html"
    section = "dashboard"

    def get(self, request, nsp: int, kind: str, priority: int):
        scope = coverage_scope(request)
        edition = get_for(request.user, "view", selectors.editions(user=request.user), pk=nsp)
        try:
            found = coverage.priority_for(nsp=edition, kind=kind, pk=priority)
        except LookupError:
            raise Http404(_("This edition has no such national priority.")) from None
        data = coverage.priority_across_zones(
            user=request.user, nsp=edition, kind=kind, priority=found, as_of=scope["today"], **scope["filters"]
        )
        for zone in data["zones"]:
            zone["url"] = reverse(
                "reporting:coverage-cell",
                kwargs={"nsp": edition.pk, "kind": kind, "priority": found.pk, "zone": zone["key"]},
            )
        if request.GET.get("format") == "csv":
            name = (
                f"coverage-{data['priority']['code'].lower()}-{slugify(edition.code)}-{scope['today'].isoformat()}.csv"
            )
            return csv_response(report_tables.priority_table(data), filename=name)
        title = f"{data['priority']['type_label']} {data['priority']['label']}"
        query = request.GET.urlencode()
        self.title = title
        context = {
            "data": data,
            "nsp": edition,
            "as_of": scope["today"],
            "csv_url": "?" + "&".join(p for p in (query, "format=csv") if p),
            "breadcrumbs": [
                (_("National dashboard"), reverse("reporting:dashboard")),
                (str(CoverageView.title), reverse("reporting:coverage") + (f"?{query}" if query else "")),
                (title, ""),
            ],
        }
        return self.render(context)


class CoverageCellView(Page):
    """A cell of the matrix: one zone's answer to one national priority, and the adopting objectives."""

    template_name = "reporting/coverage_cell.html"
    section = "dashboard"

    def get(self, request, nsp: int, kind: str, priority: int, zone: str):
        today = as_at_of(DashboardFilterForm({"as_at": request.GET.get("as_at", "")}, user=request.user))
        edition = get_for(request.user, "view", selectors.editions(user=request.user), pk=nsp)
        police_zone = get_for(request.user, "view", PoliceZone.objects.all(), key=zone)
        try:
            found = coverage.priority_for(nsp=edition, kind=kind, pk=priority)
        except LookupError:
            raise Http404(_("This edition has no such national priority.")) from None
        data = coverage.zone_answer(
            user=request.user, nsp=edition, kind=kind, priority=found, zone=police_zone, as_of=today
        )
        self.title = f"{police_zone} \N{EM DASH} {data['priority']['code']} {data['priority']['name']}"
        as_at = f"&as_at={today.isoformat()}" if today != timezone.localdate() else ""
        context = {
            "data": data,
            "nsp": edition,
            "as_of": today,
            "zone": police_zone,
            "row_url": reverse(
                "reporting:coverage-priority", kwargs={"nsp": edition.pk, "kind": kind, "priority": found.pk}
            )
            + (f"?{as_at[1:]}" if as_at else ""),
            "breadcrumbs": [
                (_("National dashboard"), reverse("reporting:dashboard")),
                (str(CoverageView.title), reverse("reporting:coverage") + f"?nsp={edition.pk}{as_at}"),
                (f"{data['priority']['code']} {data['priority']['name']}", ""),
            ],
        }
        return self.render(context)


# --- subscriptions ------------------------------------------------------------------------------------


class SubscriptionListView(Page):
    """The user's report subscriptions, with the form to add one (prefilled from the query string)."""

    template_name = "reporting/subscription_list.html"
    title = gettext_lazy("My report subscriptions")
    section = "reports"

    def get_breadcrumbs(self, obj=None):
        return [_reports_crumb(), (str(self.title), "")]

    def dispatch(self, request, *args, **kwargs):
        if not services.may_request_reports(request.user):
            raise Http404(_("You may not request reports."))
        return super().dispatch(request, *args, **kwargs)

    def context(self, form) -> dict[str, Any]:
        return {"form": form, "subscriptions": selectors.subscription_list(user=self.request.user)}

    def get(self, request, *args, **kwargs):
        initial = {
            k: request.GET[k]
            for k in ("kind", "scope", "zone", "district", "plan", "format", "frequency")
            if k in request.GET
        }
        return self.render(self.context(SubscriptionForm(user=request.user, initial=initial)))

    def post(self, request, *args, **kwargs):
        form = SubscriptionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                subscription = services.subscription_create(actor=request.user, **form.service_kwargs())
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Subscribed: %(subscription)s. You will get an e-mail with the link after each period.")
                    % {"subscription": subscription},
                )
                return HttpResponseRedirect(subscription.get_absolute_url())
        return self.render(self.context(form), status=400)


class SubscriptionDeleteView(ObjectDeleteView):
    target_queryset = ReportSubscription.objects.select_related("plan", "zone", "district")
    service = services.subscription_delete
    target_kwarg = "subscription"
    section = "reports"
    success_message = gettext_lazy("Unsubscribed from %(object)s.")

    def get_success_url(self, result, target) -> str:
        return reverse("reporting:subscription-list")

    def get_cancel_url(self, target) -> str:
        return reverse("reporting:subscription-list")


class _SchedulesMixin:
    def dispatch(self, request, *args, **kwargs):
        # Federal planners and administrators; for everyone else the pages do not exist.
        if not services.may_edit_schedules(request.user):
            raise Http404(_("Only federal planners and administrators see the schedule."))
        return super().dispatch(request, *args, **kwargs)


class ScheduleListView(_SchedulesMixin, Page):
    """When the reports and reminders run (django-celery-beat's periodic tasks), each with its description."""

    template_name = "reporting/schedule_list.html"
    title = gettext_lazy("Schedule of reports and reminders")
    section = "reports"

    def get_breadcrumbs(self, obj=None):
        return [_reports_crumb(), (str(self.title), "")]

    def get(self, request, *args, **kwargs):
        return self.render({"rows": selectors.schedule_rows()})


class ScheduleEditView(_SchedulesMixin, Page):
    """Change when one scheduled report or reminder runs, or pause it."""

    template_name = "reporting/schedule_form.html"
    section = "reports"

    def get_title(self, obj=None) -> str:
        return _("When it runs: %(label)s") % {"label": obj.label} if obj else ""

    def get_breadcrumbs(self, obj=None):
        return [_reports_crumb(), (str(ScheduleListView.title), reverse("reporting:schedules")), (obj.label, "")]

    def row(self, name: str):
        row = next((r for r in selectors.schedule_rows() if r.name == name and r.editable), None)
        if row is None:
            raise Http404(_("No scheduled report or reminder has this name."))
        return row

    def get(self, request, name: str):
        row = self.row(name)
        initial = {"enabled": row.enabled, **{f: getattr(row.crontab, f) for f in services.CRONTAB_FIELDS}}
        return self.render({"row": row, "form": ScheduleForm(initial=initial)}, obj=row)

    def post(self, request, name: str):
        row = self.row(name)
        form = ScheduleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.schedule_update(actor=request.user, name=name, **data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Saved: %(label)s now runs %(when)s.")
                    % {"label": row.label, "when": self.row(name).when if data["enabled"] else _("never (paused)")},
                )
                return HttpResponseRedirect(reverse("reporting:schedules"))
        return self.render({"row": row, "form": form}, obj=row, status=400)
