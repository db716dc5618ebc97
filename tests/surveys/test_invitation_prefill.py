"""An invited community finds the form filled in from its profile, and may change it."""

from pathlib import Path

import pytest

from kopiena.surveys.models import Invitation, Response, Survey
from kopiena.surveys.services.questionnaires import survey_import_xlsform
from tests.factories import CommunityFactory, municipality

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parents[2] / "kopiena/surveys/reference/kopienu-aptauja.xlsx"


@pytest.fixture
def invited():
    survey = survey_import_xlsform(source=REFERENCE, filename="kopienu-aptauja.xlsx")
    Survey.objects.filter(pk=survey.pk).update(
        status=Survey.Status.PUBLISHED, access=Survey.Access.INVITATION, anonymous=False
    )
    community = CommunityFactory(
        name="Kaldabruņa",
        municipality=municipality("augsdaugavas_nov"),
        population="lidz_200",
        legal_status="nevajag",
    )
    invitation = Invitation.objects.create(survey=survey, community=community, token="t" * 32)
    return survey, invitation


def test_profile_answers_are_the_initial_values_of_the_invitation_form(client, invited):
    survey, invitation = invited
    page = client.get(f"/surveys/{survey.slug}/i/{invitation.token}/").content.decode()
    assert 'value="Kaldabruņa"' in page
    assert 'value="augsdaugavas_nov" checked' in page or 'value="augsdaugavas_nov" selected' in page
    assert 'value="lidz_200" checked' in page
    assert not Response.objects.exists()  # nothing is stored before the respondent submits


def test_open_link_forms_start_empty(client, invited):
    survey, _invitation = invited
    Survey.objects.filter(pk=survey.pk).update(access=Survey.Access.OPEN)
    page = client.get(f"/surveys/{survey.slug}/").content.decode()
    assert 'value="Kaldabruņa"' not in page
