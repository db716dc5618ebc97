"""`kopiena import_form FORM.xlsx [--slug SLUG]`: a questionnaire from an XLSForm file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kopiena.surveys.models import Question
from kopiena.surveys.questionnaire.xlsform import read_xlsform
from kopiena.surveys.services.questionnaires import XLSFormError, survey_import_xlsform


class Command(BaseCommand):
    help = "Imports an XLSForm (.xlsx, .xlsm, .xls or .csv) as a new draft survey."

    def add_arguments(self, parser):
        parser.add_argument("form", type=Path, help="the XLSForm file")
        parser.add_argument("--slug", help="the survey's identifier (default: from form_id)")

    def handle(self, *args, form: Path, slug: str | None, **options):
        if not form.is_file():
            raise CommandError(f"{form}: file not found")
        try:
            survey = survey_import_xlsform(source=form, filename=form.name, slug=slug)
        except XLSFormError as error:
            raise CommandError(f"{form.name}: {error}") from None
        questions = survey.questions.filter(type__in=Question.ANSWERABLE_TYPES).count()
        self.stdout.write(f"{survey.slug}: {questions} questions")
        for row in read_xlsform(form, form.name).skipped:
            self.stdout.write(f"  skipped metadata row {row.row}: {row.type} {row.name}".rstrip())
