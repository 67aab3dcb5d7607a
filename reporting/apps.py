from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _subscriptions_context(request) -> dict:
    from reporting import selectors, services

    user = request.user
    if not services.may_request_reports(user):
        return {"subscriptions": [], "may_subscribe": False}
    return {"subscriptions": list(selectors.subscription_list(user=user)), "may_subscribe": True}


def _oversight_home_context(request) -> dict | None:
    """The Committee's and the CPPL-VCLP's home section (nsp.home_sections); None for other roles."""
    from django.utils import timezone

    from nsp.permissions import user_roles
    from reporting import insights, services

    user = request.user
    if not set(user_roles(user)) & set(insights.HOME_ROLES):
        return None
    since = services.home_visit_record(user=user)
    return insights.oversight_home(user=user, since=since, today=timezone.localdate())


def _zone_collection_context(request) -> dict | None:
    """A zone's home section (nsp.home_sections): what is due for the period being collected, and reminders."""
    from django.utils import timezone

    from nsp.permissions import user_roles
    from reporting import insights

    if not set(user_roles(request.user)) & set(insights.ZONE_HOME_ROLES):
        return None
    return insights.zone_collection_home(user=request.user, today=timezone.localdate())


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from nsp import home_sections
        from nsp.accounts import ProfileSection, register_section

        # "My subscriptions" on the profile page (nsp.accounts): the reports the user gets after every period.
        register_section(
            ProfileSection(
                "subscriptions",
                _("My report subscriptions"),
                "reporting/partials/profile_subscriptions.html",
                40,
                _subscriptions_context,
            )
        )
        # The Coordinating Committee's and the CPPL-VCLP's section at the top of their home page.
        home_sections.register_section(
            home_sections.HomeSection(
                "oversight", "reporting/partials/home_oversight.html", 10, _oversight_home_context
            )
        )
        home_sections.register_section(
            home_sections.HomeSection(
                "collection", "reporting/partials/home_collection.html", 20, _zone_collection_context
            )
        )
