"""The fast reader (bitsets, indexed texts, read-ahead) gives the report the plain ORM
reference gives (kopiena/reports/reading.py), on SQLite and PostgreSQL alike, for every
kind of question, answer and selection: segments, filters, small groups, choices added
and archived after answers came in, empty responses, "other" answers."""

import datetime as dt
import io
import json
import random

import pytest
from django.db import connection

from kopiena.reports import selectors
from kopiena.reports.engine import build_report
from kopiena.reports.render.json import write_json
from kopiena.surveys.models import ChoiceList, Question, Survey
from kopiena.surveys.services.questions import choice_add, choice_archive
from kopiena.surveys.services.surveys import survey_create
from tests.factories import municipality
from tests.surveys.manage_helpers import add_choices, add_question, add_response

from .reference import add_responses

T = Question.Type
DAY = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
TRICKY = 'Teica: "lai \\ notiek"\nJaunā rindā,\ttabulēts — ☀ 𝄞'
LONG = " ".join(["Ilgtermiņā „kopiena” pastāv, ja…"] * 120)  # over 2,000 bytes: a long text
SELECTIONS = [
    {},
    {"segment": ("municipality", "kekava")},
    {"segment": ("municipality", "cesis")},  # 3 respondents: suppressed
    {"segment": ("help", "transport")},  # a choice added after answers came in
    {"segment": ("help", "officials")},  # an archived choice
    {"answer_filters": [("legal", "association")]},
    {"answer_filters": [("legal", "association")], "segment": ("rating", "4")},
    {"submitted_from": dt.date(2026, 3, 5), "submitted_to": dt.date(2026, 3, 30)},
    {"submitted_from": dt.date(2026, 3, 10), "segment": ("municipality", "riga")},
    {"submitted_to": dt.date(2026, 3, 1)},  # a handful: suppressed
]


def _values(rng: random.Random, number: int, *, late: bool) -> dict:
    """One respondent's answers, some questions skipped; every 9th answers nothing."""
    if number % 9 == 0:
        return {}
    values: dict = {
        "municipality": "cesis" if number in (5, 23, 31) else rng.choice(["kekava", "riga"]),
        "legal": rng.choice(["association", "informal", "Nodibinājums", "association"]),
        "help": rng.sample(["grants", "premises", "other"] + (["transport"] if late else []), 2),
        "rating": rng.choice(["1", "3", "4", "4", "5"]),
        "members": str(rng.randint(1, 40)),
        "share": rng.choice(["2,5", "10", "0,25"]),
        "scale": str(rng.randint(1, 5)),
        "founded": f"{rng.randint(1, 28):02d}.0{rng.randint(1, 9)}.20{rng.randint(10, 25)}",
        "comment": rng.choice(["Labi", TRICKY, LONG, "Paldies!", "Labi"]),
    }
    if "other" in values["help"]:
        values["help_other"] = rng.choice(["Kopienas māja", "Autobuss"])
    if number % 4 == 0:
        values["help"] = [*values["help"], "Pašu spēkiem"]  # typed, matching no choice
    for name in rng.sample(sorted(values), rng.randint(0, 3)):
        del values[name]
    return values


def varied_survey() -> Survey:
    """Every kind of question, and 40 responses given over three weeks, most through the
    web form and some imported; a choice added and one archived on the way."""
    survey = survey_create(title={"lv": "Dažāda"}, municipality=municipality(), actor=None)
    about = add_question(survey, "about", T.GROUP, "Par kopienu")
    add_choices(
        add_question(survey, "municipality", T.SELECT_ONE, group=about), "kekava", "riga", "cesis"
    )
    add_choices(
        add_question(survey, "legal", T.SELECT_ONE, group=about, has_other=True),
        "association",
        "informal",
    )
    help_ = add_question(survey, "help", T.SELECT_MULTIPLE)
    add_choices(help_, "grants", "premises", "officials", "other")
    add_question(survey, "help_other", T.TEXT)
    add_choices(add_question(survey, "rating", T.SELECT_ONE), "1", "2", "3", "4", "5")
    add_question(survey, "members", T.INTEGER)
    add_question(survey, "share", T.DECIMAL)
    add_question(survey, "scale", T.RANGE, parameters={"start": 1, "end": 5, "step": 1})
    add_question(survey, "founded", T.DATE)
    add_question(survey, "comment", T.TEXT)
    Survey.objects.filter(pk=survey.pk).update(min_group_size=4)

    rng = random.Random(2026)
    for number in range(1, 41):
        if number == 20:
            help_list = ChoiceList.objects.get(pk=help_.choice_list_id)
            choice_add(choice_list=help_list, name="transport", label={"lv": "Transports"})
        if number == 30:
            choice_archive(choice=help_list.choices.get(name="officials"))
        values = _values(rng, number, late=number >= 20)
        if number < 20 and number % 5 == 1:
            values["help"] = ["officials"]
        when = DAY + dt.timedelta(days=number // 2, hours=number % 5)
        if number % 7 == 3:  # imported: XLSForm names, several choices space-separated
            row = {
                name: " ".join(value) if isinstance(value, list) else value
                for name, value in values.items()
            }
            row["submitted_at"] = when.isoformat()
            add_responses(survey, [row])
        else:
            add_response(survey, values, submitted_at=when)
    survey.refresh_from_db()
    return survey


def report_json(survey: Survey, plain: bool, **selection) -> dict:
    out = io.BytesIO()
    with selectors.reading_report():
        report = build_report(survey, json_answers=True, crosstab=True, plain=plain, **selection)
        write_json(report, out)
    data = json.loads(out.getvalue())
    data.pop("generated_at")
    return data


@pytest.mark.django_db
def test_fast_and_plain_readers_give_the_same_report():
    survey = varied_survey()
    for selection in SELECTIONS:
        fast = report_json(survey, plain=False, **selection)
        assert fast == report_json(survey, plain=True, **selection), selection

    everyone = report_json(survey, plain=True)
    assert everyone["respondents"] == 40
    small = report_json(survey, plain=True, segment=("municipality", "cesis"))
    assert small["segment"]["suppressed"] is True
    help_ = next(question for question in everyone["questions"] if question["name"] == "help")
    counts = {option["name"]: option["count"] for option in help_["options"]}
    assert counts["transport"] > 0 and counts["officials"] > 0
    assert "Pašu spēkiem" in help_["other_answers"]
    comment = next(question for question in everyone["questions"] if question["name"] == "comment")
    assert {LONG, TRICKY} <= {answer["text"] for answer in comment["answers"]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="answers read ahead on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_fast_reader_reading_ahead_gives_the_plain_report(prefetches):
    """Outside a test's transaction the fast reader reads open answers on other connections."""
    survey = varied_survey()
    for selection in SELECTIONS[:3]:
        fast = report_json(survey, plain=False, **selection)
        assert fast == report_json(survey, plain=True, **selection), selection
    assert prefetches and all(reading is not None for reading in prefetches)
