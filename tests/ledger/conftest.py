"""Ledger fixtures: the registry's people and communities, an item raised by a community
and the staff who answer it."""

import pytest

from kopiena.ledger import services
from tests.communities.conftest import (  # noqa: F401 — fixtures reused from the registry's tests
    community,
    coordinator,
    kekava,
    make_community,
    member,
    olaine,
    other_coordinator,
    other_staff,
    resident,
    staff,
)


@pytest.fixture
def item(kekava, community, staff):  # noqa: F811 — the registry's fixtures, imported above
    return services.ledger_item_create(
        municipality=kekava,
        actor=staff,
        title="Apgaismojums Rīgas ielā",
        description="Rīgas ielas posmā nedeg laternas.",
        community=community,
        department="Infrastruktūras nodaļa",
    )


@pytest.fixture
def make_item(kekava, staff):  # noqa: F811 — the registry's fixtures, imported above
    def make(title: str = "Jautājums", **fields):
        fields.setdefault("municipality", kekava)
        return services.ledger_item_create(actor=staff, title=title, **fields)

    return make


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    """Evidence goes to folders of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
