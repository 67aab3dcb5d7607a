from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_db_rules(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from nsp import db_rules

    db_rules.install(connections[using])


class NspConfig(AppConfig):
    name = "nsp"
    verbose_name = _("National Security Plan and planning core")

    def ready(self) -> None:
        # post_migrate fires after the whole migration plan ran, so every table exists by then.
        post_migrate.connect(_install_db_rules, sender=self, dispatch_uid="nsp.install_db_rules")
        from django.contrib.auth.signals import user_logged_in

        from nsp.middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="nsp.start_session_clock")
        from simple_history.signals import post_create_historical_record

        from nsp.data_version import history_recorded

        # Every history row written moves the version cached figures are keyed on, once its transaction commits.
        post_create_historical_record.connect(history_recorded, dispatch_uid="nsp.data_version")
