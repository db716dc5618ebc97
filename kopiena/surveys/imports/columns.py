"""How a file's columns map to a survey's questions, and how one row becomes answers.

Every format (`xlsform_csv`, `google_forms`, `kobo`, `limesurvey`) is an
`ImportFormat` that only says what differs in its files: how a header names a
question, how a cell holds several choices, what its timestamps look like. The rest —
turning cells into {question name: value} with select answers as choice names, and
those values into Answer rows through `kopiena.surveys.questionnaire.answers` — is shared here,
so that every format treats an answer the same way as the web form does.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from ..questionnaire.answers import AnswerError, AnswerValue, answer_values, is_blank
from ..questionnaire.expressions import is_relevant, satisfies_constraint
from ..questionnaire.schema import (
    ChoiceSpec,
    QuestionnaireSchema,
    QuestionSpec,
    QuestionType,
    normalize_header,
    translated,
)
from .reading import Cell, column_letter

T = QuestionType

# Choice names that mean "the respondent typed an answer of their own" (XLSForm's
# `or_other` and the reference form's explicit "Cits" choice).
OTHER_CHOICE = "other"
OTHER_SUFFIX = "_other"
SELECTED = frozenset({"1", "1.0", "y", "yes", "true", "jā", "x"})
# How many distinct cell values per question are remembered: choice answers repeat
# across rows, so most rows reuse the Answer rows already built for the same value.
MEMO_LIMIT = 20_000


class Role:
    ANSWER = "answer"  # the question's whole answer
    FLAG = "flag"  # one choice of a select_multiple, selected or not (1/0, Y/empty)
    OTHER_TEXT = "other_text"  # the typed "other" answer of a choice question
    SUMMARY = "summary"  # a select_multiple summary that flag columns repeat
    TIMESTAMP = "timestamp"
    EXTERNAL_ID = "external_id"
    SYSTEM = "system"  # the tool's own bookkeeping, not an answer
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    role: str
    question: QuestionSpec | None = None
    choice: ChoiceSpec | None = None

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    def as_dict(self) -> dict:
        return {
            "column": self.letter,
            "header": self.header,
            "role": self.role,
            "question": self.question.name if self.question else "",
            "question_label": self.question.label_text() if self.question else "",
            "choice": self.choice.name if self.choice else "",
        }


@dataclass(frozen=True)
class Problem:
    """Something that stops a row from being imported, located as a spreadsheet shows it."""

    row: int | None
    column: str | None
    header: str
    message: str

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = []
        if self.row:
            where.append(_("rinda %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("kolonna %(column)s") % {"column": self.column})
        if self.header:
            where.append(f"„{self.header}”")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ParsedRow:
    number: int
    values: dict[str, object]
    answers: list[AnswerValue]
    submitted_at: dt.datetime | None = None
    external_id: str = ""
    problems: list[Problem] = field(default_factory=list)
    fingerprint: str = ""


def plain(text: str) -> str:
    """Letters and digits only, case-folded: LimeSurvey codes drop the underscores of names."""
    return re.sub(r"[\W_]+", "", normalize_header(text))


class Vocabulary:
    """Look-ups from the words a file may use to a survey's questions and choices, built once."""

    def __init__(self, schema: QuestionnaireSchema):
        self.schema = schema
        self.by_name: dict[str, QuestionSpec] = {}
        self.by_plain_name: dict[str, QuestionSpec] = {}
        for question in schema.questions:
            self.by_name.setdefault(normalize_header(question.name), question)
            self.by_plain_name.setdefault(plain(question.name), question)
        self.by_label = schema.by_label
        self._choice_words: dict[int, dict[str, str]] = {}
        # Look-ups a format derives from the vocabulary once per file (see kobo, google_forms).
        self.derived: dict[object, object] = {}

    def question(self, header: str, *, labels: bool = True) -> QuestionSpec | None:
        key = normalize_header(header)
        found = self.by_name.get(key)
        if found is None and labels:
            found = self.by_label.get(key)
        return found

    def choice_words(self, question: QuestionSpec) -> dict[str, str]:
        """Every spelling of each choice (name, label in any language, letters only) → name."""
        words = self._choice_words.get(question.id)
        if words is None:
            words = {}
            for choice in question.choices:
                words.setdefault(choice.name, choice.name)
            for choice in question.choices:
                words.setdefault(normalize_header(choice.name), choice.name)
                for text in choice.label.values():
                    if text:
                        words.setdefault(normalize_header(text), choice.name)
            for choice in question.choices:
                words.setdefault(plain(choice.name), choice.name)
            self._choice_words[question.id] = words
        return words

    def choice_name(self, question: QuestionSpec, token: str) -> str | None:
        words = self.choice_words(question)
        return words.get(token) or words.get(normalize_header(token)) or words.get(plain(token))

    def choice(self, question: QuestionSpec, token: str) -> ChoiceSpec | None:
        name = self.choice_name(question, token)
        return question.choice_by_name.get(name) if name else None

    def companion(self, question: QuestionSpec) -> QuestionSpec | None:
        """The text question holding a choice question's typed "other" answer, if any."""
        if OTHER_CHOICE not in question.choice_by_name:
            return None
        companion = self.schema.by_name.get(question.name + OTHER_SUFFIX)
        return companion if companion and companion.type == T.TEXT else None


class ImportFormat:
    """What one tool's exports look like. Subclasses override only what differs."""

    name = ""
    label = ""
    # Headers (normalized) that are the tool's bookkeeping.
    timestamp_headers: frozenset[str] = frozenset()
    external_id_headers: frozenset[str] = frozenset()
    system_headers: frozenset[str] = frozenset()
    # Time zone of timestamps written without one: the exporting machine's, taken as ours.
    naive_timestamps_in_utc = False

    def detect(self, headers: list[str]) -> int:
        """How surely these headers come from this tool: 0 = not at all."""
        return 0

    def match(self, index: int, header: str, vocabulary: Vocabulary) -> Column:
        key = normalize_header(header)
        if key in self.timestamp_headers:
            return Column(index, header, Role.TIMESTAMP)
        if key in self.external_id_headers:
            return Column(index, header, Role.EXTERNAL_ID)
        question = self.match_question(header, vocabulary)
        if question is not None:
            return Column(index, header, Role.ANSWER, question)
        if key in self.system_headers:
            return Column(index, header, Role.SYSTEM)
        return Column(index, header, Role.UNKNOWN)

    def match_question(self, header: str, vocabulary: Vocabulary) -> QuestionSpec | None:
        return vocabulary.question(header)

    def split_multiple(
        self, question: QuestionSpec, text: str, vocabulary: Vocabulary
    ) -> list[str]:
        """A select_multiple cell's parts; by default XLSForm's space-separated names."""
        return text.split()

    def parse_timestamp(self, cell: Cell) -> dt.datetime:
        return parse_timestamp(cell, utc=self.naive_timestamps_in_utc)


TIMESTAMP_FORMATS = (
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %I:%M:%S %p",
)
_TIME_ZONE_SUFFIX = re.compile(r"\s+(?!(?:AM|PM)$)(?:[A-Z]{2,5}|GMT[+-]\d{1,2}(?::\d{2})?)$")


def parse_timestamp(cell: Cell, *, utc: bool = False) -> dt.datetime:
    """A submission time as spreadsheets in any locale write it; raises ValueError.

    Day-first dotted dates (Latvian: 24.11.2026 14:03:05), ISO 8601, and US
    month-first slashed dates (Google Sheets' default), day-first where the month
    cannot be first.
    """
    if isinstance(cell, dt.datetime):
        moment = cell
    elif isinstance(cell, dt.date):
        moment = dt.datetime.combine(cell, dt.time())
    elif (dotted := _DOTTED.match(cell)) is not None:
        # The Latvian spreadsheet's form, on every row of a large file: no clean-up first.
        moment = _dotted(dotted)
    else:
        text = _TIME_ZONE_SUFFIX.sub("", " ".join(str(cell).split()))
        moment = _parse_timestamp_text(text)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC if utc else timezone.get_default_timezone())
    return moment


def _dotted(match: re.Match) -> dt.datetime:
    day, month, year, hour, minute, second = (int(part or 0) for part in match.groups())
    return dt.datetime(year, month, day, hour, minute, second)


_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def _parse_timestamp_text(text: str) -> dt.datetime:
    dotted = _DOTTED.match(text)
    if dotted:  # the Latvian form with extra spaces or a time zone: no strptime either
        return _dotted(dotted)
    try:
        return dt.datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        pass
    for timestamp_format in TIMESTAMP_FORMATS:
        try:
            return dt.datetime.strptime(text, timestamp_format)
        except ValueError:
            continue
    raise ValueError(text)


class Plan:
    """One file's column → question mapping, and the conversion of its rows."""

    def __init__(
        self, import_format: ImportFormat, headers: list[str], schema: QuestionnaireSchema
    ):
        self.format = import_format
        self.schema = schema
        self.vocabulary = Vocabulary(schema)
        columns = [
            import_format.match(index, header, self.vocabulary)
            for index, header in enumerate(headers)
        ]
        flagged = {column.question.name for column in columns if column.role == Role.FLAG}
        self.columns = [
            Column(column.index, column.header, Role.SUMMARY, column.question)
            if column.role == Role.ANSWER and column.question.name in flagged
            else column
            for column in columns
        ]
        self._memo: dict[tuple[int, object], list[AnswerValue] | AnswerError] = {}

    @cached_property
    def answer_columns(self) -> list[Column]:
        return [
            column
            for column in self.columns
            if column.role in (Role.ANSWER, Role.FLAG, Role.OTHER_TEXT)
        ]

    @cached_property
    def matched_questions(self) -> list[QuestionSpec]:
        seen: dict[str, QuestionSpec] = {}
        for column in self.answer_columns:
            seen.setdefault(column.question.name, column.question)
        return list(seen.values())

    @cached_property
    def _companions(self) -> list[tuple[QuestionSpec, QuestionSpec]]:
        pairs = []
        for question in self.matched_questions:
            companion = self.vocabulary.companion(question) if question.is_choice else None
            if companion is not None:
                pairs.append((question, companion))
        return pairs

    @cached_property
    def column_of(self) -> dict[str, Column]:
        """The first column holding each question, for locating its problems."""
        found: dict[str, Column] = {}
        for column in self.answer_columns:
            found.setdefault(column.question.name, column)
        return found

    @cached_property
    def _timestamp_column(self) -> Column | None:
        return next((c for c in self.columns if c.role == Role.TIMESTAMP), None)

    @cached_property
    def _external_id_column(self) -> Column | None:
        return next((c for c in self.columns if c.role == Role.EXTERNAL_ID), None)

    @cached_property
    def _readers(self) -> list[tuple[int, str, QuestionSpec, Column, dict | None]]:
        """Per answer column: index, role, question, column, and the cell memo of a choice."""
        return [
            (
                column.index,
                column.role,
                column.question,
                column,
                {} if column.role == Role.ANSWER and column.question.is_choice else None,
            )
            for column in self.answer_columns
        ]

    def read_row(self, number: int, cells: list[Cell], *, strict: bool = False) -> ParsedRow:
        width = len(cells)
        values: dict[str, object] = {}
        others: dict[str, list[str]] = {}
        for index, role, question, column, memo in self._readers:
            cell = cells[index] if index < width else ""
            if not cell or (cell.__class__ is str and cell.isspace()):  # is_blank, inlined
                continue
            if memo is not None:  # a choice question's whole answer: values repeat
                value = memo.get(cell)
                if value is None:
                    value = self._choice_value(question, cell)
                    if len(memo) < MEMO_LIMIT:
                        memo[cell] = value
                values[question.name] = value
            elif role == Role.ANSWER:
                if isinstance(cell, dt.datetime) and question.type != T.DATE:
                    cell = cell.isoformat(sep=" ")
                values[question.name] = cell
            elif role == Role.FLAG:
                if str(cell).strip().casefold() in SELECTED:
                    values.setdefault(question.name, []).append(column.choice.name)
            else:  # Role.OTHER_TEXT
                others.setdefault(question.name, []).append(str(cell).strip())
        for name, texts in others.items():
            self._add_other(self.schema.by_name[name], values, texts)
        if self._companions:
            self._route_other(values)
        row = ParsedRow(number, values, [])
        self._read_meta(row, cells)
        self._answers(row, strict)
        return row

    def _choice_value(self, question: QuestionSpec, cell: Cell) -> object:
        if question.type == T.SELECT_ONE:
            text = str(cell).strip()
            return self.vocabulary.choice_name(question, text) or text
        if question.type == T.SELECT_MULTIPLE:
            parts = self.format.split_multiple(question, str(cell).strip(), self.vocabulary)
            return [self.vocabulary.choice_name(question, part) or part for part in parts]
        return str(cell).strip()

    def _add_other(
        self, question: QuestionSpec, values: dict[str, object], texts: list[str]
    ) -> None:
        """A typed "other" text from its own column joins the question's answer."""
        if question.type == T.SELECT_MULTIPLE:
            # A new list: values may be shared with the memo of earlier rows.
            values[question.name] = [*values.get(question.name, []), *texts]  # type: ignore[misc]
        elif is_blank(values.get(question.name)) or values.get(question.name) in (
            "-oth-",
            OTHER_CHOICE,
        ):
            values[question.name] = " ".join(texts)

    def _route_other(self, values: dict[str, object]) -> None:
        """Text that matches no choice becomes the question's own "other" answer where it has one.

        A questionnaire built with XLSForm's "other" choice keeps the typed text in a companion
        `<name>_other` question; an export that writes the text inline (Google Forms,
        LimeSurvey's [other] column) is brought to that shape, so both imports of the
        same answers count alike. Without a companion the text stays an "other" answer
        of the question itself, verbatim.
        """
        for question, companion in self._companions:
            if question.name not in values or not is_blank(values.get(companion.name)):
                continue
            value = values[question.name]
            parts = value if isinstance(value, list) else [value]
            typed = [part for part in parts if part not in question.choice_by_name]
            if not typed:
                continue
            kept = [part for part in parts if part in question.choice_by_name]
            if OTHER_CHOICE not in kept:
                kept.append(OTHER_CHOICE)
            values[question.name] = kept if isinstance(value, list) else OTHER_CHOICE
            # LimeSurvey writes "-oth-" for "other" chosen with the text left empty.
            text = ", ".join(str(part) for part in typed if part != "-oth-")
            if text:
                values[companion.name] = text

    def _read_meta(self, row: ParsedRow, cells: list[Cell]) -> None:
        column = self._timestamp_column
        if column is not None and column.index < len(cells) and not is_blank(cells[column.index]):
            try:
                row.submitted_at = self.format.parse_timestamp(cells[column.index])
            except ValueError:
                row.problems.append(
                    Problem(
                        row.number,
                        column.letter,
                        column.header,
                        _("Laiku „%(value)s” nevar nolasīt.") % {"value": cells[column.index]},
                    )
                )
        column = self._external_id_column
        if column is not None and column.index < len(cells):
            row.external_id = str(cells[column.index]).strip()[:200]

    @cached_property
    def _choice_names(self) -> frozenset[str]:
        return frozenset(question.name for question in self.schema.questions if question.is_choice)

    def _answers(self, row: ParsedRow, strict: bool) -> None:
        by_name, choice_names, memo = self.schema.by_name, self._choice_names, self._memo
        answers = row.answers
        for name, raw in row.values.items():
            question = by_name[name]
            if name in choice_names:
                # Choice answers repeat across rows: their Answer values are remembered.
                key = (question.id, tuple(raw) if raw.__class__ is list else raw)
                found = memo.get(key)
                if found is None:
                    try:
                        found = answer_values(question, raw)
                    except AnswerError as error:
                        found = error
                    if len(memo) < MEMO_LIMIT:
                        memo[key] = found
                if found.__class__ is list:
                    answers.extend(found)
                else:
                    self._problem(row, question, found.message, raw)
                continue
            try:
                answers.extend(answer_values(question, raw))
            except AnswerError as error:
                self._problem(row, question, error.message, raw)
        if strict:
            self._check_strictly(row)

    def _check_strictly(self, row: ParsedRow) -> None:
        """Strict mode: a file must satisfy the form's required answers and constraints."""
        values = row.values
        for question in self.matched_questions:
            raw = values.get(question.name)
            if not is_relevant(question.relevant, values):
                continue
            if is_blank(raw):
                if question.required:
                    message = translated(question.required_message) or _("Atbilde ir obligāta.")
                    self._problem(row, question, message, "")
                continue
            if not satisfies_constraint(question.constraint, values, raw):
                message = translated(question.constraint_message) or _(
                    "Vērtība neatbilst nosacījumam %(constraint)s."
                ) % {"constraint": question.constraint}
                self._problem(row, question, message, raw)

    def _problem(self, row: ParsedRow, question: QuestionSpec, message: str, raw: object) -> None:
        column = self.column_of[question.name]
        shown = " ".join(raw) if isinstance(raw, list) else str(raw)
        if shown:
            message = f"{message} ({_('vērtība')}: „{shown[:80]}”)"
        row.problems.append(Problem(row.number, column.letter, column.header, message))
