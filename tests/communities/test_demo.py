import pytest
from django.core.management import call_command

from kopiena.communities.models import Community, CommunityMembership
from kopiena.communities.validators import registration_number_is_valid

pytestmark = pytest.mark.django_db


def test_demo_communities_are_loaded_once():
    call_command("demo_communities")
    count = Community.objects.count()
    assert 38 <= count <= 45
    assert Community.objects.values("municipality").distinct().count() >= 6
    named = dict(
        Community.objects.filter(
            name__in=["Kaldabruņa", "Kažoku ciems", "Jaunolaine", "Liepa", "Jāņupe"]
        ).values_list("name", "municipality__slug")
    )
    assert named == {
        "Kaldabruņa": "augsdaugavas_nov",
        "Kažoku ciems": "gulbenes_nov",
        "Jaunolaine": "olaines_nov",
        "Liepa": "cesu_nov",
        "Jāņupe": "olaines_nov",
    }
    for community in Community.objects.all():
        assert community.memberships.filter(role=CommunityMembership.Role.COORDINATOR).exists()
        assert community.memberships.filter(role=CommunityMembership.Role.MEMBER).exists()
        if community.registration_number:
            assert registration_number_is_valid(community.registration_number)
    call_command("demo_communities")
    assert Community.objects.count() == count
