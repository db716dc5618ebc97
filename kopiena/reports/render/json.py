"""The report as JSON, exactly as spec/report-json.md defines ("kopiena-report/1").

`report_data` gives the whole report as a dict (what a published snapshot stores);
`write_json` streams it, writing text answers as it reads them so that a survey of
a million responses never holds its open answers in memory; `report_from_data`
reads a snapshot back into a `Report` for the other renderers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from ..engine import (
    FORMAT,
    AnswerFilter,
    Crosstab,
    CrosstabColumn,
    Filters,
    GroupFigures,
    OptionFigure,
    QuestionReport,
    Report,
    Section,
    SegmentInfo,
)
from ..reading import JSON_ANSWER_SEPARATOR, TextAnswer


def number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: integral values without a fraction (median 2, not 2.0)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _figures(figures: GroupFigures, question: QuestionReport) -> dict[str, Any]:
    if figures.suppressed:
        return {"suppressed": True}
    data: dict[str, Any] = {"answered": figures.answered, "suppressed": False}
    if question.has_options:
        data["options"] = [
            {"name": o.name, "label": o.label, "count": o.count, "percent": float(o.percent)}
            for o in figures.options
        ]
    if figures.mean is not None or figures.median is not None:
        data["mean"] = number(figures.mean)
        data["median"] = number(figures.median)
    if figures.distribution:
        data["distribution"] = [
            {"value": number(value), "count": count} for value, count in figures.distribution
        ]
    return data


def _question(question: QuestionReport, with_answers: bool) -> dict[str, Any]:
    everyone = _figures(question.everyone, question)
    data: dict[str, Any] = {
        "name": question.name,
        "type": question.type,
        "label": question.label,
        "section": question.section,
    }
    data.update(everyone)
    data.pop("suppressed", None)
    if question.everyone.suppressed:
        data["suppressed"] = True
    if question.has_options:
        data["other_answers"] = list(question.other_answers)
    if question.other_of:
        data["other_of"] = question.other_of
    if question.is_text and with_answers:
        data["answers"] = [_answer(answer) for answer in question.answers or []]
    if question.segment is not None:
        data["segment"] = _figures(question.segment, question)
    return data


def _answer(answer: TextAnswer) -> dict[str, Any]:
    return {"text": answer.text, "in_segment": answer.in_segment}


def _head(report: Report) -> dict[str, Any]:
    segment = None
    if report.segment:
        segment = {
            "question": report.segment.question,
            "choice": report.segment.choice,
            "label": report.segment.label,
            "question_label": report.segment.question_label,
            "respondents": report.segment.respondents,
            "suppressed": report.segment.suppressed,
        }
    data: dict[str, Any] = {
        "format": FORMAT,
        "survey": {"slug": report.slug, "title": report.title, "language": report.language},
        "respondents": report.respondents,
        "suppressed": report.suppressed,
        "segment": segment,
        "min_group_size": report.min_group_size,
        "filters": {
            "submitted_from": _date(report.filters.submitted_from),
            "submitted_to": _date(report.filters.submitted_to),
            "answers": [
                {
                    "question": f.question,
                    "choice": f.choice,
                    "label": f.label,
                    "question_label": f.question_label,
                }
                for f in report.filters.answers
            ],
        },
        "generated_at": report.generated_at.isoformat() if report.generated_at else None,
        "sections": [{"name": s.name, "label": s.label} for s in report.sections],
        "conclusions": dict(report.conclusions),
    }
    if report.crosstab:
        data["crosstab"] = _crosstab(report.crosstab)
    return data


def _crosstab(crosstab: Crosstab) -> dict[str, Any]:
    return {
        "question": crosstab.question,
        "question_label": crosstab.question_label,
        "columns": [
            {
                "choice": column.choice,
                "label": column.label,
                "respondents": column.respondents,
                "suppressed": column.suppressed,
                "counts": [
                    {"question": question, "option": option, "count": count}
                    for (question, option), count in column.counts.items()
                ],
            }
            for column in crosstab.columns
        ],
    }


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def report_data(report: Report) -> dict[str, Any]:
    """The whole report as a JSON-ready dict."""
    data = _head(report)
    data["questions"] = [_question(question, with_answers=True) for question in report.questions]
    return data


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_json(report: Report, out: IO[bytes]) -> None:
    """Write the report as UTF-8 JSON, streaming text answers one by one."""
    head = _head(report)
    parts = [_dumps(key) + ": " + _dumps(value) for key, value in head.items()]
    out.write(("{\n  " + ",\n  ".join(parts) + ',\n  "questions": [').encode())
    for index, question in enumerate(report.questions):
        body = _question(question, with_answers=False)
        segment = body.pop("segment", None)
        text = "\n    " + _dumps(body)[:-1]
        if question.is_text:
            out.write((text + ', "answers": [').encode())
            # Written in blocks: a million small writes cost more than the JSON itself.
            answers = question.answers or []
            blocks = answers.json_blocks() if hasattr(answers, "json_blocks") else _blocks(answers)
            lead = b"\n      "
            for block in blocks:
                if block:
                    out.write(lead)
                    out.write(block)
                    lead = b""
            text = "]"
        if segment is not None:
            text += ', "segment": ' + _dumps(segment)
        out.write((text + "}" + ("," if index < len(report.questions) - 1 else "")).encode())
    out.write(b"\n  ]\n}\n")


def _blocks(answers: Iterable[TextAnswer]) -> Iterator[bytes]:
    """Answers held in memory (a published snapshot) as `json_blocks` gives them."""
    serialized = (_dumps(_answer(answer)) for answer in answers)
    lead = ""
    while batch := list(islice(serialized, 2000)):
        yield (lead + JSON_ANSWER_SEPARATOR.join(batch)).encode()
        lead = JSON_ANSWER_SEPARATOR


# --- reading a snapshot back --------------------------------------------------------


def _read_figures(data: dict[str, Any] | None) -> GroupFigures | None:
    if data is None:
        return None
    if data.get("suppressed"):
        return GroupFigures(suppressed=True)
    return GroupFigures(
        answered=data.get("answered"),
        options=[
            OptionFigure(
                o["name"], o.get("label", o["name"]), o["count"], Decimal(str(o["percent"]))
            )
            for o in data.get("options", [])
        ],
        mean=_decimal(data.get("mean")),
        median=_decimal(data.get("median")),
        distribution=[(Decimal(str(d["value"])), d["count"]) for d in data.get("distribution", [])],
    )


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def report_from_data(data: dict[str, Any]) -> Report:
    """A `Report` from its JSON dict (a published snapshot)."""
    sections = {s["name"]: Section(s["name"], s["label"]) for s in data.get("sections", [])}
    for question_data in data["questions"]:
        figures = _read_figures(question_data) or GroupFigures()
        question = QuestionReport(
            name=question_data["name"],
            type=question_data["type"],
            label=question_data.get("label", question_data["name"]),
            section=question_data.get("section", ""),
            everyone=figures,
            segment=_read_figures(question_data.get("segment")),
            other_answers=list(question_data.get("other_answers", [])),
            answers=[TextAnswer(a["text"], a.get("in_segment")) for a in question_data["answers"]]
            if "answers" in question_data
            else None,
            other_of=question_data.get("other_of", ""),
        )
        sections.setdefault(question.section, Section(question.section, "")).questions.append(
            question
        )
    segment = data.get("segment")
    filters = data.get("filters") or {}
    crosstab = data.get("crosstab")
    return Report(
        slug=data["survey"]["slug"],
        title=data["survey"]["title"],
        language=data["survey"]["language"],
        respondents=data.get("respondents"),
        min_group_size=data.get("min_group_size", 5),
        sections=[section for section in sections.values() if section.questions],
        segment=SegmentInfo(
            question=segment["question"],
            choice=segment["choice"],
            label=segment.get("label", segment["choice"]),
            question_label=segment.get("question_label", segment["question"]),
            respondents=segment.get("respondents"),
            suppressed=segment.get("suppressed", False),
        )
        if segment
        else None,
        filters=Filters(
            submitted_from=_parse_date(filters.get("submitted_from")),
            submitted_to=_parse_date(filters.get("submitted_to")),
            answers=[
                AnswerFilter(
                    f["question"], f["choice"], f.get("label", ""), f.get("question_label", "")
                )
                for f in filters.get("answers", [])
            ],
        ),
        suppressed=data.get("suppressed", False),
        generated_at=dt.datetime.fromisoformat(data["generated_at"])
        if data.get("generated_at")
        else None,
        conclusions=dict(data.get("conclusions", {})),
        crosstab=Crosstab(
            question=crosstab["question"],
            question_label=crosstab["question_label"],
            columns=[
                CrosstabColumn(
                    choice=c["choice"],
                    label=c["label"],
                    respondents=c["respondents"],
                    suppressed=c["suppressed"],
                    counts={(n["question"], n["option"]): n["count"] for n in c["counts"]},
                )
                for c in crosstab["columns"]
            ],
        )
        if crosstab
        else None,
    )


def _parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
