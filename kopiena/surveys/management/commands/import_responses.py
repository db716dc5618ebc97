"""kopiena import_responses SLUG FILE [--format ...] [--strict]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kopiena.surveys.imports import AUTO, FORMATS
from kopiena.surveys.models import Survey
from kopiena.surveys.services.imports import ImportRejected, response_import


class Command(BaseCommand):
    help = "Import responses collected elsewhere (CSV or XLSX) into a survey: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the survey's identifier")
        parser.add_argument("file", type=Path, help="a CSV or XLSX file of responses")
        parser.add_argument("--format", default=AUTO, choices=[AUTO, *FORMATS])
        parser.add_argument(
            "--strict",
            action="store_true",
            help="also check required answers and the questionnaire's constraints",
        )

    def handle(self, *args, slug: str, file: Path, format: str, strict: bool, **options):
        try:
            survey = Survey.objects.get(slug=slug)
        except Survey.DoesNotExist:
            raise CommandError(f"No survey with the identifier {slug!r}.") from None
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            result = response_import(
                survey=survey, source=file, filename=file.name, format=format, strict=strict
            )
        except ImportRejected as rejected:
            for problem in rejected.result.problems:
                self.stderr.write(str(problem))
            hidden = rejected.result.problem_count - len(rejected.result.problems)
            if hidden > 0:
                self.stderr.write(f"… and {hidden} more problems.")
            raise CommandError("Nothing was imported.") from None
        for column in result.unknown_columns:
            self.stderr.write(
                f"Column {column['column']} ({column['header']}) matches no question: skipped."
            )
        self.stdout.write(
            f"Imported {result.imported} responses ({result.format}); "
            f"{result.duplicates} already imported."
        )
