"""`kopiena restore PATH [--force]`: an archive of `kopiena backup` into this installation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kopiena.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restores an archive written by `kopiena backup` into this installation's database "
        "(DATABASE_URL, of the same kind) and MEDIA_ROOT. Both must be empty: stop the site "
        "and restore into a new database, or use --force to replace what they hold."
    )
    # The target may be an empty database: no checks that would query its tables.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="an archive written by `kopiena backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="empty the database and MEDIA_ROOT first, replacing everything in them",
        )

    def handle(self, *args, path: Path, force: bool, **options):
        try:
            result = backup_restore(path=path, force=force, log=self.stderr.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {result.database} database and {result.media_files} media files from "
            f"{result.path}. If this installation's code is newer than the backup, run "
            "`kopiena migrate` now."
        )
