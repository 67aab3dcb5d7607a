"""``manage.py seed_demo``: write the demonstration data set (demo mode only; see docs/demo.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.seed import DemoSeeder
from nsp.exceptions import DomainError
from nsp.models import PlanStatus


class Command(BaseCommand):
    help = (
        "Write the demonstration data set: demo users (password 'demo'), zonal plans in every workflow state, "
        "federal programmes, measurements and comments. Runs only in demo mode unless --force is given; "
        "running it again writes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help=("Write the demonstration data even though demo mode (DEMO) is off."),
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEMO and not force:
            raise CommandError(
                _(
                    "Demo mode is off (DEMO is false), so seed_demo refuses to create users with the known password "
                    "'demo'. Turn demo mode on (DEMO=1) or pass --force."
                )
            )
        try:
            summary = DemoSeeder(log=self.stdout.write).run()
        except DomainError as exc:
            raise CommandError(exc.message) from exc

        states = ", ".join(f"{summary.plans[status]} {label.lower()}" for status, label in PlanStatus.choices)
        self.stdout.write(
            _(
                "Demonstration data: %(plans)s zonal plans in %(zones)s zones (%(states)s), %(programmes)s federal "
                "programmes, %(measurements)s measurements."
            )
            % {
                "plans": sum(summary.plans.values()),
                "zones": summary.zones,
                "states": states,
                "programmes": summary.programmes,
                "measurements": summary.measurements,
            }
        )
        if summary.created:
            written = ", ".join(f"{count} {name}" for name, count in sorted(summary.created.items()))
            self.stdout.write(_("Written in this run: %(rows)s.") % {"rows": written})
        else:
            self.stdout.write(_("Nothing written in this run: the demonstration data were complete."))
        for warning in summary.warnings:
            self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(_("Demo users (password 'demo'):"))
        width = max(len(username) for username, _role in summary.users)
        for username, role in summary.users:
            self.stdout.write(f"  {username.ljust(width)}  {role}")
