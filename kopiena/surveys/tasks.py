"""Background work of the surveys app; each task only calls a service."""

from django_tasks import task

from .services_imports import import_batch_run


@task()
def run_import_batch(batch_id: int) -> int:
    """Import a confirmed batch of responses; returns how many rows were imported."""
    return import_batch_run(batch_id=batch_id).imported_rows
