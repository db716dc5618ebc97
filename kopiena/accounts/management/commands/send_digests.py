from django.core.management.base import BaseCommand

from kopiena.accounts.tasks import send_digests


class Command(BaseCommand):
    help = "Queues the daily or weekly notification digests (run from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=["daily", "weekly"], required=True)

    def handle(self, *args, frequency, **options):
        result = send_digests.enqueue(frequency)
        self.stdout.write(f"Digest task queued: {result.id}")
