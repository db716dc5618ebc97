"""`kopiena backup PATH`: the database and MEDIA_ROOT in one archive (kopiena/core/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kopiena.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Writes the database (PostgreSQL: pg_dump; SQLite: an online copy) and every "
        "uploaded file into one archive. Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the archive to write, e.g. kopiena.tar.gz")

    def handle(self, *args, path: Path, **options):
        try:
            result = backup_write(path=path, log=self.stderr.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{result.path}: {result.database} database and {result.media_files} media files"
        )
