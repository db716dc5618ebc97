"""Helpers for the XLSForm tests: build small forms, read a survey back as plain data."""

import io
import signal
from contextlib import contextmanager

import openpyxl

from kopiena.surveys.models import Choice, ChoiceList, Question, Survey


def xlsform_bytes(
    survey: list[list[str | None]],
    choices: list[list[str | None]] | None = None,
    settings: list[list[str | None]] | None = None,
    sheet_names: tuple[str, str, str] = ("survey", "choices", "settings"),
) -> bytes:
    """An .xlsx workbook; each sheet given as rows, the first row being the headers."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in zip(sheet_names, (survey, choices, settings), strict=True):
        if rows is not None:
            sheet = workbook.create_sheet(name)
            for row in rows:
                sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def table(*rows: dict[str, str]) -> list[list[str | None]]:
    """Sheet rows from dicts by header: the headers in first-seen order, then the values."""
    headers = list(dict.fromkeys(header for row in rows for header in row))
    return [headers, *([row.get(header) for header in headers] for row in rows)]


def survey_structure(survey: Survey) -> dict:
    """Everything an XLSForm carries about a survey, without database ids or the slug."""
    questions = Question.objects.filter(survey=survey).select_related("group", "choice_list")
    choices = Choice.objects.filter(choice_list__survey=survey).select_related("choice_list")
    return {
        "title": survey.title,
        "form_id": survey.form_id,
        "version": survey.version,
        "default_language": survey.default_language,
        "languages": survey.languages,
        "settings_extra": survey.settings_extra,
        "questions": [
            {
                "position": question.position,
                "group": question.group.name if question.group else None,
                "name": question.name,
                "type": question.type,
                "label": question.label,
                "hint": question.hint,
                "required": question.required,
                "required_message": question.required_message,
                "relevant": question.relevant,
                "constraint": question.constraint,
                "constraint_message": question.constraint_message,
                "appearance": question.appearance,
                "choice_list": question.choice_list.name if question.choice_list else None,
                "has_other": question.has_other,
                "parameters": question.parameters,
                "extra": question.extra,
            }
            for question in questions.order_by("position")
        ],
        "choices": [
            {
                "list": choice.choice_list.name,
                "position": choice.position,
                "name": choice.name,
                "label": choice.label,
                "extra": choice.extra,
            }
            for choice in choices.order_by("choice_list__name", "position")
        ],
    }


def saved_counts() -> tuple[int, ...]:
    return (
        Survey.objects.count(),
        Question.objects.count(),
        ChoiceList.objects.count(),
        Choice.objects.count(),
    )


@contextmanager
def time_limit(seconds: int):
    """Fail instead of hanging: a form that takes longer than this is a bug."""

    def stop(_signum, _frame):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
