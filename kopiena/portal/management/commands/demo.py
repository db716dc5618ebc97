from django.core.management.base import BaseCommand

from kopiena.accounts.demo import DEMO_PASSWORD, PEOPLE
from kopiena.portal.demo import demo_load


class Command(BaseCommand):
    help = (
        "Loads every module's demo content: accounts, communities, the reference survey "
        "with its 17 responses, good practice, news and processes (idempotent)."
    )

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
