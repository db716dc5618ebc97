"""The report as a workbook (openpyxl): a summary sheet, open answers, and a cross-tab.

Figures are numbers (percentages as fractions formatted 0.0 %), so they can be
recalculated. Every row goes through `kopiena.core.spreadsheets.xlsx_append`, so no
text (an answer, an "other" text, a label) is ever a formula. With a segment, the
cross-tab sheet has one pair of columns per value of the segment's question (e.g.
every municipality); a group too small to show is left blank and marked in its heading.
"""

from __future__ import annotations

from decimal import Decimal
from typing import IO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kopiena.core.spreadsheets import xlsx_append

from ..engine import Report, percent
from .common import report_view

BOLD = Font(bold=True)
PERCENT = "0.0%"


def _fraction(value: Decimal | None) -> float | None:
    return None if value is None else float(value) / 100


def _summary(sheet, report: Report, view) -> None:
    xlsx_append(sheet, [report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    for text in filter(None, [view.respondents_text, view.segment_text, *view.filters_text]):
        xlsx_append(sheet, [text])
    if report.suppressed:
        xlsx_append(sheet, [view.suppressed_text])
    segment = report.segment is not None and not report.segment.suppressed
    for section in view.sections:
        for item in section.questions:
            question = item.question
            xlsx_append(sheet, [])
            xlsx_append(sheet, [f"{item.number}. {item.label}"])
            sheet.cell(sheet.max_row, 1).font = BOLD
            if question.everyone.suppressed:
                xlsx_append(sheet, [_("Rezultāti netiek rādīti: grupa ir pārāk maza.")])
                continue
            header = [_("Atbilde"), _("Skaits"), "%"]
            if segment:
                header += [f"{report.segment.label}: " + _("skaits"), "%"]
            xlsx_append(sheet, header)
            for cell in sheet[sheet.max_row]:
                cell.font = BOLD
            answered = [_("Atbildējuši"), question.everyone.answered, None]
            if segment:
                seg = question.segment
                answered += [None if seg.suppressed else seg.answered, None]
            xlsx_append(sheet, answered)
            if question.is_text:
                continue
            for row in item.rows:
                values = [row.label, row.count, _fraction(row.percent)]
                if segment:
                    values += [row.segment_count, _fraction(row.segment_percent)]
                xlsx_append(sheet, values)
                for column in (3, 5):
                    sheet.cell(sheet.max_row, column).number_format = PERCENT
            for name, everyone, seg_value in item.stats:
                xlsx_append(
                    sheet, [name, everyone, None, seg_value] if segment else [name, everyone]
                )
            for text in question.other_answers:
                xlsx_append(sheet, [_("Cita atbilde"), text])
    sheet.column_dimensions["A"].width = 70
    for column in "BCDE":
        sheet.column_dimensions[column].width = 14
    for row in sheet.iter_rows(min_col=1, max_col=1):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _open_answers(sheet, report: Report) -> None:
    segment = report.segment is not None and not report.segment.suppressed
    header = [_("Jautājums"), _("Atbilde")]
    if segment:
        header.append(report.segment.label)
    xlsx_append(sheet, header)
    for cell in sheet[1]:
        cell.font = BOLD
    for question in report.questions:
        if not question.is_text or question.everyone.suppressed:
            continue
        for answer in question.answers or []:
            row = [question.label, answer.text]
            if segment:
                row.append("★" if answer.in_segment else "")
            xlsx_append(sheet, row)
    sheet.column_dimensions["A"].width = 50
    sheet.column_dimensions["B"].width = 90


def _crosstab(sheet, report: Report) -> None:
    crosstab = report.crosstab
    hidden = _("nerāda: grupa < %(n)s") % {"n": report.min_group_size}
    heading = [crosstab.question_label, _("Visi"), ""]
    for column in crosstab.columns:
        label = column.label + (f" ({hidden})" if column.suppressed else "")
        heading += [label, ""]
    xlsx_append(sheet, heading)
    sub = [_("Jautājums / atbilde"), _("Skaits"), "%"] + [_("Skaits"), "%"] * len(crosstab.columns)
    xlsx_append(sheet, sub)
    sizes = [_("Respondenti"), report.respondents, None]
    for column in crosstab.columns:
        sizes += [column.respondents, None]
    xlsx_append(sheet, sizes)
    for row in sheet.iter_rows(min_row=1, max_row=3):
        for cell in row:
            cell.font = BOLD
    for question in report.questions:
        if not question.has_options or question.everyone.suppressed:
            continue
        xlsx_append(sheet, [question.label])
        sheet.cell(sheet.max_row, 1).font = BOLD
        for option in question.everyone.options:
            values = [f"  {option.label}", option.count, _fraction(option.percent)]
            for column in crosstab.columns:
                if column.suppressed:
                    values += [None, None]
                    continue
                count = column.counts.get((question.name, option.name), 0)
                base = column.counts.get((question.name, ""), 0)
                values += [count, _fraction(percent(count, base))]
            xlsx_append(sheet, values)
            for index in range(3, len(values) + 1, 2):
                sheet.cell(sheet.max_row, index).number_format = PERCENT
    sheet.column_dimensions["A"].width = 60
    sheet.freeze_panes = "B4"
    for index in range(2, 4 + 2 * len(crosstab.columns)):
        sheet.column_dimensions[get_column_letter(index)].width = 10


def write_xlsx(report: Report, out: IO[bytes]) -> None:
    with translation.override(report.language):
        view = report_view(report, charts=False)
        workbook = Workbook()
        summary = workbook.active
        summary.title = _("Kopsavilkums")
        _summary(summary, report, view)
        _open_answers(workbook.create_sheet(_("Atvērtās atbildes")), report)
        if report.crosstab is not None:
            _crosstab(workbook.create_sheet(_("Salīdzinājums")), report)
        workbook.save(out)
