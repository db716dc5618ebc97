import json

import pytest
from django.urls import reverse

from kopiena.accounts.models import Consent, User
from kopiena.accounts.personal_data import PRIVACY_POLICY_VERSION, account_delete
from kopiena.communities import services
from kopiena.communities.models import CommunityMembership, ProfileChange
from kopiena.surveys.models import Response
from tests.factories import PASSWORD, SurveyFactory, UserFactory, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(email="anna@example.lv", full_name="Anna Bērziņa")


@pytest.fixture
def contributions(person):
    community = services.community_create(
        name="Kaldabruņa",
        municipality=municipality("augsdaugavas_nov"),
        actor=person,
        coordinator=person,
    )
    services.community_update(community=community, actor=person, neighbourhood="Kaldabruņa")
    survey = SurveyFactory(anonymous=False)
    Response.objects.create(survey=survey, user=person, status=Response.Status.COMPLETE)
    return community


def test_export_contains_everything_about_the_person(client, person, contributions):
    SurveyFactory(slug="anna-aptauja", created_by=person)
    services.coordinator_invite(community=contributions, email="kolegis@example.lv", actor=person)
    client.force_login(person)
    client.post(reverse("personal_data:consent"), {"given": "1"})
    response = client.post(reverse("personal_data:export"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["email"] == "anna@example.lv"
    assert data["account"]["full_name"] == "Anna Bērziņa"
    assert data["community_memberships"] == [
        {
            "community": "Kaldabruņa",
            "slug": "kaldabruna",
            "role": "coordinator",
            "since": data["community_memberships"][0]["since"],
        }
    ]
    assert {c["action"] for c in data["community_profile_changes"]} == {"create", "update"}
    assert len(data["survey_responses"]) == 1
    assert data["consents"][0]["version"] == PRIVACY_POLICY_VERSION
    # Whatever other apps keep about the person is found from the relations.
    created = data["other_records"]["surveys.Survey.created_by"]
    assert [row["slug"] for row in created] == ["anna-aptauja"]
    invitations = data["other_records"]["communities.CoordinatorInvitation.invited_by"]
    assert invitations[0]["email"] == "kolegis@example.lv"
    assert "token_hash" not in invitations[0]  # secrets stay out of the file


def test_export_is_a_post_for_the_signed_in_person_only(client, person):
    assert client.get(reverse("personal_data:export")).status_code in {302, 405}
    response = client.post(reverse("personal_data:export"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_consent_is_recorded_with_version_and_time_and_can_be_withdrawn(client, person):
    client.force_login(person)
    client.post(reverse("personal_data:consent"), {"given": "1"})
    client.post(reverse("personal_data:consent"), {"given": "0"})
    given, withdrawn = Consent.objects.order_by("recorded_at", "id")
    assert (given.given, given.version) == (True, PRIVACY_POLICY_VERSION)
    assert withdrawn.given is False and withdrawn.recorded_at >= given.recorded_at
    page = client.get(reverse("personal_data:overview")).content.decode()
    assert "Piekrītu privātuma politikai" in page


def test_delete_erases_the_person_and_keeps_contributions_anonymised(client, person, contributions):
    client.force_login(person)
    wrong = client.post(reverse("personal_data:delete"), {"password": "nepareiza-parole-1"})
    assert wrong.status_code == 200 and User.objects.filter(pk=person.pk).exists()

    response = client.post(reverse("personal_data:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(email="anna@example.lv").exists()
    assert not CommunityMembership.objects.filter(community=contributions).exists()
    changes = ProfileChange.objects.filter(community=contributions)
    assert changes.count() == 2 and not changes.filter(actor__isnull=False).exists()
    response_row = Response.objects.get()
    assert response_row.user is None
    # The session ended with the account.
    assert client.get(reverse("personal_data:overview")).status_code == 302


def test_delete_removes_invitations_addressed_to_the_person(person, contributions):
    services.coordinator_invite(community=contributions, email=person.email, actor=person)
    other = UserFactory()
    services.coordinator_invite(community=contributions, email=other.email, actor=person)
    account_delete(user=person)
    from kopiena.communities.models import CoordinatorInvitation

    assert list(CoordinatorInvitation.objects.values_list("email", flat=True)) == [other.email]
