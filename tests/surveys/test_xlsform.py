"""Questionnaires imported from and exported to XLSForm."""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pyxform.parsing.sheet_headers import clean_text_values
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

import kopiena.surveys
from kopiena.surveys.models import Question, Survey
from kopiena.surveys.questionnaire.xlsform import METADATA_TYPES, SIMPLE_TYPES, YES
from kopiena.surveys.services.questionnaires import (
    XLSFormError,
    survey_export_xlsform,
    survey_import_xlsform,
)
from tests.conftest import SHARED
from tests.factories import UserFactory, municipality
from tests.surveys.xlsform_helpers import (
    saved_counts,
    survey_structure,
    table,
    time_limit,
    xlsform_bytes,
)

pytestmark = pytest.mark.django_db

REFERENCE = Path(kopiena.surveys.__file__).parent / "reference" / "kopienu-aptauja.xlsx"


def sheet_rows(path: Path, name: str) -> list[dict[str, str]]:
    """A sheet read straight with openpyxl, independent of the importer."""
    rows = list(openpyxl.load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    return [
        {header: value for header, value in zip(rows[0], row, strict=True) if value is not None}
        for row in rows[1:]
    ]


def import_bytes(data: bytes, filename: str = "form.xlsx", **kwargs) -> Survey:
    return survey_import_xlsform(source=io.BytesIO(data), filename=filename, **kwargs)


def refused(data: bytes, filename: str = "form.xlsx", **kwargs) -> XLSFormError:
    before = saved_counts()
    with pytest.raises(XLSFormError) as raised:
        import_bytes(data, filename, **kwargs)
    assert saved_counts() == before, "a refused form must leave nothing behind"
    return raised.value


# --------------------------------------------------------------------------- reference form


def test_reference_form_imports_exactly():
    actor = UserFactory()
    survey = survey_import_xlsform(
        source=REFERENCE, filename=REFERENCE.name, municipality=municipality(), actor=actor
    )

    assert survey.slug == "kopienu_aptauja"
    assert survey.title == {"lv": "Aptauja kopienām par sadarbību ar pašvaldību"}
    assert survey.form_id == "kopienu_aptauja"
    assert survey.version == "2023"
    assert survey.default_language == "lv"
    assert survey.languages == [
        {"code": "lv", "name": "Latviešu (lv)"},
        {"code": "en", "name": "English (en)"},
    ]
    assert survey.municipality == municipality()
    assert survey.created_by == actor
    assert survey.status == Survey.Status.DRAFT

    questions = list(survey.questions.select_related("choice_list").order_by("position"))
    expected = sheet_rows(REFERENCE, "survey")
    assert len(questions) == len(expected) == 19
    for position, (question, row) in enumerate(zip(questions, expected, strict=True), start=1):
        type_name, _, list_name = row["type"].partition(" ")
        assert question.position == position
        assert question.name == row["name"]
        assert question.type == type_name
        assert (question.choice_list.name if question.choice_list else "") == list_name
        assert question.label == {
            "lv": row["label::Latviešu (lv)"],
            "en": row["label::English (en)"],
        }
        assert question.required == (row.get("required") == "yes")
        assert question.relevant == row.get("relevant", "")
        assert question.constraint == row.get("constraint", "")
        assert question.appearance == row.get("appearance", "")
        assert question.hint == {}
        assert question.group is None
        assert not question.has_other
        assert question.extra == {}

    choice_rows = sheet_rows(REFERENCE, "choices")
    lists = {choice_list.name: choice_list for choice_list in survey.choice_lists.order_by("id")}
    assert list(lists) == list(dict.fromkeys(row["list_name"] for row in choice_rows))
    for name, choice_list in lists.items():
        choices = list(choice_list.choices.order_by("position"))
        wanted = [row for row in choice_rows if row["list_name"] == name]
        assert [choice.name for choice in choices] == [str(row["name"]) for row in wanted]
        assert [choice.label for choice in choices] == [
            {"lv": str(row["label::Latviešu (lv)"]), "en": str(row["label::English (en)"])}
            for row in wanted
        ]
    assert len(lists["municipality"].choices.all()) == 43
    assert survey.questions.get(name="municipality_influence").appearance == "likert"
    assert survey.questions.get(name="instruments_new").constraint == "count-selected(.) <= 3"


def test_reference_form_round_trip_is_lossless():
    first = survey_import_xlsform(source=REFERENCE, filename=REFERENCE.name)
    exported = survey_export_xlsform(survey=first)
    second = import_bytes(exported, "exported.xlsx", slug="again")

    assert survey_structure(second) == survey_structure(first)


def test_export_writes_survey_choices_and_settings_with_language_columns():
    survey = survey_import_xlsform(source=REFERENCE, filename=REFERENCE.name)
    workbook = openpyxl.load_workbook(io.BytesIO(survey_export_xlsform(survey=survey)))

    assert workbook.sheetnames == ["survey", "choices", "settings"]
    survey_headers = [cell.value for cell in workbook["survey"][1]]
    assert survey_headers[:4] == ["type", "name", "label::Latviešu (lv)", "label::English (en)"]
    assert [cell.value for cell in workbook["choices"][1]] == [
        "list_name",
        "name",
        "label::Latviešu (lv)",
        "label::English (en)",
    ]
    settings = dict(zip(*workbook["settings"].iter_rows(values_only=True), strict=True))
    assert settings == {
        "form_title": "Aptauja kopienām par sadarbību ar pašvaldību",
        "form_id": "kopienu_aptauja",
        "version": "2023",
        "default_language": "Latviešu (lv)",
    }


# --------------------------------------------------------------------------- every type


def labels(lv: str, en: str) -> dict[str, str]:
    return {"label::Latviešu (lv)": lv, "label::English (en)": en}


EVERY_TYPE_SURVEY = table(
    {"type": "start", "name": "started"},
    {"type": "begin group", "name": "about", **labels("Par jums", "About you"),
     "appearance": "field-list"},
    {"type": "text", "name": "name", **labels("Vārds", "Name"),
     "hint::Latviešu (lv)": "Pilns vārds", "required": "yes",
     "required_message::Latviešu (lv)": "Ierakstiet vārdu", "my_column": "a"},
    {"type": "integer", "name": "age", **labels("Vecums", "Age"), "required": "TRUE()",
     "constraint": ". >= 18", "constraint_message::Latviešu (lv)": "Jābūt pilngadīgam"},
    {"type": "begin_group", "name": "inner", **labels("Iekšā", "Inside"),
     "relevant": "${age} > 20"},
    {"type": "decimal", "name": "height", **labels("Augums", "Height"), "required": "true"},
    {"type": "end_group"},
    {"type": "end group"},
    {"type": "date", "name": "born", **labels("Dzimis", "Born"), "required": "no"},
    {"type": "select_one colours or_other", "name": "colour", **labels("Krāsa", "Colour"),
     "media::image": "colour.png"},
    {"type": "select_multiple colours", "name": "colours", **labels("Krāsas", "Colours"),
     "appearance": "minimal"},
    {"type": "range", "name": "mood", **labels("Noskaņojums", "Mood"),
     "parameters": "start=0 end=5 step=1"},
    {"type": "range", "name": "score", **labels("Vērtējums", "Score")},
    {"type": "text", "name": "story", **labels("Stāsts", "Story"), "appearance": "multiline"},
    {"type": "note", **labels("Paldies!", "Thank you!")},
    {"type": "deviceid", "name": "device"},
)  # fmt: skip

EVERY_TYPE_CHOICES = [
    ["list_name", "name", "label::Latviešu (lv)", "label::English (en)", "filter"],
    ["colours", "red", "Sarkana", "Red", "warm"],
    ["colours", "blue", "Zila", "Blue", None],
    ["unused", "x", "X", "X", None],
]
EVERY_TYPE_SETTINGS = [
    ["form_title", "form_id", "version", "default_language", "style"],
    ["Visi veidi", "every_type", "7", "Latviešu (lv)", "pages"],
]


def every_type_form() -> bytes:
    return xlsform_bytes(EVERY_TYPE_SURVEY, EVERY_TYPE_CHOICES, EVERY_TYPE_SETTINGS)


def test_every_supported_type_maps_to_its_question():
    survey = import_bytes(every_type_form())
    questions = {question.name: question for question in survey.questions.all()}

    assert [q.name for q in survey.questions.order_by("position")] == [
        "about", "name", "age", "inner", "height", "born", "colour", "colours", "mood", "score",
        "story", "generated_note_name_16",
    ]  # fmt: skip
    assert "started" not in questions and "device" not in questions  # metadata, not questions
    assert {name: q.type for name, q in questions.items()} == {
        "about": "group", "name": "text", "age": "integer", "inner": "group", "height": "decimal",
        "born": "date", "colour": "select_one", "colours": "select_multiple", "mood": "range",
        "score": "range", "story": "text", "generated_note_name_16": "note",
    }  # fmt: skip
    assert questions["name"].group == questions["about"]
    assert questions["inner"].group == questions["about"]
    assert questions["height"].group == questions["inner"]
    assert questions["born"].group is None
    assert questions["about"].appearance == "field-list"
    assert questions["inner"].relevant == "${age} > 20"

    assert [q.required for q in (questions["name"], questions["age"], questions["height"])] == [
        True, True, True,
    ]  # fmt: skip
    assert questions["born"].required is False
    assert questions["name"].hint == {"lv": "Pilns vārds"}
    assert questions["name"].required_message == {"lv": "Ierakstiet vārdu"}
    assert questions["name"].extra == {"my_column": "a"}
    assert questions["age"].constraint == ". >= 18"
    assert questions["age"].constraint_message == {"lv": "Jābūt pilngadīgam"}

    assert questions["colour"].has_other is True
    assert questions["colour"].choice_list.name == "colours"
    assert questions["colour"].extra == {"media::image": "colour.png"}
    assert questions["colours"].has_other is False
    assert questions["colours"].appearance == "minimal"
    assert questions["mood"].parameters == {"start": 0, "end": 5, "step": 1}
    assert questions["score"].parameters == {"start": 1, "end": 10, "step": 1}  # pyxform defaults
    assert questions["story"].appearance == "multiline"
    assert questions["generated_note_name_16"].label == {"lv": "Paldies!", "en": "Thank you!"}

    colours = survey.choice_lists.get(name="colours")
    assert [(c.name, c.label, c.extra) for c in colours.choices.order_by("position")] == [
        ("red", {"lv": "Sarkana", "en": "Red"}, {"filter": "warm"}),
        ("blue", {"lv": "Zila", "en": "Blue"}, {}),
    ]
    assert survey.choice_lists.filter(name="unused").exists()
    assert survey.title == {"lv": "Visi veidi"}
    assert survey.settings_extra == {"style": "pages"}


def test_every_supported_type_round_trips_losslessly():
    first = import_bytes(every_type_form())
    second = import_bytes(survey_export_xlsform(survey=first), "export.xlsx", slug="second")

    assert survey_structure(second) == survey_structure(first)


def test_export_leaves_out_archived_questions_and_choices():
    survey = import_bytes(every_type_form())
    survey.questions.filter(name="born").update(is_archived=True)
    survey.choice_lists.get(name="colours").choices.filter(name="blue").update(is_archived=True)

    again = import_bytes(survey_export_xlsform(survey=survey), "export.xlsx", slug="again")

    assert not again.questions.filter(name="born").exists()
    assert list(again.choice_lists.get(name="colours").choices.values_list("name", flat=True)) == [
        "red"
    ]


def test_plain_label_columns_belong_to_an_undetermined_language():
    survey = import_bytes(
        xlsform_bytes([["type", "name", "label"], ["text", "q1", "Question one"]]),
        filename="plain.xlsx",
    )

    assert survey.slug == "plain"  # no form_id: the file's name
    assert survey.default_language == "und"
    assert survey.languages == [{"code": "und", "name": "default"}]
    assert survey.questions.get().label == {"und": "Question one"}
    again = import_bytes(survey_export_xlsform(survey=survey), "export.xlsx", slug="again")
    assert survey_structure(again) == survey_structure(survey)


def test_language_codes_from_names_and_the_default_language_setting():
    data = xlsform_bytes(
        [["type", "name", "label::English", "label::Français"], ["text", "q1", "Hello", "Bonjour"]],
        settings=[["default_language"], ["English (en)"]],
    )
    survey = import_bytes(data)

    assert survey.languages == [
        {"code": "en", "name": "English"},
        {"code": "fr", "name": "Français"},
    ]
    assert survey.default_language == "en"
    assert survey.questions.get().label == {"en": "Hello", "fr": "Bonjour"}


def test_csv_xlsform_imports():
    data = (
        b"survey,,,\n,type,name,label::English (en)\n,integer,age,How old?\n"
        b"settings,,,\n,form_id,,\n,csv_form,,\n"
    )
    survey = import_bytes(data, "form.csv")

    assert survey.slug == "csv_form"
    assert survey.questions.get().label == {"en": "How old?"}


def test_given_slug_is_used():
    survey = import_bytes(every_type_form(), slug="mana-aptauja")

    assert survey.slug == "mana-aptauja"


# --------------------------------------------------------------------------- bad inputs


def test_binary_junk_is_refused():
    error = refused(b"\x00\x01\x02 not a spreadsheet \xff\xfe" * 50, "junk.xlsx")

    assert "junk.xlsx" in str(error)


def test_html_renamed_xlsx_is_refused():
    error = refused(b"<!doctype html><html><body><table><tr><td>type</td></tr></table>", "f.xlsx")

    assert "f.xlsx" in str(error)


def test_truncated_xlsx_is_refused():
    error = refused(every_type_form()[:700])

    assert "xlsx" in str(error)


def test_workbook_that_unpacks_to_a_huge_sheet_is_refused():
    data = io.BytesIO()
    with (
        zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as bomb,
        bomb.open("xl/worksheets/sheet1.xml", "w") as sheet,
    ):
        for _ in range(101):
            sheet.write(b" " * (1024 * 1024))
    error = refused(data.getvalue(), "bomb.xlsx")

    assert "100 MB" in str(error)


def test_empty_file_is_refused():
    refused(b"", "empty.xlsx")


def test_csv_not_in_utf8_is_refused():
    error = refused("survey,,\n,type,name\n,text,vārds\n".encode("cp1257"), "form.csv")

    assert "UTF-8" in str(error)


def test_missing_survey_sheet_is_refused_naming_the_sheets_found():
    data = xlsform_bytes(
        [["type", "name"], ["text", "q1"]],
        [["list_name", "name"], ["l", "a"]],
        sheet_names=("questions", "choices", "settings"),
    )
    error = refused(data)

    assert "survey" in str(error) and "questions" in str(error)


def test_duplicate_question_names_are_refused_naming_both_rows():
    data = xlsform_bytes(
        [["type", "name", "label"], ["text", "q1", "A"], ["note", "n", "B"], ["integer", "q1", "C"]]
    )
    error = refused(data)

    assert (error.sheet, error.row) == ("survey", 4)
    assert "q1" in error.message and "2" in error.message
    assert "survey" in str(error) and "4" in str(error)


def test_select_from_a_missing_list_is_refused():
    data = xlsform_bytes(
        [["type", "name", "label"], ["text", "q1", "A"], ["select_one nowhere", "q2", "B"]],
        [["list_name", "name", "label"], ["somewhere", "a", "A"]],
    )
    error = refused(data)

    assert (error.sheet, error.row) == ("survey", 3)
    assert "nowhere" in error.message


def test_group_never_closed_is_refused_at_its_beginning():
    data = xlsform_bytes(
        [
            ["type", "name", "label"],
            ["text", "q1", "A"],
            ["begin group", "g", "G"],
            ["text", "q2", "B"],
        ]
    )
    error = refused(data)

    assert (error.sheet, error.row) == ("survey", 3)
    assert "g" in error.message


def test_end_group_without_begin_is_refused():
    error = refused(xlsform_bytes([["type", "name", "label"], ["text", "q1", "A"], ["end group"]]))

    assert (error.sheet, error.row) == ("survey", 3)


@pytest.mark.parametrize(
    "question_type",
    ["geopoint", "image", "calculate", "begin repeat", "select_one_from_file a.csv"],
)
def test_unsupported_question_type_is_refused_naming_the_row(question_type):
    calculation = "1" if question_type == "calculate" else None
    data = xlsform_bytes(
        [
            ["type", "name", "label", "calculation"],
            ["text", "q1", "A", None],
            ["note", "q2", "B", None],
            [question_type, "q3", "C", calculation],
        ]
    )
    error = refused(data)

    assert (error.sheet, error.row) == ("survey", 4)
    assert question_type in str(error) or "calculation" in str(error)


def test_choice_filter_is_refused_rather_than_ignored():
    data = xlsform_bytes(
        [["type", "name", "label", "choice_filter"], ["select_one l", "q1", "A", "x = 1"]],
        [["list_name", "name", "label", "x"], ["l", "a", "A", "1"]],
    )
    error = refused(data)

    assert (error.sheet, error.row) == ("survey", 2)
    assert "choice_filter" in error.message


def test_entities_sheet_is_refused():
    data = xlsform_bytes(
        [["type", "name", "label"], ["text", "q1", "A"]],
        [["list_name", "label"], ["trees", "${q1}"]],
        sheet_names=("survey", "entities", "settings"),
    )
    error = refused(data)

    assert error.sheet == "entities"


def test_bad_required_value_is_refused():
    data = xlsform_bytes([["type", "name", "label", "required"], ["text", "q1", "A", "maybe"]])
    error = refused(data)

    assert (error.sheet, error.row) == ("survey", 2)
    assert "maybe" in error.message


def test_duplicate_choice_is_refused_on_the_choices_sheet():
    data = xlsform_bytes(
        [["type", "name", "label"], ["select_one l", "q1", "A"]],
        [["list_name", "name", "label"], ["l", "a", "A"], ["l", "b", "B"], ["l", "a", "A again"]],
    )
    error = refused(data)

    assert (error.sheet, error.row) == ("choices", 4)


def test_survey_sheet_without_a_type_column_is_refused():
    error = refused(xlsform_bytes([["kind", "name", "label"], ["text", "q1", "A"]]))

    assert (error.sheet, error.row) == ("survey", 1)
    assert "type" in error.message


def test_choices_sheet_without_list_name_is_refused():
    data = xlsform_bytes(
        [["type", "name", "label"], ["select_one l", "q1", "A"]],
        [["list", "name", "label"], ["l", "a", "A"]],
    )
    error = refused(data)

    assert (error.sheet, error.row) == ("choices", 2)


def test_question_without_type_is_refused():
    data = xlsform_bytes([["type", "name", "label"], ["text", "q1", "A"], [None, "q2", "B"]])
    error = refused(data)

    assert (error.sheet, error.row) == ("survey", 3)


def test_invalid_name_found_by_pyxform_is_refused_with_its_row():
    data = xlsform_bytes([["type", "name", "label"], ["text", "q1", "A"], ["text", "2bad", "B"]])
    error = refused(data)

    assert (error.sheet, error.row) == ("survey", 3)


def test_reference_to_an_unknown_question_is_refused():
    data = xlsform_bytes(
        [
            ["type", "name", "label", "relevant"],
            ["text", "q1", "A", None],
            ["text", "q2", "B", "${nope} = 1"],
        ]
    )
    error = refused(data)

    assert error.sheet == "survey" and error.row == 3
    assert "nope" in error.message


def test_form_without_questions_is_refused():
    error = refused(xlsform_bytes([["type", "name"], ["start", "s"], ["end", "e"]]))

    assert error.sheet == "survey"


def test_slug_already_taken_is_refused():
    import_bytes(every_type_form())
    error = refused(every_type_form())

    assert "every_type" in str(error)
    assert Survey.objects.filter(slug="every_type").count() == 1


def test_invalid_slug_is_refused():
    refused(every_type_form(), slug="ne derīgs")


def test_question_count_matches_rows_that_are_questions():
    survey = import_bytes(every_type_form())

    assert survey.questions.filter(type__in=Question.ANSWERABLE_TYPES).count() == 9


# --------------------------------------------------------------------------- the corpus

CORPUS = SHARED / "corpus" / "xlsform"
CORPUS_FILES = sorted(
    str(path.relative_to(CORPUS))
    for path in CORPUS.glob("*/*")
    if path.suffix.lower() in {".xls", ".xlsx", ".xlsm", ".csv"}
)
# Forms within what Kopiena asks: they must import (a refusal would be a regression).
CORPUS_IMPORTS = {
    "bug-reports/badly_named_choices_sheet.xls",
    "bug-reports/blank_second_row.xls",
    "bug-reports/excel_with_macros.xlsm",
    "bug-reports/extra_columns.xls",
    "bug-reports/ict_survey_fails.xls",
    "examples/allow_comment_rows_test.xls",
    "examples/choice_name_same_as_select_name.xls",
    "examples/extra_columns.xlsx",
    "examples/extra_sheet_names.xlsx",
    "examples/field-list.xlsx",
    "examples/specify_other.csv",
    "examples/specify_other.xls",
    "examples/style_settings.xls",
    "examples/survey_no_name.xlsx",
    "examples/table-list.xls",
    "examples/text_and_integer.csv",
    "examples/text_and_integer.xls",
    "examples/text_and_integer.xlsx",
    "examples/utf_csv.csv",
    "examples/yes_or_no_question.csv",
    "examples/yes_or_no_question.xls",
    "examples/yes_or_no_question.xlsx",
}
# Some refusals, checked to the sheet, row and the words of the problem.
CORPUS_REFUSALS = {
    "examples/gps.xls": ("survey", 2, "gps"),
    "examples/gps.csv": ("survey", 2, "gps"),
    "examples/loop.xlsx": ("survey", 3, "begin loop over toilet_type"),
    "examples/sms_info.xls": ("survey", 9, "image"),
    "examples/include.xls": ("survey", 3, "include"),
    "examples/calculate.xls": ("survey", 2, "calculation"),
    "examples/widgets.csv": ("survey", 4, "default"),
    "examples/unknown_question_type.xls": ("survey", 1, "relevance"),
    "examples/fruits.csv": (None, None, "survey"),
    "bug-reports/group_name_test.xls": ("survey", 3, "name"),
    "bug-reports/duplicate_columns.xlsx": ("survey", 1, "label"),
    "bug-reports/calculate_without_calculation.xls": ("survey", 9, "begin repeat"),
    "bug-reports/UCL_Biomass_Plot_Form.xlsx": ("survey", 16, "select_one_from_file"),
}


def normalized(text: str) -> str:
    """pyxform collapses white space and straightens quotes in what it converts."""
    return clean_text_values(str(text), strip_whitespace=True)


def texts(value, codes: dict[str, str], default: str) -> dict[str, str]:
    """pyxform's label (a string, or a dict by language name) as Kopiena's dict by code."""
    if not value:
        return {}
    if isinstance(value, str):
        return {default: normalized(value)}
    return {codes[name]: normalized(text) for name, text in value.items() if text}


def pyxform_questions(children: list[dict], codes, default, or_other: set[str]) -> list[tuple]:
    """What pyxform reads as questions, less what it generates for its own XForm output."""
    found = []
    for child in children:
        name, kind = child["name"], child["type"]
        if kind in METADATA_TYPES or name == "meta" or name.startswith(PYXFORM_GENERATED):
            continue
        if name.endswith("_other") and name.removesuffix("_other") in or_other:
            continue  # pyxform writes `or_other` as a text question; Kopiena as has_other
        kinds = {"group": "group", "select one": "select_one"}
        kinds["select all that apply"] = "select_multiple"
        label, hint = child.get("label"), child.get("hint")
        members = child.get("children", [])
        if members and members[0]["name"].startswith("generated_table_list_label_"):
            label, hint = members[0].get("label"), members[0].get("hint")  # table-list moves it
        required = str(child.get("bind", {}).get("required", "")).casefold() in YES
        found.append(
            (
                name,
                kinds.get(kind) or SIMPLE_TYPES[kind],
                texts(label, codes, default),
                texts(hint, codes, default),
                child.get("list_name"),
                required,
            )
        )
        found += pyxform_questions(members, codes, default, or_other)
    return found


PYXFORM_GENERATED = ("generated_table_list_label_", "reserved_name_for_field_list_labels_")


def assert_matches_pyxform(survey: Survey, path: Path) -> None:
    """The questions, labels and choices are those pyxform itself reads from the file."""
    converted = workbook_to_json(get_xlsform(path))
    codes = {language["name"]: language["code"] for language in survey.languages}
    questions = survey.questions.select_related("choice_list").order_by("position")
    or_other = {question.name for question in questions if question.has_other}
    ours = [
        (
            q.name,
            q.type,
            {code: normalized(text) for code, text in q.label.items()},
            {code: normalized(text) for code, text in q.hint.items()},
            q.choice_list.name if q.choice_list else None,
            q.required,
        )
        for q in questions
    ]
    default = survey.default_language
    assert ours == pyxform_questions(converted["children"], codes, default, or_other)

    other_lists = {q.choice_list.name for q in questions if q.has_other}
    for choice_list in survey.choice_lists.all():
        ours = [
            (choice.name, {code: normalized(text) for code, text in choice.label.items()})
            for choice in choice_list.choices.order_by("position")
        ]
        theirs = [
            (choice["name"], texts(choice.get("label"), codes, default))
            for choice in converted.get("choices", {}).get(choice_list.name, [])
        ]
        if choice_list.name in other_lists and "other" not in {name for name, _ in ours}:
            theirs = theirs[:-1]  # the "other" choice pyxform adds for `or_other`
        assert ours == theirs, choice_list.name


@pytest.mark.corpus
@pytest.mark.parametrize("relative", CORPUS_FILES or ["(corpus absent)"])
def test_corpus_form_imports_correctly_or_is_refused_cleanly(shared_corpus, relative):
    path = shared_corpus / relative
    before = saved_counts()
    try:
        with time_limit(60):
            survey = survey_import_xlsform(source=path, filename=path.name)
    except XLSFormError as error:
        message = str(error)
        assert saved_counts() == before, "nothing of a refused form may be saved"
        assert relative not in CORPUS_IMPORTS, message
        assert error.message and "Traceback" not in message
        if error.row is not None:
            assert error.sheet and f"„{error.sheet}”" in message and f"{error.row}." in message
        if relative in CORPUS_REFUSALS:
            sheet, row, words = CORPUS_REFUSALS[relative]
            assert (error.sheet, error.row) == (sheet, row), message
            assert words in message
        return

    assert relative in CORPUS_IMPORTS, f"{relative} imported but is not expected to"
    assert_matches_pyxform(survey, path)
    again = import_bytes(survey_export_xlsform(survey=survey), "export.xlsx", slug="again")
    assert survey_structure(again) == survey_structure(survey)


def test_survey_built_on_the_web_exports_and_imports_the_same():
    """A survey made in the builder (labels by code, languages lv and en) survives XLSForm."""
    survey = Survey.objects.create(
        slug="built",
        title={"lv": "Uzbūvēta", "en": "Built"},
        languages=[{"code": "lv", "name": "Latviešu (lv)"}, {"code": "en", "name": "English (en)"}],
    )
    yes_no = survey.choice_lists.create(name="yes_no")
    yes_no.choices.create(position=1, name="ja", label={"en": "Yes", "lv": "Jā"})
    yes_no.choices.create(position=2, name="ne", label={"lv": "Nē"})
    section = survey.questions.create(
        position=1, name="section", type="group", label={"lv": "Sadaļa"}
    )
    survey.questions.create(
        position=2, group=section, name="agree", type="select_one", choice_list=yes_no,
        label={"en": "Agree?", "lv": "Piekrītat?"}, required=True, has_other=True,
    )  # fmt: skip
    survey.questions.create(
        position=3, group=section, name="rating", type="range", label={"lv": "Vērtējums"},
        parameters={"start": 1, "end": 5, "step": 1}, relevant="${agree} = 'ja'",
    )  # fmt: skip
    survey.questions.create(position=4, name="why", type="text", label={"lv": "Kāpēc?"})

    again = import_bytes(survey_export_xlsform(survey=survey), "built.xlsx", slug="again")

    expected = survey_structure(survey) | {"title": {"lv": "Uzbūvēta"}}  # form_title: one language
    assert survey_structure(again) == expected | {"default_language": "lv"}
