"""`kopiena export_form SLUG [--output PATH]`: a survey's questionnaire as XLSForm .xlsx."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kopiena.surveys.models import Survey
from kopiena.surveys.services.questionnaires import survey_export_xlsform


class Command(BaseCommand):
    help = "Writes a survey's questionnaire as an XLSForm (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the survey's identifier")
        parser.add_argument(
            "--output", type=Path, help="file to write (default: SLUG.xlsx; '-' for stdout)"
        )

    def handle(self, *args, slug: str, output: Path | None, **options):
        survey = Survey.objects.filter(slug=slug).first()
        if survey is None:
            raise CommandError(f"no survey '{slug}'")
        data = survey_export_xlsform(survey=survey)
        if output == Path("-"):
            sys.stdout.buffer.write(data)
            return
        output = output or Path(f"{slug}.xlsx")
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None
        self.stdout.write(f"{output}")
