from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kopiena.communities import services
from kopiena.communities.models import (
    Community,
    CommunityMembership,
    CoordinatorInvitation,
    ProfileChange,
)
from kopiena.communities.selectors import community_survey_prefill
from kopiena.surveys.models import Invitation, Response
from tests.factories import SurveyFactory, UserFactory

from .conftest import registration_number

pytestmark = pytest.mark.django_db
Role = CommunityMembership.Role


def test_create_maintains_search_and_sort_keys_and_records_creation(make_community, staff):
    community = services.community_create(
        name="Ķekavas Ūdri", municipality=staff.staff_of.get(), actor=staff, neighbourhood="Ūdri"
    )
    assert community.slug == "kekavas-udri"
    assert "kekavas udri" in community.search_key and "kekavas novads" in community.search_key
    assert community.sort_key
    change = community.changes.get()
    assert change.action == "create" and change.actor == staff


def test_slugs_are_unique_and_never_shadow_directory_paths(make_community):
    assert make_community("Karte").slug == "karte"
    assert make_community("Karte").slug == "karte-2"
    assert make_community("Map").slug == "map-2"


def test_update_records_who_when_and_each_field_old_and_new(community, coordinator):
    result = services.community_update(
        community=community,
        actor=coordinator,
        name="Ķekavas Ūdri un Pļavas",
        population="200_1000",
        founded_year=2019,
    )
    assert set(result.changed) == {"name", "population", "founded_year"}
    change = community.changes.filter(action="update").get()
    assert change.actor == coordinator
    assert change.changes["name"] == {"old": "Ķekavas Ūdri", "new": "Ķekavas Ūdri un Pļavas"}
    assert change.changes["population"] == {"old": "", "new": "200_1000"}
    community.refresh_from_db()
    assert "plavas" in community.search_key


def test_update_without_changes_records_nothing(community, coordinator):
    services.community_update(community=community, actor=coordinator, name=community.name)
    assert not community.changes.filter(action="update").exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"legal_status": "biedriba", "registration_number": "40003000643"}, "registration_number"),
        ({"legal_status": "biedriba", "registration_number": ""}, "registration_number"),
        ({"legal_status": "nevajag", "registration_number": "40003000642"}, "registration_number"),
        ({"latitude": 56.9, "longitude": None}, "latitude"),
        ({"latitude": 95, "longitude": 24}, "latitude"),
        ({"founded_year": 1800}, "founded_year"),
        ({"links": [{"url": "javascript:alert(1)", "title": ""}]}, "links"),
    ],
)
def test_invalid_profile_is_refused_naming_the_field_and_nothing_changes(
    community, coordinator, values, field
):
    with pytest.raises(ValidationError) as error:
        services.community_update(community=community, actor=coordinator, **values)
    assert field in error.value.error_dict
    community.refresh_from_db()
    assert community.registration_number == "" and community.founded_year is None
    assert not community.changes.filter(action="update").exists()


def test_association_with_valid_number(community, coordinator):
    number = registration_number()
    services.community_update(
        community=community, actor=coordinator, legal_status="biedriba", registration_number=number
    )
    community.refresh_from_db()
    assert community.registration_number == number


def test_join_twice_is_one_membership_and_leave(community, resident):
    services.membership_join(community=community, user=resident)
    services.membership_join(community=community, user=resident)
    assert community.memberships.filter(user=resident, role=Role.MEMBER).count() == 1
    services.membership_leave(community=community, user=resident)
    assert not community.memberships.filter(user=resident).exists()


def test_last_coordinator_cannot_leave(community, coordinator):
    with pytest.raises(ValidationError):
        services.membership_leave(community=community, user=coordinator)
    assert community.memberships.filter(user=coordinator, role=Role.COORDINATOR).exists()


def _token_from_mail() -> str:
    body = mail.outbox[-1].body
    url = next(line for line in body.splitlines() if "/invitation/" in line)
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_invite_coordinator_by_email_and_accept_once(
    community, coordinator, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email="jauna@example.lv")
    with django_capture_on_commit_callbacks(execute=True):
        services.coordinator_invite(
            community=community, email="Jauna@Example.lv", actor=coordinator
        )
    assert mail.outbox[-1].to == ["jauna@example.lv"]
    token = _token_from_mail()
    stored = CoordinatorInvitation.objects.get()
    assert token not in stored.token_hash  # only a hash is kept

    services.coordinator_accept(token=token, user=invitee)
    assert community.memberships.get(user=invitee).role == Role.COORDINATOR
    with pytest.raises(ValidationError):  # replayed
        services.coordinator_accept(token=token, user=invitee)


def test_invitation_refused_for_another_account_or_after_expiry(
    community, coordinator, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.coordinator_invite(
            community=community, email="jauna@example.lv", actor=coordinator
        )
    token = _token_from_mail()
    with pytest.raises(PermissionDenied):
        services.coordinator_accept(token=token, user=resident)
    CoordinatorInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    invitee = UserFactory(email="jauna@example.lv")
    with pytest.raises(ValidationError):
        services.coordinator_accept(token=token, user=invitee)
    assert not community.memberships.filter(user__in=[resident, invitee]).exists()


def test_handover_to_a_member(community, coordinator, member):
    services.coordinator_handover(community=community, actor=coordinator, to_user=member)
    roles = dict(community.memberships.values_list("user__email", "role"))
    assert roles == {member.email: Role.COORDINATOR, coordinator.email: Role.MEMBER}


def test_handover_only_to_a_member(community, coordinator, resident):
    with pytest.raises(ValidationError):
        services.coordinator_handover(community=community, actor=coordinator, to_user=resident)


def test_merge_moves_people_answers_invitations_and_history(
    community, make_community, coordinator, member, staff
):
    duplicate_coordinator = UserFactory()
    duplicate = make_community("Ķekavas Ūdri (dublikāts)", coordinator=duplicate_coordinator)
    CommunityMembership.objects.create(community=duplicate, user=member, role=Role.COORDINATOR)
    survey_a, survey_b = SurveyFactory(), SurveyFactory()
    both = Invitation.objects.create(survey=survey_a, community=community, token="a1")
    clash = Invitation.objects.create(survey=survey_a, community=duplicate, token="a2")
    only = Invitation.objects.create(survey=survey_b, community=duplicate, token="b1")
    answered = Response.objects.create(survey=survey_a, invitation=clash, community=duplicate)

    result = services.community_merge(source=duplicate, target=community, actor=staff)

    assert not Community.objects.filter(pk=duplicate.pk).exists()
    assert result.members_moved == 1 and result.moved["aptaujas atbildes"] == 1
    roles = dict(community.memberships.values_list("user", "role"))
    assert roles[duplicate_coordinator.pk] == Role.COORDINATOR
    assert roles[member.pk] == Role.COORDINATOR  # the higher role is kept
    answered.refresh_from_db()
    assert answered.community == community
    clash.refresh_from_db()
    assert clash.community is None and clash.label == "Ķekavas Ūdri (dublikāts)"
    only.refresh_from_db()
    both.refresh_from_db()
    assert only.community == community and both.community == community
    assert ProfileChange.objects.filter(community=community, action="merge").exists()


def test_merge_refused_across_municipalities(community, make_community, olaine, staff):
    other = make_community("Jaunolaine", municipality=olaine)
    with pytest.raises(ValidationError):
        services.community_merge(source=other, target=community, actor=staff)


def test_survey_prefill_uses_the_survey_codes(community, coordinator):
    services.community_update(
        community=community,
        actor=coordinator,
        population="1000_3000",
        founded_year=timezone.localdate().year - 5,
        legal_status="vajadzigs",
        active_core="3_6",
    )
    community.refresh_from_db()
    assert community_survey_prefill(community) == {
        "community_name": "Ķekavas Ūdri",
        "municipality": "kekavas_nov",
        "population": "1000_3000",
        "years_active": "3_6",
        "legal_status": "vajadzigs",
        "active_core": "3_6",
    }


def test_merge_keeps_the_duplicates_news_cases_and_requests(
    community, make_community, staff, member
):
    from kopiena.network.models import Follow, NewsPost
    from kopiena.practices.models import PracticeCase, ReplicationRequest

    duplicate = make_community("Ķekavas Ūdri (dublikāts)")
    post = NewsPost.objects.create(
        community=duplicate, municipality=duplicate.municipality, title="Talka", body="Sestdien"
    )
    case = PracticeCase.objects.create(
        community=duplicate, municipality=duplicate.municipality, title="Kopīgā talka", slug="talka"
    )
    other_case = PracticeCase.objects.create(
        municipality=community.municipality, title="Svētki", slug="svetki"
    )
    asked_by_both = ReplicationRequest.objects.create(case=other_case, community=community)
    ReplicationRequest.objects.create(case=other_case, community=duplicate)
    Follow.objects.create(user=member, community=duplicate)
    Follow.objects.create(user=member, community=community)

    result = services.community_merge(source=duplicate, target=community, actor=staff)

    post.refresh_from_db()
    case.refresh_from_db()
    assert post.community == community and case.community == community
    assert list(ReplicationRequest.objects.filter(case=other_case)) == [asked_by_both]
    assert Follow.objects.filter(user=member).count() == 1
    assert result.moved["ziņas"] == 1 and result.moved["labās prakses piemēri"] == 1


def test_a_phone_that_is_not_a_number_is_refused_naming_the_field(community, coordinator):
    with pytest.raises(ValidationError) as error:
        services.community_update(
            community=community, actor=coordinator, public_phone="abc-not-a-phone"
        )
    assert "public_phone" in error.value.message_dict
    services.community_update(community=community, actor=coordinator, public_phone="20000000")
    community.refresh_from_db()
    assert community.public_phone == "+371 20 000 000"
