"""Background work of the surveys app; each task only calls a service."""

from django_tasks import task

from .export_files import build_export
from .services.imports import import_batch_run


@task()
def run_import_batch(batch_id: int) -> int:
    """Import a confirmed batch of responses; returns how many rows were imported."""
    return import_batch_run(batch_id=batch_id).imported_rows


@task()
def build_export_file(survey_id: int, filters: dict, options: dict) -> str:
    """Write a large survey's XLSX export into the export cache; returns its key."""
    return build_export(survey_id=survey_id, filters=filters, options=options).key
