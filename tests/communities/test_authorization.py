"""The authorization matrix: every object-level page and action of the registry, tried by
anonymous, a resident, the coordinator of another community and staff of another
municipality. All are refused and nothing changes."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from kopiena.communities.models import Community, CommunityMembership, CoordinatorInvitation
from kopiena.surveys.models import Invitation
from tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

REFUSED = {302, 403, 404}


def _requests(community, survey):
    slug = community.slug
    return [
        ("get", reverse("communities:edit", args=[slug]), {}),
        (
            "post",
            reverse("communities:edit", args=[slug]),
            {"name": "Pārņemta", "status": "active"},
        ),
        ("get", reverse("communities:coordinators", args=[slug]), {}),
        (
            "post",
            reverse("communities:coordinators", args=[slug]),
            {"action": "invite", "invite-email": "uzbrucejs@example.lv"},
        ),
        ("get", reverse("communities:history", args=[slug]), {}),
        ("get", reverse("communities:merge", args=[slug]), {}),
        ("post", reverse("communities:photo_delete", args=[slug]), {"photo": "1"}),
        ("get", reverse("communities:overview", args=[community.municipality.slug]), {}),
        (
            "get",
            reverse("communities:overview", args=[community.municipality.slug]) + "?format=xlsx",
            {},
        ),
        (
            "post",
            reverse("communities:overview", args=[community.municipality.slug]),
            {"survey": survey.pk, "communities": [community.pk]},
        ),
        ("get", reverse("communities:create"), {}),
        (
            "post",
            reverse("communities:create"),
            {"name": "Jauna", "municipality": community.municipality.pk, "status": "active"},
        ),
    ]


@pytest.fixture(params=["anonymous", "resident", "other_coordinator", "other_staff"])
def outsider(request, client):
    if request.param != "anonymous":
        client.force_login(request.getfixturevalue(request.param))
    return request.param


def test_outsiders_are_refused_everywhere(client, community, outsider, make_community):
    survey = SurveyFactory()
    for method, url, data in _requests(community, survey):
        response = getattr(client, method)(url, data)
        if outsider == "other_staff" and url == reverse("communities:create"):
            # Staff elsewhere may open the form, but only for their own municipality.
            if method == "post":
                assert response.status_code in REFUSED | {200}
            continue
        assert response.status_code in REFUSED, (outsider, method, url, response.status_code)
    community.refresh_from_db()
    assert community.name == "Ķekavas Ūdri"
    assert not CoordinatorInvitation.objects.exists()
    assert not Invitation.objects.exists()
    assert not Community.objects.filter(name="Jauna").exists()


def test_private_contacts_hidden_from_outsiders(client, community, outsider):
    response = client.get(reverse("communities:profile", args=[community.slug]))
    assert response.status_code == 200
    assert "privats@example.lv" not in response.content.decode()


def test_private_contacts_never_in_the_api(client, community):
    body = client.get(reverse("api:communities")).content.decode()
    assert "Ķekavas Ūdri" in body and "privats@example.lv" not in body
    detail = client.get(reverse("api:community", args=[community.slug])).content.decode()
    assert "privats" not in detail and "20000000" not in detail


def test_coordinator_and_own_staff_may_edit(client, community, coordinator, staff):
    for user in (coordinator, staff):
        client.force_login(user)
        assert client.get(reverse("communities:edit", args=[community.slug])).status_code == 200
        page = client.get(reverse("communities:profile", args=[community.slug])).content.decode()
        assert "privats@example.lv" in page


def test_coordinator_cannot_merge_or_see_the_overview(client, community, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("communities:merge", args=[community.slug])).status_code == 403
    url = reverse("communities:overview", args=[community.municipality.slug])
    assert client.get(url).status_code == 403


def test_staff_cannot_merge_into_another_municipalitys_community(
    client, community, make_community, olaine, staff
):
    foreign = make_community("Jaunolaine", municipality=olaine)
    client.force_login(staff)
    response = client.post(
        reverse("communities:merge", args=[community.slug]),
        {"target": foreign.pk, "confirm": "on"},
    )
    assert response.status_code == 200  # the foreign community is not a valid choice
    assert Community.objects.filter(pk=community.pk).exists()


def test_accepting_someone_elses_invitation_is_refused(client, community, resident):
    from kopiena.communities import services

    invite = services.coordinator_invite(
        community=community, email="kads.cits@example.lv", actor=resident
    )
    client.force_login(resident)
    response = client.post(urlsplit(invite.url).path)
    assert response.status_code in {403, 404}
    assert not CommunityMembership.objects.filter(user=resident).exists()
