"""manage.py restore FILE [--yes]: replace the database's contents with a backup (docs/operations.md, Backups)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from nsp import backup
from nsp.exceptions import DomainError


class Command(BaseCommand):
    help = "Replace everything in the database with the backup FILE (manage.py backup). Stop web and worker first."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, file, yes=False, **options):
        if not yes:
            name = connection.settings_dict["NAME"]
            answer = input(f"Everything in the database {name} is replaced by {file}. Type yes to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            backup.restore(file)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        with connection.cursor() as cursor:
            tables = backup.fingerprints(cursor, connection.vendor)
        rows = sum(count for count, _digest in tables.values())
        self.stdout.write(f"Restored {file}: {len(tables)} tables, {rows} rows. Run bin/release if the code is newer.")
