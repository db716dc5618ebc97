from django.core.management.base import BaseCommand

from kopiena.ledger.tasks import send_ledger_reminders


class Command(BaseCommand):
    help = (
        "Queues the ledger's daily reminders to owners and escalation of stale items "
        "to liaison people (run once a day from cron)."
    )

    def handle(self, *args, **options):
        result = send_ledger_reminders.enqueue()
        self.stdout.write(f"Ledger reminder task queued: {result.id}")
