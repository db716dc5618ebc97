"""Library fixtures: the registry's people and communities, and a second coordinator."""

import pytest

from kopiena.practices import services
from tests.communities.conftest import (  # noqa: F401 — fixtures reused from the registry's tests
    community,
    coordinator,
    kekava,
    make_community,
    member,
    olaine,
    other_staff,
    resident,
    staff,
)
from tests.factories import UserFactory


@pytest.fixture
def asker(make_community):  # noqa: F811 — the registry's fixtures, imported above
    """Coordinator of another community in Ķekava, who wants to replicate a case."""
    user = UserFactory(email="jautatajs@example.lv", full_name="Jautātāja Ilze")
    user.asking_community = make_community("Baložu kopiena", coordinator=user)
    return user


@pytest.fixture
def draft(community, coordinator):  # noqa: F811 — the registry's fixtures, imported above
    return services.case_create(
        community=community,
        author=coordinator,
        instruments=["telpas", "piedalijusies"],
        title="Talka Ūdru parkā",
        summary="Kopiena sakopa parku kopā ar pagasta pārvaldi.",
        story="Mēs **sakopām** parku.",
        topic="vide",
        cost="200 EUR",
        funding_source="Pašvaldības projektu konkurss",
        outcome="Tīrs parks.",
        contact_name="Anna",
        contact_email="anna@example.lv",
    )


@pytest.fixture
def published(draft, staff):  # noqa: F811 — the registry's fixtures, imported above
    services.case_submit(case=draft)
    return services.case_review(case=draft, reviewer=staff, publish=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded pictures go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
