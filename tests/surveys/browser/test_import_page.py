"""A municipality employee imports a Google Forms export in Chromium."""

import pytest
from playwright.sync_api import expect

from kopiena.surveys.models import Response
from tests.factories import UserFactory, municipality
from tests.surveys.imports_helpers import DATA, reference_survey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary media root, not the developer's data directory."""
    settings.MEDIA_ROOT = tmp_path


def test_upload_preview_confirm_done(page, login, axe_violations):
    survey = reference_survey()
    login(UserFactory(staff_of=[municipality("kekavas_nov")]))

    page.goto(f"/surveys/manage/{survey.slug}/import/")
    assert axe_violations(page) == []
    page.get_by_label("Atbilžu fails (CSV vai XLSX)").set_input_files(DATA / "google-forms.xlsx")
    page.get_by_label("Formāts").select_option("auto")
    page.get_by_role("button", name="Augšupielādēt un pārbaudīt").click()

    page.wait_for_url("**/import/*/")
    expect(page.get_by_role("heading", name="Importa priekšskatījums")).to_be_visible()
    assert page.locator(".import-summary").inner_text().count("17") >= 2
    assert axe_violations(page) == []
    page.get_by_role("button", name="Importēt 17 atbildes").click()

    page.wait_for_url("**/import/*/progress/")
    page.get_by_text("Importētas 17 atbildes.").wait_for()
    assert axe_violations(page) == []
    assert Response.objects.filter(survey=survey).count() == 17


def test_a_bad_file_is_explained_on_the_upload_page(page, login, axe_violations, tmp_path):
    survey = reference_survey()
    login(UserFactory(staff_of=[municipality("kekavas_nov")]))
    junk = tmp_path / "atbildes.csv"
    junk.write_bytes(bytes(range(256)) * 10)

    page.goto(f"/surveys/manage/{survey.slug}/import/")
    page.get_by_label("Atbilžu fails (CSV vai XLSX)").set_input_files(junk)
    page.get_by_role("button", name="Augšupielādēt un pārbaudīt").click()

    page.get_by_text("Fails nav CSV vai XLSX tabula.").wait_for()
    assert axe_violations(page) == []
    assert Response.objects.count() == 0
