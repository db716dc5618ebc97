"""What a page of the web form shows, as the answering templates draw it: one view per
question, note or section, with its choices, value and error. The answering pages and
staff's preview of a questionnaire both draw through these."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .questionnaire.answer_rules import OTHER, AnswerRules, Node, Page, Values
from .questionnaire.schema import QuestionType, translated

T = QuestionType
# A rating scale is shown as a row of radio buttons up to this many points.
MAX_SCALE_POINTS = 11


@dataclass
class ChoiceView:
    value: str
    label: str
    id: str
    checked: bool = False


@dataclass
class FieldView:
    """One question, note or section as the templates draw it."""

    name: str
    widget: str
    label: str
    hint: str = ""
    required: bool = False
    value: str = ""
    error: str = ""
    relevant: str = ""  # a condition the browser evaluates live
    choices: list[ChoiceView] = field(default_factory=list)
    other_value: str = ""
    other_choice: ChoiceView | None = None
    children: list[FieldView] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"q-{self.name}"

    @property
    def template(self) -> str:
        return f"surveys/includes/answer_{self.widget}.html"

    @property
    def first_input_id(self) -> str:
        if self.widget in ("radio", "checkbox", "scale") and self.choices:
            return self.choices[0].id
        return self.id

    @property
    def describedby(self) -> str:
        ids = [f"{self.id}-hint"] if self.hint else []
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)


def _widget(question) -> str:
    kind = question.type
    appearance = question.appearance.split()
    if kind == T.GROUP:
        return "group"
    if kind == T.NOTE:
        return "note"
    if kind == T.TEXT:
        return "textarea" if "multiline" in appearance else "text"
    if kind in (T.INTEGER, T.DECIMAL):
        return kind
    if kind == T.DATE:
        return "date"
    if kind == T.RANGE:
        return "scale" if _range_points(question) else "decimal"
    if kind == T.SELECT_ONE:
        if question.integer_choices and len(question.choices) <= MAX_SCALE_POINTS:
            return "scale"
        return "select" if "minimal" in appearance else "radio"
    return "checkbox"


def _range_points(question) -> list[str]:
    parameters = question.parameters
    try:
        start = int(parameters.get("start", 1))
        end = int(parameters.get("end", 10))
        step = int(parameters.get("step", 1)) or 1
    except (TypeError, ValueError):
        return []
    points = [
        str(n)
        for n in range(start, end + (1 if end >= start else -1), step if end >= start else -step)
    ]
    return points if 1 < len(points) <= MAX_SCALE_POINTS else []


def field_view(
    rules: AnswerRules, node: Node, page: Page, values: Values, errors: dict, language: str
) -> FieldView:
    """What the templates need to draw one question and its section's members (also previews)."""
    question = node.item
    view = FieldView(
        name=question.name,
        widget=_widget(question),
        label=translated(question.label, language) or question.name,
        hint=translated(question.hint, language),
        required=question.required,
        error=errors.get(question.name, ""),
        relevant=" and ".join(f"({c})" for c in rules.conditions(question))
        if rules.depends_on_page(question, page)
        else "",
    )
    raw = values.get(question.name, "")
    if question.is_choice or view.widget == "scale":
        selected = set(raw) if isinstance(raw, list) else ({str(raw)} if raw else set())
        if question.is_choice:
            options = [
                (c.name, c.label_text(language)) for c in question.choices if not c.is_archived
            ]
        else:
            options = [(point, point) for point in _range_points(question)]
        names = {value for value, _label in options}
        others = [token for token in selected if token not in names and token != OTHER]
        view.other_value = others[0] if others else ""
        view.choices = [
            ChoiceView(value, label, f"{view.id}-{index}", value in selected)
            for index, (value, label) in enumerate(options)
        ]
        if rules.has_other_input(question):
            other_checked = bool(others) or OTHER in selected
            existing = next((c for c in view.choices if c.value == OTHER), None)
            if existing is None:
                existing = ChoiceView(OTHER, _("Cits"), f"{view.id}-other")
                view.choices.append(existing)
            existing.checked = other_checked
            view.other_choice = existing
    elif isinstance(raw, str):
        view.value = raw
    view.children = [
        field_view(rules, child, page, values, errors, language)
        for child in node.children
        if is_shown(rules, child, page, values)
    ]
    return view


def is_shown(rules: AnswerRules, node: Node, page: Page, values: Values) -> bool:
    """Hide what earlier pages already ruled out; same-page conditions are left to the
    browser (and re-checked on the server)."""
    if rules.depends_on_page(node.item, page):
        return True
    return rules.relevant(node.item, rules.context(values))


def other_page_values(rules: AnswerRules, page: Page, values: Values) -> dict[str, object]:
    """Answers from other pages, for the browser's live skip logic."""
    names = {q.name for q in page.questions}
    context = rules.context(values)
    return {name: value for name, value in context.items() if name not in names}
