"""Background work of the ledger; each task only calls a service."""

from django_tasks import task

from .services import ledger_send_reminders


@task()
def send_ledger_reminders() -> int:
    """Remind owners of items coming due and escalate stale items (run daily)."""
    result = ledger_send_reminders()
    return result.reminded + result.escalated
