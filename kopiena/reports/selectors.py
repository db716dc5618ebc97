"""Reads for the results report: every figure is one GROUP BY in the database.

Answers are one row per (response, question, selected choice), so counting a
question's choices, with or without a segment, is a grouped count over the
answer table restricted to a set of responses. A set of responses is passed
around as a lazy Response queryset; Django turns it into a subquery, never a
list of ids in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from kopiena.surveys.models import Answer, Response, Survey

ChoiceKey = tuple[int, int | None]  # (question id, choice id or None for "other")


def report_responses(
    survey: Survey,
    *,
    submitted_from: dt.date | None = None,
    submitted_to: dt.date | None = None,
    answers: Sequence[tuple[int, int]] = (),
) -> QuerySet[Response]:
    """Submitted responses of a survey, optionally within dates (inclusive, local days)
    and limited to respondents who chose each given (question id, choice id)."""
    responses = Response.objects.filter(survey=survey, status=Response.Status.COMPLETE)
    zone = timezone.get_current_timezone()
    if submitted_from:
        start = dt.datetime.combine(submitted_from, dt.time.min, tzinfo=zone)
        responses = responses.filter(submitted_at__gte=start)
    if submitted_to:
        end = dt.datetime.combine(submitted_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        responses = responses.filter(submitted_at__lt=end)
    for question_id, choice_id in answers:
        responses = responses.filter(id__in=choosers(question_id, choice_id))
    return responses


def choosers(question_id: int, choice_id: int) -> QuerySet[Answer]:
    """Response ids of the respondents who chose a choice (a subquery)."""
    return Answer.objects.filter(question_id=question_id, choice_id=choice_id).values("response_id")


def _answers(responses: QuerySet[Response], question_ids: Iterable[int]) -> QuerySet[Answer]:
    return Answer.objects.filter(response__in=responses.values("id"), question_id__in=question_ids)


def choice_counts(
    responses: QuerySet[Response], question_ids: Iterable[int]
) -> dict[ChoiceKey, int]:
    """Rows per (question, choice); choice None counts the "other" answers."""
    rows = (
        _answers(responses, question_ids)
        .values_list("question_id", "choice_id")
        .annotate(count=Count("*"))
        .order_by()
    )
    return {(question_id, choice_id): count for question_id, choice_id, count in rows}


def answered_counts(responses: QuerySet[Response], question_ids: Iterable[int]) -> dict[int, int]:
    """Respondents with at least one answer row to each question."""
    rows = (
        _answers(responses, question_ids)
        .values_list("question_id")
        .annotate(count=Count("response_id", distinct=True))
        .order_by()
    )
    return dict(rows)


def single_row_answered(counts: dict[ChoiceKey, int]) -> dict[int, int]:
    """Respondents per question where each respondent has exactly one row (select_one)."""
    answered: dict[int, int] = defaultdict(int)
    for (question_id, _choice_id), count in counts.items():
        answered[question_id] += count
    return answered


def number_histograms(
    responses: QuerySet[Response], question_ids: Iterable[int]
) -> dict[int, list[tuple[Decimal, int]]]:
    """For numeric questions: how many respondents gave each value, values ascending."""
    rows = (
        _answers(responses, question_ids)
        .filter(number__isnull=False)
        .values_list("question_id", "number")
        .annotate(count=Count("*"))
        .order_by("question_id", "number")
    )
    histograms: dict[int, list[tuple[Decimal, int]]] = defaultdict(list)
    for question_id, number, count in rows:
        histograms[question_id].append((Decimal(number), count))
    return histograms


def other_texts(responses: QuerySet[Response], question_ids: Iterable[int]) -> dict[int, list[str]]:
    """Answers typed instead of a choice, verbatim, in the order they were given."""
    rows = (
        _answers(responses, question_ids)
        .filter(is_other=True)
        .exclude(text="")
        .order_by("question_id", "response_id", "id")
        .values_list("question_id", "text")
    )
    found: dict[int, list[str]] = defaultdict(list)
    for question_id, text in rows:
        found[question_id].append(text)
    return found


def text_answers(
    responses: QuerySet[Response],
    question_id: int,
    segment: QuerySet[Response] | None,
) -> Iterator[tuple[str, bool | None]]:
    """A text question's answers in submission order, each with whether it is the segment's.

    Streams from a server-side cursor: a survey of a million responses has a million
    answers to list and they never sit in memory together.
    """
    answers = _answers(responses, [question_id]).exclude(text="").order_by("response_id", "id")
    if segment is None:
        for text in answers.values_list("text", flat=True).iterator(chunk_size=5000):
            yield text, None
        return
    flagged = answers.annotate(
        in_segment=Exists(segment.filter(id=OuterRef("response_id")))
    ).values_list("text", "in_segment")
    yield from flagged.iterator(chunk_size=5000)


def crosstab_counts(
    responses: QuerySet[Response], by_question_id: int, question_ids: Iterable[int]
) -> tuple[dict[int, int], dict[tuple[int, int, int | None], int], dict[tuple[int, int], int]]:
    """Figures per value of one choice question, in three GROUP BYs.

    Returns respondents per column choice, rows per (column choice, question, choice),
    and respondents answering per (column choice, question).
    """
    columns = _answers(responses, [by_question_id]).filter(choice__isnull=False)
    sizes = dict(
        columns.values_list("choice_id")
        .annotate(count=Count("response_id", distinct=True))
        .order_by()
    )
    joined = _answers(responses, question_ids).filter(
        response__answers__question_id=by_question_id,
        response__answers__choice__isnull=False,
    )
    counts = {
        (column, question_id, choice_id): count
        for column, question_id, choice_id, count in joined.values_list(
            "response__answers__choice_id", "question_id", "choice_id"
        )
        .annotate(count=Count("*"))
        .order_by()
    }
    answered = {
        (column, question_id): count
        for column, question_id, count in joined.values_list(
            "response__answers__choice_id", "question_id"
        )
        .annotate(count=Count("response_id", distinct=True))
        .order_by()
    }
    return sizes, counts, answered


def responses_version(survey: Survey) -> tuple[int, str]:
    """How many responses a survey has and when the last changed: a cache key part."""
    stats = Response.objects.filter(survey=survey).aggregate(
        count=Count("id"), last=Max("updated_at")
    )
    last = stats["last"].isoformat() if stats["last"] else ""
    return stats["count"], last
