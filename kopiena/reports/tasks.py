"""Reports of large surveys are built in the background and kept until responses change."""

from django_tasks import task

from .building import build_file


@task()
def build_report_file(survey_id: int, format: str, options: dict, language: str) -> str:
    """Render a report file into the report cache; returns its cache key."""
    return build_file(survey_id=survey_id, format=format, options=options, language=language).key
