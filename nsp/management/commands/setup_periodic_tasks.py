"""``manage.py setup_periodic_tasks [--reset]``: the default schedule (nsp/schedule.py) into django-celery-beat."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from nsp import schedule


class Command(BaseCommand):
    help = (
        "Create the default periodic tasks that are missing; the others stay as set in the admin "
        "(--reset puts the defaults back)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reset", action="store_true", help="Set every default task back to its default.")

    def handle(self, *args, reset: bool = False, **options) -> None:
        done = schedule.install(reset=reset)
        for outcome in ("created", "reset", "kept"):
            for name in done[outcome]:
                self.stdout.write(f"{outcome}: {name}")
