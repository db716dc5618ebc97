"""Reads of the surveys app: a survey's questionnaire, the public and staff lists, responses."""

import datetime as dt
import threading
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from kopiena.accounts.rules import is_platform_admin, staff_municipality_ids
from kopiena.communities.selectors import community_survey_prefill

from .answer_bits import AnswerLayout
from .models import Answer, Choice, Question, Response, Survey
from .questionnaire.answer_rules import AnswerRules
from .questionnaire.schema import QUESTION_FIELDS, ChoiceSpec, QuestionnaireSchema, QuestionSpec

# Responses encoded per query: an IN list of this many ids, some 25 answer rows each.
BITSET_CHUNK = 5_000


# --- A survey's questionnaire ---------------------------------------------------------


def survey_schema(survey: Survey) -> QuestionnaireSchema:
    """A survey's questionnaire as plain data (questionnaire/schema.py), read in two queries."""
    choices_by_list: dict[int, list[ChoiceSpec]] = {}
    for choice in Choice.objects.filter(choice_list__survey=survey).order_by(
        "choice_list_id", "position"
    ):
        choices_by_list.setdefault(choice.choice_list_id, []).append(
            ChoiceSpec(
                id=choice.id,
                name=choice.name,
                label=choice.label,
                extra=choice.extra,
                is_archived=choice.is_archived,
            )
        )
    items = tuple(
        QuestionSpec(
            id=question.id,
            position=question.position,
            group_id=question.group_id,
            is_archived=question.is_archived,
            choices=tuple(choices_by_list.get(question.choice_list_id, ()))
            if question.choice_list_id
            else (),
            **{name: getattr(question, name) for name in QUESTION_FIELDS},
        )
        for question in Question.objects.filter(survey=survey).order_by("position")
    )
    return QuestionnaireSchema(
        survey_id=survey.id,
        slug=survey.slug,
        default_language=survey.default_language,
        min_group_size=survey.min_group_size,
        items=items,
    )


# Seconds cached answer rules are trusted: an edit that does not touch Survey.updated_at
# (questions are separate rows) shows on the public form within this time.
RULES_CACHE_SECONDS = 30

_rules: dict[int, tuple[tuple, float, AnswerRules]] = {}
_rules_lock = threading.Lock()


def survey_answer_rules(survey: Survey, *, fresh: bool = False) -> AnswerRules:
    """The survey's answer rules, cached per process for a published or closed survey.

    Keyed by `Survey.updated_at` (publishing, settings) and trusted for
    RULES_CACHE_SECONDS at most, so edits to questions reach the public form
    quickly; a draft is never cached, nor are `fresh` rules (staff's preview), so a
    preview always shows the latest edit.
    """
    if fresh or survey.status == Survey.Status.DRAFT:
        return _answer_rules(survey)
    key = (survey.updated_at, survey.paging)
    now = time.monotonic()
    cached = _rules.get(survey.pk)
    if cached is not None and cached[0] == key and now - cached[1] < RULES_CACHE_SECONDS:
        return cached[2]
    rules = _answer_rules(survey)
    with _rules_lock:
        _rules[survey.pk] = (key, now, rules)
    return rules


def _answer_rules(survey: Survey) -> AnswerRules:
    return AnswerRules(survey_schema(survey), single_page=survey.paging == Survey.Paging.SINGLE)


# --- The public -----------------------------------------------------------------------


def survey_list_public() -> QuerySet[Survey]:
    """Published surveys open for answers now, newest first."""
    now = timezone.now()
    return (
        Survey.objects.filter(status=Survey.Status.PUBLISHED, access=Survey.Access.OPEN)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("municipality")
    )


# --- Staff: the surveys a user manages and their responses ---------------------------


def survey_list_managed(*, user) -> QuerySet[Survey]:
    """The surveys a user may manage, with their counts, in one query."""
    surveys = Survey.objects.select_related("municipality").annotate(
        response_count=_count(
            Response.objects.filter(survey=OuterRef("pk"), status=Response.Status.COMPLETE)
        ),
        question_count=_count(
            Question.objects.filter(
                survey=OuterRef("pk"), type__in=Question.ANSWERABLE_TYPES, is_archived=False
            )
        ),
    )
    if is_platform_admin(user):
        return surveys
    return surveys.filter(municipality_id__in=staff_municipality_ids(user))


def _count(rows: QuerySet) -> Coalesce:
    counted = rows.order_by().values("survey").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class ResponseFilters:
    """A staff member's filter on a survey's responses; None means no filter."""

    status: str | None = Response.Status.COMPLETE
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    community_id: int | None = None
    # An answer to a choice question: responses that chose this choice.
    choice_id: int | None = None


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def response_list(*, survey: Survey, filters: ResponseFilters | None = None) -> QuerySet[Response]:
    """A survey's responses, newest first; paging it costs a count and a page query."""
    filters = filters or ResponseFilters()
    responses = Response.objects.filter(survey=survey).select_related("community", "invitation")
    if filters.status:
        responses = responses.filter(status=filters.status)
    if filters.submitted_from:
        responses = responses.filter(submitted_at__gte=_start_of_day(filters.submitted_from))
    if filters.submitted_to:
        next_day = filters.submitted_to + dt.timedelta(days=1)
        responses = responses.filter(submitted_at__lt=_start_of_day(next_day))
    if filters.community_id:
        responses = responses.filter(community_id=filters.community_id)
    if filters.choice_id:
        responses = responses.filter(
            Exists(Answer.objects.filter(response=OuterRef("pk"), choice_id=filters.choice_id))
        )
    return responses.order_by(F("submitted_at").desc(nulls_last=True), "-created_at", "-pk")


@dataclass(frozen=True)
class AnsweredQuestion:
    """One question of a response as staff read it: chosen choices, other text, a value."""

    question: QuestionSpec
    choices: tuple[ChoiceSpec, ...] = ()
    others: tuple[str, ...] = ()
    text: str = ""
    number: Decimal | None = None
    date: dt.date | None = None

    @property
    def is_answered(self) -> bool:
        return bool(self.choices or self.others or self.text or self.date) or (
            self.number is not None
        )


@dataclass(frozen=True)
class ResponseDetail:
    response: Response
    # Sections as headings and questions with their answers, in the questionnaire's order.
    items: tuple[AnsweredQuestion, ...]


def response_detail(*, survey: Survey, response_id: int) -> ResponseDetail:
    """One response with every question asked, answered or not (archived if answered)."""
    response = (
        Response.objects.select_related("community", "invitation")
        .filter(survey=survey)
        .get(pk=response_id)
    )
    schema = survey_schema(survey)
    by_question: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(response=response).order_by("pk"):
        by_question.setdefault(answer.question_id, []).append(answer)
    items = []
    for question in schema.items:
        answers = by_question.get(question.id, [])
        if question.is_archived and not answers:
            continue
        if question.type == Question.Type.NOTE:
            continue
        choice_by_id = {choice.id: choice for choice in question.choices}
        first = answers[0] if answers else None
        items.append(
            AnsweredQuestion(
                question=question,
                choices=tuple(
                    choice_by_id[a.choice_id] for a in answers if a.choice_id in choice_by_id
                ),
                others=tuple(a.text for a in answers if a.is_other),
                text=first.text if first and not question.is_choice else "",
                number=first.number if first and not question.is_choice else None,
                date=first.date if first else None,
            )
        )
    return ResponseDetail(response=response, items=tuple(items))


def invitation_prefill(*, invitation, rules: AnswerRules) -> dict[str, object]:
    """What the invited community's profile already answers, by matching question names.

    The respondent sees these as initial values and may change them; nothing is
    stored until they submit a page.
    """
    if invitation is None or invitation.community_id is None:
        return {}
    asked = {question.name for question in rules.questions}
    profile = community_survey_prefill(invitation.community)
    return {name: value for name, value in profile.items() if name in asked}


def answer_bitsets_from_answers(response_ids: list[int], layout: AnswerLayout) -> list[bytes]:
    """The answer bitsets of responses stored without one, read from their answers,
    in the order of `response_ids`."""
    encoded = []
    for start in range(0, len(response_ids), BITSET_CHUNK):
        chunk = response_ids[start : start + BITSET_CHUNK]
        pairs: dict[int, list[tuple[int, int | None]]] = {response_id: [] for response_id in chunk}
        rows = Answer.objects.filter(response_id__in=chunk).values_list(
            "response_id", "question_id", "choice_id"
        )
        for response_id, question_id, choice_id in rows.iterator(chunk_size=BITSET_CHUNK * 25):
            pairs[response_id].append((question_id, choice_id))
        encoded.extend(layout.encode(answers) for answers in pairs.values())
    return encoded


def builder_questions(survey: Survey) -> list[Question]:
    """The questionnaire in its order for the builder, each row with its nesting `depth`
    and whether it is `answered`: a section is when any question inside it is, as
    question_archive counts it (such a section is archived, not deleted)."""
    questions = list(
        survey.questions.select_related("survey")
        .annotate(answered=Exists(Answer.objects.filter(question=OuterRef("pk"))))
        .order_by("position")
    )
    by_id = {question.pk: question for question in questions}
    for question in questions:
        parent = by_id.get(question.group_id)
        question.depth = parent.depth + 1 if parent is not None else 0
    for question in questions:
        if question.answered:
            group = by_id.get(question.group_id)
            while group is not None and not group.answered:
                group.answered = True
                group = by_id.get(group.group_id)
    return questions


def responses_version(survey: Survey) -> tuple[int, str]:
    """How many responses a survey has and when the last changed: a cache key part."""
    stats = Response.objects.filter(survey=survey).aggregate(
        count=Count("id"), last=Max("updated_at")
    )
    last = stats["last"].isoformat() if stats["last"] else ""
    return stats["count"], last
