"""Write the reference responses as Google Forms, KoboToolbox and LimeSurvey would export them.

    uv run python tests/surveys/data/make_fixtures.py

Reads the reference questionnaire (labels) and its 17 responses from
kopiena/surveys/reference/ and writes, next to this script, each tool's export of
the same answers with the tool's quirks:

- google-forms.csv / .xlsx: `Timestamp` first, question texts as headers, answers as
  Latvian labels, checkboxes joined with ", " (labels contain commas too), typed
  "Other" text inline instead of separate *_other columns, timestamps as a Latvian
  spreadsheet writes them (24.11.2026 14:03:05; real date cells in the XLSX).
- kobo.csv: `;`-separated, every field quoted, XML-name headers, select_multiple as a
  summary plus `question/choice` 1/0 columns, system columns (_id, _uuid,
  _submission_time in UTC, …). kobo.xlsx: the same with label headers.
- limesurvey.csv: UTF-8 with BOM, `;`-separated, letters-and-digits question codes,
  `CODE[SQ]` Y/empty per choice, `CODE[other]` for typed answers, `-oth-` in lists.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import uuid
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parents[2] / "kopiena" / "surveys" / "reference"
START = dt.datetime(2026, 11, 2, 9, 0, 5)
UTC_OFFSET = dt.timedelta(hours=2)  # Riga in November
UUID_NAMESPACE = uuid.UUID("6f1c1b1e-2d4b-4d49-9a51-2a0f9a8c0001")
OTHER = "other"


def read_form():
    workbook = openpyxl.load_workbook(REFERENCE / "kopienu-aptauja.xlsx", read_only=True)
    survey_rows = list(workbook["survey"].iter_rows(values_only=True))
    choice_rows = list(workbook["choices"].iter_rows(values_only=True))
    questions = []
    for row in survey_rows[1:]:
        kind, name, label = row[0], row[1], row[2]
        parts = kind.split()
        questions.append(
            {
                "name": name,
                "type": parts[0],
                "list": parts[1] if len(parts) > 1 else None,
                "label": label,
            }
        )
    choices: dict[str, dict[str, str]] = {}
    for list_name, name, label, *_ in choice_rows[1:]:
        choices.setdefault(list_name, {})[str(name)] = label
    return questions, choices


def read_responses() -> list[dict[str, str]]:
    with (REFERENCE / "kopienu-aptauja-atbildes.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def submitted(index: int) -> dt.datetime:
    return START + dt.timedelta(hours=3 * index, minutes=17 * index, seconds=index)


def companion(question: dict, questions: list[dict]) -> str | None:
    name = question["name"] + "_other"
    return name if any(q["name"] == name for q in questions) else None


def google_rows(questions, choices, responses):
    companions = {companion(q, questions) for q in questions} - {None}
    asked = [q for q in questions if q["name"] not in companions]
    headers = ["Timestamp", *(q["label"] for q in asked)]
    rows = []
    for index, response in enumerate(responses):
        row: list[object] = [submitted(index)]
        for question in asked:
            value = response[question["name"]]
            labels = choices.get(question["list"], {})
            typed = response.get(question["name"] + "_other", "")
            if question["type"] == "select_one":
                row.append(typed if value == OTHER else labels.get(value, value))
            elif question["type"] == "select_multiple":
                parts = [labels[name] for name in value.split() if name != OTHER]
                if OTHER in value.split():
                    parts.append(typed)
                row.append(", ".join(parts))
            else:
                row.append(value)
        rows.append(row)
    return headers, rows


def write_google(questions, choices, responses) -> None:
    headers, rows = google_rows(questions, choices, responses)
    with (HERE / "google-forms.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row[0].strftime("%d.%m.%Y %H:%M:%S"), *row[1:]])
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Form Responses 1"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cell in sheet["A"][1:]:
        cell.number_format = "dd.mm.yyyy hh:mm:ss"
    workbook.save(HERE / "google-forms.xlsx")


def kobo_rows(questions, choices, responses, *, labels: bool):
    def header(question, choice=None):
        text = question["label"] if labels else question["name"]
        if choice is None:
            return text
        return f"{text}/{choices[question['list']][choice] if labels else choice}"

    headers = ["start", "end"]
    for question in questions:
        headers.append(header(question))
        if question["type"] == "select_multiple":
            headers.extend(header(question, choice) for choice in choices[question["list"]])
    headers += [
        "__version__",
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_notes",
        "_status",
        "_submitted_by",
        "_tags",
        "_index",
    ]
    rows = []
    for index, response in enumerate(responses):
        moment = submitted(index)
        row: list[object] = [
            (moment - dt.timedelta(minutes=12)).isoformat(timespec="milliseconds") + "+02:00",
            moment.isoformat(timespec="milliseconds") + "+02:00",
        ]
        for question in questions:
            value = response[question["name"]]
            names = choices.get(question["list"], {})
            if question["type"] == "select_one":
                row.append(names.get(value, value) if labels else value)
            elif question["type"] == "select_multiple":
                chosen = value.split()
                row.append(" ".join(names[n] for n in chosen) if labels else value)
                row.extend(1 if choice in chosen else 0 for choice in names)
            else:
                row.append(value)
        row += [
            "vKopienas2023",
            400100 + index,
            str(uuid.uuid5(UUID_NAMESPACE, str(index))),
            (moment - UTC_OFFSET).isoformat(timespec="seconds"),
            "",
            "",
            "submitted_via_web",
            "",
            "",
            index + 1,
        ]
        rows.append(row)
    return headers, rows


def write_kobo(questions, choices, responses) -> None:
    headers, rows = kobo_rows(questions, choices, responses, labels=False)
    with (HERE / "kobo.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(headers)
        writer.writerows(rows)
    headers, rows = kobo_rows(questions, choices, responses, labels=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Kopienu aptauja"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(HERE / "kobo.xlsx")


def code(name: str) -> str:
    """LimeSurvey codes hold letters and digits only."""
    return re.sub(r"[^A-Za-z0-9]", "", name)


def write_limesurvey(questions, choices, responses) -> None:
    companions = {companion(q, questions) for q in questions} - {None}
    asked = [q for q in questions if q["name"] not in companions]
    headers = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
    for question in asked:
        names = choices.get(question["list"], {})
        if question["type"] == "select_multiple":
            headers.extend(f"{code(question['name'])}[{code(c)}]" for c in names if c != OTHER)
            if OTHER in names:
                headers.append(f"{code(question['name'])}[other]")
        else:
            headers.append(code(question["name"]))
            if OTHER in names:
                headers.append(f"{code(question['name'])}[other]")
    rows = []
    for index, response in enumerate(responses):
        moment = submitted(index).strftime("%Y-%m-%d %H:%M:%S")
        row = [str(index + 1), moment, "4", "lv", str(1000 + index), moment, moment]
        for question in asked:
            value = response[question["name"]]
            names = choices.get(question["list"], {})
            typed = response.get(question["name"] + "_other", "")
            if question["type"] == "select_multiple":
                chosen = value.split()
                row.extend("Y" if c in chosen else "" for c in names if c != OTHER)
                if OTHER in names:
                    row.append(typed if OTHER in chosen else "")
            elif question["type"] == "select_one":
                row.append("-oth-" if value == OTHER else code(value))
                if OTHER in names:
                    row.append(typed if value == OTHER else "")
            else:
                row.append(value)
        rows.append(row)
    with (HERE / "limesurvey.csv").open("w", encoding="utf-8", newline="") as file:
        file.write(codecs.BOM_UTF8.decode("utf-8"))
        writer = csv.writer(file, delimiter=";")
        writer.writerow(headers)
        writer.writerows(rows)


def main() -> None:
    questions, choices = read_form()
    responses = read_responses()
    write_google(questions, choices, responses)
    write_kobo(questions, choices, responses)
    write_limesurvey(questions, choices, responses)


if __name__ == "__main__":
    main()
