"""The web import: upload, preview, confirm, progress — for the survey's staff only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kopiena.surveys.models import ImportBatch, Response
from tests.factories import AdminFactory, UserFactory, municipality
from tests.surveys.imports_helpers import DATA, REFERENCE_RESPONSES, reference_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary media root, not the developer's data directory."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def survey():
    return reference_survey()


@pytest.fixture
def staff():
    return UserFactory(staff_of=[municipality("kekavas_nov")])


def upload(client, survey, path, **fields):
    content = path.read_bytes() if hasattr(path, "read_bytes") else path
    name = getattr(path, "name", "upload.csv")
    return client.post(
        reverse("surveys:import_upload", args=[survey.slug]),
        {"file": SimpleUploadedFile(name, content), "format": "auto", **fields},
    )


def test_upload_preview_confirm_and_done(client, survey, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)

    response = upload(client, survey, DATA / "google-forms.csv")
    batch = ImportBatch.objects.get(survey=survey)
    assert response.status_code == 302
    assert response.url == reverse("surveys:import_preview", args=[survey.slug, batch.pk])

    preview = client.get(response.url)
    page = preview.content.decode()
    assert "Google Forms" in page
    assert "Kā ir izpaudusies pašvaldības interese, atbalsts jūsu kopienai?" in page
    assert "Importēt 17 atbildes" in page
    assert Response.objects.count() == 0  # nothing before confirmation

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(response.url)
    assert confirmed.url == reverse("surveys:import_progress", args=[survey.slug, batch.pk])

    done = client.get(confirmed.url).content.decode()
    assert "Importētas 17 atbildes." in done
    assert Response.objects.filter(survey=survey, import_batch=batch).count() == 17
    batch.refresh_from_db()
    assert (batch.status, batch.imported_rows, batch.processed_rows) == ("done", 17, 17)


def test_the_second_upload_of_a_file_shows_its_rows_as_already_imported(
    client, survey, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    first = upload(client, survey, REFERENCE_RESPONSES)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(first.url)

    second = client.get(upload(client, survey, REFERENCE_RESPONSES).url).content.decode()

    assert "Jau importētas</dt><dd>17" in second
    assert "Importēt 0 atbildes" in second


def test_a_file_that_is_no_table_is_refused_on_the_upload_page(client, survey, staff):
    client.force_login(staff)

    response = upload(client, survey, b"\x00\x01\x02junk" * 100)

    assert response.status_code == 200
    assert "Fails nav CSV vai XLSX tabula." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_problems_are_listed_with_row_and_column_and_block_confirmation(
    client, survey, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    content = b"community_name,municipality,instruments_new\nA,riga,prakses info padome bonusi\n"

    response = upload(client, survey, content, strict="on")
    page = client.get(response.url).content.decode()

    assert "<td>2</td>" in page and "<td>C</td>" in page and "instruments_new" in page
    assert "Importēt" not in page.split("Kolonnas un jautājumi")[1].split("Augšupielādēt citu")[0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url)  # a forged confirmation changes nothing
    assert ImportBatch.objects.get().status == "preview"
    assert Response.objects.count() == 0


def test_an_oversized_upload_is_refused_before_reading_it(client, survey, staff, settings):
    settings.KOPIENA_MAX_IMPORT_BYTES = 1000
    client.force_login(staff)

    response = upload(client, survey, b"community_name\n" + b"x" * 200_000)

    assert response.status_code == 413
    assert "Fails ir pārāk liels" in response.content.decode()


def test_progress_is_a_fragment_for_htmx(client, survey, staff):
    client.force_login(staff)
    batch = ImportBatch.objects.create(
        survey=survey, status=ImportBatch.Status.RUNNING, total_rows=100, processed_rows=0
    )

    fragment = client.get(
        reverse("surveys:import_progress", args=[survey.slug, batch.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert fragment.startswith('<div id="import-status"')
    assert 'hx-trigger="every 1s"' in fragment
    assert "Atjaunot" in fragment  # the plain link for pages without JavaScript


def test_an_admin_may_import(client, survey):
    client.force_login(AdminFactory())
    assert client.get(reverse("surveys:import_upload", args=[survey.slug])).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "other municipality", "resident"])
def test_everyone_else_is_refused_on_every_import_url(client, survey, who):
    batch = ImportBatch.objects.create(survey=survey, total_rows=1)
    if who == "other municipality":
        client.force_login(UserFactory(staff_of=[municipality("riga")]))
    elif who == "resident":
        client.force_login(UserFactory())
    urls = [
        reverse("surveys:import_upload", args=[survey.slug]),
        reverse("surveys:import_preview", args=[survey.slug, batch.pk]),
        reverse("surveys:import_progress", args=[survey.slug, batch.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {}).status_code in (403, 404), url
    assert ImportBatch.objects.get().status == "preview"


def test_a_batch_of_another_survey_is_not_found(client, survey, staff):
    other = reference_survey(slug="cita-aptauja")
    batch = ImportBatch.objects.create(survey=other)
    client.force_login(staff)

    url = reverse("surveys:import_preview", args=[survey.slug, batch.pk])

    assert client.get(url).status_code == 404
