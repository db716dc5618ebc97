"""Large surveys' PDF and DOCX are built by a background task and kept until responses change."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from kopiena.reports import views
from kopiena.reports.building import FOLDER
from tests.factories import UserFactory, municipality

from .reference import add_responses, reference_rows


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(staff_of=[municipality("kekavas_nov")]))
    return client


def cached_files(suffix: str) -> list:
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    return sorted(folder.glob(f"*.{suffix}")) if folder.exists() else []


def test_large_survey_report_built_by_the_task_and_cached(
    staff_client, reference_survey, monkeypatch
):
    monkeypatch.setattr(views, "LARGE_SURVEY", 0)  # every survey counts as large
    url = reverse("reports:download", args=[reference_survey.slug, "pdf"])

    # The test settings run tasks immediately, so the file is there at once.
    response = staff_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    [first] = cached_files("pdf")
    built_at = first.stat().st_mtime_ns

    staff_client.get(url)
    assert cached_files("pdf") == [first] and first.stat().st_mtime_ns == built_at

    # A new response is a new report: a new file.
    add_responses(reference_survey, reference_rows()[:1])
    staff_client.get(url)
    assert len(cached_files("pdf")) == 2


def test_building_page_shows_progress_until_the_file_is_ready(staff_client, reference_survey):
    url = reverse("reports:building", args=[reference_survey.slug, "docx"])
    page = staff_client.get(url).content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' in page
    assert "Solis 0 no 3" in page
    fragment = staff_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="build-status"') and "Solis 0 no 3" in fragment

    staff_client.get(reverse("reports:download", args=[reference_survey.slug, "docx"]))
    page = staff_client.get(url).content.decode()
    assert "Pārskats ir gatavs." in page and "hx-trigger" not in page


def test_building_page_refused_to_other_municipalities(client, reference_survey):
    client.force_login(UserFactory(staff_of=[municipality("riga")]))
    url = reverse("reports:building", args=[reference_survey.slug, "pdf"])
    assert client.get(url).status_code == 404
