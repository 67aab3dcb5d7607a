from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZonesConfig(AppConfig):
    name = "zones"
    verbose_name = _("Police zones and zonal security plans")

    def ready(self) -> None:
        from nsp import home_sections

        home_sections.register_section(
            home_sections.HomeSection("returned-plans", "zones/partials/home_returned.html", 15, _returned_context)
        )


def _returned_context(request):
    """The home section of the zones whose drafts a reviewer returned (none: no section)."""
    from zones.selectors import returned_plans

    returned = returned_plans(request.user) if request.user.is_authenticated else []
    return {"returned": returned} if returned else None
