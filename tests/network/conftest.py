"""Network fixtures: the registry's people and communities, and a post by the coordinator."""

import pytest

from kopiena.network import services
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


@pytest.fixture
def post(community, coordinator):  # noqa: F811 — the registry's fixtures, imported above
    return services.news_post_create(
        author=coordinator,
        community=community,
        title="Talka sestdien",
        body="Sanākam pie skolas desmitos.",
        topic="vide",
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded pictures go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
