"""What every human format shows, prepared once: formatted figures, rows, conclusions.

HTML (and through it PDF), DOCX and XLSX all read `report_view`, so a figure is
formatted the same way everywhere: "64,7 %" and "2,06" in Latvian, "64.7%" and
"2.06" otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import markdown
import nh3
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..engine import GroupFigures, QuestionReport, Report


def is_latvian(language: str) -> bool:
    return language.split("-")[0] == "lv"


def format_number(value: Decimal | int | None, language: str, places: int | None = None) -> str:
    """A number in the report's language: 1 234,5 in Latvian, 1,234.5 in English."""
    if value is None:
        return "–"
    value = Decimal(value)
    if places is not None:
        text = f"{value:,.{places}f}"
    elif value == value.to_integral_value():
        text = f"{int(value):,}"
    else:
        text = f"{value.normalize():,f}"
    if is_latvian(language):
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


def format_percent(value: Decimal, language: str) -> str:
    if is_latvian(language):
        return format_number(value, language, 1) + "\u00a0%"
    return format_number(value, language, 1) + "%"


def conclusions_html(text: str) -> str:
    """Staff's Markdown as HTML, through the sanitizer's allow-list."""
    if not text.strip():
        return ""
    rendered = markdown.markdown(text, extensions=["sane_lists"])
    return nh3.clean(
        rendered,
        tags={"p", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote", "br"},
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


# Long choice lists (every municipality) list only the choices someone made.
LONG_LIST = 12
# Numbers with more distinct values than this are summarised, not listed value by value.
MAX_DISTINCT_VALUES = 20


@dataclass
class Row:
    """One option (or value) of a question: everyone's and the segment's figures."""

    label: str
    count: int
    percent: Decimal
    count_text: str
    percent_text: str
    segment_count: int | None = None
    segment_percent: Decimal | None = None
    segment_count_text: str = ""
    segment_percent_text: str = ""
    bars: str = ""  # SVG bars drawn in the row beside the figures


@dataclass
class QuestionView:
    question: QuestionReport
    number: int
    rows: list[Row] = field(default_factory=list)
    base_text: str = ""
    segment_base_text: str = ""
    stats: list[tuple[str, str, str]] = field(default_factory=list)  # (name, everyone, segment)
    chart: str = ""
    unchosen: int = 0  # choices of a long list that nobody chose, left out of the table

    @property
    def label(self) -> str:
        return self.question.label

    @property
    def segment_suppressed(self) -> bool:
        return bool(self.question.segment and self.question.segment.suppressed)


@dataclass
class SectionView:
    name: str
    label: str
    questions: list[QuestionView]
    conclusions: str


@dataclass
class ReportView:
    report: Report
    sections: list[SectionView]
    conclusions: str
    respondents_text: str
    segment_text: str
    segment_label: str
    filters_text: list[str]
    has_named_sections: bool
    generated_text: str
    suppressed_text: str


def _respondents_text(count: int | None, language: str) -> str:
    """n = 17 — the base of every percentage, stated in words."""
    number = format_number(count, language)
    return ngettext("%(n)s respondents", "%(n)s respondenti", count or 0) % {"n": number}


def _rows(question: QuestionReport, language: str) -> list[Row]:
    everyone, segment = question.everyone, question.segment
    rows = []
    if question.has_options:
        items = [(o.label, o.name, o.count, o.percent) for o in everyone.options]
    elif len(everyone.distribution) <= MAX_DISTINCT_VALUES:
        items = [
            (format_number(value, language), str(value), count, _share(count, everyone))
            for value, count in everyone.distribution
        ]
    else:
        items = []  # too many distinct numbers to list: mean and median say it
    if len(items) > LONG_LIST:
        items = [item for item in items if item[2] or _segment_count(segment, item[1])]
    for label, name, count, share in items:
        row = Row(
            label=label,
            count=count,
            percent=share,
            count_text=format_number(count, language),
            percent_text=format_percent(share, language),
        )
        if segment is not None and not segment.suppressed:
            seg_count, seg_share = _segment_figure(question, segment, name, language)
            row.segment_count, row.segment_percent = seg_count, seg_share
            row.segment_count_text = format_number(seg_count, language)
            row.segment_percent_text = format_percent(seg_share, language)
        rows.append(row)
    return rows


def _segment_count(segment: GroupFigures | None, name: str) -> int:
    option = segment.option(name) if segment and not segment.suppressed else None
    return option.count if option else 0


def _share(count: int, figures: GroupFigures) -> Decimal:
    from ..engine import percent

    return percent(count, figures.answered or 0)


def _segment_figure(question, segment: GroupFigures, name: str, language: str):
    if question.has_options:
        option = segment.option(name)
        return (option.count, option.percent) if option else (0, Decimal(0))
    count = next((c for value, c in segment.distribution if str(value) == name), 0)
    return count, _share(count, segment)


def _stats(question: QuestionReport, language: str) -> list[tuple[str, str, str]]:
    if question.everyone.mean is None and question.everyone.median is None:
        return []
    segment = question.segment if question.segment and not question.segment.suppressed else None
    return [
        (
            _("Vidējais"),
            format_number(question.everyone.mean, language, 2),
            format_number(segment.mean, language, 2) if segment else "",
        ),
        (
            _("Mediāna"),
            format_number(question.everyone.median, language),
            format_number(segment.median, language) if segment else "",
        ),
    ]


def report_view(report: Report, *, charts: bool = True) -> ReportView:
    """Everything a human format prints, formatted in the report's language.

    `charts` adds the SVG bars (HTML and PDF); DOCX and XLSX draw their own.
    """
    from .. import charts as chart_svg

    language = report.language
    with translation.override(language):
        sections = []
        number = 0
        for section in report.sections:
            views = []
            for question in section.questions:
                if question.other_of:
                    continue  # its texts are listed as the choice question's "other" answers
                number += 1
                view = QuestionView(question=question, number=number)
                if not question.everyone.suppressed:
                    view.rows = _rows(question, language)
                    if question.has_options:
                        view.unchosen = len(question.everyone.options) - len(view.rows)
                    view.base_text = _answered_text(question.everyone.answered, language)
                    if question.segment and not question.segment.suppressed:
                        view.segment_base_text = format_number(question.segment.answered, language)
                    view.stats = _stats(question, language)
                    if charts and view.rows:
                        for row in view.rows:
                            row.bars = chart_svg.row_bars(row.percent, row.segment_percent)
                        if view.stats:
                            segment_label = report.segment.label if report.segment else ""
                            view.chart = chart_svg.distribution_chart(view, segment_label)
                views.append(view)
            sections.append(
                SectionView(
                    name=section.name,
                    label=section.label,
                    questions=views,
                    conclusions=conclusions_html(report.conclusions.get(section.name, ""))
                    if section.name
                    else "",
                )
            )
        segment = report.segment
        return ReportView(
            report=report,
            sections=sections,
            conclusions=conclusions_html(report.conclusions.get("", "")),
            respondents_text=_respondents_text(report.respondents, language)
            if not report.suppressed
            else "",
            segment_text=_segment_text(report, language) if segment else "",
            segment_label=segment.label if segment else "",
            filters_text=_filters_text(report, language),
            has_named_sections=any(section.name for section in report.sections),
            generated_text=report.generated_at.astimezone().strftime("%d.%m.%Y")
            if report.generated_at
            else "",
            suppressed_text=_(
                "Atlasītā respondentu grupa ir pārāk maza (mazāk par %(n)s) vai atšķiras no "
                "citas grupas mazāk nekā par %(n)s respondentiem, tāpēc tās rezultāti netiek "
                "rādīti, lai nevienu respondentu nevarētu atpazīt."
            )
            % {"n": report.min_group_size},
        )


def _answered_text(count: int | None, language: str) -> str:
    return _("atbildējuši: %(n)s") % {"n": format_number(count, language)}


def _segment_text(report: Report, language: str) -> str:
    segment = report.segment
    if segment.suppressed:
        return _("%(label)s: grupa ir pārāk maza, lai to rādītu atsevišķi.") % {
            "label": segment.label
        }
    return _("%(label)s (%(question)s): %(respondents)s") % {
        "label": segment.label,
        "question": segment.question_label,
        "respondents": _respondents_text(segment.respondents, language),
    }


def _filters_text(report: Report, language: str) -> list[str]:
    filters = report.filters
    texts = []
    if filters.submitted_from or filters.submitted_to:
        start = filters.submitted_from.strftime("%d.%m.%Y") if filters.submitted_from else "…"
        end = filters.submitted_to.strftime("%d.%m.%Y") if filters.submitted_to else "…"
        texts.append(_("Iesniegtas no %(start)s līdz %(end)s") % {"start": start, "end": end})
    for answer in filters.answers:
        texts.append(f"{answer.question_label or answer.question}: {answer.label or answer.choice}")
    return texts
