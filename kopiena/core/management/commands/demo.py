from django.core.management.base import BaseCommand

from kopiena.core.demo import DEMO_PASSWORD, PEOPLE, demo_load


class Command(BaseCommand):
    help = "Loads the reference survey, its 17 responses, demo accounts and communities."

    def handle(self, *args, **options):
        result = demo_load(log=self.stdout.write)
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            f"Demo data ready ({len(result.created)} added, {len(result.existing)} already there)."
        )
        self.stdout.write(f"Demo accounts, password {DEMO_PASSWORD}:")
        for person in PEOPLE:
            self.stdout.write(f"  {person.email:28} {person.role}")
