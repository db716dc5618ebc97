"""Reading an uploaded table — CSV or XLSX, told apart by content — as a stream of rows.

Files come from whatever the respondent's tool and the user's spreadsheet produced:
UTF-8 with or without a byte-order mark, or Windows-1257 (what Excel on a Baltic
Windows writes), comma-, semicolon- or tab-separated. Rows are read one at a time so
that a file of 100,000 rows never sits in memory whole.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

# A cell is text, or a date/time where an XLSX cell holds one (timestamps).
Cell = str | dt.datetime | dt.date

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls and other Office 97 files
CHUNK = 1024 * 1024


class TableError(ValueError):
    """A file that cannot be read as a table; the message says why, for the user."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


@dataclass
class Table:
    """A readable table: its header row and an iterator over (row number, cells)."""

    kind: str  # "csv" or "xlsx"
    headers: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    encoding: str = ""
    delimiter: str = ""


def column_letter(index: int) -> str:
    """A spreadsheet's column name for a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def open_table(source: IO[bytes]) -> Table:
    """Open a binary, seekable file as a table, by its content rather than its name."""
    source.seek(0)
    head = source.read(8)
    source.seek(0)
    if not head:
        raise TableError(_("Fails ir tukšs."))
    if head.startswith(ZIP_MAGIC):
        return _open_xlsx(source)
    if head.startswith(OLE_MAGIC):
        raise TableError(
            _("Vecais Excel formāts (.xls) netiek atbalstīts: saglabājiet failu kā XLSX vai CSV.")
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TableError(_("Faila kodējums UTF-16 netiek atbalstīts: saglabājiet to kā CSV UTF-8."))
    if _is_binary(source.read(SAMPLE_BYTES)):
        source.seek(0)
        raise _not_a_table()
    source.seek(0)
    return _open_csv(source)


def _not_a_table() -> TableError:
    return TableError(_("Fails nav CSV vai XLSX tabula."))


def _detect_encoding(source: IO[bytes]) -> str:
    """UTF-8 (with or without BOM) or Windows-1257, checked over the whole file in chunks."""
    source.seek(0)
    start = source.read(4)
    source.seek(0)
    encoding = "utf-8-sig" if start.startswith(codecs.BOM_UTF8) else "utf-8"
    if _decodes(source, encoding):
        return encoding
    if _decodes(source, "cp1257") and _looks_baltic(source):
        return "cp1257"
    raise TableError(
        _(
            "Faila kodējumu neizdevās atpazīt: saglabājiet to kā CSV UTF-8 "
            "vai Windows-1257 (Baltic)."
        )
    )


def _decodes(source: IO[bytes], encoding: str) -> bool:
    source.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := source.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        source.seek(0)
    return True


# Bytes that no text table holds in UTF-8 or Windows-1257: binary data, or UTF-16.
_CONTROL_BYTES = bytes(code for code in range(32) if code not in (9, 10, 13))


def _is_binary(sample: bytes) -> bool:
    return len(sample.translate(None, _CONTROL_BYTES)) != len(sample)


def _looks_baltic(source: IO[bytes]) -> bool:
    """Windows-1257 decodes almost any bytes; is this real Baltic text?

    Latvian words carry one or two accented letters among plain ones; text in another
    single-byte code page (Cyrillic Windows-1251, say) decodes to words made mostly of
    accented letters.
    """
    sample = source.read(SAMPLE_BYTES * 4).decode("cp1257", errors="replace")
    source.seek(0)
    accented_words = mostly_accented = 0
    for word in re.findall(r"[^\W\d_]+", sample):
        accented = sum(1 for char in word if not char.isascii())
        if accented:
            accented_words += 1
            mostly_accented += accented * 2 > len(word)
    return not accented_words or mostly_accented * 2 < accented_words


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the same, largest number of columns."""
    lines = sample.splitlines()[:20]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end mid-line
    best, best_width = ",", 1
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
        except csv.Error:
            continue
        if widths and widths[0] > best_width and widths.count(widths[0]) >= len(widths) / 2:
            best, best_width = delimiter, widths[0]
    return best


class _Borrowed(io.RawIOBase):
    """The caller's file, read through a text wrapper that must not close it when done."""

    def __init__(self, source: IO[bytes]):
        self._source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._source.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _open_csv(source: IO[bytes]) -> Table:
    encoding = _detect_encoding(source)
    sample = source.read(SAMPLE_BYTES).decode(encoding, errors="ignore")
    source.seek(0)
    delimiter = _sniff_delimiter(sample)
    text = io.TextIOWrapper(io.BufferedReader(_Borrowed(source)), encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    try:
        headers = next(reader)
    except StopIteration:
        raise TableError(_("Failā nav nevienas rindas.")) from None
    except csv.Error as error:
        raise TableError(
            _("Virsraksta rindu nevar nolasīt: %(error)s") % {"error": error}, row=1
        ) from None
    return Table("csv", [str(header) for header in headers], _csv_rows(reader), encoding, delimiter)


def _csv_rows(reader) -> Iterator[tuple[int, list[Cell]]]:
    number = 1
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise TableError(
                _("Rindu nevar nolasīt (%(error)s): pārbaudiet pēdiņas šajā rindā vai pirms tās.")
                % {"error": error},
                row=number,
            ) from None
        if any(cell.strip() for cell in cells):
            yield number, cells


def _open_xlsx(source: IO[bytes]) -> Table:
    import openpyxl  # imported here: CSV-only imports and the web form never need it

    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        raise TableError(
            _("XLSX fails ir bojāts vai nepilnīgs (iespējams, augšupielāde pārtrūka).")
        ) from None
    if "xl/workbook.xml" not in names:
        raise _not_a_table()
    source.seek(0)
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, XML errors) for damaged files
        raise TableError(_("XLSX fails ir bojāts vai nepilnīgs.")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header_cells = next(rows)
    except StopIteration:
        raise TableError(_("Failā nav nevienas rindas.")) from None
    except Exception:
        raise TableError(_("XLSX fails ir bojāts vai nepilnīgs.")) from None
    headers = [_cell_text(cell) for cell in header_cells]
    while headers and not headers[-1]:
        headers.pop()
    return Table("xlsx", headers, _xlsx_rows(rows, len(headers), workbook))


def _xlsx_rows(rows, width: int, workbook) -> Iterator[tuple[int, list[Cell]]]:
    number = 1
    try:
        for values in rows:
            number += 1
            cells = [_cell(value) for value in values[:width]]
            if any(cell for cell in cells):
                yield number, cells
    except Exception:
        raise TableError(_("XLSX faila rindu nevar nolasīt."), row=number) from None
    finally:
        workbook.close()


def _cell(value) -> Cell:
    if isinstance(value, dt.datetime | dt.date):
        return value
    return _cell_text(value)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
