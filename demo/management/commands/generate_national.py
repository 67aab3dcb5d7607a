"""``manage.py generate_national --scale N [--seed S]``: the national data set (see docs/national-data.md)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.national import NationalGenerator, describe
from nsp.exceptions import DomainError


class Command(BaseCommand):
    help = (
        "Write the national data set: every active zone with its current approved plan (about 150 indicators and "
        "16 quarters of measurements each), users, programmes and comments; --scale N adds N-1 earlier, closed "
        "plan periods per zone. Deterministic for a seed and a day."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=int, default=1, help=("Plan periods per zone (1 = current only)."))
        parser.add_argument("--seed", type=int, default=1, help=("Seed of the generated values."))
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help=("The day the data are generated as of (YYYY-MM-DD; default today)."),
        )
        parser.add_argument(
            "--zones", type=int, default=None, help=("Only the first N active zones (for trying it out).")
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=("Write even though the database holds plans the generator did not make (beside them)."),
        )

    def handle(self, *args, scale, seed, today, zones, force, **options) -> None:
        generator = NationalGenerator(
            scale=scale, seed=seed, today=today, zones=zones, force=force, log=self.stdout.write
        )
        try:
            summary = generator.run()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("National data (scale %(scale)s, seed %(seed)s, edition %(edition)s): %(zones)s zones in %(seconds)s s.")
            % {
                "scale": summary.scale,
                "seed": summary.seed,
                "edition": summary.edition,
                "zones": summary.zones,
                "seconds": f"{summary.seconds:.1f}",
            }
        )
        written = ", ".join(describe(summary))
        self.stdout.write(_("Written in this run: %(rows)s.") % {"rows": written or _("nothing")})
        if summary.skipped:
            self.stdout.write(
                _("%(count)s zone periods were left out: the zone already has a plan for them.")
                % {"count": summary.skipped}
            )
