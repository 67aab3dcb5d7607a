"""``manage.py load_reference [--file PATH]``: load an NSP edition's reference data (see clusters.reference)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from clusters.reference import DEFAULT_PATH, ReferenceDataError, load_reference


class Command(BaseCommand):
    help = "Create or update an NSP edition's ambitions, ISFD clusters, cross-cutting themes and phenomena."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--file",
            dest="path",
            default=None,
            help=f"JSON reference file (default: {DEFAULT_PATH.relative_to(DEFAULT_PATH.parents[2])}).",
        )

    def handle(self, *args, path: str | None = None, **options) -> None:
        try:
            summary = load_reference(path=path)
        except ReferenceDataError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(summary.line())
