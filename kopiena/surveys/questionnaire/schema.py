"""What a question and a choice are, declared once, and a survey's questionnaire in memory.

`QuestionShape` and `ChoiceShape` hold what a questionnaire says about a question and a
choice, in XLSForm's terms and under XLSForm's names. Everything else derives from them:

- the models store these fields as columns of the same names (`models.Question`,
  `models.Choice`; `QUESTION_FIELDS` and `CHOICE_FIELDS` copy them across), and take
  their types and lengths from here;
- the XLSForm reader makes them from a file's rows and the writer writes them back
  (`xlsform.XLSFormQuestion` adds the row and the names of its list and its group);
- the builder sets them (`services.questions.QuestionData` adds its section and list);
- `QuestionSpec` and `ChoiceSpec` are them as stored, with their ids, the question's
  position, section and choices: what the web form, the imports, the exports and the
  report read, in a `QuestionnaireSchema` read once per survey (`selectors.survey_schema`)
  with the look-ups they all need (by name, by label).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields
from enum import StrEnum
from functools import cached_property
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Field lengths: the models' columns and the XLSForm reader's limits.
NAME_MAX_LENGTH = 100  # a question's or a choice list's name
CHOICE_NAME_MAX_LENGTH = 200
APPEARANCE_MAX_LENGTH = 100
SETTING_MAX_LENGTH = 100  # form_id and version
LANGUAGE_CODE_MAX_LENGTH = 16


def translated(texts: dict[str, str] | None, language: str | None = None, fallback: str = "lv"):
    """The text of a language-keyed dict in the active language, else the fallback, else any.

    Text that varies by language (labels, hints, messages, titles) is a dict keyed by
    language code, for example {"lv": "Pašvaldība", "en": "Municipality"}.
    """
    if not texts:
        return ""
    language = (language or get_language() or fallback).split("-")[0]
    for code in (language, fallback):
        if texts.get(code):
            return texts[code]
    return next((value for value in texts.values() if value), "")


def texts(**by_language: str) -> dict[str, str]:
    """A language-keyed dict without the empty languages: texts(lv="Jā", en="") == {"lv": "Jā"}."""
    return {code: text.strip() for code, text in by_language.items() if text and text.strip()}


def normalize_header(text: str) -> str:
    """Compare headers and labels ignoring case, surrounding and non-breaking spaces."""
    text = unicodedata.normalize("NFC", str(text)).replace("\xa0", " ").replace("\u202f", " ")
    return " ".join(text.split()).casefold()


class QuestionType(StrEnum):
    """The kinds of question Kopiena asks: XLSForm's names for them."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    RANGE = "range"
    NOTE = "note"
    GROUP = "group"

    @property
    def label(self) -> str:
        return TYPE_LABELS[self]


TYPE_LABELS = {
    QuestionType.TEXT: _("teksts"),
    QuestionType.INTEGER: _("vesels skaitlis"),
    QuestionType.DECIMAL: _("decimālskaitlis"),
    QuestionType.DATE: _("datums"),
    QuestionType.SELECT_ONE: _("viena izvēle"),
    QuestionType.SELECT_MULTIPLE: _("vairākas izvēles"),
    QuestionType.RANGE: _("vērtējuma skala"),
    QuestionType.NOTE: _("piezīme"),
    QuestionType.GROUP: _("sadaļa"),
}
TYPE_CHOICES = [(kind.value, kind.label) for kind in QuestionType]
QUESTION_TYPES = frozenset(kind.value for kind in QuestionType)
CHOICE_TYPES = (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE)
NUMERIC_TYPES = (QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.RANGE)
# Every type but a note and a section (group).
ANSWERABLE_TYPES = tuple(
    kind for kind in QuestionType if kind not in (QuestionType.NOTE, QuestionType.GROUP)
)


@dataclass(frozen=True, kw_only=True)
class ChoiceShape:
    """One choice of a choice list."""

    name: str
    label: dict[str, str] = field(default_factory=dict)
    # Other columns of XLSForm's choices sheet (filters, media), kept for a lossless export.
    extra: dict[str, str] = field(default_factory=dict)

    def label_text(self, language: str | None = None) -> str:
        return translated(self.label, language) or self.name


@dataclass(frozen=True, kw_only=True)
class QuestionShape:
    """One row of a questionnaire: a question, a note or a section (XLSForm's group)."""

    name: str
    type: str
    label: dict[str, str] = field(default_factory=dict)
    hint: dict[str, str] = field(default_factory=dict)
    required: bool = False
    required_message: dict[str, str] = field(default_factory=dict)
    # XPath expressions as in XLSForm; evaluated by `expressions`.
    relevant: str = ""
    constraint: str = ""
    constraint_message: dict[str, str] = field(default_factory=dict)
    appearance: str = ""
    # XLSForm `or_other`: the respondent may type an answer that is not in the list.
    has_other: bool = False
    # Type parameters, e.g. {"start": 0, "end": 5, "step": 1} for a range.
    parameters: dict[str, Any] = field(default_factory=dict)
    # Other columns of XLSForm's survey sheet, kept for a lossless export.
    extra: dict[str, str] = field(default_factory=dict)

    def label_text(self, language: str | None = None) -> str:
        return translated(self.label, language) or self.name

    @property
    def is_answerable(self) -> bool:
        return self.type in ANSWERABLE_TYPES

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES


QUESTION_FIELDS = tuple(each.name for each in fields(QuestionShape))
CHOICE_FIELDS = tuple(each.name for each in fields(ChoiceShape))


@dataclass(frozen=True, kw_only=True)
class ChoiceSpec(ChoiceShape):
    """A choice as stored."""

    id: int
    # Archived choices keep the answers already given but are no longer offered.
    is_archived: bool = False


@dataclass(frozen=True, kw_only=True)
class QuestionSpec(QuestionShape):
    """A question as stored: where it stands in the questionnaire, and its choices."""

    id: int
    position: int
    group_id: int | None = None
    # Archived questions keep the answers already given but are no longer asked.
    is_archived: bool = False
    choices: tuple[ChoiceSpec, ...] = ()

    @cached_property
    def choice_by_name(self) -> dict[str, ChoiceSpec]:
        return {choice.name: choice for choice in self.choices}

    @cached_property
    def integer_choices(self) -> bool:
        """A select_one whose choice names are all integers is a rating: it has a mean."""
        if self.type != QuestionType.SELECT_ONE or not self.choices:
            return False
        return all(_is_integer(choice.name) for choice in self.choices)


def _is_integer(text: str) -> bool:
    return text.lstrip("-").isdigit()


@dataclass(frozen=True)
class QuestionnaireSchema:
    """A survey's questionnaire, read once and shared: the web form, every import format
    and the report walk its questions many times per request or per file."""

    survey_id: int
    slug: str
    default_language: str
    min_group_size: int
    items: tuple[QuestionSpec, ...]

    @cached_property
    def by_name(self) -> dict[str, QuestionSpec]:
        return {item.name: item for item in self.items}

    @cached_property
    def by_id(self) -> dict[int, QuestionSpec]:
        return {item.id: item for item in self.items}

    @cached_property
    def questions(self) -> tuple[QuestionSpec, ...]:
        """Questions that take an answer and are still asked, in the questionnaire's order."""
        return tuple(item for item in self.items if item.is_answerable and not item.is_archived)

    @cached_property
    def by_label(self) -> dict[str, QuestionSpec]:
        """Questions by their label in any language, normalized (Google Forms headers)."""
        found: dict[str, QuestionSpec] = {}
        for question in self.questions:
            for text in question.label.values():
                if text:
                    found.setdefault(normalize_header(text), question)
        return found
