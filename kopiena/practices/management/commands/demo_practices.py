from django.core.management.base import BaseCommand

from kopiena.practices.demo import practices_seed_load


class Command(BaseCommand):
    help = "Loads the survey's cooperation examples and the know-how guides (idempotent)."

    def handle(self, *args, **options):
        result = practices_seed_load()
        self.stdout.write(
            f"Good-practice cases: {len(result.cases_created)} added; "
            f"guides: {len(result.guides_created)} added."
        )
