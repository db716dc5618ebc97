"""Small groups are never shown in a way that singles out a respondent (QUALITY.md)."""

import datetime as dt
import io

from django.utils import timezone

from kopiena.reports.engine import build_report, is_shown
from kopiena.reports.render import RENDERERS
from kopiena.reports.render.json import report_data
from kopiena.surveys.models import Answer, Response


def data(survey, **options) -> dict:
    return report_data(build_report(survey, **options))


def assert_segment_hidden(report: dict) -> None:
    assert report["segment"]["suppressed"] is True
    assert report["segment"]["respondents"] is None
    for question in report["questions"]:
        assert question["segment"] == {"suppressed": True}
        for answer in question.get("answers", []):
            assert answer["in_segment"] is None


def test_the_rule():
    assert is_shown(5, 17, 5) and is_shown(17, 17, 5)
    assert not is_shown(4, 17, 5)  # too small
    assert not is_shown(13, 17, 5)  # everyone minus it is 4 people
    assert is_shown(12, 17, 5)


def test_a_segment_of_four_is_suppressed_in_every_format(reference_survey):
    report = build_report(reference_survey, segment=("legal_status", "vajadzigs"))
    assert_segment_hidden(report_data(report))
    html = _render(report, "html").decode()
    assert "pārāk maza" in html and 'class="in-segment"' not in html
    import docx
    import openpyxl

    document = docx.Document(io.BytesIO(_render(report, "docx")))
    assert all(len(table.columns) == 4 for table in document.tables)  # no segment columns
    sheet = openpyxl.load_workbook(io.BytesIO(_render(report, "xlsx"))).worksheets[0]
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert not any(cell.endswith(": skaits") for cell in cells)


def test_a_complement_that_would_reveal_the_rest_is_suppressed(reference_survey):
    reference_survey.min_group_size = 7
    reference_survey.save()
    # 11 answered "ne": big enough, but everyone (17) minus them is the 6 who said "ja".
    assert_segment_hidden(data(reference_survey, segment=("instruments_differ", "ne")))
    assert (
        data(reference_survey, segment=("legal_status", "biedriba"))["segment"]["respondents"] == 10
    )


def test_a_filtered_group_below_the_minimum_is_suppressed(reference_survey):
    report = data(reference_survey, answer_filters=[("legal_status", "vajadzigs")])
    assert report["suppressed"] is True and report["respondents"] is None
    for question in report["questions"]:
        assert question.get("suppressed") is True
        assert "options" not in question and "answered" not in question
        assert question.get("answers", []) == []


def test_two_overlapping_filters_whose_difference_is_one_person(reference_survey):
    """Association founders (10) vs. founders who answered since yesterday (9): the
    difference would be one person's answers, so the narrower report is suppressed."""
    founder = Response.objects.filter(
        answers__question__name="legal_status", answers__choice__name="biedriba"
    ).first()
    founder.submitted_at = timezone.now() - dt.timedelta(days=30)
    founder.save()
    since = timezone.localdate() - dt.timedelta(days=1)
    wide = data(reference_survey, answer_filters=[("legal_status", "biedriba")])
    assert wide["respondents"] == 10
    narrow = data(
        reference_survey, answer_filters=[("legal_status", "biedriba")], submitted_from=since
    )
    assert narrow["suppressed"] is True and narrow["respondents"] is None
    # Without the answer filter the date filter removes one of 17: suppressed as well.
    assert data(reference_survey, submitted_from=since)["suppressed"] is True


def test_segment_inside_a_filter_follows_the_filtered_base(reference_survey):
    report = data(
        reference_survey,
        answer_filters=[("instruments_differ", "ne")],
        segment=("municipality", "kekavas_nov"),
    )
    assert report["respondents"] == 11
    assert_segment_hidden(report)  # 3 of Ķekava's 6 said "ne"


def test_crosstab_hides_small_columns_and_one_more_when_the_rest_would_show(reference_survey):
    report = build_report(reference_survey, segment=("years_active", "lidz_3"), crosstab=True)
    columns = {column.choice: column for column in report.crosstab.columns}
    assert columns["veidojas"].suppressed  # 1 respondent
    assert not columns["lidz_3"].suppressed and columns["lidz_3"].respondents == 6
    # 17 − (6 + 5 + 5) = 1 would reveal the hidden column: one 5 is hidden as well.
    hidden = [name for name in ("3_6", "virs_6") if columns[name].suppressed]
    assert len(hidden) == 1
    for name in hidden + ["veidojas"]:
        assert columns[name].respondents is None and columns[name].counts == {}


def test_answers_to_other_questions_do_not_leak_through_text_marks(reference_survey):
    report = data(reference_survey, segment=("municipality", "cesu_nov"))
    assert_segment_hidden(report)
    assert Answer.objects.exists()


def _render(report, format: str) -> bytes:
    out = io.BytesIO()
    RENDERERS[format](report, out)
    return out.getvalue()
