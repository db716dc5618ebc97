"""Staff editing a survey's questionnaire in the builder: questions and choices.

Editing a survey that already has responses never breaks them: once a question or a
choice has answers, its name and type are fixed and removing it archives it (the
answers stay, reports and exports still show them); only unanswered items are deleted.
Every function raises `django.core.exceptions.ValidationError` keyed by form field
for input it refuses, and changes nothing in that case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..models import Answer, Choice, ChoiceList, Question, Survey
from ..questionnaire.expressions import UnsupportedExpression, compile_expression, referenced_names
from ..questionnaire.schema import QUESTION_FIELDS, QUESTION_TYPES, QuestionShape
from .surveys import lock_survey, questionnaire_changed

Direction = Literal["up", "down"]

# XLSForm names become XML element names: a letter or underscore, then letters,
# digits, underscores, hyphens or dots (pyxform refuses anything else).
XLSFORM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
# Choice names of a select_multiple are stored space-separated: no white space.
CHOICE_NAME = re.compile(r"^\S+$")
T = Question.Type
# What the builder's question page edits: a question's whole shape but its required
# message and the extra XLSForm columns, which stay as the XLSForm file had them.
BUILDER_FIELDS = tuple(
    name for name in QUESTION_FIELDS if name not in ("required_message", "extra")
)


# --- Questions -----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class QuestionData(QuestionShape):
    """A question as the builder's page sets it, and its place in the questionnaire.

    `type` and `name` are fixed once the question has answers."""

    group: Question | None = None
    # For select questions: an existing list of this survey, or None for a new one.
    choice_list: ChoiceList | None = None


def question_has_answers(question: Question) -> bool:
    if question.type == T.GROUP:
        return Answer.objects.filter(question__in=_descendant_ids(question)).exists()
    return Answer.objects.filter(question=question).exists()


def choice_has_answers(choice: Choice) -> bool:
    # Through the questions using the choice's list: answers are indexed by (question,
    # choice, response), not by choice alone (models.Answer).
    return Answer.objects.filter(
        question__choice_list_id=choice.choice_list_id, choice=choice
    ).exists()


def _descendant_ids(group: Question) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for pk, group_id in Question.objects.filter(survey_id=group.survey_id).values_list(
        "pk", "group_id"
    ):
        children.setdefault(group_id, []).append(pk)
    found, stack = [], [group.pk]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _check_expression(
    survey: Survey, own_name: str, text: str, field: str, errors: dict[str, str]
) -> None:
    """A relevant or constraint must be one Kopiena can evaluate, naming existing questions."""
    if not text.strip():
        return
    try:
        compile_expression(text)
    except UnsupportedExpression as error:
        errors[field] = _("Izteiksmi nevar nolasīt: %(problem)s") % {"problem": error}
        return
    unknown = sorted(
        set(referenced_names(text))
        - {own_name}
        - set(Question.objects.filter(survey=survey).values_list("name", flat=True))
    )
    if unknown:
        errors[field] = _("Aptaujā nav jautājuma %(names)s.") % {
            "names": ", ".join(f"${{{name}}}" for name in unknown)
        }


def _range_parameters(parameters: dict, errors: dict[str, str]) -> dict:
    raw = {"start": 1, "end": 5, "step": 1, **parameters}
    parsed: dict[str, Decimal] = {}
    for key in ("start", "end", "step"):
        try:
            parsed[key] = Decimal(str(raw[key]).replace(",", "."))
        except InvalidOperation:
            errors[key] = _("Ievadiet skaitli.")
    if errors:
        return {}
    if parsed["step"] <= 0:
        errors["step"] = _("Solim jābūt lielākam par 0.")
    elif parsed["start"] == parsed["end"]:
        errors["end"] = _("Skalas beigām jāatšķiras no sākuma.")
    # Whole numbers as integers, as pyxform writes them; others as exact text.
    return {
        key: int(value) if value == value.to_integral_value() else str(value.normalize())
        for key, value in parsed.items()
    }


def _validate_question(survey: Survey, data: QuestionData, question: Question | None) -> dict:
    errors: dict[str, str] = {}
    if data.type not in QUESTION_TYPES:
        errors["type"] = _("Nezināms jautājuma veids.")
    if not XLSFORM_NAME.match(data.name):
        errors["name"] = _(
            "Nosaukumam jāsākas ar burtu vai pasvītrojumu, un tajā var būt tikai latīņu "
            "burti bez diakritiskajām zīmēm, cipari, pasvītrojumi, defises un punkti."
        )
    elif (
        Question.objects.filter(survey=survey, name=data.name)
        .exclude(pk=getattr(question, "pk", None))
        .exists()
    ):
        errors["name"] = _("Jautājums ar šādu nosaukumu aptaujā jau ir.")
    if data.type != T.GROUP and not data.label.get("lv"):
        errors["label_lv"] = _("Ierakstiet jautājuma tekstu latviski.")
    if data.group is not None and (data.group.survey_id != survey.pk or data.group.type != T.GROUP):
        errors["group"] = _("Izvēlieties šīs aptaujas sadaļu.")
    if (
        question is not None
        and data.group is not None
        and question.type == T.GROUP
        and (data.group.pk == question.pk or data.group.pk in _descendant_ids(question))
    ):
        errors["group"] = _("Sadaļu nevar ievietot pašā sevī.")
    if data.choice_list is not None and data.choice_list.survey_id != survey.pk:
        errors["choice_list"] = _("Izvēlieties šīs aptaujas izvēļu sarakstu.")
    _check_expression(survey, data.name, data.relevant, "relevant", errors)
    _check_expression(survey, data.name, data.constraint, "constraint", errors)
    return errors


def _new_choice_list(survey: Survey, name: str) -> ChoiceList:
    list_name, number = name, 2
    while ChoiceList.objects.filter(survey=survey, name=list_name).exists():
        list_name = f"{name}_{number}"
        number += 1
    return ChoiceList.objects.create(survey=survey, name=list_name)


def _apply(question: Question, data: QuestionData, parameters: dict) -> None:
    shape = replace(
        data,
        required=data.required and data.type not in (T.NOTE, T.GROUP),
        relevant=data.relevant.strip(),
        constraint=data.constraint.strip(),
        appearance=data.appearance.strip(),
        has_other=data.has_other and data.type in Question.CHOICE_TYPES,
        parameters=parameters,
    )
    for name in BUILDER_FIELDS:
        setattr(question, name, getattr(shape, name))
    question.group = data.group


@transaction.atomic
def question_add(*, survey: Survey, data: QuestionData) -> Question:
    """Add a question at the end of its section (or of all); a select gets its choice list."""
    lock_survey(survey.pk)
    errors = _validate_question(survey, data, None)
    parameters = _range_parameters(data.parameters, errors) if data.type == T.RANGE else {}
    if errors:
        raise ValidationError(errors)
    question = Question(survey=survey, position=_next_position(survey))
    _apply(question, data, parameters)
    if data.type in Question.CHOICE_TYPES:
        question.choice_list = data.choice_list or _new_choice_list(survey, data.name)
    question.save()
    _renumber(survey)
    questionnaire_changed(survey.pk)
    question.refresh_from_db()
    return question


@transaction.atomic
def question_update(*, question: Question, data: QuestionData) -> Question:
    """Change a question; its name and type stay fixed once it has answers."""
    lock_survey(question.survey_id)
    question = Question.objects.select_for_update().get(pk=question.pk)
    survey = question.survey
    errors = _validate_question(survey, data, question)
    if (data.name != question.name or data.type != question.type) and question_has_answers(
        question
    ):
        errors["name" if data.name != question.name else "type"] = _(
            "Uz šo jautājumu jau ir atbildes, tāpēc tā nosaukumu un veidu mainīt nevar."
        )
    if data.type != question.type and question.type == T.GROUP and question.members.exists():
        errors["type"] = _("Sadaļu, kurā ir jautājumi, nevar pārvērst par jautājumu.")
    parameters = _range_parameters(data.parameters, errors) if data.type == T.RANGE else {}
    if errors:
        raise ValidationError(errors)
    moved = data.group != question.group
    _apply(question, data, parameters)
    if data.type in Question.CHOICE_TYPES:
        question.choice_list = (
            data.choice_list or question.choice_list or _new_choice_list(survey, data.name)
        )
    else:
        question.choice_list = None
    if moved:
        # A question moved to another section goes to that section's end.
        question.position = _next_position(survey)
    question.save()
    if moved:
        _renumber(survey)
    questionnaire_changed(survey.pk)
    return question


def _next_position(survey: Survey) -> int:
    return (survey.questions.aggregate(last=Max("position"))["last"] or 0) + 1


def _tree(survey: Survey) -> tuple[dict[int | None, list[Question]], list[Question]]:
    questions = list(survey.questions.order_by("position", "pk"))
    children: dict[int | None, list[Question]] = {}
    for question in questions:
        children.setdefault(question.group_id, []).append(question)
    return children, questions


def _flatten(children: dict[int | None, list[Question]], parent: int | None = None):
    for question in children.get(parent, []):
        yield question
        if question.type == T.GROUP:
            yield from _flatten(children, question.pk)


def _renumber(survey: Survey, children: dict[int | None, list[Question]] | None = None) -> None:
    """Positions 1..n in the questionnaire's order: every section followed by its members."""
    children = children or _tree(survey)[0]
    changed = []
    for position, question in enumerate(_flatten(children), start=1):
        if question.position != position:
            question.position = position
            changed.append(question)
    Question.objects.bulk_update(changed, ["position"])


def _move_within(items: list, item, direction: Direction, skip) -> bool:
    """Move `item` past its nearest neighbour that is not skipped; False at either end."""
    index = items.index(item)
    step = -1 if direction == "up" else 1
    other = index + step
    while 0 <= other < len(items) and skip(items[other]):
        other += step
    if not 0 <= other < len(items):
        return False
    items.pop(index)
    items.insert(other, item)
    return True


@transaction.atomic
def question_move(*, question: Question, direction: Direction) -> bool:
    """Move a question (a section with all its members) one place among its siblings."""
    survey = lock_survey(question.survey_id)
    children, _questions = _tree(survey)
    siblings = children.get(question.group_id, [])
    current = next(item for item in siblings if item.pk == question.pk)
    moved = _move_within(siblings, current, direction, skip=lambda item: item.is_archived)
    if moved:
        _renumber(survey, children)
        questionnaire_changed(survey.pk)
    return moved


@transaction.atomic
def question_archive(*, question: Question) -> Literal["archived", "deleted"]:
    """Remove a question from the questionnaire: archived if it has answers, else deleted."""
    lock_survey(question.survey_id)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.type == T.GROUP and question.members.filter(is_archived=False).exists():
        raise ValidationError(_("Sadaļā vēl ir jautājumi: vispirms pārvietojiet vai noņemiet tos."))
    if question_has_answers(question) or question.members.exists():
        question.is_archived = True
        question.save(update_fields=["is_archived"])
        questionnaire_changed(question.survey_id)
        return "archived"
    survey, choice_list = question.survey, question.choice_list
    question.delete()
    if choice_list is not None and not choice_list.questions.exists():
        choice_list.delete()
    _renumber(survey)
    questionnaire_changed(survey.pk)
    return "deleted"


@transaction.atomic
def question_restore(*, question: Question) -> Question:
    """Ask an archived question again (in its old place)."""
    question.is_archived = False
    question.save(update_fields=["is_archived"])
    questionnaire_changed(question.survey_id)
    return question


# --- Choices -------------------------------------------------------------------------


def _validate_choice(choice_list: ChoiceList, name: str, label: dict, choice: Choice | None):
    errors: dict[str, str] = {}
    if not CHOICE_NAME.match(name or ""):
        errors["name"] = _("Ierakstiet izvēles nosaukumu bez atstarpēm.")
    elif (
        Choice.objects.filter(choice_list=choice_list, name=name)
        .exclude(pk=getattr(choice, "pk", None))
        .exists()
    ):
        errors["name"] = _("Izvēle ar šādu nosaukumu šajā sarakstā jau ir.")
    if not label.get("lv"):
        errors["label_lv"] = _("Ierakstiet izvēles tekstu latviski.")
    return errors


@transaction.atomic
def choice_add(*, choice_list: ChoiceList, name: str, label: dict[str, str]) -> Choice:
    lock_survey(choice_list.survey_id)
    errors = _validate_choice(choice_list, name, label, None)
    if errors:
        raise ValidationError(errors)
    last = choice_list.choices.aggregate(last=Max("position"))["last"] or 0
    choice = Choice.objects.create(
        choice_list=choice_list, name=name, label=label, position=last + 1
    )
    questionnaire_changed(choice_list.survey_id)
    return choice


@transaction.atomic
def choice_update(*, choice: Choice, name: str, label: dict[str, str]) -> Choice:
    """Change a choice's text; its name stays fixed once it has been chosen."""
    errors = _validate_choice(choice.choice_list, name, label, choice)
    if name != choice.name and choice_has_answers(choice):
        errors["name"] = _("Šī izvēle jau ir atbildēs, tāpēc tās nosaukumu mainīt nevar.")
    if errors:
        raise ValidationError(errors)
    choice.name = name
    choice.label = label
    choice.save(update_fields=["name", "label"])
    questionnaire_changed(choice.choice_list.survey_id)
    return choice


@transaction.atomic
def choice_move(*, choice: Choice, direction: Direction) -> bool:
    choices = list(
        Choice.objects.select_for_update()
        .filter(choice_list_id=choice.choice_list_id)
        .order_by("position", "pk")
    )
    current = next(item for item in choices if item.pk == choice.pk)
    if not _move_within(choices, current, direction, skip=lambda item: item.is_archived):
        return False
    for position, item in enumerate(choices, start=1):
        item.position = position
    Choice.objects.bulk_update(choices, ["position"])
    questionnaire_changed(choice.choice_list.survey_id)
    return True


@transaction.atomic
def choice_archive(*, choice: Choice) -> Literal["archived", "deleted"]:
    """No longer offer a choice: archived if it has been chosen, otherwise deleted."""
    questionnaire_changed(choice.choice_list.survey_id)
    if choice_has_answers(choice):
        choice.is_archived = True
        choice.save(update_fields=["is_archived"])
        return "archived"
    choice.delete()
    return "deleted"


@transaction.atomic
def choice_restore(*, choice: Choice) -> Choice:
    choice.is_archived = False
    choice.save(update_fields=["is_archived"])
    questionnaire_changed(choice.choice_list.survey_id)
    return choice
