"""``manage.py load_reference [--file PATH]``: load the NSP editions' reference data (see clusters.reference)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from clusters.reference import SHIPPED_PATHS, ReferenceDataError, load_reference, load_shipped


class Command(BaseCommand):
    help = (
        "Create or update the NSP editions' ambitions, ISFD clusters, cross-cutting themes and phenomena: every "
        "shipped edition, or the one file given. Corrections made in the application are kept."
    )

    def add_arguments(self, parser) -> None:
        shipped = ", ".join(str(path.relative_to(path.parents[2])) for path in SHIPPED_PATHS)
        parser.add_argument(
            "--file",
            dest="path",
            default=None,
            help=f"One JSON reference file (default: every shipped edition, in order: {shipped}).",
        )

    def handle(self, *args, path: str | None = None, **options) -> None:
        try:
            summaries = [load_reference(path=path)] if path else load_shipped()
        except ReferenceDataError as exc:
            raise CommandError(exc.message) from exc
        for summary in summaries:
            self.stdout.write(summary.line())
