"""Background work of accounts; each task only calls a service."""

from django_tasks import task

from .notifications import digest_send


@task()
def send_digests(frequency: str) -> int:
    """E-mail the daily or weekly digests; returns how many were sent."""
    return digest_send(frequency=frequency).sent
