"""Questionnaires in and out as XLSForm: the service every interface calls.

The command line (`kopiena import_form`, `kopiena export_form`), the upload page
and the demo loader all call these two functions; the reading and writing of the
file itself is `kopiena.surveys.questionnaire.xlsform` (no database there).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kopiena.core.slugs import SlugRefused

from ..models import Choice, ChoiceList, Question, Survey
from ..questionnaire.schema import CHOICE_FIELDS, QUESTION_FIELDS
from ..questionnaire.xlsform import (
    Language,
    XLSForm,
    XLSFormChoice,
    XLSFormChoiceList,
    XLSFormError,
    XLSFormQuestion,
    read_xlsform,
    write_xlsform,
)
from .surveys import SURVEY_SLUGS

__all__ = ["XLSFormError", "survey_export_xlsform", "survey_import_xlsform"]


@transaction.atomic
def survey_import_xlsform(
    *,
    source: Path | IO[bytes] | bytes,
    filename: str,
    slug: str | None = None,
    municipality=None,
    actor=None,
) -> Survey:
    """Create a draft survey from an XLSForm file, or nothing at all.

    The slug defaults to the file's form_id (else the file's name), slugified. Raises
    XLSFormError for a file that cannot be imported, or for a slug that cannot be used:
    taken, or one of the words the survey pages' addresses reserve (`manage`:
    SURVEY_SLUGS). Such a slug is refused, not renamed, as a taken one always was: the
    command or the upload page says why, and another can be given.
    """
    xlsform = read_xlsform(source, filename)
    try:
        slug = SURVEY_SLUGS.check(slug if slug is not None else _slug_of(xlsform, filename))
    except SlugRefused as refused:
        raise XLSFormError(str(refused)) from None
    survey = Survey.objects.create(
        slug=slug,
        title=xlsform.title,
        form_id=xlsform.form_id,
        version=xlsform.version,
        default_language=xlsform.default_language,
        languages=[language.as_dict() for language in xlsform.languages],
        settings_extra=xlsform.settings_extra,
        municipality=municipality,
        created_by=actor,
    )
    lists = _create_choice_lists(survey, xlsform.choice_lists)
    groups: dict[str, Question] = {}
    for position, item in enumerate(xlsform.questions, start=1):
        question = Question.objects.create(
            survey=survey,
            position=position,
            group=groups.get(item.group) if item.group else None,
            choice_list=lists[item.list_name] if item.list_name else None,
            **{name: getattr(item, name) for name in QUESTION_FIELDS},
        )
        if question.type == Question.Type.GROUP:
            groups[question.name] = question
    return survey


def _slug_of(xlsform: XLSForm, filename: str) -> str:
    limit = Survey._meta.get_field("slug").max_length
    slug = slugify(xlsform.form_id or Path(filename).stem)[:limit].strip("-_")
    if not slug:
        raise XLSFormError(_("Veidlapai nav „form_id”, no kā veidot identifikatoru; norādiet to."))
    return slug


def _create_choice_lists(
    survey: Survey, choice_lists: list[XLSFormChoiceList]
) -> dict[str, ChoiceList]:
    lists = {
        item.name: ChoiceList.objects.create(survey=survey, name=item.name) for item in choice_lists
    }
    Choice.objects.bulk_create(
        Choice(
            choice_list=lists[item.name],
            position=position,
            **{name: getattr(choice, name) for name in CHOICE_FIELDS},
        )
        for item in choice_lists
        for position, choice in enumerate(item.choices, start=1)
    )
    return lists


def survey_export_xlsform(*, survey: Survey) -> bytes:
    """The survey's questionnaire as an XLSForm .xlsx, as it is asked now.

    Archived questions and choices are left out: they keep old answers but are no
    longer part of the questionnaire.
    """
    return write_xlsform(_xlsform(survey))


def _xlsform(survey: Survey) -> XLSForm:
    questions = list(
        Question.objects.filter(survey=survey, is_archived=False)
        .select_related("group", "choice_list")
        .order_by("position")
    )
    choice_lists = survey.choice_lists.order_by("id").prefetch_related(
        Prefetch("choices", Choice.objects.filter(is_archived=False).order_by("position"))
    )
    return XLSForm(
        title=survey.title,
        form_id=survey.form_id,
        version=survey.version,
        default_language=survey.default_language,
        languages=[Language(code=item["code"], name=item["name"]) for item in survey.languages],
        settings_extra=survey.settings_extra,
        questions=[
            XLSFormQuestion(
                list_name=question.choice_list.name if question.choice_list else None,
                group=question.group.name if question.group else None,
                **{name: getattr(question, name) for name in QUESTION_FIELDS},
            )
            for question in questions
        ],
        choice_lists=[
            XLSFormChoiceList(
                name=choice_list.name,
                choices=[
                    XLSFormChoice(**{name: getattr(choice, name) for name in CHOICE_FIELDS})
                    for choice in choice_list.choices.all()
                ],
            )
            for choice_list in choice_lists
        ],
    )
