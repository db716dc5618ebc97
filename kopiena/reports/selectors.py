"""Reads for the results report.

Choices and "answered" come from each submitted response's answer bitset
(surveys/answer_bits.py), read in one pass over the response table and counted with
numpy (tally.py): for a million responses that is about a second, where grouping the
answer table's 25 million rows took 15 s or more. What bitsets do not hold is read
from the answers, one row per (response, question, selected choice), and
`Respondents` says which rows count:

- everyone who submitted, unfiltered: the rows of the survey's questions, read
  straight from the (question, choice, response) index; drafts are excluded only
  when the survey has any, so the common case needs no join at all;
- a filtered group (dates, answers): rows whose response is in a Response subquery;
- a segment: additionally, rows whose response also chose the segment's choice,
  which the (response, question, choice) index answers without touching the table.

Numbers' histograms and "other" texts are grouped in the database; open answers
stream from a cursor, already serialized to JSON by the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.utils import timezone

from kopiena.surveys.answer_bits import AnswerLayout, answer_keys, extended_layout
from kopiena.surveys.models import Answer, Response, Survey
from kopiena.surveys.schema import FormSchema
from kopiena.surveys.selectors import answer_bitsets_from_answers

from .tally import Bitsets

CHUNK = 10_000
BITSET_CHUNK = 100_000


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


@dataclass(frozen=True)
class Respondents:
    """A group of respondents, as a restriction on answer rows."""

    survey: Survey
    # None: everyone who submitted; else the filtered responses.
    responses: QuerySet[Response] | None = None
    # A segment: only those who chose (question id, choice id).
    chose: tuple[int, int] | None = None

    def segment(self, question_id: int, choice_id: int) -> Respondents:
        return replace(self, chose=(question_id, choice_id))

    def _unsubmitted(self) -> QuerySet[Response] | None:
        # Named statuses, not "not complete": an equality on the (survey, status, …) index
        # answers at once, where NOT EQUAL walks every submitted response of the survey.
        unsubmitted = Response.objects.filter(
            survey=self.survey,
            status__in=[status for status in Response.Status if status != Response.Status.COMPLETE],
        )
        return unsubmitted if unsubmitted.exists() else None

    def answers(self, question_ids: Iterable[int]) -> QuerySet[Answer]:
        rows = Answer.objects.filter(question_id__in=list(question_ids))
        if self.responses is not None:
            rows = rows.filter(response_id__in=self.responses.values("id"))
        else:
            unsubmitted = self._unsubmitted()
            if unsubmitted is not None:
                rows = rows.exclude(response_id__in=unsubmitted.values("id"))
        if self.chose is not None:
            rows = rows.filter(response_id__in=choosers(*self.chose))
        return rows

    def count(self) -> int:
        if self.chose is None:
            responses = self.responses
            if responses is None:
                responses = report_responses(self.survey)
            return responses.count()
        # One row per respondent who chose it: count them from the index alone.
        question_id, choice_id = self.chose
        return replace(self, chose=None).answers([question_id]).filter(choice_id=choice_id).count()


def _in_segment(segment: tuple[int, int] | None) -> Q | None:
    """Rows of respondents who chose the segment's choice: a hashed IN in the database."""
    return Q(response_id__in=choosers(*segment)) if segment else None


def _count(segment: tuple[int, int] | None) -> dict:
    counts = {"count": Count("id")}
    if segment:
        counts["segment"] = Count("id", filter=_in_segment(segment))
    return counts


def answer_bitsets(group: Respondents, schema: FormSchema) -> Bitsets:
    """The group's submitted responses as answer bitsets (surveys/answer_bits.py), read in
    one pass over the response table; the segment is left to the caller's mask.

    The layout is read after the bitsets: every bitset read was encoded with a layout at
    most that long, so the positions this report adds for questions no stored response
    has answered yet are zeros in all of them. Responses without a stored bitset (written
    before bitsets existed) are encoded here from their answers.
    """
    responses = group.responses if group.responses is not None else report_responses(group.survey)
    # The id only where there is no bitset: a million ids would double what is read.
    unencoded_id = Case(When(answer_bits__isnull=True, then="id"))
    sql, params = (
        responses.order_by()
        .annotate(unencoded_id=unencoded_id)
        .values_list("answer_bits", "unencoded_id")
        .query.sql_with_params()
    )
    blocks: list[np.ndarray] = []
    unencoded: list[int] = []
    # Server-side on PostgreSQL (in reading_report's transaction): a client-side cursor
    # would hold every row in the driver at once, some 60 MB for a million.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(BITSET_CHUNK):
            chunk = [bits for bits, _id in rows if bits is not None]
            if len(chunk) < len(rows):
                unencoded.extend(response_id for bits, response_id in rows if bits is None)
            blocks.append(_matrix(chunk))
    positions = Survey.objects.values_list("answer_layout", flat=True).get(pk=group.survey.pk)
    layout = AnswerLayout(extended_layout(positions, answer_keys(schema)) or positions)
    if unencoded:
        blocks.append(_matrix(answer_bitsets_from_answers(unencoded, layout)))
    width = max([layout.width, 1] + [block.shape[1] for block in blocks])
    matrix = np.concatenate(
        [np.pad(block, ((0, 0), (0, width - block.shape[1]))) for block in blocks]
        or [np.zeros((0, width), dtype=np.uint8)]
    )
    return Bitsets(layout, matrix)


def _matrix(bitsets: list[bytes]) -> np.ndarray:
    """Bitsets of different lengths (later questions appended) as rows of one width."""
    width = max(map(len, bitsets), default=1) or 1
    joined = b"".join([bits.ljust(width, b"\0") for bits in bitsets])
    return np.frombuffer(joined, dtype=np.uint8).reshape(-1, width)


def number_histograms(
    group: Respondents, question_ids: Sequence[int], segment: tuple[int, int] | None = None
) -> dict[int, list[tuple[Decimal, int, int]]]:
    """For numeric questions: how many respondents gave each value, values ascending."""
    histograms: dict[int, list[tuple[Decimal, int, int]]] = defaultdict(list)
    if not question_ids:
        return histograms
    rows = (
        group.answers(question_ids)
        .filter(number__isnull=False)
        .values_list("question_id", "number")
        .annotate(**_count(segment))
        .order_by("question_id", "number")
    )
    for question_id, number, count, *in_segment in rows:
        histograms[question_id].append((Decimal(number), count, in_segment[0] if in_segment else 0))
    return histograms


def other_texts(group: Respondents, question_ids: Sequence[int]) -> dict[int, list[str]]:
    """Answers typed instead of a choice, verbatim, in the order they were given."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        group.answers(question_ids)
        # "Other" rows have no choice: the (question, choice) index finds them directly.
        .filter(choice__isnull=True, is_other=True)
        .exclude(text="")
        .order_by("question_id", "response_id", "id")
        .values_list("question_id", "text")
    )
    for question_id, text in rows.iterator(chunk_size=CHUNK):
        found[question_id].append(text)
    return found


class TextAnswerJSON(Func):
    """A text answer as the JSON object {"text": …, "in_segment": …}: true or false when
    a segment's condition is given, else null.

    On PostgreSQL by concatenation around to_json(text): jsonb_build_object builds and
    then prints a jsonb value, twice the time for a million answers. SQLite's own
    json_object is as fast; its CASE gives a JSON boolean where a bare condition is 1/0.
    """

    output_field = TextField()

    def __init__(self, text, in_segment=None):
        super().__init__(text, *([in_segment] if in_segment is not None else []))

    def as_sql(self, compiler, connection, **extra):
        compiled = [compiler.compile(expression) for expression in self.source_expressions]
        text, params = compiled[0]
        flag = "'null'"
        if len(compiled) > 1:
            condition, condition_params = compiled[1]
            flag = f"CASE WHEN {condition} THEN 'true' ELSE 'false' END"
            params = (*params, *condition_params)
        if connection.vendor == "sqlite":
            return f"json_object('text', {text}, 'in_segment', json({flag}))", params
        head, middle = """'{"text": '""", """', "in_segment": '"""
        return f"({head} || to_json({text})::text || {middle} || {flag} || '}}')", params


def _text_rows(group: Respondents, question_id: int) -> QuerySet[Answer]:
    # One row per respondent, in submission order: (question, choice, response) is the
    # order of the answer index, so the rows need no sort (a text row has no choice), and
    # a server-side cursor, which PostgreSQL plans for its first rows, does not walk the
    # (response, …) index instead. On SQLite the texts' own index, in the same order,
    # holds the texts too, so the table is not read at all (migration surveys.0009).
    return (
        group.answers([question_id])
        .filter(text__nonempty=True)
        .order_by("question_id", "choice_id", "response_id")
    )


def text_answers(
    group: Respondents, question_id: int, segment: tuple[int, int] | None
) -> Iterator[tuple[str, bool | None]]:
    """A text question's answers in submission order, each with whether it is the segment's."""
    in_segment = (
        Value(None, output_field=BooleanField())
        if segment is None
        else ExpressionWrapper(_in_segment(segment), output_field=BooleanField())
    )
    yield from (
        _text_rows(group, question_id)
        .annotate(in_segment=in_segment)
        .values_list("text", "in_segment")
        .iterator(chunk_size=CHUNK)
    )


def text_answers_json(
    group: Respondents, question_id: int, segment: tuple[int, int] | None
) -> Iterator[list[str]]:
    """The same answers as JSON objects {"text", "in_segment"}, serialized by the database,
    in batches as they are fetched.

    A survey of a million responses has millions of open answers; the database writes
    their JSON faster than Python would, a server-side cursor streams them, and taking
    them a batch at a time straight from the cursor spares a Python call per answer.
    """
    item = TextAnswerJSON(F("text"), _in_segment(segment))
    rows = _text_rows(group, question_id).annotate(item=item).values_list("item", flat=True)
    sql, params = rows.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(CHUNK):
            yield [serialized for (serialized,) in batch]


@contextmanager
def reading_report():
    """On PostgreSQL, read a whole report in one transaction: one consistent snapshot,
    open answers streamed by a plain server-side cursor (outside a transaction Django
    declares it WITH HOLD, which computes every row first), and memory enough for the
    hash aggregates. SQLite reads need none of this, and its transactions take the
    write lock (`transaction_mode` IMMEDIATE), which would hold up the web form."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        yield
