"""Bad files: a clear message naming the row and column, and nothing imported."""

import codecs
import io

import openpyxl
import pytest

from kopiena.surveys.models import ImportBatch, Response
from kopiena.surveys.services.imports import ImportRejected, import_preview, response_import
from tests.surveys.imports_helpers import DATA, REFERENCE_RESPONSES, reference_survey

pytestmark = pytest.mark.django_db

HEADER = "community_name,municipality,population,municipality_influence,instruments_new\n"


@pytest.fixture
def survey():
    return reference_survey()


def rejected(survey, source: bytes, **options) -> list:
    """Import a file expected to fail; returns its problems after checking nothing was kept."""
    with pytest.raises(ImportRejected) as caught:
        response_import(survey=survey, source=source, filename="bad", **options)
    assert Response.objects.filter(survey=survey).count() == 0
    assert ImportBatch.objects.filter(survey=survey).count() == 0
    return caught.value.result.problems


def test_binary_junk_is_not_a_table(survey):
    (problem,) = rejected(survey, bytes(range(256)) * 40)
    assert problem.message == "Fails nav CSV vai XLSX tabula."


def test_an_old_xls_file_is_refused_with_advice(survey):
    (problem,) = rejected(survey, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert "XLSX vai CSV" in problem.message


def test_headers_matching_no_question(survey):
    (problem,) = rejected(survey, b"foo,bar,baz\n1,2,3\n")
    assert problem.row == 1
    assert problem.message == "Neviena kolonna neatbilst nevienam aptaujas jautājumam."


def test_an_xlsx_cut_in_half(survey):
    content = (DATA / "kobo.xlsx").read_bytes()
    (problem,) = rejected(survey, content[: len(content) // 2])
    assert "bojāts vai nepilnīgs" in problem.message


def test_a_csv_with_a_broken_quote_names_the_row(survey):
    content = (
        HEADER + 'A,riga,200_1000,3,info\nB,"riga,lidz_200,2,info\nC,riga,lidz_200,1,info\n'
    ).encode()
    problems = rejected(survey, content)
    assert problems[-1].row == 3
    assert "pēdiņas" in problems[-1].message


def test_a_windows_1257_file_is_read_as_such(survey):
    content = (HEADER + "Ķekavas kopiena,kekavas_nov,200_1000,3,info\n").encode("cp1257")

    result = response_import(survey=survey, source=content, filename="cp1257.csv")

    assert result.imported == 1
    assert Response.objects.get().answers.get(question__name="community_name").text == (
        "Ķekavas kopiena"
    )


def test_utf8_with_a_byte_order_mark_and_semicolons(survey):
    content = (
        codecs.BOM_UTF8
        + (HEADER.replace(",", ";") + "Ādaži;adazu_nov;lidz_200;1;prakses info\n").encode()
    )

    result = response_import(survey=survey, source=content, filename="bom.csv")

    assert (result.imported, result.columns[0]["question"]) == (1, "community_name")


def test_a_file_in_neither_encoding_gets_a_clear_message(survey):
    content = (HEADER + "Кекавская община,kekavas_nov,200_1000,3,info\n").encode("cp1251")
    (problem,) = rejected(survey, content)
    assert "kodējumu neizdevās atpazīt" in problem.message
    assert "UTF-8" in problem.message


def test_utf16_gets_a_clear_message(survey):
    (problem,) = rejected(survey, HEADER.encode("utf-16"))
    assert "UTF-16" in problem.message


def test_a_non_number_in_an_integer_column(survey):
    survey.questions.filter(name="municipality_influence").update(type="integer", choice_list=None)
    content = (HEADER + "A,riga,lidz_200,3,info\nB,riga,lidz_200,daudz,info\n").encode()

    (problem,) = rejected(survey, content)

    assert (problem.row, problem.column, problem.header) == (3, "D", "municipality_influence")
    assert "Ievadiet skaitli" in problem.message
    assert "daudz" in problem.message


def test_strict_mode_refuses_a_value_breaking_a_constraint(survey):
    content = (HEADER + "A,riga,lidz_200,3,prakses info padome bonusi\n").encode()

    (problem,) = rejected(survey, content, strict=True)

    assert (problem.row, problem.column, problem.header) == (2, "E", "instruments_new")


def test_strict_mode_refuses_a_missing_required_answer(survey):
    content = (HEADER + "A,,lidz_200,3,info\n").encode()

    (problem,) = rejected(survey, content, strict=True)

    assert (problem.row, problem.column) == (2, "B")


def test_without_strict_mode_the_same_row_is_imported(survey):
    content = (HEADER + "A,,lidz_200,3,prakses info padome bonusi\n").encode()
    assert response_import(survey=survey, source=content, filename="ok.csv").imported == 1


def test_one_bad_row_late_in_a_big_file_leaves_nothing_behind(survey):
    survey.questions.filter(name="municipality_influence").update(type="integer", choice_list=None)
    rows = "".join(f"K{n},riga,lidz_200,3,info\n" for n in range(5000))
    content = (HEADER + rows + "Z,riga,lidz_200,daudz,info\n").encode()

    (problem,) = rejected(survey, content)

    assert (problem.row, problem.column) == (5002, "D")


def test_every_problem_is_listed_and_nothing_written(survey):
    survey.questions.filter(name="municipality_influence").update(type="integer", choice_list=None)
    content = (HEADER + "A,riga,lidz_200,x,info\nB,riga,lidz_200,y,info\n").encode()

    preview = import_preview(survey=survey, source=content)

    assert [(p.row, p.column) for p in preview.problems] == [(2, "D"), (3, "D")]
    assert Response.objects.count() == 0


def test_an_xlsx_with_a_bad_timestamp_names_its_cell(survey):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Timestamp", "Kopienas nosaukums"])
    sheet.append(["vakar", "Kopiena"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    (problem,) = rejected(survey, buffer.getvalue())

    assert (problem.row, problem.column, problem.header) == (2, "A", "Timestamp")


def test_an_empty_file(survey):
    (problem,) = rejected(survey, b"")
    assert problem.message == "Fails ir tukšs."


def test_the_reference_file_passes_strict_mode(survey):
    result = response_import(survey=survey, source=REFERENCE_RESPONSES, strict=True)
    assert result.imported == 17
