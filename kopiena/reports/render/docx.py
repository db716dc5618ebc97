"""The report as a Word document (python-docx): headings, figure tables, bars as text.

python-docx cannot embed SVG, so each table row draws its bars with block
characters: █ for everyone, ▒ for the segment — distinct in grayscale and in print.
"""

from __future__ import annotations

import re
from typing import IO

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from ..engine import Report
from .common import QuestionView, ReportView, report_view

BAR_CHARS = 20  # characters for 100 %


def _bar(share, char: str) -> str:
    return char * round(float(share or 0) / 100 * BAR_CHARS)


def _markdown_paragraphs(document, text: str) -> None:
    """Staff's Markdown as plain paragraphs and bullets (Word has its own emphasis)."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        bullet = re.match(r"^([-*+]|\d+[.)])\s+", line)
        plain = re.sub(r"(\*\*|__|\*|_|`)", "", line[bullet.end() :] if bullet else line)
        plain = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\1 (\2)", plain).lstrip("#").strip()
        document.add_paragraph(plain, style="List Bullet" if bullet else None)


def _figures_table(document, view: ReportView, item: QuestionView) -> None:
    segment = bool(item.segment_base_text)
    headers = [_("Atbilde"), _("Skaits"), "%"]
    if segment:
        headers += [f"★ {view.segment_label}: " + _("skaits"), "%"]
    headers.append(_("Diagramma"))
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in item.rows:
        values = [row.label, row.count_text, row.percent_text]
        if segment:
            values += [row.segment_count_text, row.segment_percent_text]
        bars = _bar(row.percent, "█")
        if segment:
            bars += "\n" + _bar(row.segment_percent, "▒")
        values.append(bars)
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.text = text
            if 0 < index < len(values) - 1:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for paragraph in cells[-1].paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(7)


def _question(document, view: ReportView, item: QuestionView, level: int) -> None:
    question = item.question
    document.add_heading(f"{item.number}. {item.label}", level=level)
    if question.everyone.suppressed:
        document.add_paragraph(_("Rezultāti netiek rādīti: grupa ir pārāk maza."))
        return
    base = item.base_text
    if item.segment_base_text:
        base += f"; {view.segment_label}: {item.segment_base_text}"
    document.add_paragraph(base)
    if question.is_text:
        for answer in question.answers or []:
            paragraph = document.add_paragraph(style="List Number")
            if answer.in_segment:
                paragraph.add_run(f"★ {view.segment_label}: ").bold = True
                paragraph.add_run(answer.text).italic = True
            else:
                paragraph.add_run(answer.text)
        return
    if item.rows:
        _figures_table(document, view, item)
    if item.unchosen:
        document.add_paragraph(_("Vēl %(n)s izvēles neviens nav atzīmējis.") % {"n": item.unchosen})
    if item.segment_suppressed:
        document.add_paragraph(
            _("%(label)s: grupa ir pārāk maza, lai tās rezultātus rādītu atsevišķi.")
            % {"label": view.segment_label}
        )
    for name, everyone, segment in item.stats:
        text = f"{name}: {everyone}"
        if segment:
            text += f" (★ {view.segment_label}: {segment})"
        document.add_paragraph(text)
    if question.other_answers:
        document.add_paragraph(_("Citas atbildes")).runs[0].bold = True
        for text in question.other_answers:
            document.add_paragraph(text, style="List Bullet")


def write_docx(report: Report, out: IO[bytes]) -> None:
    with translation.override(report.language):
        view = report_view(report, charts=False)
        document = Document()
        document.styles["Normal"].font.name = "DejaVu Sans"
        document.styles["Normal"].font.size = Pt(10)
        document.core_properties.title = report.title
        document.core_properties.language = report.language
        document.add_heading(report.title, level=0)
        facts = [view.respondents_text, view.segment_text, *view.filters_text]
        for text in filter(None, facts):
            document.add_paragraph(text)
        if report.suppressed:
            document.add_paragraph(view.suppressed_text)
        if view.conclusions:
            document.add_heading(_("Galvenie secinājumi"), level=1)
            _markdown_paragraphs(document, report.conclusions.get("", ""))
        level = 2 if view.has_named_sections else 1
        for section in view.sections:
            if view.has_named_sections:
                document.add_heading(section.label or _("Citi jautājumi"), level=1)
            for item in section.questions:
                _question(document, view, item, level)
            if section.conclusions:
                document.add_heading(_("Secinājumi"), level=level)
                _markdown_paragraphs(document, report.conclusions.get(section.name, ""))
        document.save(out)
