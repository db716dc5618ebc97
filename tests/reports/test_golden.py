"""The seed reproduced: the reference survey's report shows every figure of the summary."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from .reference import REFERENCE

GOLDEN = Path(__file__).parent / "golden" / "kopienu-aptauja-kekava.json"
EXPECTED = json.loads((REFERENCE / "expected-figures.json").read_text(encoding="utf-8"))


def run_report(tmp_path, *args, format="json") -> bytes:
    """`kopiena report kopienu-aptauja --format FORMAT [args]`, as its output bytes."""
    output = tmp_path / f"report.{format}"
    call_command("report", "kopienu-aptauja", "--format", format, "--output", str(output), *args)
    return output.read_bytes()


def _report(tmp_path, *args) -> dict:
    return json.loads(run_report(tmp_path, *args).decode("utf-8"))


def _stable(report: dict) -> dict:
    """The report without the moment it was generated."""
    return {key: value for key, value in report.items() if key != "generated_at"}


@pytest.fixture
def report(reference_survey, tmp_path) -> dict:
    return _report(tmp_path, "--segment", "municipality=kekavas_nov")


def _counts(question: dict) -> dict[str, int]:
    return {option["name"]: option["count"] for option in question["options"]}


def test_respondents_and_segment(report):
    assert report["format"] == "kopiena-report/1"
    assert report["respondents"] == EXPECTED["respondents"]
    assert report["segment"]["question"] == "municipality"
    assert report["segment"]["choice"] == "kekavas_nov"
    assert report["segment"]["label"] == "Ķekavas novads"
    assert report["segment"]["respondents"] == EXPECTED["segment"]["respondents"]
    assert report["min_group_size"] == 5


def test_every_expected_count(report):
    questions = {question["name"]: question for question in report["questions"]}
    for group in ("select_one_counts", "select_multiple_counts"):
        for name, expected in EXPECTED[group].items():
            counts = _counts(questions[name])
            assert {k: counts[k] for k in expected} == expected, name
            # Everything else in the list is zero: the expected figures are complete.
            assert sum(counts.values()) == sum(expected.values()), name
    for group in ("select_one_counts_segment", "select_multiple_counts_segment"):
        for name, expected in EXPECTED[group].items():
            counts = _counts(questions[name]["segment"])
            assert {k: v for k, v in counts.items() if v} == expected, name


def test_percent_of_respondents(report):
    questions = {question["name"]: question for question in report["questions"]}
    for name, expected in EXPECTED["select_multiple_percent_of_respondents"].items():
        question = questions[name]
        assert question["answered"] == 17
        for option in question["options"]:
            assert round(option["percent"]) == expected[option["name"]], option
    support = {o["name"]: o["percent"] for o in questions["support_received"]["options"]}
    assert support["projektu_konkurss"] == 64.7
    assert support["piedalijusies"] == 52.9
    assert support["uzturesana"] == 23.5


def test_rating_means_and_medians(report):
    questions = {question["name"]: question for question in report["questions"]}
    for name, mean in EXPECTED["rating_mean"].items():
        assert questions[name]["mean"] == mean
    for name, mean in EXPECTED["rating_mean_segment"].items():
        assert questions[name]["segment"]["mean"] == mean
    influence = questions["municipality_influence"]
    assert influence["median"] == 2
    assert influence["segment"]["median"] == 0.5


def test_text_answers_listed_in_full_with_the_segment_marked(report):
    questions = {question["name"]: question for question in report["questions"]}
    for name, count in EXPECTED["text_answers"].items():
        answers = questions[name]["answers"]
        assert len(answers) == count == questions[name]["answered"]
        assert sum(answer["in_segment"] for answer in answers) == 6
    assert questions["long_term_factor"]["answers"][0]["text"].startswith("Pacietība!")


def test_other_answers_kept_verbatim(report):
    questions = {question["name"]: question for question in report["questions"]}
    assert questions["support_received"]["other_answers"] == [
        "Piešķirtas telpas sanāksmēm, sapulcēm"
    ]
    assert questions["needed_involvement"]["other_answers"][0].startswith("No pieredzes kopienā")


def test_options_in_form_order_with_zero_counts(report):
    questions = {question["name"]: question for question in report["questions"]}
    names = [option["name"] for option in questions["municipality_influence"]["options"]]
    assert names == ["0", "1", "2", "3", "4", "5"]
    assert len(questions["municipality"]["options"]) == 43
    assert [q["name"] for q in report["questions"]][:3] == [
        "community_name",
        "municipality",
        "population",
    ]


def test_without_segment_no_segment_keys(reference_survey, tmp_path):
    report = _report(tmp_path)
    assert report["segment"] is None
    assert all("segment" not in question for question in report["questions"])


def test_matches_the_committed_golden_file(report):
    """Any change of a figure or of the format shows up as a diff of this file."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert _stable(report) == golden
