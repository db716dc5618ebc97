"""The results report engine: a survey's figures and open answers, as plain data.

Every interface (the `report` command, the web pages, the background task) calls
`build_report`; the renderers in `render/` turn the returned `Report` into JSON,
HTML, PDF, DOCX or XLSX. A published report is the same `Report` frozen as its
JSON and read back with `report_from_data`. What is read, and the two ways of reading
it (fast.py, as production does, and plain.py, the reference), is in reading.py.

Privacy rule (small groups). With k = the survey's `min_group_size`, a group of
respondents is shown only if it has at least k members AND the respondents it
leaves out of the group it was cut from are either none or at least k:

- the filtered base B (date range, answers) is cut from all submitted responses U:
  shown only if |B| >= k and |U - B| is 0 or >= k; and for every single filter f,
  the respondents that f alone removes, |B without f| - |B|, are 0 or >= k. Two
  overlapping filters whose difference is one person therefore never both show;
- the segment S is cut from B: shown only if |S| >= k and |B - S| is 0 or >= k,
  since everyone's figures minus the segment's are the rest's figures;
- cross-tab columns (every value of a question) follow the segment rule each, and
  when the hidden columns together (plus respondents who did not answer) hold
  fewer than k people, the smallest shown columns are hidden too until they don't.

A hidden group is reported with `suppressed: true` and no counts in every format;
text answers lose their segment mark when the segment is hidden.

Known limit: two reports whose date ranges differ by a day can still differ by one
respondent; staff who can set dates can also see single responses anyway, and
published snapshots are reviewed before they go public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from kopiena.surveys.models import Question, Survey
from kopiena.surveys.questionnaire.schema import QuestionnaireSchema, QuestionSpec, translated
from kopiena.surveys.selectors import survey_schema

from . import selectors
from .fast import FastReader
from .plain import PlainReader
from .reading import GroupCounts, Reader, TextAnswer, TextAnswers

FORMAT = "kopiena-report/1"
T = Question.Type
ONE_DECIMAL = Decimal("0.1")
TWO_DECIMALS = Decimal("0.01")


class ReportError(ValueError):
    """A report request that cannot be answered (unknown question or choice)."""


def percent(count: int, base: int) -> Decimal:
    """100 × count / base, rounded half-up to one decimal; 0.0 for an empty base."""
    if not base:
        return Decimal("0.0")
    return (Decimal(100 * count) / Decimal(base)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def is_shown(size: int, parent: int, minimum: int) -> bool:
    """The small-group rule: a group and what it leaves out are each empty or >= minimum."""
    rest = parent - size
    return size >= minimum and (rest == 0 or rest >= minimum)


# --- the data a report holds -----------------------------------------------------------


@dataclass(frozen=True)
class OptionFigure:
    name: str
    label: str
    count: int
    percent: Decimal


@dataclass
class GroupFigures:
    """One group's figures for one question; no counts at all when suppressed."""

    answered: int | None = None
    suppressed: bool = False
    options: list[OptionFigure] = field(default_factory=list)
    mean: Decimal | None = None
    median: Decimal | None = None
    distribution: list[tuple[Decimal, int]] = field(default_factory=list)

    def option(self, name: str) -> OptionFigure | None:
        return next((option for option in self.options if option.name == name), None)


@dataclass
class QuestionReport:
    name: str
    type: str
    label: str
    section: str
    everyone: GroupFigures
    segment: GroupFigures | None = None
    other_answers: list[str] = field(default_factory=list)
    # A list, or for a large survey a lazy stream the JSON renderer writes as it reads.
    answers: Iterable[TextAnswer] | None = None
    # Name of the choice question whose "other" this text question details.
    other_of: str = ""

    @property
    def has_options(self) -> bool:
        return self.type in Question.CHOICE_TYPES

    @property
    def is_text(self) -> bool:
        return self.answers is not None


@dataclass
class Section:
    name: str  # the group's name; "" for questions outside any group
    label: str
    questions: list[QuestionReport] = field(default_factory=list)


@dataclass
class SegmentInfo:
    question: str
    choice: str
    label: str
    question_label: str
    respondents: int | None
    suppressed: bool


@dataclass
class AnswerFilter:
    question: str
    choice: str
    label: str = ""
    question_label: str = ""


@dataclass
class Filters:
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    answers: list[AnswerFilter] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.submitted_from or self.submitted_to or self.answers)


@dataclass
class CrosstabColumn:
    choice: str
    label: str
    respondents: int | None
    suppressed: bool
    # (question name, option name or "" for answered) -> count
    counts: dict[tuple[str, str], int] = field(default_factory=dict)


@dataclass
class Crosstab:
    question: str
    question_label: str
    columns: list[CrosstabColumn]


@dataclass
class Report:
    slug: str
    title: str
    language: str
    respondents: int | None
    min_group_size: int
    sections: list[Section]
    segment: SegmentInfo | None = None
    filters: Filters = field(default_factory=Filters)
    suppressed: bool = False
    generated_at: dt.datetime | None = None
    conclusions: dict[str, str] = field(default_factory=dict)
    crosstab: Crosstab | None = None

    @property
    def questions(self) -> list[QuestionReport]:
        return [question for section in self.sections for question in section.questions]

    def question(self, name: str) -> QuestionReport:
        return next(question for question in self.questions if question.name == name)


# --- building a report ----------------------------------------------------------------


def parse_segment(text: str) -> tuple[str, str]:
    """'QUESTION=CHOICE' as typed on the command line."""
    question, sep, choice = text.partition("=")
    if not sep or not question.strip() or not choice.strip():
        raise ReportError(
            _("Segmentu norādiet kā JAUTĀJUMS=IZVĒLE, piemēram, municipality=kekavas_nov.")
        )
    return question.strip(), choice.strip()


def _choice_of(schema: QuestionnaireSchema, question_name: str, choice_name: str, language: str):
    question = schema.by_name.get(question_name)
    if question is None or not question.is_choice:
        raise ReportError(_("Aptaujā nav izvēles jautājuma “%(name)s”.") % {"name": question_name})
    choice = question.choice_by_name.get(choice_name)
    if choice is None:
        raise ReportError(
            _("Jautājumam “%(question)s” nav izvēles “%(choice)s”.")
            % {"question": question_name, "choice": choice_name}
        )
    return question, choice


def _other_companions(schema: QuestionnaireSchema) -> dict[str, str]:
    """Text questions that hold the "other" text of a choice question (XLSForm `x_other`)."""
    companions = {}
    for question in schema.questions:
        if question.type == T.TEXT and question.name.endswith("_other"):
            owner = schema.by_name.get(question.name.removesuffix("_other"))
            if owner is not None and owner.is_choice:
                companions[question.name] = owner.name
    return companions


def _sections(schema: QuestionnaireSchema, language: str) -> dict[int | None, Section]:
    sections: dict[int | None, Section] = {None: Section(name="", label="")}
    for item in schema.items:
        if item.type == T.GROUP:
            sections[item.id] = Section(name=item.name, label=item.label_text(language))
    return sections


def _mean(histogram: Sequence[tuple[Decimal, int]]) -> Decimal | None:
    total = sum(count for _value, count in histogram)
    if not total:
        return None
    return (sum(value * count for value, count in histogram) / total).quantize(
        TWO_DECIMALS, rounding=ROUND_HALF_UP
    )


def _median(histogram: Sequence[tuple[Decimal, int]]) -> Decimal | None:
    """The middle value, walking a small value histogram sorted ascending."""
    total = sum(count for _value, count in histogram)
    if not total:
        return None
    low_rank, high_rank = (total - 1) // 2, total // 2
    low = high = None
    seen = 0
    for value, count in histogram:
        if low is None and seen + count > low_rank:
            low = value
        if seen + count > high_rank:
            high = value
            break
        seen += count
    return (low + high) / 2


def _question_figures(question: QuestionSpec, raw: GroupCounts, language: str) -> GroupFigures:
    answered = raw.answered.get(question.id, 0)
    figures = GroupFigures(answered=answered)
    if question.is_choice:
        figures.options = [
            OptionFigure(
                name=choice.name,
                label=choice.label_text(language),
                count=raw.counts.get((question.id, choice.id), 0),
                percent=percent(raw.counts.get((question.id, choice.id), 0), answered),
            )
            for choice in question.choices
            if not choice.is_archived or raw.counts.get((question.id, choice.id))
        ]
    histogram: list[tuple[Decimal, int]] = []
    if question.integer_choices:
        histogram = sorted(
            (Decimal(option.name), option.count) for option in figures.options if option.count
        )
    elif question.type in Question.NUMERIC_TYPES:
        histogram = raw.numbers.get(question.id, [])
        figures.distribution = list(histogram)
    if question.integer_choices or question.type in Question.NUMERIC_TYPES:
        figures.mean = _mean(histogram)
        figures.median = _median(histogram)
    return figures


SUPPRESSED = GroupFigures(suppressed=True)


def build_report(
    survey: Survey,
    *,
    segment: tuple[str, str] | None = None,
    submitted_from: dt.date | None = None,
    submitted_to: dt.date | None = None,
    answer_filters: Sequence[tuple[str, str]] = (),
    language: str | None = None,
    conclusions: Mapping[str, str] | None = None,
    crosstab: bool = False,
    json_answers: bool = False,
    plain: bool = False,
) -> Report:
    """The results report of a survey, optionally for a segment and within filters.

    `json_answers`: the open answers will be written as JSON (the JSON renderer), so they
    are read ahead on other connections where that is possible (prefetch.py).
    `plain`: read with the plain reference (plain.py) instead of the fast reader."""
    schema = survey_schema(survey)
    language = language or survey.default_language
    minimum = schema.min_group_size
    total = selectors.report_responses(survey).count()

    filters = Filters(submitted_from=submitted_from, submitted_to=submitted_to)
    filter_ids: list[tuple[int, int]] = []
    for question_name, choice_name in answer_filters:
        question, choice = _choice_of(schema, question_name, choice_name, language)
        filter_ids.append((question.id, choice.id))
        filters.answers.append(
            AnswerFilter(
                question_name,
                choice_name,
                choice.label_text(language),
                question.label_text(language),
            )
        )
    filtered = None
    if filters:
        filtered = selectors.report_responses(
            survey, submitted_from=submitted_from, submitted_to=submitted_to, answers=filter_ids
        )
    respondents = filtered.count() if filtered is not None else total
    shown = _filters_shown(survey, filters, filter_ids, respondents, total, minimum)
    reader: Reader = (PlainReader if plain else FastReader)(survey, schema, filtered)

    segment_info = None
    segment_choice = None
    if segment:
        question, choice = _choice_of(schema, *segment, language)
        size = reader.segment_size((question.id, choice.id))
        segment_shown = shown and is_shown(size, respondents, minimum)
        segment_info = SegmentInfo(
            question=question.name,
            choice=choice.name,
            label=choice.label_text(language),
            question_label=question.label_text(language),
            respondents=size if segment_shown else None,
            suppressed=not segment_shown,
        )
        if segment_shown:
            segment_choice = (question.id, choice.id)

    sections = _sections(schema, language)
    report = Report(
        slug=survey.slug,
        title=translated(survey.title, language, survey.default_language) or survey.slug,
        language=language,
        respondents=respondents if shown else None,
        min_group_size=minimum,
        sections=[],
        segment=segment_info,
        filters=filters,
        suppressed=not shown,
        generated_at=timezone.now(),
        conclusions=dict(conclusions or {}),
    )
    companions = _other_companions(schema)
    text_ids = [question.id for question in schema.questions if question.type == T.TEXT]
    numeric_ids = [q.id for q in schema.questions if q.type in Question.NUMERIC_TYPES]
    raw = raw_segment = None
    others: dict[int, list[str]] = {}
    if shown:
        if json_answers:
            # Started before the figures, so that the answers are read while they are computed.
            reader.read_ahead(text_ids, segment_choice)
        raw, raw_segment = reader.counts(numeric_ids, segment_choice)
        others = reader.other_texts(q.id for q in schema.questions if q.is_choice)
    text_answers: dict[str, TextAnswers] = {}
    for question in schema.questions:
        item = QuestionReport(
            name=question.name,
            type=question.type,
            label=question.label_text(language),
            section=sections.get(question.group_id, sections[None]).name,
            everyone=_question_figures(question, raw, language) if raw else SUPPRESSED,
            other_answers=list(others.get(question.id, [])),
            other_of=companions.get(question.name, ""),
        )
        if segment_info is not None:
            item.segment = (
                _question_figures(question, raw_segment, language) if raw_segment else SUPPRESSED
            )
        if question.type == T.TEXT:
            item.answers = []
            if shown:
                item.answers = text_answers[question.name] = reader.text_answers(
                    question.id, segment_choice
                )
        sections.get(question.group_id, sections[None]).questions.append(item)
    report.sections = [section for section in sections.values() if section.questions]
    # A choice question's "other" texts include those typed in its `x_other` question.
    for name, owner in companions.items():
        if name in text_answers:
            report.question(owner).other_answers.extend(text_answers[name].texts())
    if crosstab and segment_info is not None and shown:
        report.crosstab = _crosstab(
            schema, reader, schema.by_name[segment_info.question], respondents, language
        )
    return report


def _filters_shown(
    survey: Survey,
    filters: Filters,
    filter_ids: list[tuple[int, int]],
    respondents: int,
    total: int,
    minimum: int,
) -> bool:
    """The small-group rule for the filtered base, against everyone and each filter alone."""
    if not filters:
        return total >= minimum
    if not is_shown(respondents, total, minimum):
        return False
    # Each filter on its own must remove nobody or at least `minimum` respondents.
    dates = (filters.submitted_from, filters.submitted_to)
    variants = []
    if any(dates):
        variants.append(selectors.report_responses(survey, answers=filter_ids))
    for index in range(len(filter_ids)):
        rest = filter_ids[:index] + filter_ids[index + 1 :]
        variants.append(
            selectors.report_responses(
                survey, submitted_from=dates[0], submitted_to=dates[1], answers=rest
            )
        )
    return all(is_shown(respondents, variant.count(), minimum) for variant in variants)


def _crosstab(
    schema: QuestionnaireSchema,
    reader: Reader,
    by: QuestionSpec,
    respondents: int,
    language: str,
) -> Crosstab:
    minimum = schema.min_group_size
    choice_questions = [q for q in schema.questions if q.is_choice]
    columns = []
    for choice in by.choices:
        size, totals = reader.column((by.id, choice.id))
        columns.append(
            CrosstabColumn(
                choice=choice.name,
                label=choice.label_text(language),
                respondents=size,
                # Nobody is no one to single out: an empty column shows its zeros.
                suppressed=size > 0 and not is_shown(size, respondents, minimum),
                counts={
                    (question.name, option.name): totals.counts[(question.id, option.id)]
                    for question in choice_questions
                    for option in question.choices
                }
                | {
                    (question.name, ""): totals.answered[question.id]
                    for question in choice_questions
                },
            )
        )
    if by.type == T.SELECT_ONE:
        _hide_until_safe(columns, respondents, minimum)
    for column in columns:
        if column.suppressed:
            column.respondents = None
            column.counts = {}
    return Crosstab(question=by.name, question_label=by.label_text(language), columns=columns)


def _hide_until_safe(columns: list[CrosstabColumn], respondents: int, minimum: int) -> None:
    """Hide more columns while everyone minus the shown columns is a small group."""
    while True:
        shown = [column for column in columns if not column.suppressed]
        hidden = respondents - sum(column.respondents or 0 for column in shown)
        if not shown or hidden == 0 or hidden >= minimum:
            return
        smallest = min(
            (column for column in shown if column.respondents),
            key=lambda c: c.respondents or 0,
            default=None,
        )
        if smallest is None:
            return
        smallest.suppressed = True


def report_for(survey: Survey, **options) -> Report:
    """The report with the survey's saved conclusions."""
    from .models import ReportConclusion

    conclusions = dict(
        ReportConclusion.objects.filter(survey=survey).values_list("section", "text")
    )
    return build_report(survey, conclusions=conclusions, **options)


def report_options(
    *,
    segment: str = "",
    submitted_from: str = "",
    submitted_to: str = "",
    answers: Sequence[str] = (),
    language: str = "",
) -> dict:
    """`build_report` keyword arguments from their plain-text form (URL query, task arguments).

    segment and answers are "QUESTION=CHOICE"; dates are ISO (YYYY-MM-DD).
    """
    options: dict = {}
    if segment:
        options["segment"] = parse_segment(segment)
    if submitted_from:
        options["submitted_from"] = dt.date.fromisoformat(submitted_from)
    if submitted_to:
        options["submitted_to"] = dt.date.fromisoformat(submitted_to)
    if answers:
        options["answer_filters"] = [parse_segment(answer) for answer in answers]
    if language:
        options["language"] = language
    return options
