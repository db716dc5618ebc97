"""Turning one respondent's values into Answer rows, the same way for every source.

The web form and each import format first bring their input to plain values per
question name, then call `answer_values`: select answers as choice names (text
that matches no choice is kept verbatim as an "other" answer, never dropped),
numbers and dates parsed in Latvian or ISO notation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .schema import QuestionnaireSchema, QuestionSpec, QuestionType

T = QuestionType

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S")


@dataclass(frozen=True, slots=True)
class AnswerValue:
    """One Answer row before it is written."""

    question_id: int
    choice_id: int | None = None
    text: str = ""
    number: Decimal | None = None
    date: dt.date | None = None
    is_other: bool = False


class AnswerError(ValueError):
    """A value that cannot be an answer to its question; the message is for the respondent."""

    def __init__(self, question: str, message: str):
        super().__init__(message)
        self.question = question
        self.message = message


def is_blank(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, (list, tuple, set, frozenset)):
        return all(is_blank(item) for item in raw)
    return False


def parse_number(text: object) -> Decimal:
    """A number typed either way: 2,5 or 2.5, with spaces as thousands separators."""
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    cleaned = str(text).strip().replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(cleaned) from None
    if not number.is_finite():
        raise ValueError(cleaned)
    return number


def parse_date(raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    for date_format in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise ValueError(text)


def _choice_or_other(question: QuestionSpec, token: str) -> AnswerValue:
    choice = question.choice_by_name.get(token)
    if choice is None:
        return AnswerValue(question.id, text=token, is_other=True)
    number = Decimal(choice.name) if question.integer_choices else None
    return AnswerValue(question.id, choice_id=choice.id, number=number)


def answer_values(question: QuestionSpec, raw: object) -> list[AnswerValue]:
    """The Answer rows for one question's value; [] for a blank answer.

    select_one takes a choice name; select_multiple a list of choice names (a string
    is split on white space, the XLSForm convention). Raises AnswerError for a value
    that cannot be a number or a date.
    """
    if is_blank(raw) or not question.is_answerable:
        return []
    kind = question.type
    if kind == T.SELECT_ONE:
        return [_choice_or_other(question, str(raw).strip())]
    if kind == T.SELECT_MULTIPLE:
        tokens: Iterable[str] = raw.split() if isinstance(raw, str) else raw  # type: ignore[assignment]
        rows: list[AnswerValue] = []
        seen: set[str] = set()
        for token in tokens:
            token = str(token).strip()
            if token and token not in seen:
                seen.add(token)
                rows.append(_choice_or_other(question, token))
        return rows
    if kind in (T.INTEGER, T.DECIMAL, T.RANGE):
        try:
            number = parse_number(raw)
        except ValueError:
            raise AnswerError(question.name, _("Ievadiet skaitli.")) from None
        if kind == T.INTEGER and number != number.to_integral_value():
            raise AnswerError(question.name, _("Ievadiet veselu skaitli."))
        if kind == T.RANGE:
            _check_range(question, number)
        return [AnswerValue(question.id, number=number)]
    if kind == T.DATE:
        try:
            return [AnswerValue(question.id, date=parse_date(raw))]
        except ValueError:
            raise AnswerError(question.name, _("Ievadiet datumu formātā dd.mm.gggg.")) from None
    return [AnswerValue(question.id, text=str(raw).strip())]


def _check_range(question: QuestionSpec, number: Decimal) -> None:
    start = Decimal(str(question.parameters.get("start", 1)))
    end = Decimal(str(question.parameters.get("end", 10)))
    step = Decimal(str(question.parameters.get("step", 1)))
    low, high = min(start, end), max(start, end)
    if not low <= number <= high or (step and (number - start) % step != 0):
        raise AnswerError(
            question.name,
            _("Izvēlieties vērtību no %(low)s līdz %(high)s.") % {"low": low, "high": high},
        )


def response_answer_values(
    schema: QuestionnaireSchema, values: Mapping[str, object]
) -> tuple[list[AnswerValue], dict[str, str]]:
    """All Answer rows for one respondent's values by question name, and the errors by name.

    Names that are not questions of the questionnaire are ignored; the caller decides whether
    that is a problem (an import reports unmatched columns before it starts).
    """
    rows: list[AnswerValue] = []
    errors: dict[str, str] = {}
    for name, raw in values.items():
        question = schema.by_name.get(name)
        if question is None:
            continue
        try:
            rows.extend(answer_values(question, raw))
        except AnswerError as error:
            errors[name] = error.message
    return rows, errors
