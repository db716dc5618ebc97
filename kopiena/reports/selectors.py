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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
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
from kopiena.surveys.questionnaire.schema import QuestionnaireSchema
from kopiena.surveys.selectors import answer_bitsets_from_answers

from .tally import Bitsets

# Rows a fetch of open answers takes: 10,000 raised the JSON report's peak by 45 MB
# with three connections reading (bench/RESULTS.md), at no gain in time.
CHUNK = 2_000
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


def answer_bitsets(group: Respondents, schema: QuestionnaireSchema) -> Bitsets:
    """The group's submitted responses as answer bitsets (surveys/answer_bits.py), read in
    one pass over the response table; the segment is left to the caller's mask.

    The layout is read after the bitsets: every bitset read was encoded with a layout at
    most that long, so the positions this report adds for questions no stored response
    has answered yet are zeros in all of them. Responses without a stored bitset (written
    before bitsets existed) are encoded here from their answers.
    """
    responses = group.responses if group.responses is not None else report_responses(group.survey)
    read = _postgresql_bitsets if connection.vendor == "postgresql" else _bitsets
    blocks, unencoded = read(responses.order_by())
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


def _bitsets(responses: QuerySet[Response]) -> tuple[list[np.ndarray], list[int]]:
    """The responses' bitsets as matrices, and the ids of those without one."""
    # The id only where there is no bitset: a million ids would double what is read.
    unencoded_id = Case(When(answer_bits__isnull=True, then="id"))
    sql, params = (
        responses.annotate(unencoded_id=unencoded_id)
        .values_list("answer_bits", "unencoded_id")
        .query.sql_with_params()
    )
    blocks: list[np.ndarray] = []
    unencoded: list[int] = []
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(BITSET_CHUNK):
            chunk = [bits for bits, _id in rows if bits is not None]
            if len(chunk) < len(rows):
                unencoded.extend(response_id for bits, response_id in rows if bits is None)
            blocks.append(_matrix(chunk))
    return blocks, unencoded


def _postgresql_bitsets(responses: QuerySet[Response]) -> tuple[list[np.ndarray], list[int]]:
    """As `_bitsets`, with the database joining the bitsets of each run of ids by their
    length into one value: a million responses come as a few dozen rows, not a million
    Python objects (1.5 s → 0.8 s). Through a server-side cursor in reading_report's
    transaction, one joined value at a time."""
    sql, params = responses.values_list("id", "answer_bits").query.sql_with_params()
    query = (
        "SELECT octet_length(answer_bits), count(*), string_agg(answer_bits, ''::bytea), "  # noqa: S608 (compiled by Django, values in params)
        f"array_agg(id) FILTER (WHERE answer_bits IS NULL) FROM ({sql}) AS response "
        f"GROUP BY 1, id / {BITSET_CHUNK}"
    )
    blocks: list[np.ndarray] = []
    unencoded: list[int] = []
    with connection.chunked_cursor() as cursor:
        cursor.execute(query, params)
        while rows := cursor.fetchmany(1):
            width, count, joined, ids = rows[0]
            if width is None:
                unencoded.extend(ids)
            elif width == 0:  # answered nothing: still a respondent
                blocks.append(np.zeros((count, 1), dtype=np.uint8))
            else:
                blocks.append(np.frombuffer(joined, dtype=np.uint8).reshape(count, width))
    return blocks, unencoded


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


class SQLiteTextAnswerJSON(Func):
    """On SQLite, a text answer as the JSON object {"text": …, "in_segment": …}: true or
    false when a segment's condition is given, else null. Its CASE gives a JSON boolean
    where a bare condition is 1/0."""

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
        return f"json_object('text', {text}, 'in_segment', json({flag}))", params


def _text_rows(group: Respondents, question_id: int) -> QuerySet[Answer]:
    # SQLite: one row per respondent, in submission order: (question, choice, response) is
    # the order of the texts' own index, which holds the texts too, so the table is not
    # read at all (migration surveys.0009; a text row has no choice).
    return (
        group.answers([question_id])
        .filter(text__nonempty=True)
        .order_by("question_id", "choice_id", "response_id")
    )


def _sqlite_text_sql(
    group: Respondents, question_id: int, segment: tuple[int, int] | None, as_json: bool
) -> tuple[str, tuple]:
    rows = _text_rows(group, question_id)
    if as_json:
        item = SQLiteTextAnswerJSON(F("text"), _in_segment(segment))
        rows = rows.annotate(item=item).values_list("item")
    else:
        in_segment = (
            Value(None, output_field=BooleanField())
            if segment is None
            else ExpressionWrapper(_in_segment(segment), output_field=BooleanField())
        )
        rows = rows.annotate(in_segment=in_segment).values_list("text", "in_segment")
    return rows.query.sql_with_params()


def _postgresql_text_sql(
    group: Respondents, question_id: int, segment: tuple[int, int] | None, as_json: bool
) -> tuple[str, tuple]:
    """PostgreSQL: the texts' index (migration surveys.0010) gives the texts of up to 2,000
    bytes in response order, without reading the table; the few longer ones come through
    their own index and are merged in (a Merge Append: each branch is a subquery with its
    own ORDER BY and OFFSET 0, since PostgreSQL merges only UNION ALL branches without a
    WHERE of their own). The segment is a merge join on the response with the choosers,
    who are in response order in the (question, choice, response) index: a hashed
    `IN (…)` checked for each of a million answers took 0.55 s more.

    The database writes the JSON: to_json(text) inside a concatenation, half the time of
    building and printing a jsonb object."""
    branches, params = [], []
    for index, condition in enumerate(("indexed", "long")):
        rows = (
            group.answers([question_id])
            .filter(choice__isnull=True, **{f"text__{condition}": True})
            .order_by("response_id")
            .values_list("response_id", "text")
        )
        sql, branch_params = rows.query.sql_with_params()
        # Compiled by Django, values in `params`.
        branches.append(f"SELECT * FROM ({sql} OFFSET 0) AS branch{index}")  # noqa: S608
        params.extend(branch_params)
    in_segment, join = "NULL::boolean", ""
    if segment is not None:
        sql, segment_params = (
            choosers(*segment).order_by("response_id").distinct().query.sql_with_params()
        )
        join = f" LEFT JOIN ({sql}) AS segment ON segment.response_id = answer.response_id"
        in_segment = "segment.response_id IS NOT NULL"
        params.extend(segment_params)
    columns = f"answer.text, {in_segment}"
    if as_json:
        columns = (
            """'{"text": ' || to_json(answer.text)::text || ', "in_segment": ' || """
            f"coalesce(({in_segment})::text, 'null') || '}}'"
        )
    union = " UNION ALL ".join(branches)
    # Every part compiled by Django with its values in `params`, or literal.
    query = f"SELECT {columns} FROM ({union}) AS answer{join} ORDER BY answer.response_id"  # noqa: S608
    return query, params


def _text_sql(
    group: Respondents, question_id: int, segment: tuple[int, int] | None, as_json: bool
) -> tuple[str, tuple]:
    """A text question's non-empty answers in submission order, one row per respondent:
    (text, in segment) or the answer's JSON object. In segment is true or false with a
    segment, else null."""
    if connection.vendor == "postgresql":
        return _postgresql_text_sql(group, question_id, segment, as_json)
    return _sqlite_text_sql(group, question_id, segment, as_json)


def text_answers(
    group: Respondents, question_id: int, segment: tuple[int, int] | None
) -> Iterator[tuple[str, bool | None]]:
    """A text question's answers in submission order, each with whether it is the segment's."""
    sql, params = _text_sql(group, question_id, segment, as_json=False)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(CHUNK):
            yield from batch


def text_answers_json(
    group: Respondents, question_id: int, segment: tuple[int, int] | None, separator: str
) -> Iterator[bytes]:
    """The same answers as JSON objects {"text", "in_segment"}, serialized by the database:
    the yielded bytes, put together, are the objects joined by `separator`.

    A survey of a million responses has millions of open answers; the database writes
    their JSON faster than Python would, a server-side cursor streams them, and taking
    them a batch at a time straight from the cursor spares a Python call per answer.
    """
    sql, params = _text_sql(group, question_id, segment, as_json=True)
    joiner = separator.encode()
    lead = b""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(CHUNK):
            items = [serialized for (serialized,) in batch]
            if isinstance(items[0], bytes):  # read in `reading_shared_snapshot`
                yield lead + joiner.join(items)
            else:
                yield lead + separator.join(items).encode()
            lead = joiner


@dataclass
class _Reading:
    """A report being read inside `reading_report`."""

    # Whether other connections may read in this one's snapshot: only when reading_report
    # opened the transaction itself, as REPEATABLE READ.
    shareable: bool
    cleanups: list[Callable[[], None]] = field(default_factory=list)


_reading: ContextVar[_Reading | None] = ContextVar("report_reading", default=None)


def _report_session(cursor) -> None:
    # Memory enough for the hash aggregates: with accurate estimates a large segment's
    # hash exceeded the default work_mem and PostgreSQL fell back to a nested scan.
    cursor.execute("SET LOCAL work_mem = '256MB'")


@contextmanager
def reading_report():
    """On PostgreSQL, read a whole report in one transaction: one consistent snapshot
    (REPEATABLE READ, which other connections can share: prefetch.py), open answers
    streamed by a plain server-side cursor (outside a transaction Django declares it WITH
    HOLD, which computes every row first), and memory enough for the hash aggregates.
    Inside a transaction already open (publishing, a test) its snapshot rules, and
    nothing is shared. SQLite reads need none of this, and its transactions take the
    write lock (`transaction_mode` IMMEDIATE), which would hold up the web form."""
    if connection.vendor != "postgresql":
        yield
        return
    reading = _Reading(shareable=not connection.in_atomic_block)
    token = _reading.set(reading)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if reading.shareable:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            _report_session(cursor)
            try:
                yield
            finally:
                for cleanup in reading.cleanups:
                    cleanup()
    finally:
        _reading.reset(token)


def shared_snapshot(cleanup: Callable[[], None]) -> str | None:
    """The report's snapshot for other connections to read in (pg_export_snapshot), or
    None where there is none to share. `cleanup` runs before the report's transaction
    ends, while the snapshot is still valid."""
    reading = _reading.get()
    if reading is None or not reading.shareable:
        return None
    reading.cleanups.append(cleanup)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        return cursor.fetchone()[0]


@contextmanager
def reading_shared_snapshot(snapshot: str):
    """This thread's connection reads open answers in the report's snapshot
    (`shared_snapshot`), as the UTF-8 bytes the database holds: decoding them into str
    only for text_answers_json to encode them again took about 3 ns a byte, most of a
    reading thread's own time. With client_encoding SQL_ASCII the server sends text as it
    is stored and psycopg returns bytes; only where the database is UTF-8 (else str). The
    queries sent must then be ASCII, as those of text answers are (ids, dates, literals)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
        _report_session(cursor)
        if connection.connection.info.parameter_status("server_encoding") == "UTF8":
            cursor.execute("SET LOCAL client_encoding TO 'SQL_ASCII'")
        yield
