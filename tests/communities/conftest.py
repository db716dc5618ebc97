"""Registry fixtures: communities made through the services (so keys are maintained) and
one person in each role the authorization matrix needs."""

import pytest

from kopiena.communities import services
from kopiena.communities.models import CommunityMembership
from tests.factories import UserFactory, municipality


def registration_number(prefix: str = "4000801234") -> str:
    """A valid Enterprise Register number: the check digit that makes the sum 3 mod 11."""
    weights = (9, 1, 4, 8, 3, 10, 2, 5, 7, 6)
    total = sum(w * int(d) for w, d in zip(weights, prefix, strict=True))
    for digit in range(10):
        if (total + digit) % 11 == 3:
            return prefix + str(digit)
    return registration_number(str(int(prefix) + 1))


@pytest.fixture
def kekava():
    return municipality("kekavas_nov")


@pytest.fixture
def olaine():
    return municipality("olaines_nov")


@pytest.fixture
def make_community(kekava):
    def make(name: str = "Ķekavas Ūdri", municipality=None, coordinator=None, **profile):
        return services.community_create(
            name=name,
            municipality=municipality or kekava,
            actor=None,
            coordinator=coordinator,
            **profile,
        )

    return make


@pytest.fixture
def coordinator(db):
    return UserFactory(email="koordinators@example.lv", full_name="Koordinatore Anna")


@pytest.fixture
def community(make_community, coordinator):
    return make_community(
        "Ķekavas Ūdri",
        coordinator=coordinator,
        neighbourhood="Rīgas iela",
        private_email="privats@example.lv",
        private_phone="+371 20000000",
        latitude="56.82700",
        longitude="24.23100",
    )


@pytest.fixture
def staff(kekava):
    return UserFactory(email="darbinieks@kekava.lv", staff_of=[kekava])


@pytest.fixture
def other_staff(olaine):
    return UserFactory(email="darbinieks@olaine.lv", staff_of=[olaine])


@pytest.fixture
def resident(db):
    return UserFactory(email="iedzivotajs@example.lv")


@pytest.fixture
def other_coordinator(make_community):
    user = UserFactory(email="cits.koordinators@example.lv")
    make_community("Cita kopiena", coordinator=user)
    return user


@pytest.fixture
def member(community):
    user = UserFactory(email="dalibnieks@example.lv", full_name="Dalībnieks Jānis")
    CommunityMembership.objects.create(
        community=community, user=user, role=CommunityMembership.Role.MEMBER
    )
    return user
