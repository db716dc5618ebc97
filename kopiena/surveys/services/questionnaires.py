"""Questionnaires in and out as XLSForm: the service every interface calls.

The command line (`kopiena import_form`, `kopiena export_form`), the upload page
and the demo loader all call these two functions; the reading and writing of the
file itself is `kopiena.surveys.questionnaire.xlsform` (no database there).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import Choice, ChoiceList, Question, Survey
from ..questionnaire.xlsform import (
    FormChoice,
    FormChoiceList,
    FormImportError,
    FormLanguage,
    FormQuestion,
    XLSForm,
    read_xlsform,
    write_xlsform,
)

__all__ = ["FormImportError", "survey_export_xlsform", "survey_import_xlsform"]

# What a question row and a Question share under the same names.
QUESTION_FIELDS = (
    "name",
    "type",
    "label",
    "hint",
    "required",
    "required_message",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
    "has_other",
    "parameters",
    "extra",
)
SLUG_MAX_LENGTH = Survey._meta.get_field("slug").max_length


@transaction.atomic
def survey_import_xlsform(
    *,
    source: Path | IO[bytes] | bytes,
    filename: str,
    slug: str | None = None,
    municipality=None,
    actor=None,
) -> Survey:
    """Create a draft survey from an XLSForm file, or nothing at all (FormImportError).

    The slug defaults to the form's form_id (else the file's name), slugified.
    """
    form = read_xlsform(source, filename)
    slug = _slug(slug, form, filename)
    survey = Survey.objects.create(
        slug=slug,
        title=form.title,
        form_id=form.form_id,
        version=form.version,
        default_language=form.default_language,
        languages=[language.as_dict() for language in form.languages],
        settings_extra=form.settings_extra,
        municipality=municipality,
        created_by=actor,
    )
    lists = _create_choice_lists(survey, form.choice_lists)
    groups: dict[str, Question] = {}
    for position, item in enumerate(form.questions, start=1):
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


def _slug(slug: str | None, form: XLSForm, filename: str) -> str:
    if slug is None:
        slug = slugify(form.form_id or Path(filename).stem)[:SLUG_MAX_LENGTH].strip("-_")
        if not slug:
            raise FormImportError(
                _("Veidlapai nav „form_id”, no kā veidot identifikatoru; norādiet to.")
            )
    try:
        validate_slug(slug)
    except ValidationError:
        raise FormImportError(
            _("Identifikators „%(slug)s” drīkst saturēt tikai burtus, ciparus, „-” un „_”.")
            % {"slug": slug}
        ) from None
    if len(slug) > SLUG_MAX_LENGTH:
        raise FormImportError(
            _("Identifikators ir garāks par %(max)s rakstzīmēm.") % {"max": SLUG_MAX_LENGTH}
        )
    if Survey.objects.filter(slug=slug).exists():
        raise FormImportError(
            _("Aptauja ar identifikatoru „%(slug)s” jau ir; izvēlieties citu.") % {"slug": slug}
        )
    return slug


def _create_choice_lists(
    survey: Survey, choice_lists: list[FormChoiceList]
) -> dict[str, ChoiceList]:
    lists = {
        item.name: ChoiceList.objects.create(survey=survey, name=item.name) for item in choice_lists
    }
    Choice.objects.bulk_create(
        Choice(
            choice_list=lists[item.name],
            position=position,
            name=choice.name,
            label=choice.label,
            extra=choice.extra,
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
    return write_xlsform(_form(survey))


def _form(survey: Survey) -> XLSForm:
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
        languages=[FormLanguage(code=item["code"], name=item["name"]) for item in survey.languages],
        settings_extra=survey.settings_extra,
        questions=[
            FormQuestion(
                list_name=question.choice_list.name if question.choice_list else None,
                group=question.group.name if question.group else None,
                **{name: getattr(question, name) for name in QUESTION_FIELDS},
            )
            for question in questions
        ],
        choice_lists=[
            FormChoiceList(
                name=choice_list.name,
                choices=[
                    FormChoice(name=choice.name, label=choice.label, extra=choice.extra)
                    for choice in choice_list.choices.all()
                ],
            )
            for choice_list in choice_lists
        ],
    )
