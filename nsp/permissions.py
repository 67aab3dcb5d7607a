"""The permission matrix of docs/permissions.md, in one place.

``RestrictedQuerySet.restrict(user, action)`` calls ``restrict_queryset`` below; pages, the API,
selectors, exports, dashboards and report jobs all start from it. Object grants are read from
django-guardian's direct foreign-key tables on ``PoliceZone`` and ``Programme`` as uncorrelated
``IN (subquery)`` filters (computed once per query), never as Python lists of ids — except the one grant
of the ``view`` rule (``view_zone_drafts``), read with the user's roles once per request and filtered on as a
literal list (``drafts_readable``): it is in every read's query, and a handful of ids at most. The anchors are
named by app label, so this module imports no app above the core.

Actions:
    view      read the row
    add       create a row in the plan (for plan content) / create the row (reference, plans)
    change    change the row (plan content: the plan's structure)
    delete    delete the row
    record    record measurements and action progress
    workflow  record council adoption, submit for approval, reopen (zonal plans)
    review    approve or return a submitted plan (zonal plans)
    add_plan  draft a zonal plan for a zone (on PoliceZone)
    restore   restore a deleted item of a plan (on DeletedItem; on plans: who may restore their deleted items)
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, CharField, ExpressionWrapper, IntegerField, Q, QuerySet, Value
from django.http import Http404
from django.utils.functional import empty
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTIONS = ("view", "add", "change", "delete", "record", "workflow", "review", "add_plan", "restore")

# Object permissions granted through guardian (see nsp.roles for who holds them).
ZONE_VIEW_DRAFTS = "view_zone_drafts"
ZONE_EDIT_PLANS = "edit_zone_plans"
ZONE_WORKFLOW = "manage_zone_workflow"
ZONE_REVIEW = "review_zone_plans"
PROGRAMME_MANAGE = "manage_programme"
# Global permissions (auth group permissions of the role groups).
PERM_REFERENCE = "nsp.change_reference"
PERM_ANY_PROGRAMME = "nsp.change_any_programme"
PERM_REGIONAL = "nsp.change_regional_plan"
PERM_VISION = "nsp.change_local_police_vision"

_NONE = Q(pk__in=[])
_ALL = Q()


# --- who the user is -------------------------------------------------------------------------


def user_roles(user) -> frozenset[str]:
    """The roles the user holds in any scope (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_nsp_roles", None)
    if cached is None:
        _read_grants(user)
        cached = user._nsp_roles
    return cached


def draft_zone_ids(user) -> tuple[int, ...]:
    """The zones whose draft plans the user's role groups may read (``view_zone_drafts``), in order: the one
    object grant of the ``view`` rule. Read with the roles, in the same query, and kept on the user object for the
    request like them; ``forget_cached`` (called by every grant and revoke in ``nsp.grants``) drops both."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_nsp_draft_zones", None)
    if cached is None:
        _read_grants(user)
        cached = user._nsp_draft_zones
    return cached


def _read_grants(user) -> None:
    """One query: the user's roles and the zones whose drafts their role groups may read."""
    role_group = apps.get_model("nsp", "RoleGroup")
    grant_model = apps.get_model("zones", "ZoneGroupObjectPermission")
    roles = (
        role_group.objects.filter(group__user=user)
        .order_by()
        .annotate(draft_zone=Value(None, output_field=IntegerField()))
        .values_list("role", "draft_zone")
    )
    drafts = (
        grant_model.objects.filter(permission__codename=ZONE_VIEW_DRAFTS, group__user=user)
        .order_by()
        .annotate(no_role=Value("", output_field=CharField()))
        .values_list("no_role", "content_object_id")
    )
    found_roles, found_zones = set(), set()
    for role, zone in roles.union(drafts, all=True):
        if zone is None:
            found_roles.add(role)
        else:
            found_zones.add(zone)
    if user.is_superuser:
        found_roles.add("admin")
    user._nsp_roles = frozenset(found_roles)
    user._nsp_draft_zones = tuple(sorted(found_zones))


def forget_cached(user) -> None:
    """Drop what this module and Django's auth backend cached on the user object: its roles changed."""
    wrapped = getattr(user, "_wrapped", None)  # request.user is a lazy object: the memos are on the user it wraps
    target = wrapped if wrapped is not None and wrapped is not empty else user
    for cache in ("_nsp_roles", "_nsp_draft_zones", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        target.__dict__.pop(cache, None)


def is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def has_global(user, perm: str) -> bool:
    return is_admin(user) or (bool(user_roles(user)) and user.has_perm(perm))


def view_scope(user) -> tuple:
    """What ``restrict(user, "view")`` depends on, as plain values: two users with the same view scope read the same
    rows of every model but the ones owned by a person (report runs, subscriptions, preferences). Cached figures are
    keyed on it (``nsp.data_version``), so a grant or a role taken away shows at once. No query of its own: the
    zones whose drafts the user's groups may read come with the roles every request reads (``draft_zone_ids``).

    Keep in step with the ``view`` rules below: each input of theirs is named here."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ("anonymous",)
    if is_admin(user):
        return ("admin",)
    roles = user_roles(user)
    if not roles:
        return ("no-role",)
    # The roles stand for the global permissions ``view`` reads (``has_global``): each role's are fixed (nsp.roles).
    return ("roles", tuple(sorted(roles)), draft_zone_ids(user))


# --- object grants as subqueries -----------------------------------------------------------------


def _object_grant(app_label: str, prefix: str, user, codename: str, field: str) -> Q:
    """Rows whose ``field`` names an object one of the user's role groups holds ``codename`` on.

    Object permissions are granted to role groups only (nsp.grants), never to a single user: what a user may
    do is always what their roles say. Uncorrelated ``IN (subquery)``: the database computes the user's
    granted objects once per query and hashes them, instead of probing the grant table row by row.
    """
    group_model = apps.get_model(app_label, f"{prefix}GroupObjectPermission")
    by_group = group_model.objects.filter(permission__codename=codename, group__user=user)
    return Q(**{f"{field}__in": by_group.values("content_object_id")})


def zone_grant(user, codename: str, field: str = "zone") -> Q:
    return _object_grant("zones", "Zone", user, codename, field)


def drafts_readable(user, field: str = "zone") -> Q:
    """Rows of the zones whose drafts the user may read: a literal id list (``draft_zone_ids``, read once per
    request with the roles), not a subquery. The ``view`` rule is in every list's query; a subquery on the grants
    there cost its building and planning in each (about a millisecond: most of a 178-row list, docs/performance.md
    B8), while the list is a handful of ids at most (a zone's chief or planner: their zone)."""
    return Q(**{f"{field}__in": draft_zone_ids(user)})


def programme_grant(user, codename: str, field: str = "pk") -> Q:
    return _object_grant("programmes", "Programme", user, codename, field)


# --- the matrix, per model family ---------------------------------------------------------------

ZONAL = Q(kind="zonal")
PROGRAMME = Q(kind="programme")
REGIONAL = Q(kind="regional")
DRAFT = Q(status="draft")
CLOSED = Q(status="closed")


def plan_q(user, action: str) -> Q:
    """Which plans (zonal plans, programmes, the regional plan) the user may ``action``."""
    admin = is_admin(user)
    if not admin and not user_roles(user):
        return _NONE
    grant = (lambda codename: _ALL) if admin else (lambda codename: zone_grant(user, codename))
    # Reads and zonal steps need no programme grant or global permission: answer them before building those.
    if action == "view":
        return _ALL if admin else (~ZONAL | ~DRAFT | drafts_readable(user))
    if action == "workflow":
        return ZONAL & grant(ZONE_WORKFLOW)
    if action == "review":
        return ZONAL & grant(ZONE_REVIEW)
    programme_rights = _ALL if has_global(user, PERM_ANY_PROGRAMME) else programme_grant(user, PROGRAMME_MANAGE)
    regional_rights = _ALL if has_global(user, PERM_REGIONAL) else _NONE
    federal = (PROGRAMME & ~CLOSED & programme_rights) | (REGIONAL & ~CLOSED & regional_rights)
    if action in ("change", "add"):
        # A zonal plan's structure changes only in draft; approval freezes it until an addendum.
        return (ZONAL & DRAFT & grant(ZONE_EDIT_PLANS)) | federal
    if action == "record":
        return (ZONAL & Q(approved_on__isnull=False) & ~CLOSED & grant(ZONE_EDIT_PLANS)) | federal
    if action == "restore":
        # The zone's chief, not every planner: a restore puts back what a colleague chose to delete.
        return (ZONAL & ~CLOSED & grant(ZONE_WORKFLOW)) | federal
    if action == "delete":
        # Only a draft that was never approved; programmes and the regional plan by federal planners.
        zonal = ZONAL & DRAFT & Q(approved_on__isnull=True) & grant(ZONE_WORKFLOW)
        return (
            zonal
            | (PROGRAMME & (_ALL if has_global(user, PERM_ANY_PROGRAMME) else _NONE))
            | (REGIONAL & regional_rights)
        )
    return _NONE


def _plan_subquery(user, action: str, plan_field: str) -> Q:
    plan_model = apps.get_model("nsp", "Plan")
    permitted = plan_model.objects.filter(plan_q(user, action)).values("pk")
    return Q(**{f"{plan_field}__in": permitted})


# Plan content: which plan action each row action needs.
CONTENT_DEFAULT = {"view": "view", "add": "change", "change": "change", "delete": "change"}
CONTENT_ACTIONS: dict[str, dict[str, str]] = {
    "nsp.objective": CONTENT_DEFAULT,
    "nsp.indicator": CONTENT_DEFAULT,
    "nsp.action": {**CONTENT_DEFAULT, "record": "record"},
    "nsp.measurement": {"view": "view", "add": "record", "change": "record", "delete": "record"},
    "zones.expectation": CONTENT_DEFAULT,
    "zones.matrixcandidate": CONTENT_DEFAULT,
    "zones.matrixscore": CONTENT_DEFAULT,
    "zones.nationalalignment": CONTENT_DEFAULT,
    "zones.plansection": CONTENT_DEFAULT,
    "zones.addendum": {"view": "view"},
    "zones.plantransition": {"view": "view"},
}


def content_q(user, action: str, label: str) -> Q:
    plan_action = CONTENT_ACTIONS[label].get(action)
    if plan_action is None:
        return _NONE
    return _plan_subquery(user, plan_action, "plan")


def comment_q(user, action: str) -> Q:
    readable = _plan_subquery(user, "view", "plan")
    if action in ("view", "add"):
        return readable
    if action in ("change", "delete"):
        return readable if is_admin(user) else readable & Q(author=user)
    return _NONE


def deleted_item_q(user, action: str) -> Q:
    """A plan's deleted items: listed to those who may delete or restore there; restored by the zone's chief
    (a programme's or the regional plan's keepers) and administrators, while the plan takes the change the
    delete was (its structure in draft, measurements while it records progress)."""
    if action == "view":
        return _plan_subquery(user, "change", "plan") | _plan_subquery(user, "record", "plan")
    if action == "restore":
        needs: dict[str, list[str]] = {}
        for label, rights in CONTENT_ACTIONS.items():
            if "delete" in rights:
                needs.setdefault(rights["delete"], []).append(label)
        content = _NONE
        for plan_action, labels in needs.items():
            content |= Q(model__in=labels) & _plan_subquery(user, plan_action, "plan")
        return _plan_subquery(user, "restore", "plan") & content
    return _NONE


def reference_q(user, action: str) -> Q:
    """NSP editions, ambitions, clusters, phenomena, themes."""
    if action == "view":
        return _ALL if (is_admin(user) or user_roles(user)) else _NONE
    if action in ("add", "change", "delete"):
        return _ALL if has_global(user, PERM_REFERENCE) else _NONE
    return _NONE


def directory_q(user, action: str) -> Q:
    """Police zones, districts, municipalities: read by every role, kept by administrators."""
    if action == "view":
        return _ALL if (is_admin(user) or user_roles(user)) else _NONE
    if action == "add_plan":
        return _ALL if is_admin(user) else zone_grant(user, ZONE_WORKFLOW, "pk")
    if action == "review":
        return _ALL if is_admin(user) else zone_grant(user, ZONE_REVIEW, "pk")
    if action in ("add", "change", "delete"):
        return _ALL if is_admin(user) else _NONE
    return _NONE


def vision_q(user, action: str) -> Q:
    if action == "view":
        return _ALL if (is_admin(user) or user_roles(user)) else _NONE
    if action in ("add", "change", "delete"):
        return _ALL if has_global(user, PERM_VISION) else _NONE
    return _NONE


def report_q(user, action: str) -> Q:
    """Report runs: one's own; administrators see all. What a report contains is restricted by its job."""
    if is_admin(user):
        return _ALL
    if not user_roles(user):
        return _NONE
    if action in ("view", "add", "delete"):
        return Q(requested_by=user)
    return _NONE


def own_preference_q(user, action: str) -> Q:
    """A person's own preferences (the profile page); administrators see all of them."""
    if is_admin(user):
        return _ALL
    if getattr(user, "is_authenticated", False) and action in ("view", "change"):
        return Q(user=user)
    return _NONE


def subscription_q(user, action: str) -> Q:
    """Report subscriptions: one's own (holders of a role); administrators see all."""
    if is_admin(user):
        return _ALL
    if not user_roles(user):
        return _NONE
    if action in ("view", "add", "delete"):
        return Q(user=user)
    return _NONE


def reminder_q(user, action: str) -> Q:
    """Data-collection reminders (who was written to, when): the zone's own roles, federal planners, administrators."""
    if action != "view":
        return _ALL if is_admin(user) else _NONE
    if is_admin(user) or has_global(user, PERM_REFERENCE):
        return _ALL
    return drafts_readable(user)


def admin_only_q(user, action: str) -> Q:
    return _ALL if is_admin(user) else _NONE


FAMILIES: dict[str, Callable[[object, str], Q]] = {
    "nsp.nationalsecurityplan": reference_q,
    "nsp.ambition": reference_q,
    "clusters.securitycluster": reference_q,
    "clusters.securityphenomenon": reference_q,
    "clusters.crosscuttingtheme": reference_q,
    "nsp.plan": plan_q,
    "zones.zonalsecurityplan": plan_q,
    "zones.regionalsecurityplan": plan_q,
    "programmes.programme": plan_q,
    "programmes.improvementproject": plan_q,
    "nsp.comment": comment_q,
    "nsp.deleteditem": deleted_item_q,
    "zones.policezone": directory_q,
    "zones.district": directory_q,
    "zones.municipality": directory_q,
    "zones.localpolicevision": vision_q,
    "reporting.reportrun": report_q,
    "reporting.reportsubscription": subscription_q,
    "reporting.homevisit": own_preference_q,
    "nsp.rolegroup": admin_only_q,
    "nsp.userpreference": own_preference_q,
    "reporting.overduereminder": reminder_q,
}
for _label in CONTENT_ACTIONS:
    FAMILIES[_label] = lambda user, action, _label=_label: content_q(user, action, _label)


def rule_for(model) -> Callable[[object, str], Q]:
    label = model._meta.label_lower
    try:
        return FAMILIES[label]
    except KeyError:
        raise LookupError(f"{label} has no entry in the permission matrix (nsp.permissions.FAMILIES)") from None


def restrict_queryset(queryset: QuerySet, user, action: str) -> QuerySet:
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}; expected one of {ACTIONS}")
    q = rule_for(queryset.model)(user, action)
    if q == _ALL:
        return queryset
    return queryset.filter(q)


def may_column(model, user, action: str) -> ExpressionWrapper:
    """Whether ``user`` may ``action`` each row of ``model``, as a boolean column of the row's own query: the
    condition ``restrict(user, action)`` filters on (the same rule), selected instead of filtered. Cheaper than
    an EXISTS over a second ``restrict`` query per action (no self-join for the planner to plan); the rules
    only follow single-valued relations or use ``IN (subquery)``, so the column never multiplies rows."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}; expected one of {ACTIONS}")
    return ExpressionWrapper(rule_for(model)(user, action), output_field=BooleanField())


# --- helpers for views and services --------------------------------------------------------------


def can(user, action: str, obj) -> bool:
    """Whether ``user`` may ``action`` this saved object (one EXISTS query)."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()


def get_for(user, action: str, queryset: QuerySet, **lookup):
    """The object for ``action``: 404 when the user may not read it, 403 when they may not act on it."""
    obj = queryset.restrict(user, "view").filter(**lookup).first()
    if obj is None:
        raise Http404(_("No %(model)s matches the given query.") % {"model": queryset.model._meta.verbose_name})
    if action != "view":
        ensure(user, action, obj)
    return obj


def ensure(user, action: str, obj) -> None:
    """Raise PermissionDenied (403) unless the user may ``action`` the object, Http404 if not readable."""
    if can(user, action, obj):
        return
    if action != "view" and can(user, "view", obj):
        message = REFUSALS.get(action, REFUSALS["change"])
        raise PermissionDenied(message % {"model": obj._meta.verbose_name})
    raise Http404(_("No %(model)s matches the given query.") % {"model": obj._meta.verbose_name})


REFUSALS = {
    "add": gettext_lazy("You may not add to this %(model)s."),
    "change": gettext_lazy("You may not change this %(model)s."),
    "delete": gettext_lazy("You may not delete this %(model)s."),
    "record": gettext_lazy("You may not record progress on this %(model)s."),
    "workflow": gettext_lazy("You may not move this %(model)s through the workflow."),
    "review": gettext_lazy("You may not review this %(model)s."),
    "add_plan": gettext_lazy("You may not draft a plan for this %(model)s."),
    "restore": gettext_lazy("You may not restore this %(model)s."),
}
