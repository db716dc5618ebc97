"""An in-memory view of a survey's questionnaire, read once and shared.

The web form, every import format and the report walk a survey's questions many
times per request or per file; `form_schema` reads them in two queries and gives
plain, immutable objects with the look-ups they all need (by name, by label).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from ..models import Choice, Question, Survey, translated


def normalize_header(text: str) -> str:
    """Compare headers and labels ignoring case, surrounding and non-breaking spaces."""
    text = unicodedata.normalize("NFC", str(text)).replace("\xa0", " ").replace("\u202f", " ")
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class ChoiceSpec:
    id: int
    name: str
    label: dict[str, str]
    is_archived: bool = False

    def label_text(self, language: str | None = None) -> str:
        return translated(self.label, language) or self.name


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    name: str
    type: str
    position: int
    label: dict[str, str]
    hint: dict[str, str] = field(default_factory=dict)
    required: bool = False
    required_message: dict[str, str] = field(default_factory=dict)
    relevant: str = ""
    constraint: str = ""
    constraint_message: dict[str, str] = field(default_factory=dict)
    appearance: str = ""
    has_other: bool = False
    parameters: dict = field(default_factory=dict)
    group_id: int | None = None
    is_archived: bool = False
    choices: tuple[ChoiceSpec, ...] = ()

    def label_text(self, language: str | None = None) -> str:
        return translated(self.label, language) or self.name

    @property
    def is_answerable(self) -> bool:
        return self.type in Question.ANSWERABLE_TYPES

    @property
    def is_choice(self) -> bool:
        return self.type in Question.CHOICE_TYPES

    @property
    def is_numeric(self) -> bool:
        return self.type in Question.NUMERIC_TYPES or self.integer_choices

    @cached_property
    def choice_by_name(self) -> dict[str, ChoiceSpec]:
        return {choice.name: choice for choice in self.choices}

    @cached_property
    def choice_by_label(self) -> dict[str, ChoiceSpec]:
        """Choices by their label in any language, normalized (imports of labelled exports)."""
        found: dict[str, ChoiceSpec] = {}
        for choice in self.choices:
            for text in choice.label.values():
                if text:
                    found.setdefault(normalize_header(text), choice)
        return found

    @cached_property
    def integer_choices(self) -> bool:
        """A select_one whose choice names are all integers is a rating: it has a mean."""
        if self.type != Question.Type.SELECT_ONE or not self.choices:
            return False
        return all(_is_integer(choice.name) for choice in self.choices)


def _is_integer(text: str) -> bool:
    return text.lstrip("-").isdigit()


@dataclass(frozen=True)
class FormSchema:
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
        """Questions that take an answer and are still asked, in the form's order."""
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


def form_schema(survey: Survey) -> FormSchema:
    """Read a survey's questionnaire in two queries."""
    choices_by_list: dict[int, list[ChoiceSpec]] = {}
    for choice in Choice.objects.filter(choice_list__survey=survey).order_by(
        "choice_list_id", "position"
    ):
        choices_by_list.setdefault(choice.choice_list_id, []).append(
            ChoiceSpec(choice.id, choice.name, choice.label, choice.is_archived)
        )
    items = tuple(
        QuestionSpec(
            id=question.id,
            name=question.name,
            type=question.type,
            position=question.position,
            label=question.label,
            hint=question.hint,
            required=question.required,
            required_message=question.required_message,
            relevant=question.relevant,
            constraint=question.constraint,
            constraint_message=question.constraint_message,
            appearance=question.appearance,
            has_other=question.has_other,
            parameters=question.parameters,
            group_id=question.group_id,
            is_archived=question.is_archived,
            choices=tuple(choices_by_list.get(question.choice_list_id, ()))
            if question.choice_list_id
            else (),
        )
        for question in Question.objects.filter(survey=survey).order_by("position")
    )
    return FormSchema(
        survey_id=survey.id,
        slug=survey.slug,
        default_language=survey.default_language,
        min_group_size=survey.min_group_size,
        items=items,
    )
