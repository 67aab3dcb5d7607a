"""``manage.py import_zones FILE``: import police zones, districts and municipalities (see zones.importer)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zones.importer import ZoneImportError, import_zones


class Command(BaseCommand):
    help = (
        "Create or update police zones, districts and municipalities from a CSV file "
        "(columns as in zones/data/README.md). Checks every row first; writes nothing when any row is wrong."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV file, e.g. zones/data/police_zones.csv")

    def handle(self, *args, file: str, **options) -> None:
        try:
            report = import_zones(path=file)
        except ZoneImportError as exc:
            raise CommandError(exc.message) from exc
        for line in report.lines():
            self.stdout.write(line)
