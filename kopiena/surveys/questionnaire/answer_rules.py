"""The answering rules of a questionnaire: pages, skip logic, required and constraints.

`AnswerRules` are built once per questionnaire (`selectors.survey_answer_rules` keeps
them) and are what the web form's views and services use to split the questionnaire
into pages, read a posted page into plain values ({question name: str or list of str}),
decide which questions are relevant, and check values before
`answers.response_answer_values` turns them into Answer rows. Everything the browser's
live skip logic does is re-checked here: answers to questions that are not relevant are
discarded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .answers import AnswerValue, is_blank, parse_date, parse_number, response_answer_values
from .expressions import is_relevant, referenced_names, satisfies_constraint
from .schema import NUMERIC_TYPES, QuestionnaireSchema, QuestionSpec, QuestionType, translated

if TYPE_CHECKING:
    from ..answer_bits import AnswerLayout

T = QuestionType
OTHER = "other"
# Input name suffix of the text typed for an "other" answer.
OTHER_SUFFIX = "__other"
MAX_TEXT_LENGTH = 10_000

Values = dict[str, object]


@dataclass(frozen=True)
class Node:
    """A question, note or group as placed on a page; a group holds its members."""

    item: QuestionSpec
    children: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    nodes: tuple[Node, ...]
    items: tuple[QuestionSpec, ...]  # every item on the page, nested ones included

    @property
    def questions(self) -> tuple[QuestionSpec, ...]:
        return tuple(item for item in self.items if item.is_answerable)

    @property
    def title(self) -> dict[str, str]:
        """The label of the section this page shows, if the page is one section."""
        if len(self.nodes) == 1 and self.nodes[0].item.type == T.GROUP:
            return self.nodes[0].item.label
        return {}


@dataclass
class CheckResult:
    rows: list[AnswerValue] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    # The values kept: relevant, and not blank.
    values: Values = field(default_factory=dict)


class AnswerRules:
    """A questionnaire's pages and rules, built once and shared between requests.

    `single_page`: every question on one page; else a page per top-level section."""

    def __init__(self, schema: QuestionnaireSchema, *, single_page: bool):
        self.schema = schema
        items = [item for item in schema.items if not item.is_archived]
        ids = {item.id for item in items}
        children: dict[int | None, list[QuestionSpec]] = {}
        for item in items:
            parent = item.group_id if item.group_id in ids else None
            children.setdefault(parent, []).append(item)

        def node(item: QuestionSpec) -> Node:
            return Node(item, tuple(node(child) for child in children.get(item.id, ())))

        top = [node(item) for item in children.get(None, ())]
        self.ancestors: dict[str, tuple[QuestionSpec, ...]] = {}

        def walk(nodes: Iterable[Node], parents: tuple[QuestionSpec, ...]) -> list[QuestionSpec]:
            found: list[QuestionSpec] = []
            for each in nodes:
                self.ancestors[each.item.name] = parents
                found.append(each.item)
                found.extend(walk(each.children, (*parents, each.item)))
            return found

        runs: list[list[Node]] = []
        if single_page:
            runs = [top] if top else []
        else:
            # One page per top-level section; questions between sections share a page.
            for each in top:
                if each.item.type == T.GROUP or not runs or runs[-1][-1].item.type == T.GROUP:
                    runs.append([each])
                else:
                    runs[-1].append(each)
        self.pages = tuple(
            Page(number, tuple(run), tuple(walk(run, ()))) for number, run in enumerate(runs, 1)
        )
        self.page_by_name = {item.name: page for page in self.pages for item in page.items}
        self.questions = tuple(q for page in self.pages for q in page.questions)
        self.choice_names = {
            q.name: frozenset(c.name for c in q.choices if not c.is_archived)
            for q in self.questions
            if q.is_choice
        }
        self.choice_name_by_id = {c.id: c.name for q in self.questions for c in q.choices}
        # Rendered HTML of empty pages, by (language, path); see views.answer.
        self.rendered: dict[tuple[str, str], str] = {}
        # The survey's answer bit positions once stored for every question here; they
        # never move, so the rules keep them (services.responses.response_submit).
        self.answer_layout: AnswerLayout | None = None

    # --- structure -----------------------------------------------------------------

    def has_other_input(self, question: QuestionSpec) -> bool:
        """A text field for an answer outside the list: XLSForm or_other, or a choice
        named "other" that no follow-up question (`<name>_other`) asks about."""
        if not question.is_choice:
            return False
        if question.has_other:
            return True
        return OTHER in question.choice_by_name and (
            f"{question.name}_other" not in self.schema.by_name
        )

    def conditions(self, item: QuestionSpec) -> tuple[str, ...]:
        """The relevance conditions an item depends on: its own and its sections'."""
        return tuple(
            each.relevant for each in (*self.ancestors.get(item.name, ()), item) if each.relevant
        )

    def depends_on_page(self, item: QuestionSpec, page: Page) -> bool:
        """Whether the item's relevance needs answers given on the same page."""
        names = {q.name for q in page.questions}
        return any(referenced_names(source) & names for source in self.conditions(item))

    # --- values --------------------------------------------------------------------

    def context(self, values: Mapping[str, object]) -> dict[str, object]:
        """Values as the expression evaluator sees them (see expressions.py)."""
        found: dict[str, object] = {}
        for name, raw in values.items():
            question = self.schema.by_name.get(name)
            if question is not None:
                found[name] = self._context_value(question, raw)
        return found

    def _context_value(self, question: QuestionSpec, raw: object) -> object:
        if is_blank(raw):
            return ""
        if question.is_choice:
            names = self.choice_names.get(question.name, frozenset())
            tokens = [raw] if question.type == T.SELECT_ONE else list(raw)  # type: ignore[call-overload]
            return " ".join(t if t in names else OTHER for t in map(str, tokens))
        try:
            if question.type in NUMERIC_TYPES:
                return float(parse_number(raw))
            if question.type == T.DATE:
                return parse_date(raw).isoformat()
        except ValueError:
            pass
        return str(raw)

    def relevant(self, item: QuestionSpec, context: Mapping[str, object]) -> bool:
        return all(is_relevant(source, context) for source in self.conditions(item))

    def posted_values(self, page: Page, data) -> tuple[Values, dict[str, str]]:
        """A page's answers from a POST (a QueryDict), as plain values; and input errors."""
        values: Values = {}
        errors: dict[str, str] = {}
        for question in page.questions:
            name = question.name
            if question.type == T.SELECT_MULTIPLE:
                raw: object = [token.strip() for token in data.getlist(name) if token.strip()]
            else:
                raw = data.get(name, "").strip()
            if question.is_choice:
                raw, error = self._posted_choice(question, raw, data.get(name + OTHER_SUFFIX, ""))
                if error:
                    errors[name] = error
            elif len(str(raw)) > MAX_TEXT_LENGTH:
                errors[name] = _("Atbilde ir pārāk gara (ne vairāk kā %(n)s zīmes).") % {
                    "n": MAX_TEXT_LENGTH
                }
            if not is_blank(raw):
                values[name] = raw
        return values, errors

    def _posted_choice(
        self, question: QuestionSpec, raw: object, other_text: str
    ) -> tuple[object, str]:
        names = self.choice_names[question.name]
        allow_other = self.has_other_input(question)
        tokens = raw if isinstance(raw, list) else ([raw] if raw else [])
        kept: list[str] = []
        error = ""
        for token in tokens:
            if token == OTHER and allow_other:
                text = " ".join(other_text.split())[:MAX_TEXT_LENGTH]
                if text:
                    kept.append(text)
                else:
                    kept.append(OTHER)
                    if OTHER not in names:
                        error = _("Ierakstiet savu atbildi laukā “Cits”.")
            elif token in names:
                kept.append(token)
            else:
                error = _("Izvēlieties kādu no piedāvātajām atbildēm.")
        if question.type == T.SELECT_ONE:
            return (kept[0] if kept else ""), error
        return kept, error

    def check(
        self, questions: Iterable[QuestionSpec], values: Mapping[str, object], *, complete: bool
    ) -> CheckResult:
        """Rows and errors for the given questions, judged against all known values.

        Answers to questions that are not relevant are dropped. With `complete`,
        required questions and constraints are enforced; without it (going back,
        saving for later) only values that cannot be stored at all are left out.
        """
        context = self.context(values)
        result = CheckResult()
        for question in questions:
            raw = values.get(question.name)
            if not self.relevant(question, context):
                continue
            if is_blank(raw):
                if complete and question.required:
                    result.errors[question.name] = translated(question.required_message) or _(
                        "Šis jautājums ir obligāts."
                    )
                continue
            if question.is_choice and OTHER not in self.choice_names[question.name]:
                # "Other" ticked but nothing typed: an input error (see _posted_choice).
                raw = [t for t in raw if t != OTHER] if isinstance(raw, list) else raw
                if raw == OTHER or raw == []:
                    continue
            rows, errors = response_answer_values(self.schema, {question.name: raw})
            breaks_constraint = (
                not errors
                and complete
                and question.constraint
                and not satisfies_constraint(question.constraint, context, context[question.name])
            )
            if breaks_constraint:
                errors[question.name] = translated(question.constraint_message) or _(
                    "Atbilde neatbilst šī jautājuma nosacījumiem."
                )
            if errors:
                result.errors.update(errors)
                continue
            result.rows.extend(rows)
            result.values[question.name] = raw
        return result

    def saved_values(self, answers: Iterable) -> Values:
        """Plain values of stored Answer rows (objects with question_id, choice_id, ...)."""
        values: Values = {}
        for answer in answers:
            question = self.schema.by_id.get(answer.question_id)
            if question is None or not question.is_answerable:
                continue
            if question.is_choice:
                token = (
                    answer.text
                    if answer.choice_id is None
                    else self.choice_name_by_id.get(answer.choice_id, "")
                )
                if question.type == T.SELECT_MULTIPLE:
                    values.setdefault(question.name, []).append(token)  # type: ignore[union-attr]
                else:
                    values[question.name] = token
            elif question.type in NUMERIC_TYPES and answer.number is not None:
                values[question.name] = _plain_number(answer.number)
            elif question.type == T.DATE and answer.date is not None:
                values[question.name] = answer.date.isoformat()
            else:
                values[question.name] = answer.text
        return values


def _plain_number(number: Decimal) -> str:
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")
