"""XLSForm in and out, as plain data: no database here.

A question read or written is a `QuestionShape` (schema.py: the one declaration of what a
question is) with the spreadsheet's row and the names of its list and its group.

Reading goes through pyxform, the XLSForm project's own reader: its backends turn
.xlsx/.xlsm/.xls/.csv into sheet rows, its header rules decide what a column means
(`label::English (en)`, `bind:relevant`, `list name`, aliases, any letter case), and
its full conversion (`workbook_to_json`) validates the file once Kopiena has mapped
it. Kopiena then accepts only what its web form can ask truthfully:

- text (appearance `multiline` for several lines), integer, decimal, date, note,
  select_one / select_multiple LIST (with `or_other`), range, and groups (nested);
- every other question type (geopoint, image, calculate, repeat, select from a
  file, ...) refuses the whole file, naming the sheet and row;
- metadata rows (start, end, today, deviceid, username, ...: the types pyxform fills
  in from the device, never asked) are skipped and listed in `XLSForm.skipped`.
  Kopiena records when a response was submitted itself, and an anonymous survey
  must not collect device or user identifiers, so they have nothing to carry;
- an `entities` sheet (answers saved into ODK datasets) refuses the file too;
- columns that would change what is asked or stored but that Kopiena does not
  implement (choice_filter, default, read_only, calculation, trigger,
  repeat_count) refuse the file rather than being silently dropped;
- any other column (media, guidance hints, custom columns) is kept verbatim under
  its header in `extra`, so that import → export → import gives the same questionnaire.

Languages: the suffix of `label::Latviešu (lv)` is the language's name; its code
is the one in parentheses, else the one Django knows for that name ("English"),
else the name itself slugified. Columns without a suffix belong to the
`default_language` setting, or, without it, to pyxform's unnamed "default"
language, stored under the code "und" (undetermined, ISO 639-2).

Files over 10 MB, or workbooks that would unpack to over 100 MB, are refused before
pyxform reads them.

Rows are numbered as in the spreadsheet: the header is row 1. In a CSV file,
where each sheet is a block of lines, rows count within the sheet's block as
pyxform counts them.

pyxform's internals used here (pinned to its major version 4 in pyproject.toml): the
header rules (`parsing.sheet_headers`, `aliases` with the private `_type_alias_map`), the
backends and `DefinitionData` (`xls2json_backends`), `xls2json`'s control regexes and
`workbook_to_json`, `parsing.parameters.parse`, `parsing.expression.is_xml_tag`,
`question_type_dictionary.QUESTION_TYPE_DICT`, and the slot names of `MultipleChoiceQuestion`,
`Option` and `Survey`.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import openpyxl
import xlrd
from django.conf.locale import LANG_INFO
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pyxform import aliases, constants
from pyxform.errors import PyXFormError
from pyxform.parsing.expression import is_xml_tag
from pyxform.parsing.parameters import parse as parse_parameters
from pyxform.parsing.sheet_headers import clean_text_values, process_header
from pyxform.question import MultipleChoiceQuestion, Option
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.survey import Survey as PyxformSurvey
from pyxform.xls2json import RE_BEGIN_CONTROL, RE_END_CONTROL, RE_SELECT, workbook_to_json
from pyxform.xls2json_backends import (
    DefinitionData,
    csv_to_dict,
    xls_to_dict,
    xlsx_to_dict,
)

from .schema import (
    APPEARANCE_MAX_LENGTH,
    CHOICE_NAME_MAX_LENGTH,
    LANGUAGE_CODE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    SETTING_MAX_LENGTH,
    ChoiceShape,
    QuestionShape,
    QuestionType,
)

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024

DEFAULT_LANGUAGE_NAME = constants.DEFAULT_LANGUAGE_VALUE  # pyxform's "default"
UNDETERMINED_LANGUAGE = "und"
GENERATED_NOTE_NAME = "generated_note_name_{row}"  # pyxform's name for a nameless note

T = QuestionType
END_GROUP = "end group"
TRANSLATED_FIELDS = ("label", "hint", "required_message", "constraint_message")
RANGE_DEFAULTS = {
    key: int(value) for key, value in QUESTION_TYPE_DICT["range"]["parameters"].items()
}

# Every spelling pyxform defines identically to one of Kopiena's types
# ("string", "q string", "add text prompt" are all a text question).
SIMPLE_TYPES = {
    pyxform_type: kopiena_type
    for kopiena_type in (T.TEXT, T.INTEGER, T.DECIMAL, T.DATE, T.NOTE, T.RANGE)
    for pyxform_type, definition in QUESTION_TYPE_DICT.items()
    if definition == QUESTION_TYPE_DICT[kopiena_type]
}
# Filled in by the device (jr:preload), never asked of the respondent.
METADATA_TYPES = frozenset(
    pyxform_type
    for pyxform_type, definition in QUESTION_TYPE_DICT.items()
    if "jr:preload" in definition.get("bind", {})
)
SELECT_TYPES = {
    constants.SELECT_ONE: T.SELECT_ONE,
    constants.SELECT_ALL_THAT_APPLY: T.SELECT_MULTIPLE,
}

# Survey-sheet columns, as pyxform's header rules name them, that Kopiena maps to fields.
SURVEY_FIELDS: dict[tuple[str, ...], str] = {
    ("type",): "type",
    ("name",): "name",
    ("label",): "label",
    ("hint",): "hint",
    ("bind", "required"): "required",
    ("bind", "jr:requiredMsg"): "required_message",
    ("bind", "relevant"): "relevant",
    ("bind", "constraint"): "constraint",
    ("bind", "jr:constraintMsg"): "constraint_message",
    ("control", "appearance"): "appearance",
    ("parameters",): "parameters",
    ("disabled",): "disabled",
}
# Columns whose meaning Kopiena does not implement and must not silently drop.
UNSUPPORTED_SURVEY_COLUMNS = frozenset(
    {
        ("choice_filter",),
        ("default",),
        ("bind", "readonly"),  # read_only
        ("bind", "calculate"),  # calculation
        ("trigger",),
        ("control", "jr:count"),  # repeat_count
    }
)
CHOICE_FIELDS = {(constants.LIST_NAME_S,): "list_name", ("name",): "name", ("label",): "label"}
SETTINGS_FIELDS = {
    (constants.TITLE,): "form_title",
    (constants.ID_STRING,): "form_id",
    ("version",): "version",
    (constants.DEFAULT_LANGUAGE_KEY,): "default_language",
}
YES = frozenset(key.casefold() for key, value in aliases.yes_no.items() if value)
NO = frozenset(key.casefold() for key, value in aliases.yes_no.items() if not value)
RE_CODE_IN_NAME = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)\s*\)\s*$")
RE_DUPLICATE_HEADER = re.compile(r"Duplicate column header: (.*)$")
RE_PYXFORM_ROW = re.compile(r"\[row\s*:\s*(\d+)\]\s*")
RE_PYXFORM_SHEET = re.compile(
    r"'(survey|choices|settings)' sheet|sheet:? '(survey|choices|settings)'"
)


class XLSFormError(Exception):
    """A file that cannot be imported: where (sheet and row, when they apply) and why."""

    def __init__(self, message: str, *, sheet: str | None = None, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.row = row

    def __str__(self) -> str:
        if self.sheet and self.row:
            where = _("lapa „%(sheet)s”, %(row)s. rinda") % {"sheet": self.sheet, "row": self.row}
        elif self.sheet:
            where = _("lapa „%(sheet)s”") % {"sheet": self.sheet}
        else:
            return self.message
        return f"{where}: {self.message}"


@dataclass
class Language:
    code: str
    name: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name}


@dataclass(frozen=True, kw_only=True)
class XLSFormChoice(ChoiceShape):
    row: int | None = field(default=None, compare=False)


@dataclass
class XLSFormChoiceList:
    name: str
    choices: list[XLSFormChoice] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class XLSFormQuestion(QuestionShape):
    list_name: str | None = None
    # Name of the innermost group this question is in.
    group: str | None = None
    row: int | None = field(default=None, compare=False)


@dataclass
class SkippedRow:
    """A survey-sheet row that is not a question (device metadata), left out on purpose."""

    row: int
    type: str
    name: str


@dataclass
class XLSForm:
    title: dict[str, str] = field(default_factory=dict)
    form_id: str = ""
    version: str = ""
    default_language: str = UNDETERMINED_LANGUAGE
    languages: list[Language] = field(default_factory=list)
    settings_extra: dict[str, str] = field(default_factory=dict)
    questions: list[XLSFormQuestion] = field(default_factory=list)
    choice_lists: list[XLSFormChoiceList] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def read_xlsform(source: Path | bytes | IO[bytes], filename: str = "") -> XLSForm:
    """Read an XLSForm (.xlsx, .xlsm, .xls or .csv) or raise XLSFormError."""
    data = _read_bytes(source)
    filename = filename or (source.name if isinstance(source, Path) else "")
    definition = _read_sheets(data, filename)
    xlsform = _Reader(definition).read()
    _validate_with_pyxform(definition, Path(filename).stem)
    return xlsform


def _read_bytes(source: Path | bytes | IO[bytes]) -> bytes:
    if isinstance(source, Path):
        if source.stat().st_size > MAX_FILE_BYTES:
            raise XLSFormError(_too_large())
        return source.read_bytes()
    data = source if isinstance(source, bytes) else source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise XLSFormError(_too_large())
    return data


def _too_large() -> str:
    return _("Fails ir lielāks par %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)}


def _read_sheets(data: bytes, filename: str) -> DefinitionData:
    """The file's sheets as pyxform reads them, chosen by content, not by file name."""
    if not data.strip():
        raise XLSFormError(_("Fails ir tukšs."))
    if data.startswith(b"PK\x03\x04"):
        kind, backend = "xlsx", xlsx_to_dict
        _check_unpacked_size(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        kind, backend = "xls", xls_to_dict
    elif Path(filename).suffix.lower() in ("", ".csv", ".txt"):
        kind, backend = "csv", csv_to_dict
        data = _csv_as_utf8(data)
    else:
        raise XLSFormError(
            _("Fails „%(name)s” nav XLSForm izklājlapa (.xlsx, .xlsm, .xls vai .csv).")
            % {"name": filename}
        )
    try:
        # pyxform wraps what it understands; anything else from a damaged file is
        # as much a refusal as a clean error (xlrd and openpyxl raise many kinds).
        sheets = backend(io.BytesIO(data))
    except Exception as error:
        duplicate = RE_DUPLICATE_HEADER.match(str(error))
        if duplicate:
            raise XLSFormError(
                _("Kolonna „%(header)s” ir vairāk nekā vienu reizi.")
                % {"header": duplicate.group(1)},
                sheet=_sheet_with_duplicate_header(data, kind),
                row=1,
            ) from error
        raise XLSFormError(
            _("Failu nevar nolasīt kā %(kind)s izklājlapu: %(error)s")
            % {"kind": kind, "error": _pyxform_text(error)}
        ) from error
    known = {name: value for name, value in sheets.items() if name in _DEFINITION_FIELDS}
    definition = DefinitionData(**known)
    if definition.survey is None:
        found = ", ".join(sheets.get("sheet_names") or []) or "—"
        raise XLSFormError(
            _("Failā nav lapas „survey” (atrastās lapas: %(found)s).") % {"found": found}
        )
    return definition


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a workbook that would unpack to far more than any questionnaire (a zip bomb)."""
    try:
        unpacked = sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable zip: the reader below says so
    if unpacked > MAX_UNPACKED_BYTES:
        raise XLSFormError(
            _("Izklājlapa atpakota būtu lielāka par %(size)s MB; tā nav aptaujas veidlapa.")
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _sheet_with_duplicate_header(data: bytes, kind: str) -> str | None:
    """Which sheet pyxform's "Duplicate column header" is about (it does not say)."""
    try:
        if kind == "xlsx":
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
            firsts = {
                sheet.title: next(sheet.iter_rows(max_row=1, values_only=True), ())
                for sheet in workbook
            }
        else:
            book = xlrd.open_workbook(file_contents=data)
            firsts = {
                sheet.name: sheet.row_values(0) if sheet.nrows else [] for sheet in book.sheets()
            }
    except Exception:  # the sheet is a courtesy; the message stands without it
        return None
    for name, headers in firsts.items():
        cleaned = [str(header).strip() for header in headers if header not in (None, "")]
        if len(cleaned) != len(set(cleaned)):
            return name
    return None


_DEFINITION_FIELDS = frozenset(DefinitionData.__slots__) - {"fallback_form_name"}


def _csv_as_utf8(data: bytes) -> bytes:
    try:
        return data.decode("utf-8-sig").encode("utf-8")
    except UnicodeDecodeError as error:
        raise XLSFormError(
            _("CSV fails nav UTF-8 kodējumā (baits %(position)s).") % {"position": error.start}
        ) from error


def _pyxform_text(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _validate_with_pyxform(definition: DefinitionData, fallback_name: str) -> None:
    """Let pyxform check everything Kopiena's mapping does not (names, references, ...)."""
    try:
        workbook_to_json(copy.deepcopy(definition), fallback_form_name=fallback_name or None)
    except Exception as error:
        text = _pyxform_text(error)
        row_match = RE_PYXFORM_ROW.search(text)
        sheet_match = RE_PYXFORM_SHEET.search(text)
        sheet = next(filter(None, sheet_match.groups())) if sheet_match else None
        row = int(row_match.group(1)) if row_match else None
        if row and not sheet:
            sheet = SURVEY  # pyxform numbers rows only on the survey sheet unless it says
        message = RE_PYXFORM_ROW.sub("", text).strip()
        raise XLSFormError(
            _("XLSForm kļūda: %(error)s") % {"error": message}, sheet=sheet, row=row
        ) from error


# Per sheet, pyxform's header aliases and the columns it knows (as xls2json uses them).
HEADER_RULES = {
    SURVEY: (aliases.survey_header, set(MultipleChoiceQuestion.get_slot_names())),
    CHOICES: (aliases.list_header, set(Option.get_slot_names())),
    SETTINGS: (aliases.settings_header, set(PyxformSurvey.get_slot_names())),
}


def _columns(
    sheet: str,
    header_rows: Iterable[dict[str, Any]] | None,
    rows: Iterable[dict[str, Any]],
    aliases_: dict[str, Any],
    known: set[str],
) -> dict[str, tuple[str, ...]]:
    """Each header as written in the file → its tokens as pyxform's header rules name it."""
    headers = list(next(iter(header_rows or []), {}) or {})
    if not headers:  # pyxform guesses them from the data then
        headers = list(dict.fromkeys(key for row in rows for key in row))
    use_double_colon = any("::" in header for header in headers)
    columns: dict[str, tuple[str, ...]] = {}
    seen: dict[tuple[str, ...], str] = {}
    for header in headers:
        _new, tokens = process_header(header, use_double_colon, aliases_, known)
        if tokens in seen:
            raise XLSFormError(
                _("Kolonnas „%(one)s” un „%(other)s” nozīmē vienu un to pašu.")
                % {"one": seen[tokens], "other": header},
                sheet=sheet,
                row=1,
            )
        seen[tokens] = header
        columns[header] = tokens
    return columns


class _Reader:
    def __init__(self, definition: DefinitionData):
        self.definition = definition
        self.settings: dict[str, str] = {}
        self.settings_extra: dict[str, str] = {}
        self.language_names: list[str] = []
        self.used_language_names: set[str] = set()
        self.default_language_name = DEFAULT_LANGUAGE_NAME
        self.strip_whitespace = True

    def read(self) -> XLSForm:
        if any(self.definition.entities or []):
            # ODK Entities write answers into shared datasets; Kopiena has none.
            raise XLSFormError(_("Lapa „entities” netiek atbalstīta."), sheet="entities")
        self._read_settings()
        # The survey sheet first: its columns give the languages their order.
        questions, skipped = self._read_survey()
        if not questions:
            raise XLSFormError(_("Lapā nav neviena jautājuma."), sheet=SURVEY)
        choice_lists = self._read_choices()
        for question in questions:
            if question.list_name is not None and question.list_name not in choice_lists:
                raise XLSFormError(
                    _("Izvēļu saraksta „%(list)s” nav lapā „choices”.")
                    % {"list": question.list_name},
                    sheet=SURVEY,
                    row=question.row,
                )
        languages, codes = self._languages()
        questions = self._with_language_codes(questions, choice_lists, codes)
        default_code = codes.get(self.default_language_name) or (
            languages[0].code if languages else UNDETERMINED_LANGUAGE
        )
        title = self.settings.get("form_title", "")
        return XLSForm(
            title={default_code: title} if title else {},
            form_id=self.settings.get("form_id", ""),
            version=self.settings.get("version", ""),
            default_language=default_code,
            languages=languages,
            settings_extra=self.settings_extra,
            questions=questions,
            choice_lists=list(choice_lists.values()),
            skipped=skipped,
        )

    def _sheet(self, sheet: str) -> tuple[list[dict[str, str]], dict[str, tuple[str, ...]]]:
        """A sheet's rows and what each of its columns means."""
        rows = list(getattr(self.definition, sheet) or [])
        header_aliases, known = HEADER_RULES[sheet]
        header_rows = getattr(self.definition, f"{sheet}_header")
        return rows, _columns(sheet, header_rows, rows, header_aliases, known)

    # -- settings

    def _read_settings(self) -> None:
        rows, columns = self._sheet(SETTINGS)
        # pyxform reads the settings from the first row under the headers.
        for header, value in (rows[0] if rows else {}).items():
            name = SETTINGS_FIELDS.get(columns[header])
            if name is None:
                self.settings_extra[header] = value
            else:
                self.settings[name] = value
        for name in ("form_id", "version"):
            if len(self.settings.get(name, "")) > SETTING_MAX_LENGTH:
                raise XLSFormError(
                    _("„%(name)s” ir garāks par %(max)s rakstzīmēm.")
                    % {"name": name, "max": SETTING_MAX_LENGTH},
                    sheet=SETTINGS,
                    row=2,
                )
        if self.settings.get("default_language"):
            self.default_language_name = self.settings["default_language"]
            self.language_names.append(self.default_language_name)
        clean = self.settings_extra.get("clean_text_values")
        self.strip_whitespace = aliases.yes_no.get(clean or "yes", True)

    # -- choices

    def _read_choices(self) -> dict[str, XLSFormChoiceList]:
        rows, columns = self._sheet(CHOICES)
        lists: dict[str, XLSFormChoiceList] = {}
        seen: dict[tuple[str, str], int] = {}
        for row_number, row in enumerate(rows, start=2):
            if not row:
                continue
            values: dict[str, Any] = {"label": {}}
            extra: dict[str, str] = {}
            for header, value in row.items():
                tokens = columns[header]
                name = CHOICE_FIELDS.get(tokens[:1])
                if name == "label":
                    self._translate(values["label"], tokens, value)
                elif name and len(tokens) == 1:
                    values[name] = value
                else:
                    extra[header] = value
            list_name, name = values.get("list_name"), values.get("name")
            if not list_name:
                raise XLSFormError(
                    _("Izvēlei nav saraksta nosaukuma („list_name”)."),
                    sheet=CHOICES,
                    row=row_number,
                )
            if not name:
                raise XLSFormError(
                    _("Izvēlei sarakstā „%(list)s” nav nosaukuma („name”).") % {"list": list_name},
                    sheet=CHOICES,
                    row=row_number,
                )
            if (list_name, name) in seen:
                raise XLSFormError(
                    _("Sarakstā „%(list)s” izvēle „%(name)s” atkārtojas (arī %(other)s. rindā).")
                    % {"list": list_name, "name": name, "other": seen[(list_name, name)]},
                    sheet=CHOICES,
                    row=row_number,
                )
            seen[(list_name, name)] = row_number
            if len(list_name) > NAME_MAX_LENGTH or len(name) > CHOICE_NAME_MAX_LENGTH:
                raise XLSFormError(
                    _("Saraksta vai izvēles nosaukums ir pārāk garš."),
                    sheet=CHOICES,
                    row=row_number,
                )
            choice_list = lists.setdefault(list_name, XLSFormChoiceList(list_name))
            choice_list.choices.append(
                XLSFormChoice(name=name, label=values["label"], extra=extra, row=row_number)
            )
        return lists

    # -- survey

    def _read_survey(self) -> tuple[list[XLSFormQuestion], list[SkippedRow]]:
        rows, columns = self._sheet(SURVEY)
        if ("type",) not in columns.values():
            raise XLSFormError(_("Lapā nav kolonnas „type”."), sheet=SURVEY, row=1)
        questions: list[XLSFormQuestion] = []
        skipped: list[SkippedRow] = []
        names: dict[str, int] = {}
        open_groups: list[XLSFormQuestion] = []
        for row_number, row in enumerate(rows, start=2):
            question = self._survey_row(row, columns, row_number)
            if question is None:
                continue
            if isinstance(question, SkippedRow):
                skipped.append(question)
                continue
            if question.type == END_GROUP:
                if not open_groups:
                    raise XLSFormError(
                        _("„end group” bez atbilstoša „begin group”."), sheet=SURVEY, row=row_number
                    )
                open_groups.pop()
                continue
            if question.name in names:
                raise XLSFormError(
                    _("Nosaukums „%(name)s” atkārtojas (arī %(other)s. rindā).")
                    % {"name": question.name, "other": names[question.name]},
                    sheet=SURVEY,
                    row=row_number,
                )
            names[question.name] = row_number
            question = replace(question, group=open_groups[-1].name if open_groups else None)
            questions.append(question)
            if question.type == T.GROUP:
                open_groups.append(question)
        if open_groups:
            group = open_groups[-1]
            raise XLSFormError(
                _("Sadaļa „%(name)s” nav aizvērta: trūkst „end group”.") % {"name": group.name},
                sheet=SURVEY,
                row=group.row,
            )
        return questions, skipped

    def _survey_row(
        self,
        row: dict[str, str],
        columns: dict[str, tuple[str, ...]],
        row_number: int,
    ) -> XLSFormQuestion | SkippedRow | None:
        fields: dict[str, Any] = {name: {} for name in TRANSLATED_FIELDS}
        extra: dict[str, str] = {}
        for header, raw in row.items():
            tokens = columns[header]
            value = clean_text_values(raw, strip_whitespace=False)
            name = SURVEY_FIELDS.get(tokens[:2]) or SURVEY_FIELDS.get(tokens[:1])
            if tokens in UNSUPPORTED_SURVEY_COLUMNS:
                raise XLSFormError(
                    _("Kolonna „%(column)s” netiek atbalstīta (vērtība „%(value)s”).")
                    % {"column": header, "value": raw},
                    sheet=SURVEY,
                    row=row_number,
                )
            if name in TRANSLATED_FIELDS:
                self._translate(fields[name], tokens, raw)
            elif name and len(tokens) == len(_field_tokens(name)):
                fields[name] = value
            else:
                extra[header] = raw
        if aliases.yes_no.get(fields.get("disabled", "")):
            return None  # pyxform leaves disabled rows out too
        fields.pop("disabled", None)
        raw_type = fields.pop("type", "")
        question_type = " ".join(raw_type.split())
        if not question_type:
            if fields.get("name") or any(fields[name] for name in TRANSLATED_FIELDS):
                raise XLSFormError(
                    _("Jautājumam nav veida („type”)."), sheet=SURVEY, row=row_number
                )
            return None  # a blank or comment row
        question_type = aliases._type_alias_map.get(question_type, question_type)
        name = fields.pop("name", "")
        if question_type in METADATA_TYPES:
            return SkippedRow(row=row_number, type=question_type, name=name)
        end = RE_END_CONTROL.search(question_type)
        if end:
            if end.group("type") != "group":
                raise _unsupported(raw_type, row_number)
            return XLSFormQuestion(name=name, type=END_GROUP, row=row_number)
        kopiena_type, list_name, has_other = _question_type(raw_type, question_type, row_number)
        if kopiena_type == T.NOTE and not name:
            name = GENERATED_NOTE_NAME.format(row=row_number)
        self._check_name(name, row_number)
        required = fields.pop("required", "")
        return XLSFormQuestion(
            name=name,
            type=kopiena_type,
            label=fields["label"],
            hint=fields["hint"],
            required=_yes_no(required, row_number),
            required_message=fields["required_message"],
            relevant=self._expression(fields.get("relevant", "")),
            constraint=self._expression(fields.get("constraint", "")),
            constraint_message=fields["constraint_message"],
            appearance=self._appearance(fields.get("appearance", ""), row_number),
            list_name=list_name,
            has_other=has_other,
            parameters=_parameters(kopiena_type, fields.get("parameters", ""), row_number),
            extra=extra,
            row=row_number,
        )

    def _expression(self, value: str) -> str:
        # As pyxform does for XPath: Excel's autocorrected quotes become plain ones.
        return clean_text_values(value, strip_whitespace=self.strip_whitespace)

    def _appearance(self, value: str, row_number: int) -> str:
        if len(value) > APPEARANCE_MAX_LENGTH:
            raise XLSFormError(
                _("„appearance” ir garāks par %(max)s rakstzīmēm.")
                % {"max": APPEARANCE_MAX_LENGTH},
                sheet=SURVEY,
                row=row_number,
            )
        return value

    def _check_name(self, name: str, row_number: int) -> None:
        if not name:
            raise XLSFormError(
                _("Jautājumam nav nosaukuma („name”)."), sheet=SURVEY, row=row_number
            )
        if len(name) > NAME_MAX_LENGTH:
            raise XLSFormError(
                _("Nosaukums „%(name)s” ir garāks par %(max)s rakstzīmēm.")
                % {"name": name, "max": NAME_MAX_LENGTH},
                sheet=SURVEY,
                row=row_number,
            )
        if not is_xml_tag(name):
            raise XLSFormError(
                _("Nosaukums „%(name)s” nav derīgs: jāsākas ar burtu vai „_”, bez atstarpēm.")
                % {"name": name},
                sheet=SURVEY,
                row=row_number,
            )

    # -- languages

    def _translate(self, texts: dict[str, str], tokens: tuple[str, ...], value: str) -> None:
        """Put a label-like cell under its language name (codes are set once all are known)."""
        translated = len(tokens) > 1 + (tokens[0] == "bind")
        language = tokens[-1] if translated else self.default_language_name
        if language not in self.language_names:
            self.language_names.append(language)
        self.used_language_names.add(language)
        if translated or language not in texts:  # a suffixed column wins, as in pyxform
            texts[language] = value

    def _languages(self) -> tuple[list[Language], dict[str, str]]:
        """The file's languages in order, and the code of every language name seen."""
        languages: list[Language] = []
        codes: dict[str, str] = {}
        for name in self.language_names:
            code = language_code(name)
            codes[name] = code
            other = next((language for language in languages if language.code == code), None)
            if other is None:
                languages.append(Language(code=code, name=name))
            elif other.name not in self.used_language_names:
                # The default_language setting ("English") names a language that the
                # columns spell another way ("label::English (en)"): one language.
                other.name = name
            elif name in self.used_language_names:
                raise XLSFormError(
                    _("Valodām „%(one)s” un „%(other)s” ir viens kods „%(code)s”.")
                    % {"one": other.name, "other": name, "code": code}
                )
        return languages, codes

    @staticmethod
    def _with_language_codes(
        questions: list[XLSFormQuestion],
        choice_lists: dict[str, XLSFormChoiceList],
        codes: dict[str, str],
    ) -> list[XLSFormQuestion]:
        """The questions with their texts keyed by language code, not name; the choice
        lists' choices likewise, in place."""
        for choice_list in choice_lists.values():
            choice_list.choices = [
                replace(choice, label=_by_code(choice.label, codes))
                for choice in choice_list.choices
            ]
        return [
            replace(
                question,
                **{name: _by_code(getattr(question, name), codes) for name in TRANSLATED_FIELDS},
            )
            for question in questions
        ]


def _field_tokens(name: str) -> tuple[str, ...]:
    return next(tokens for tokens, field_name in SURVEY_FIELDS.items() if field_name == name)


def _by_code(texts: dict[str, str], codes: dict[str, str]) -> dict[str, str]:
    return {codes[language]: text for language, text in texts.items()}


def language_code(name: str) -> str:
    """The language code for a column suffix: "Latviešu (lv)" → lv, "English" → en."""
    if name == DEFAULT_LANGUAGE_NAME:
        return UNDETERMINED_LANGUAGE
    match = RE_CODE_IN_NAME.search(name)
    if match:
        return match.group(1).lower().replace("_", "-")[:LANGUAGE_CODE_MAX_LENGTH]
    wanted = name.strip().casefold()
    if wanted in LANG_INFO:
        return wanted
    for code, info in LANG_INFO.items():
        if wanted in (info.get("name", "").casefold(), info.get("name_local", "").casefold()):
            return code
    code = slugify(name)[:LANGUAGE_CODE_MAX_LENGTH]
    if not code:
        raise XLSFormError(
            _("Valodai „%(name)s” nevar noteikt kodu; rakstiet to kā „Nosaukums (kods)”.")
            % {"name": name}
        )
    return code


def _question_type(raw_type: str, question_type: str, row: int) -> tuple[str, str | None, bool]:
    """Kopiena's type, the choice list's name and `or_other`, or a refusal naming the row."""
    if question_type in SIMPLE_TYPES:
        return SIMPLE_TYPES[question_type], None, False
    begin = RE_BEGIN_CONTROL.search(question_type)
    if begin:
        if begin.group("type") != "group" or begin.group("list_name"):
            raise _unsupported(raw_type, row)
        return T.GROUP, None, False
    select = RE_SELECT.search(question_type)
    if select:
        kopiena_type = SELECT_TYPES.get(aliases.select[select.group("select_command")])
        list_name = select.group("list_name")
        # Lists from a file (cities.csv) or from earlier answers (${q1}) are not choice lists.
        if kopiena_type and "." not in list_name and "$" not in list_name:
            return kopiena_type, list_name, select.group("specify_other") is not None
    raise _unsupported(raw_type, row)


def _unsupported(raw_type: str, row: int) -> XLSFormError:
    return XLSFormError(
        _("Neatbalstīts jautājuma veids „%(type)s”.") % {"type": raw_type}, sheet=SURVEY, row=row
    )


def _yes_no(value: str, row: int) -> bool:
    if not value or value.casefold() in NO:
        return False
    if value.casefold() in YES:
        return True
    raise XLSFormError(
        _("„required” jābūt „yes” vai „no”, nevis „%(value)s”.") % {"value": value},
        sheet=SURVEY,
        row=row,
    )


def _parameters(kopiena_type: str, raw: str, row: int) -> dict[str, Any]:
    try:
        parameters: dict[str, Any] = parse_parameters(raw, row)
    except PyXFormError as error:
        raise XLSFormError(
            _("„parameters” nav saprotami: „%(value)s”.") % {"value": raw}, sheet=SURVEY, row=row
        ) from error
    if kopiena_type != T.RANGE:
        return parameters
    for key, default in RANGE_DEFAULTS.items():
        value = parameters.get(key, default)
        try:
            number = float(value)
        except ValueError:
            raise XLSFormError(
                _("Skalas parametram „%(key)s” jābūt skaitlim, nevis „%(value)s”.")
                % {"key": key, "value": value},
                sheet=SURVEY,
                row=row,
            ) from None
        parameters[key] = int(number) if number.is_integer() else number
    return parameters


# --------------------------------------------------------------------------- writing


def write_xlsform(xlsform: XLSForm) -> bytes:
    """The questionnaire as an .xlsx workbook with sheets survey, choices and settings."""
    suffix = {
        language.code: "" if language.name == DEFAULT_LANGUAGE_NAME else f"::{language.name}"
        for language in xlsform.languages
    }
    workbook = openpyxl.Workbook()
    survey_sheet = workbook.active
    survey_sheet.title = SURVEY
    _write_sheet(
        survey_sheet, [_survey_row(question, suffix) for question in _with_group_ends(xlsform)]
    )
    _write_sheet(
        workbook.create_sheet(CHOICES),
        [
            {constants.LIST_NAME_U: choice_list.name, "name": choice.name}
            | _translated_cells("label", choice.label, suffix)
            | choice.extra
            for choice_list in xlsform.choice_lists
            for choice in choice_list.choices
        ],
        first=[constants.LIST_NAME_U, "name"],
    )
    _write_sheet(workbook.create_sheet(SETTINGS), [_settings_row(xlsform)], first=())
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _with_group_ends(xlsform: XLSForm) -> list[XLSFormQuestion]:
    """The questions with an "end group" row after each group's last member."""
    rows: list[XLSFormQuestion] = []
    open_groups: list[str] = []
    for question in xlsform.questions:
        while open_groups and open_groups[-1] != question.group:
            rows.append(XLSFormQuestion(name="", type=END_GROUP))
            open_groups.pop()
        rows.append(question)
        if question.type == T.GROUP:
            open_groups.append(question.name)
    rows.extend(XLSFormQuestion(name="", type=END_GROUP) for _group in open_groups)
    return rows


def _survey_row(question: XLSFormQuestion, suffix: dict[str, str]) -> dict[str, str]:
    if question.type == END_GROUP:
        return {"type": END_GROUP}
    if question.type == T.GROUP:
        type_text = "begin group"
    elif question.list_name:
        type_text = f"{question.type} {question.list_name}" + (
            " or_other" if question.has_other else ""
        )
    else:
        type_text = question.type
    row = {"type": type_text, "name": question.name}
    row |= _translated_cells("label", question.label, suffix)
    row |= _translated_cells("hint", question.hint, suffix)
    values = {
        "required": "yes" if question.required else "",
        "relevant": question.relevant,
        "constraint": question.constraint,
        "appearance": question.appearance,
        "parameters": " ".join(f"{key}={value}" for key, value in question.parameters.items()),
    }
    row |= {header: value for header, value in values.items() if value}
    row |= _translated_cells("required_message", question.required_message, suffix)
    row |= _translated_cells("constraint_message", question.constraint_message, suffix)
    return row | question.extra


def _translated_cells(column: str, texts: dict[str, str], suffix: dict[str, str]) -> dict[str, str]:
    # In the file's language order: a database may hand the dict back in any order.
    codes = [
        *(code for code in suffix if code in texts),
        *(code for code in texts if code not in suffix),
    ]
    return {
        f"{column}{suffix.get(code, f'::{code}')}": texts[code] for code in codes if texts[code]
    }


def _settings_row(xlsform: XLSForm) -> dict[str, str]:
    default = next(
        (language for language in xlsform.languages if language.code == xlsform.default_language),
        None,
    )
    row = {
        "form_title": xlsform.title.get(xlsform.default_language)
        or next(iter(xlsform.title.values()), ""),
        "form_id": xlsform.form_id,
        "version": xlsform.version,
        "default_language": default.name
        if default and default.name != DEFAULT_LANGUAGE_NAME
        else "",
    }
    return {key: value for key, value in row.items() if value} | xlsform.settings_extra


def _write_sheet(
    sheet, rows: list[dict[str, str]], first: Iterable[str] = ("type", "name")
) -> None:
    headers = list(dict.fromkeys([*first, *(header for row in rows for header in row)]))
    sheet.append(headers)
    for row in rows:
        sheet.append([_cell(row.get(header, "")) for header in headers])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a label that starts with "=" is text, not a formula


def _cell(value: Any) -> str | None:
    if value in ("", None):
        return None
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))
