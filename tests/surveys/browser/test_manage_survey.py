"""A municipality employee builds, publishes and reads a survey in Chromium."""

import csv
import io
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from kopiena.surveys.models import Survey
from tests.factories import CommunityFactory, UserFactory, municipality
from tests.surveys.manage_helpers import add_response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def question_names(page) -> list[str]:
    return [text.strip() for text in page.locator("#question-list li code").all_inner_texts()]


def test_build_publish_and_read_a_survey(page, login, axe_violations):
    staff = UserFactory(staff_of=[municipality()])
    CommunityFactory(name="Kaldabruņa")
    login(staff)

    page.goto("/surveys/manage/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Augšupielādēt XLSForm").click()
    assert axe_violations(page) == []
    page.goto("/surveys/manage/")
    page.get_by_role("link", name="Jauna aptauja").click()
    assert axe_violations(page) == []
    page.get_by_label("Nosaukums latviski").fill("Kopienu sadarbība")
    page.get_by_role("button", name="Izveidot").click()
    page.wait_for_url("**/manage/kopienu-sadarbiba/questions/")
    assert axe_violations(page) == []

    # A single-choice question with two choices.
    page.get_by_role("link", name="Pievienot jautājumu").click()
    page.get_by_label("Veids").select_option("select_one")
    page.locator("#id_name").fill("1 statuss")
    page.locator("#id_label_lv").fill("Vai kopienai ir juridisks statuss?")
    page.get_by_label("Atļaut citu atbildi").check()
    assert page.get_by_label("Skalas sākums").is_hidden(), "range options only for a scale"
    page.get_by_role("button", name="Saglabāt jautājumu").click()
    name = page.locator("#id_name")
    assert name.get_attribute("aria-invalid") == "true"
    assert "latīņu" in page.locator("#id_name_error").inner_text()
    assert axe_violations(page) == []
    name.fill("legal")
    page.get_by_role("button", name="Saglabāt jautājumu").click()
    page.wait_for_url("**/questions/*/")
    for name, label in [("association", "Biedrība"), ("none", "Nav")]:
        page.locator("#id_new_name").fill(name)
        page.locator("#id_new_label_lv").fill(label)
        page.get_by_role("button", name="Pievienot izvēli").click()
    page.get_by_role("button", name=re.compile(r"^Augšup\W+Nav$")).click()
    choices = page.locator("#choices tbody tr td:first-child").all_inner_texts()
    assert choices == ["none", "association"]
    assert axe_violations(page) == []

    # A second question, then reorder the two (htmx swaps the list in place).
    page.get_by_role("link", name="Atpakaļ uz jautājumiem").click()
    page.get_by_role("link", name="Pievienot jautājumu").click()
    page.get_by_label("Veids").select_option("text_multiline")
    page.locator("#id_name").fill("comment")
    page.locator("#id_label_lv").fill("Jūsu komentārs")
    page.get_by_role("button", name="Saglabāt jautājumu").click()
    page.wait_for_url("**/manage/kopienu-sadarbiba/questions/")
    assert question_names(page) == ["legal", "comment"]
    page.get_by_role(
        "button", name=re.compile(r"^Lejup\W+Vai kopienai ir juridisks statuss\?$")
    ).click()
    expect(page.locator("#question-list li code").first).to_have_text("comment")
    assert page.url.endswith("/questions/"), "htmx swapped the list without leaving the page"
    assert question_names(page) == ["comment", "legal"]
    page.reload()
    assert question_names(page) == ["comment", "legal"]
    assert axe_violations(page) == []

    page.get_by_role("link", name="Priekšskatījums", exact=True).click()
    expect(page.get_by_text("Biedrība")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Iestatījumi", exact=True).click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Ielūgumi", exact=True).click()
    page.get_by_label("Kaldabruņa").check()
    page.get_by_role("button", name="Izveidot saites").click()
    assert "/i/" in page.get_by_label("Saite: Kaldabruņa").input_value()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Pārskats", exact=True).click()
    page.get_by_role("button", name="Publicēt").click()
    expect(page.get_by_text("Aptaujas statuss: publicēta.")).to_be_visible()
    assert axe_violations(page) == []
    survey = Survey.objects.get(slug="kopienu-sadarbiba")
    assert survey.status == Survey.Status.PUBLISHED

    # Responses arrive; staff read one and export them all.
    add_response(survey, {"legal": "association", "comment": "Labi strādājam"})
    add_response(survey, {"legal": "Nodibinājums"})
    page.get_by_role("link", name="Atbildes", exact=True).click()
    expect(page.get_by_text("Atrastas 2 atbildes.")).to_be_visible()
    assert axe_violations(page) == []
    page.locator("table a").last.click()
    expect(page.get_by_text("Labi strādājam")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Atpakaļ uz atbildēm").click()
    page.get_by_label("teksti").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Lejupielādēt CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        content = exported.read()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert sorted(row["legal"] for row in rows) == ["Biedrība", "cits"]
    assert [row["legal_other"] for row in rows if row["legal"] == "cits"] == ["Nodibinājums"]


def test_a_large_surveys_xlsx_export_shows_its_progress_then_downloads(
    page, login, axe_violations, monkeypatch, settings, tmp_path
):
    import openpyxl

    from kopiena.surveys import export_files
    from kopiena.surveys.exports import ExportOptions
    from kopiena.surveys.selectors import ResponseFilters
    from kopiena.surveys.views import manage as views_manage
    from tests.surveys.manage_helpers import community_survey

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(export_files, "IN_BACKGROUND", 0)
    # The worker has not got to it yet: the page shows the build under way.
    waiting = []
    monkeypatch.setattr(
        views_manage, "build_export_file", SimpleNamespace(enqueue=lambda *a: waiting.append(a))
    )
    survey = community_survey(municipality=municipality())
    add_response(survey, {"legal": "association", "comment": "Labi strādājam"})
    add_response(survey, {"legal": "informal"})
    login(UserFactory(staff_of=[survey.municipality]))

    page.goto(f"/surveys/manage/{survey.slug}/responses/")
    page.get_by_role("button", name="Lejupielādēt XLSX").click()
    expect(page.get_by_text("Lapa atjaunosies pati")).to_be_visible()
    assert axe_violations(page) == []

    filters, options = export_files.export_arguments(ResponseFilters(), ExportOptions())
    assert waiting == [(survey.pk, filters, options)]
    export_files.build_export(survey_id=survey.pk, filters=filters, options=options)
    expect(page.get_by_text("Fails ir gatavs.")).to_be_visible(timeout=10_000)
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Lejupielādēt XLSX").click()
    with open(download.value.path(), "rb") as exported:
        sheet = openpyxl.load_workbook(io.BytesIO(exported.read())).active
    comments = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(comment or "" for comment in comments) == ["", "Labi strādājam"]
