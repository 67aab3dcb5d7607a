"""The roles of the permission matrix: what each holds and in which scope.

Data only. ``nsp.grants`` turns it into Django groups and guardian grants; ``nsp.permissions``
reads the grants. docs/permissions.md documents it, and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from nsp import permissions as p


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    scope: str | None  # None (global), "zone", "programme" or "district"
    global_perms: tuple[str, ...] = ()
    object_perms: tuple[str, ...] = ()  # on the scope object (for "district": on each zone of it)
    description: str = field(default="", compare=False)


ROLES: dict[str, Role] = {
    r.name: r
    for r in (
        Role(
            "federal_planner",
            _("Federal planner"),
            None,
            global_perms=(p.PERM_REFERENCE, p.PERM_ANY_PROGRAMME, p.PERM_REGIONAL),
            description=_("Keeps the NSP reference and the federal programmes; follows national progress."),
        ),
        Role(
            "programme_manager",
            _("Programme manager"),
            "programme",
            object_perms=(p.PROGRAMME_MANAGE,),
            description=_("Runs one federal programme or improvement project."),
        ),
        Role(
            "federal_reviewer",
            _("Federal reviewer (DirCo)"),
            "district",
            object_perms=(p.ZONE_REVIEW,),
            description=_("Approves or returns the zonal plans of the zones of a district."),
        ),
        Role(
            "zone_chief",
            _("Zone chief"),
            "zone",
            object_perms=(p.ZONE_VIEW_DRAFTS, p.ZONE_EDIT_PLANS, p.ZONE_WORKFLOW),
            description=_("Drafts the zonal plan, records its adoption, submits it, reopens it."),
        ),
        Role(
            "zone_planner",
            _("Zone planner"),
            "zone",
            object_perms=(p.ZONE_VIEW_DRAFTS, p.ZONE_EDIT_PLANS),
            description=_("Edits the zone's plan content; records measurements and action progress."),
        ),
        Role(
            "cppl_member",
            _("CPPL-VCLP member"),
            None,
            global_perms=(p.PERM_VISION,),
            description=_("Reads every submitted zonal plan; writes the local-police vision."),
        ),
        Role(
            "committee_member",
            _("Coordinating Committee member"),
            None,
            description=_("Reviews national dashboards and reports; reads everything that is not a draft."),
        ),
    )
}
# "admin" is Django's superuser flag, granted by the same command (grant_role USER admin).
ADMIN = "admin"
ROLE_NAMES = (ADMIN, *ROLES)
