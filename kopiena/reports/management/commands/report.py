"""`kopiena report SLUG --format FORMAT [--segment QUESTION=CHOICE] [--output PATH]`."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kopiena.reports.engine import ReportError, parse_segment, report_for
from kopiena.reports.render import RENDERERS
from kopiena.reports.selectors import reading_report
from kopiena.surveys.models import Survey


class Command(BaseCommand):
    # A report reads; it needs no URL or admin checks, and starts faster without them.
    requires_system_checks: list[str] = []
    help = "Aptaujas rezultātu pārskats: JSON (uz standarta izvadi), HTML, PDF, DOCX vai XLSX."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="json")
        parser.add_argument(
            "--segment", help="JAUTĀJUMS=IZVĒLE, piemēram, municipality=kekavas_nov"
        )
        parser.add_argument("--output", help="Fails; bez tā — standarta izvade")
        parser.add_argument("--language", help="Pārskata valoda (noklusējums: aptaujas valoda)")

    def handle(self, *args, slug, format, segment, output, language, **options):
        survey = Survey.objects.filter(slug=slug).first()
        if survey is None:
            raise CommandError(f"Aptauja “{slug}” nav atrasta.")
        language = language or survey.default_language
        with translation.override(language), reading_report():
            try:
                report = report_for(
                    survey,
                    segment=parse_segment(segment) if segment else None,
                    language=language,
                    crosstab=format == "xlsx",
                    json_answers=format == "json",
                )
            except ReportError as error:
                raise CommandError(str(error)) from error
            if output:
                with open(output, "wb") as out:
                    RENDERERS[format](report, out)
            else:
                RENDERERS[format](report, sys.stdout.buffer)
                sys.stdout.buffer.flush()
