from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _subscriptions_context(request) -> dict:
    from reporting import selectors, services

    user = request.user
    if not services.may_request_reports(user):
        return {"subscriptions": [], "may_subscribe": False}
    return {"subscriptions": list(selectors.subscription_list(user=user)), "may_subscribe": True}


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
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
