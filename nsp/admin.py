"""The Django admin: the NSP edition, the planning core, role groups, users and groups.

The admin is for administrators. It writes nothing around the services: plans and their content are
shown with their history and a link to the application's page where they are changed (the services
keep the workflow, the permission matrix and the history there), rows that services write (grants,
transitions, report runs) are shown only, and roles are granted through ``nsp.grants`` (the only module
that writes permissions). Reference data (editions, clusters, zones, districts) is edited here, each save
recorded in its history with the administrator who made it. The base classes below are shared by the
other apps' admins. Models of the apps above the core are looked up by app label, never imported.
"""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from nsp import grants
from nsp.exceptions import DomainError
from nsp.models import (
    Action,
    Ambition,
    Comment,
    DeletedItem,
    Indicator,
    Measurement,
    NationalSecurityPlan,
    Objective,
    Plan,
    RoleGroup,
    UserPreference,
)
from nsp.roles import ADMIN, ROLES

User = get_user_model()

# --- shared mechanics (the other apps' admins build on these) -------------------------------------


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, where a revert is a change like any other.

    simple-history saves a posted revert without asking whether the object may be changed, so the
    revert is refused here unless the change page itself would accept it.
    """

    revert_allowed = True

    def revert_disabled(self, request, obj=None):
        return not self.revert_allowed or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or self.revert_disabled(request, current):
                raise PermissionDenied(gettext("This version cannot be restored here."))
        return super().history_form_view(request, object_id, version_id, extra_context)


class TranslatedHistoryAdmin(HistoryAdmin, TranslationAdmin):
    """Reference data: every language's field on the form (no tabs: those load jQuery UI from a CDN)."""


class ViewOnlyAdminMixin:
    """Rows written by a service (grants, workflow, report jobs): shown, never edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlanContentAdmin(ViewOnlyAdminMixin, HistoryAdmin):
    """Plans and their content (objectives, indicators, measurements, actions, comments, a zonal plan's
    parts, programmes, visions): shown with their history, never written here.

    They are written on the application's pages and through the API only, by the services, which keep the
    workflow, the permission matrix, stale-save refusal, deleted items and history with the actor. The
    admin shows each row, its history (an old version is shown, never restored: a restore is a write around
    the services; deleted items are restored on the plan's "Deleted items" page) and a link to the page of
    the application where it is changed.
    """

    revert_allowed = False
    application_description = _(
        "Plans and their content are changed on the application's pages (or through the API), where the "
        "workflow, the permissions and the history apply; here they are shown only."
    )

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "application_page")

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "application_page"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        link = (_("In the application"), {"fields": ["application_page"], "description": self.application_description})
        return [link, *fieldsets]

    @admin.display(description=_("page"))
    def application_page(self, obj):
        if obj is None or obj.pk is None:
            return None
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), gettext("Open it in NSP Planner"))


class ReadOnlyInline(admin.TabularInline):
    """Rows a service writes (workflow transitions, addenda, plan content), listed under their parent."""

    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- the NSP edition ---------------------------------------------------------------------------


class AmbitionInline(TranslationStackedInline):
    model = Ambition
    extra = 0
    fields = ("number", "title", "text", "unofficial_languages")
    show_change_link = True


@admin.register(NationalSecurityPlan)
class NationalSecurityPlanAdmin(TranslatedHistoryAdmin):
    list_display = ("code", "title", "period_start", "period_end", "extended_to", "status")
    list_filter = ("status",)
    search_fields = ("code", "title_en", "title_fr", "title_nl", "title_de")
    date_hierarchy = "period_start"
    inlines = [AmbitionInline]
    # An extension is recorded on the edition's page (``edition_extend``: with the decision's date and reason).
    readonly_fields = ("extended_to", "extension_decided_on")


@admin.register(Ambition)
class AmbitionAdmin(TranslatedHistoryAdmin):
    list_display = ("number", "title", "nsp")
    list_display_links = ("number", "title")
    list_filter = ("nsp",)
    list_select_related = ("nsp",)
    search_fields = ("title_en", "title_fr", "title_nl", "title_de", "text_en", "text_fr", "text_nl", "text_de")


# --- plans and the planning core ----------------------------------------------------------------

PLAN_ADMIN_URLS = {
    Plan.Kind.ZONAL: "admin:zones_zonalsecurityplan_change",
    Plan.Kind.PROGRAMME: "admin:programmes_programme_change",
    Plan.Kind.REGIONAL: "admin:zones_regionalsecurityplan_change",
}


@admin.register(Plan)
class PlanAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Every plan of every kind; each is kept on the page of its own kind."""

    list_display = ("title", "kind", "zone", "nsp", "period_start", "period_end", "status", "open_link")
    list_filter = ("kind", "status", "nsp", "zone__district")
    list_select_related = ("zone", "nsp")
    search_fields = ("title", "zone__number", "zone__name_nl", "zone__name_fr", "zone__name_de")
    date_hierarchy = "period_start"
    readonly_fields = ("open_link",)

    @admin.display(description=_("open"))
    def open_link(self, obj: Plan):
        return format_html(
            '<a href="{}">{}</a>', reverse(PLAN_ADMIN_URLS[obj.kind], args=[obj.pk]), obj.get_kind_display()
        )


class IndicatorInline(ReadOnlyInline):
    model = Indicator
    fields = (
        "name",
        "unit",
        "source",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_date",
        "direction",
        "frequency",
        "position",
    )


class ActionInline(ReadOnlyInline):
    model = Action
    fields = ("title", "owner", "start_date", "due_date", "status", "percent_complete", "position")


class MeasurementInline(ReadOnlyInline):
    model = Measurement
    fields = ("period", "value", "note", "recorded_by", "recorded_at")
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class ObjectiveInline(ReadOnlyInline):
    """A plan's objectives; each opens on its own page with its indicators and actions."""

    model = Objective
    fk_name = "plan"
    fields = ("code", "title", "level", "kind", "domain", "year", "parent", "position")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")


PLAN_SEARCH = ("plan__title", "plan__zone__number", "plan__zone__name_nl", "plan__zone__name_fr", "plan__zone__name_de")


@admin.register(Objective)
class ObjectiveAdmin(PlanContentAdmin):
    list_display = ("__str__", "plan", "level", "kind", "domain", "year", "parent")
    list_filter = ("level", "kind", "domain", "year", "plan__kind", "plan__status")
    list_select_related = ("plan", "parent")
    search_fields = ("code", "title", *PLAN_SEARCH)
    inlines = [IndicatorInline, ActionInline]


@admin.register(Indicator)
class IndicatorAdmin(PlanContentAdmin):
    list_display = (
        "name",
        "objective",
        "plan",
        "unit",
        "source",
        "direction",
        "frequency",
        "baseline_value",
        "target_value",
        "target_date",
    )
    list_filter = ("source", "direction", "frequency", "plan__kind", "plan__status")
    list_select_related = ("objective", "plan")
    search_fields = ("name", "objective__code", "objective__title", *PLAN_SEARCH)
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(PlanContentAdmin):
    list_display = ("indicator", "period", "value", "plan", "recorded_by", "recorded_at")
    list_filter = ("indicator__frequency", "indicator__source", "plan__kind")
    list_select_related = ("indicator", "plan", "recorded_by")
    search_fields = ("period", "indicator__name", *PLAN_SEARCH)
    date_hierarchy = "period_end"
    readonly_fields = ("recorded_by", "recorded_at")


@admin.register(Action)
class ActionAdmin(PlanContentAdmin):
    list_display = ("title", "objective", "plan", "owner", "start_date", "due_date", "status", "percent_complete")
    list_filter = ("status", "plan__kind", "plan__status")
    list_select_related = ("objective", "plan")
    search_fields = ("title", "owner", "objective__code", "objective__title", *PLAN_SEARCH)
    date_hierarchy = "due_date"


@admin.register(DeletedItem)
class DeletedItemAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """What was deleted from plans, kept to be restored on the plan's "Deleted items" page (written by services)."""

    list_display = ("label", "plan", "deleted_by", "deleted_at")
    list_filter = ("model",)
    list_select_related = ("plan", "deleted_by")
    search_fields = ("label",)
    date_hierarchy = "deleted_at"
    exclude = ("rows", "links")


@admin.register(Comment)
class CommentAdmin(PlanContentAdmin):
    list_display = ("author", "plan", "target", "excerpt", "created_at")
    list_filter = ("plan__kind",)
    list_select_related = ("author", "plan", "objective", "indicator", "action")
    search_fields = ("body", "author__username", *PLAN_SEARCH)
    date_hierarchy = "created_at"
    readonly_fields = ("author", "created_at")

    @admin.display(description=_("comment"))
    def excerpt(self, obj: Comment) -> str:
        return obj.body[:80]


# --- role groups, groups and users --------------------------------------------------------------


def role_label(name: str) -> str:
    if name == ADMIN:
        return gettext("Administrator")
    role = ROLES.get(name)
    return str(role.label) if role else name


@admin.register(RoleGroup)
class RoleGroupAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Written by nsp.grants only; grant and revoke roles on a user's page or with ``grant_role``."""

    list_display = ("group", "role_name", "scope_display", "members")
    list_filter = ("role", "zone__district")
    list_select_related = ("group", "zone", "programme", "district")
    search_fields = (
        "group__name",
        "zone__number",
        "zone__name_nl",
        "zone__name_fr",
        "zone__name_de",
        "programme__code",
        "district__code",
        "district__name",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("group__user"))

    @admin.display(description=_("role"), ordering="role")
    def role_name(self, obj: RoleGroup) -> str:
        return role_label(obj.role)

    @admin.display(description=_("scope"))
    def scope_display(self, obj: RoleGroup) -> str:
        return str(obj.scope) if obj.scope else gettext("everywhere")

    @admin.display(description=_("members"), ordering="member_count")
    def members(self, obj: RoleGroup) -> int:
        return obj.member_count


class RoleGroupInline(admin.StackedInline):
    model = RoleGroup
    can_delete = False
    fields = ("role", "zone", "programme", "district")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(ADMIN, role_label(ADMIN)), *((name, role.label) for name, role in ROLES.items())]

    def queryset(self, request, queryset):
        value = self.value()
        if value == ADMIN:
            return queryset.filter(is_superuser=True)
        if value in ROLES:
            field = "role__role" if queryset.model is Group else "groups__role__role"
            return queryset.filter(**{field: value}).distinct()
        return queryset


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    list_display = ("name", "role_name", "scope_display", "members")
    list_filter = (RoleFilter,)
    list_select_related = ("role", "role__zone", "role__programme", "role__district")
    inlines = [RoleGroupInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("user", distinct=True))

    def get_readonly_fields(self, request, obj=None):
        # A role group's name and permissions come from nsp.roles through nsp.grants.
        if obj is not None and RoleGroup.objects.filter(group=obj).exists():
            return ("name", "permissions")
        return super().get_readonly_fields(request, obj)

    @admin.display(description=_("role"), ordering="role__role")
    def role_name(self, obj: Group) -> str | None:
        role_group = getattr(obj, "role", None)
        return role_label(role_group.role) if role_group else None

    @admin.display(description=_("scope"))
    def scope_display(self, obj: Group) -> str | None:
        role_group = getattr(obj, "role", None)
        if role_group is None:
            return None
        return str(role_group.scope) if role_group.scope else gettext("everywhere")

    @admin.display(description=_("members"), ordering="member_count")
    def members(self, obj: Group) -> int:
        return obj.member_count


class RoleForm(forms.Form):
    """Grant or revoke one role in one scope; nsp.grants checks that the scope fits the role."""

    role = forms.ChoiceField(label=_("Role"))
    zone = forms.ModelChoiceField(queryset=None, required=False, label=_("Police zone"))
    programme = forms.ModelChoiceField(queryset=None, required=False, label=_("Programme"))
    district = forms.ModelChoiceField(queryset=None, required=False, label=_("District (CSD/DirCo)"))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "role")
        # It sits inside the user form: a required attribute would stop the browser from saving the user.
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            ("", "---------"),
            (ADMIN, role_label(ADMIN)),
            *((name, role.label) for name, role in ROLES.items()),
        ]
        self.fields["zone"].queryset = apps.get_model("zones", "PoliceZone").objects.all()
        self.fields["programme"].queryset = apps.get_model("programmes", "Programme").objects.all()
        self.fields["district"].queryset = apps.get_model("zones", "District").objects.all()

    def scope(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("zone", "programme", "district")}


ROLE_BUTTONS = {"_grant_role": "grant", "_revoke_role": "revoke"}

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, with the user's roles and a small form to grant or revoke one."""

    # The Save row comes first, so pressing Enter in a field saves rather than grants a role.
    save_on_top = True
    list_filter = (RoleFilter, *DjangoUserAdmin.list_filter)
    readonly_fields = ("roles", "role_manager", "password_reset_link", "login_lockout")
    actions = ["clear_login_lockouts"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Access"),
            {
                "fields": ("password_reset_link", "login_lockout"),
                "description": _(
                    "A reset link lets the person choose a new password once; hand it over yourself (it works for "
                    "%(days)d days, or until the password changes)."
                )
                % {"days": settings.PASSWORD_RESET_TIMEOUT // 86400},
            },
        ),
        (
            _("Roles"),
            {
                "fields": ("roles", "role_manager"),
                "description": _(
                    "Roles are granted to groups, one per role and zone, programme or district. "
                    "Grant and Revoke change only the role; other changes on this page are not saved with them."
                ),
            },
        ),
    )

    @admin.display(description=_("password reset link"))
    def password_reset_link(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Save the user first.")
        from django.contrib.auth.tokens import default_token_generator
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        path = reverse(
            "accounts:password_reset_confirm",
            args=[urlsafe_base64_encode(force_bytes(obj.pk)), default_token_generator.make_token(obj)],
        )
        url = self._request.build_absolute_uri(path) if getattr(self, "_request", None) else path
        return format_html('<a href="{0}">{0}</a>', url)

    @admin.display(description=_("sign-in lockout"))
    def login_lockout(self, obj):
        from nsp import accounts

        if obj is None or obj.pk is None or not accounts.locked_out(username=obj.get_username()):
            return gettext("Not locked out.")
        return gettext("Locked out after too many failed sign-ins; select the user in the list and clear it.")

    @admin.action(description=_("Clear the sign-in lockouts of the selected users"))
    def clear_login_lockouts(self, request, queryset):
        from nsp import accounts

        for user in queryset:
            accounts.lockout_reset(username=user.get_username())
        self.message_user(
            request, gettext("Sign-in lockouts cleared for %(count)d users.") % {"count": queryset.count()}
        )

    def get_form(self, request, obj=None, **kwargs):
        self._request = request  # the reset link is shown as a full address
        return super().get_form(request, obj, **kwargs)

    @admin.display(description=_("roles and scopes"))
    def roles(self, obj):
        if obj is None or obj.pk is None:
            return None
        rows = [(role_label(ADMIN), gettext("everywhere"))] if obj.is_superuser else []
        rows += [
            (role_label(rg.role), str(rg.scope) if rg.scope else gettext("everywhere"))
            for rg in grants.user_role_groups(obj)
        ]
        if not rows:
            return gettext("No role.")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} — {}</li>", rows))

    @admin.display(description=_("grant or revoke a role"))
    def role_manager(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Save the user first.")
        form = RoleForm()
        fields = format_html_join(
            "",
            '<div class="flex-container">{} {}</div>',
            ((form[name].label_tag(), form[name]) for name in form.fields),
        )
        return format_html(
            '{}<div class="submit-row"><input type="submit" name="_grant_role" value="{}">'
            '<input type="submit" name="_revoke_role" value="{}"></div>',
            fields,
            gettext("Grant role"),
            gettext("Revoke role"),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        operation = next((ROLE_BUTTONS[name] for name in ROLE_BUTTONS if name in request.POST), None)
        if request.method == "POST" and object_id and operation:
            return self._change_role(request, unquote(object_id), operation)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _change_role(self, request, object_id: str, operation: str):
        user = self.get_object(request, object_id)
        if user is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        # Granting "admin" makes a superuser: only a superuser hands out roles.
        if not request.user.is_superuser:
            raise PermissionDenied
        form = RoleForm(request.POST)
        if not form.is_valid():
            return self._role_refused(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
        role = form.cleaned_data["role"]
        scope = {name: value for name, value in form.scope().items() if value is not None}
        # grants.role_revoke does not check the scope of "admin"; refuse it here for grant and revoke alike.
        if role == ADMIN and scope:
            return self._role_refused(request, gettext("The role admin takes no scope."))
        try:
            if operation == "grant":
                grants.role_grant(user=user, role=role, **scope)
                done = gettext("Granted %(role)s to %(user)s.")
            elif grants.role_revoke(user=user, role=role, **scope):
                done = gettext("Revoked %(role)s from %(user)s.")
            else:
                done = gettext("%(user)s did not hold %(role)s.")
        except DomainError as exc:
            return self._role_refused(request, exc.message)
        described = role_label(role) + "".join(f" ({value})" for value in scope.values())
        message = done % {"role": described, "user": user}
        self.log_change(request, user, message)
        messages.success(request, message)
        return HttpResponseRedirect(request.path)

    def _role_refused(self, request, reason: str):
        messages.error(request, gettext("The role was not changed: %(reason)s") % {"reason": reason})
        return HttpResponseRedirect(request.path)


@admin.register(UserPreference)
class UserPreferenceAdmin(admin.ModelAdmin):
    """What each person chose on their profile page (they change it there themselves)."""

    list_display = ("user", "language")
    list_filter = ("language",)
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
