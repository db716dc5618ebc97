"""A survey's responses as a table, written to CSV or XLSX.

One row per response, one column per question named as in the XLSForm (so an
export imports back as an XLSForm-named CSV). Choices are written as their names
or as their labels; a select_multiple is one cell (names space-separated, labels
joined with "; ") or one 1/0 column per choice (`question/choice`, as KoboToolbox
writes them). An answer that matches no choice is written as `other` in the
question's cell and verbatim in its `<question>_other` column. Archived questions
and choices are still exported: their answers were given. A respondent's text that a
spreadsheet would run as a formula is written as text (CSV: behind a leading ').

Rows are read in chunks of responses with their answers, so memory stays flat for
surveys of any size; the CSV is produced as it is read, for a streaming response.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import Answer, Question, Response
from .questionnaire.schema import ChoiceSpec, QuestionnaireSchema, QuestionSpec

CHUNK = 1000
OTHER_NAME = "other"
T = Question.Type

Cell = str | int | Decimal | dt.date | dt.datetime | None


@dataclass(frozen=True)
class ExportOptions:
    labels: bool = False  # choice labels instead of choice names
    choice_columns: bool = False  # select_multiple as one 1/0 column per choice
    language: str = "lv"  # of the labels


# A response's own columns, read as plain values (no model instances: exports are large).
META_FIELDS = ("pk", "submitted_at", "status", "source", "community__name", "invitation__label")
AnswerTuple = tuple[int | None, str, Decimal | None, dt.date | None, bool]


class Row:
    """One response: its META_FIELDS values and its answers by question id."""

    __slots__ = ("meta", "answers", "_chosen")

    def __init__(self, meta: tuple, answers: dict[int, list[AnswerTuple]]):
        self.meta = meta
        self.answers = answers
        self._chosen: dict[int, set[int | None]] = {}

    def chosen_ids(self, question_id: int) -> set[int | None]:
        """The choices of one question (None for an other answer), computed once per row."""
        found = self._chosen.get(question_id)
        if found is None:
            found = {answer[0] for answer in self.answers.get(question_id, ())}
            self._chosen[question_id] = found
        return found


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Row], Cell]


def _meta_columns() -> list[Column]:
    def submitted(row: Row) -> Cell:
        at = row.meta[1]
        return timezone.localtime(at).replace(tzinfo=None, microsecond=0) if at else None

    def field(index: int) -> Callable[[Row], Cell]:
        return lambda row: row.meta[index] or ""

    return [
        Column("_id", lambda row: row.meta[0]),
        Column("_submitted_at", submitted),
        Column("_status", field(2)),
        Column("_source", field(3)),
        Column("_community", field(4)),
        Column("_invitation", field(5)),
    ]


def _number(value: Decimal | None) -> Cell:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def _question_columns(
    question: QuestionSpec, options: ExportOptions, with_other: bool
) -> list[Column]:
    qid = question.id
    if not question.is_choice:

        def value(row: Row) -> Cell:
            answers = row.answers.get(qid)
            if not answers:
                return None
            _choice, text, number, date, _other = answers[0]
            if question.type in Question.NUMERIC_TYPES:
                return _number(number)
            if question.type == T.DATE:
                return date
            return text

        return [Column(question.name, value)]

    by_id = {choice.id: choice for choice in question.choices}

    def shown(choice: ChoiceSpec) -> str:
        return choice.label_text(options.language) if options.labels else choice.name

    other_shown = _("cits") if options.labels else OTHER_NAME
    separator = "; " if options.labels else " "

    def chosen(row: Row) -> list[str]:
        return [
            shown(by_id[choice_id]) if choice_id in by_id else other_shown
            for choice_id, *_rest in row.answers.get(qid, ())
        ]

    def other_text(row: Row) -> Cell:
        return "; ".join(
            text for _c, text, _n, _d, is_other in row.answers.get(qid, ()) if is_other
        )

    columns: list[Column]
    if question.type == T.SELECT_MULTIPLE and options.choice_columns:

        def flag(choice_id: int | None) -> Callable[[Row], Cell]:
            def value(row: Row) -> Cell:
                chosen = row.chosen_ids(qid)
                return int(choice_id in chosen) if chosen else None

            return value

        columns = [
            Column(f"{question.name}/{choice.name}", flag(choice.id)) for choice in question.choices
        ]
        if with_other:
            columns.append(Column(f"{question.name}/{OTHER_NAME}", flag(None)))
    else:
        columns = [Column(question.name, lambda row: separator.join(chosen(row)) or None)]
    if with_other:
        columns.append(Column(f"{question.name}_other", lambda row: other_text(row) or None))
    return columns


def export_columns(schema: QuestionnaireSchema, options: ExportOptions) -> list[Column]:
    """The export's columns: response details, then every question in the questionnaire."""
    # Other answers have no choice: found through the (question, choice) index.
    choice_questions = [question.id for question in schema.items if question.is_choice]
    with_other = set(
        Answer.objects.filter(question_id__in=choice_questions, choice__isnull=True)
        .values_list("question_id", flat=True)
        .distinct()
    )
    columns = _meta_columns()
    for question in schema.items:
        if question.is_answerable:
            columns += _question_columns(
                question, options, question.has_other or question.id in with_other
            )
    return columns


def export_rows(responses: QuerySet[Response]) -> Iterator[Row]:
    """Responses with their answers, read a chunk at a time in the queryset's order."""
    ids = list(responses.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk_ids = ids[start : start + CHUNK]
        meta = {
            values[0]: values
            for values in Response.objects.filter(pk__in=chunk_ids).values_list(*META_FIELDS)
        }
        answers: dict[int, dict[int, list]] = {pk: {} for pk in chunk_ids}
        for response_id, question_id, *value in (
            Answer.objects.filter(response_id__in=chunk_ids)
            .order_by("pk")
            .values_list(
                "response_id", "question_id", "choice_id", "text", "number", "date", "is_other"
            )
        ):
            answers[response_id].setdefault(question_id, []).append(tuple(value))
        for pk in chunk_ids:
            yield Row(meta[pk], answers[pk])


def table(
    schema: QuestionnaireSchema, responses: QuerySet[Response], options: ExportOptions
) -> Iterator[list[Cell]]:
    """The header row, then one row per response."""
    with override(options.language):
        columns = export_columns(schema, options)
    yield [column.header for column in columns]
    for row in export_rows(responses):
        yield [column.value(row) for column in columns]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, line: str) -> str:
        return line


# A spreadsheet program runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(cell: Cell) -> Any:
    if cell is None:
        return ""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        # A respondent's text must never run as a formula when staff open the file.
        return "'" + cell
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return cell


def csv_lines(rows: Iterator[list[Cell]]) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (so spreadsheet programs read Latvian letters), line by line."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    for row in rows:
        yield writer.writerow([_csv_cell(cell) for cell in row]).encode("utf-8")


def write_xlsx(rows: Iterator[list[Cell]], output: IO[bytes]) -> None:
    """An XLSX workbook with one sheet, written row by row (openpyxl's write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Atbildes"))

    def cell_of(value: Cell) -> Any:
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, str) and value.startswith("="):
            # openpyxl writes "=..." as a formula; a respondent's text stays text.
            text = WriteOnlyCell(sheet, value=value)
            text.data_type = "s"
            return text
        return value

    for row in rows:
        sheet.append([cell_of(value) for value in row])
    workbook.save(output)
