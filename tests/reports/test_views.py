"""The report pages: staff of the survey's municipality only; published links as set."""

import pytest
from django.urls import reverse

from kopiena.reports.models import PublishedReport, ReportConclusion
from tests.factories import AdminFactory, UserFactory, municipality


@pytest.fixture
def staff(db):
    return UserFactory(staff_of=[municipality("kekavas_nov")])


@pytest.fixture
def other_staff(db):
    return UserFactory(staff_of=[municipality("riga")])


def report_url(survey, **query):
    url = reverse("reports:survey", args=[survey.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_staff_see_the_report_with_a_segment(client, staff, reference_survey):
    client.force_login(staff)
    page = client.get(report_url(reference_survey, segment="municipality=kekavas_nov"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "64,7\u00a0%" in html
    assert "Ķekavas novads" in html and 'class="in-segment"' in html


def test_filters_by_answer_and_date(client, staff, reference_survey):
    client.force_login(staff)
    page = client.get(report_url(reference_survey, answer="legal_status=biedriba"))
    assert "10 respondenti" in page.content.decode()
    page = client.get(
        report_url(reference_survey, submitted_from="2000-01-01", submitted_to="2000-01-02")
    )
    assert "pārāk maza" in page.content.decode()


def test_a_bad_date_range_is_explained(client, staff, reference_survey):
    client.force_login(staff)
    page = client.get(
        report_url(reference_survey, submitted_from="2026-02-01", submitted_to="2026-01-01")
    )
    assert "Beigu datums ir pirms sākuma datuma." in page.content.decode()


@pytest.mark.parametrize("user", ["anonymous", "other_staff", "resident"])
def test_draft_report_refused_to_everyone_else(client, request, reference_survey, user):
    if user == "other_staff":
        client.force_login(request.getfixturevalue("other_staff"))
    elif user == "resident":
        client.force_login(UserFactory())
    for url in (
        report_url(reference_survey),
        reverse("reports:download", args=[reference_survey.slug, "json"]),
        reverse("reports:download", args=[reference_survey.slug, "pdf"]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 404), url
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
    response = client.post(
        reverse("reports:conclusions", args=[reference_survey.slug]),
        {"index": "0", "c0-section": "", "c0-text": "Uzlauzts"},
    )
    assert response.status_code in (302, 404)
    assert not ReportConclusion.objects.exists()
    client.post(reverse("reports:publish", args=[reference_survey.slug]), {"is_public": "on"})
    assert not PublishedReport.objects.exists()


@pytest.mark.parametrize("format", ["json", "html", "pdf", "docx", "xlsx"])
def test_downloads(client, staff, reference_survey, format):
    client.force_login(staff)
    url = reverse("reports:download", args=[reference_survey.slug, format])
    response = client.get(url + "?segment=municipality%3Dkekavas_nov")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert (
        body[:4]
        in {
            "json": [b"{\n  "],
            "html": [b"<!DO"],
            "pdf": [b"%PDF"],
            "docx": [b"PK\x03\x04"],
            "xlsx": [b"PK\x03\x04"],
        }[format]
    )


def test_conclusions_saved_sanitized_and_published(client, staff, reference_survey):
    client.force_login(staff)
    response = client.post(
        reverse("reports:conclusions", args=[reference_survey.slug]),
        {"index": "0", "c0-section": "", "c0-text": "**Svarīgi**: <script>alert(1)</script>"},
    )
    assert response.status_code == 302
    html = client.get(report_url(reference_survey)).content.decode()
    assert "<strong>Svarīgi</strong>" in html
    assert "<script>alert(1)" not in html

    response = client.post(
        reverse("reports:publish", args=[reference_survey.slug]),
        {"segment": "municipality=kekavas_nov"},
    )
    published = PublishedReport.objects.get()
    assert response["Location"] == reverse("reports:published", args=[published.uuid])
    assert published.data["segment"]["respondents"] == 6
    assert not published.is_public
    page = client.get(response["Location"])
    assert "<strong>Svarīgi</strong>" in page.content.decode()


def test_published_snapshot_does_not_change_and_public_link_works(
    client, staff, other_staff, reference_survey
):
    client.force_login(staff)
    client.post(reverse("reports:publish", args=[reference_survey.slug]), {})
    published = PublishedReport.objects.get()
    url = reverse("reports:published", args=[published.uuid])

    client.logout()
    assert client.get(url).status_code == 404  # a draft-only link: staff only
    client.force_login(other_staff)
    assert client.get(url).status_code == 404
    client.post(reverse("reports:published_visibility", args=[published.uuid]), {"is_public": "on"})
    published.refresh_from_db()
    assert not published.is_public  # other municipalities cannot open it up

    client.force_login(staff)
    client.post(reverse("reports:published_visibility", args=[published.uuid]), {"is_public": "on"})
    client.logout()
    page = client.get(url)
    assert page.status_code == 200
    assert "17 respondenti" in page.content.decode()
    download = client.get(reverse("reports:published_download", args=[published.uuid, "docx"]))
    assert download.status_code == 200

    # New responses change the live report, never the snapshot.
    from .reference import add_responses, reference_rows

    add_responses(reference_survey, reference_rows()[:2])
    assert "17 respondenti" in client.get(url).content.decode()


def test_platform_admin_sees_any_report(client, reference_survey):
    client.force_login(AdminFactory())
    assert client.get(report_url(reference_survey)).status_code == 200
