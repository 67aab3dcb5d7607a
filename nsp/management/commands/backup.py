"""manage.py backup [--output FILE]: a consistent copy of the database (docs/operations.md, Backups)."""

from django.core.management.base import BaseCommand, CommandError

from nsp import backup
from nsp.exceptions import DomainError


class Command(BaseCommand):
    help = "Write a consistent copy of the database: pg_dump (custom format) or SQLite's online backup."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the file to write (default var/backups/nsp-<date>-<time>.<dump|sqlite3>)")

    def handle(self, *args, output=None, **options):
        try:
            path = backup.backup(output)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Backup written: {path} ({path.stat().st_size} bytes)")
