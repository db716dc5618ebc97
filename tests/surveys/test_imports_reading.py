"""Reading tables and cells as tools write them, without a database."""

import datetime as dt
import io

import openpyxl
import pytest

from kopiena.surveys.imports.columns import parse_timestamp
from kopiena.surveys.imports.google_forms import split_labels
from kopiena.surveys.imports.reading import TableError, column_letter, open_table

LABELS = sorted(
    [
        "ir bijis finansiāls atbalsts kopienai pašvaldības projektu konkursa veidā",
        "jābūt atsevišķiem mērķtiecīgiem pasākumiem (projektu konkursi, neliels atbalsts)",
        "projektu konkursi",
        "nav",
    ],
    key=len,
    reverse=True,
)


def table(content: bytes):
    opened = open_table(io.BytesIO(content))
    return opened, list(opened.rows)


@pytest.mark.parametrize(
    ("content", "delimiter"),
    [
        (b"a,b,c\n1,2,3\n", ","),
        (b"a;b;c\n1;2,5;3\n", ";"),
        (b'"a";"b";"c"\n"1";"2";"3"\n', ";"),
        (b"a\tb\tc\n1\t2\t3\n", "\t"),
    ],
)
def test_the_delimiter_is_sniffed(content, delimiter):
    opened, rows = table(content)
    assert (opened.delimiter, opened.headers, rows) == (delimiter, ["a", "b", "c"], rows)
    assert len(rows[0][1]) == 3


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    _opened, rows = table(b"a,b\n1,2\n,\n\n3,4\n")
    assert [number for number, _cells in rows] == [2, 5]


def test_encodings():
    assert table("a\nĶekava\n".encode())[0].encoding == "utf-8"
    assert table("\ufeffa\nĶekava\n".encode())[0].headers == ["a"]
    opened, rows = table('a\n"Ķekava, Ādaži"\n'.encode("cp1257"))
    assert (opened.encoding, rows[0][1]) == ("cp1257", ["Ķekava, Ādaži"])


def test_xlsx_cells_keep_dates_and_whole_numbers():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Timestamp", "n", None])
    workbook.active.append([dt.datetime(2026, 11, 24, 14, 3, 5), 3.0, None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    opened, rows = table(buffer.getvalue())

    assert (opened.kind, opened.headers) == ("xlsx", ["Timestamp", "n"])
    assert rows == [(2, [dt.datetime(2026, 11, 24, 14, 3, 5), "3"])]


def test_a_zip_that_is_no_workbook():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(TableError, match="nav CSV vai XLSX"):
        open_table(io.BytesIO(buffer.getvalue()))


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_labels_with_commas_are_found_whole():
    cell = (
        "Jābūt atsevišķiem mērķtiecīgiem pasākumiem (projektu konkursi, neliels atbalsts), "
        "Projektu konkursi"
    )
    assert split_labels(cell, LABELS) == [
        "Jābūt atsevišķiem mērķtiecīgiem pasākumiem (projektu konkursi, neliels atbalsts)",
        "Projektu konkursi",
    ]


def test_typed_other_text_is_kept_whole_wherever_it_stands():
    assert split_labels("nav, Telpas, sapulcēm un svētkiem, projektu konkursi", LABELS) == [
        "nav",
        "Telpas, sapulcēm un svētkiem",
        "projektu konkursi",
    ]
    assert split_labels("Tikai mans teksts, ar komatu", LABELS) == ["Tikai mans teksts, ar komatu"]


@pytest.mark.parametrize(
    "text",
    [
        "24.11.2026 14:03:05",
        "24.11.2026. 14:03:05",
        "2026-11-24 14:03:05",
        "2026-11-24T14:03:05",
        "11/24/2026 14:03:05",
        "24/11/2026 14:03:05",
        "11/24/2026 2:03:05 PM",
        "2026/11/24 2:03:05 PM EET",
    ],
)
def test_timestamps_in_each_locale_are_riga_time(text):
    assert parse_timestamp(text) == dt.datetime(2026, 11, 24, 12, 3, 5, tzinfo=dt.UTC)


def test_timestamps_with_a_zone_keep_it_and_bad_ones_raise():
    assert parse_timestamp("2026-11-24T14:03:05+00:00").hour == 14
    assert parse_timestamp("2026-11-24T12:03:05", utc=True).hour == 12
    with pytest.raises(ValueError):
        parse_timestamp("31.02.2026 10:00:00")
