"""Municipality staff read the reference survey's report in Chromium: pick a segment,
filter, write conclusions, publish; the public reads the published link."""

import re

import pytest
from playwright.sync_api import expect

from kopiena.reports.models import PublishedReport
from tests.factories import UserFactory, municipality
from tests.reports.reference import reference_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_segment_picker_filters_conclusions_and_publishing(
    page, browser, live_server, login, axe_violations
):
    survey = reference_survey(municipality=municipality("kekavas_nov"))
    staff = UserFactory(staff_of=[municipality("kekavas_nov")])
    login(staff)

    page.goto(f"/reports/{survey.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(survey.title_text)
    expect(page.get_by_text("17 respondenti").first).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Salīdzināt grupu ar visiem").select_option(label="Ķekavas novads")
    page.get_by_role("button", name="Rādīt").click()
    expect(page.get_by_text("Ķekavas novads (Pašvaldība): 6 respondenti")).to_be_visible()
    support = page.locator("#q-support_received table")
    expect(support.get_by_role("row", name=re.compile("projektu konkursa veidā"))).to_contain_text(
        "64,7\u00a0%"
    )
    expect(page.locator("#q-long_term_factor li.in-segment")).to_have_count(6)
    assert axe_violations(page) == []

    page.get_by_label("Tikai respondenti, kuri atbildējuši").select_option(
        label="Kopiena ir nodibinājusi biedrību"
    )
    page.get_by_label("Iesniegtas no").fill("2020-01-01")
    page.get_by_role("button", name="Rādīt").click()
    expect(page.get_by_text("10 respondenti").first).to_be_visible()
    # Only 2 of the 10 founders are from Ķekava: the segment is too small to show.
    expect(page.get_by_text("grupa ir pārāk maza").first).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Notīrīt atlasi").click()
    page.get_by_label("Secinājumi: Visam pārskatam").fill(
        "Pašvaldību atbalsts ir **nevienmērīgs**."
    )
    page.get_by_role("button", name="Saglabāt secinājumus").click()
    expect(page.locator(".conclusions-summary strong")).to_have_text("nevienmērīgs")

    page.get_by_label("Publiski pieejams ikvienam ar saiti").check()
    page.get_by_role("button", name="Publicēt pārskatu").click()
    page.wait_for_url("**/reports/p/*/")
    assert axe_violations(page) == []
    published = PublishedReport.objects.get()
    assert published.is_public

    anonymous = browser.new_context(base_url=live_server.url, locale="lv-LV")
    public_page = anonymous.new_page()
    public_page.goto(f"/reports/p/{published.uuid}/")
    expect(public_page.get_by_role("heading", level=1)).to_have_text(survey.title_text)
    expect(public_page.get_by_text("nevienmērīgs")).to_be_visible()
    assert axe_violations(public_page) == []
    anonymous.close()


def test_a_large_surveys_pdf_shows_its_progress_then_downloads(
    page, login, axe_violations, monkeypatch, settings, tmp_path
):
    from types import SimpleNamespace

    from kopiena.reports import building, views

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(views, "LARGE_SURVEY", 0)
    waiting = []  # the task worker has not got to it yet
    monkeypatch.setattr(
        views, "build_report_file", SimpleNamespace(enqueue=lambda *a: waiting.append(a))
    )
    survey = reference_survey(municipality=municipality("kekavas_nov"))
    login(UserFactory(staff_of=[municipality("kekavas_nov")]))

    page.goto(f"/reports/{survey.slug}/download/pdf/")
    expect(page.get_by_text("Lapa atjaunosies pati")).to_be_visible()
    assert axe_violations(page) == []

    (survey_id, format, options, language) = waiting[0]
    building.build_file(survey_id=survey_id, format=format, options=options, language=language)
    expect(page.get_by_text("Pārskats ir gatavs.")).to_be_visible(timeout=10_000)
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Lejupielādēt PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
