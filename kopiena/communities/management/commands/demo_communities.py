from django.core.management.base import BaseCommand

from kopiena.accounts.demo import DEMO_PASSWORD
from kopiena.communities.demo import demo_communities_load


class Command(BaseCommand):
    help = "Adds about forty demo communities with coordinators and members (idempotent)."

    def handle(self, *args, **options):
        result = demo_communities_load()
        self.stdout.write(
            f"Demo communities: {len(result.created)} added, {len(result.existing)} already there."
        )
        if result.created:
            self.stdout.write(
                f"Coordinators koordinatorsN@kopiena.lv, residents iedzivotajsN@kopiena.lv, "
                f"password {DEMO_PASSWORD}."
            )
