"""One slug service for every model with pages at /<app>/<slug>/ (kopiena/core/slugs.py)."""

import pytest

from kopiena.communities.services import COMMUNITY_SLUGS
from kopiena.core.slugs import SlugRefused
from kopiena.practices.services import CASE_SLUGS
from kopiena.surveys.services.surveys import SURVEY_SLUGS
from tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def test_the_reserved_words_are_the_apps_own_fixed_pages():
    assert SURVEY_SLUGS.reserved == {"manage"}
    assert COMMUNITY_SLUGS.reserved == {"map", "new", "feed", "invitation", "overview"}
    assert CASE_SLUGS.reserved == {"new", "mine", "review", "guides", "threads"}


def test_a_slug_from_a_text_skips_reserved_and_taken_ones():
    SurveyFactory(slug="kopienu-aptauja")
    assert SURVEY_SLUGS.from_text("Kopienu aptauja") == "kopienu-aptauja-2"
    assert SURVEY_SLUGS.from_text("Manage") == "manage-2"
    assert SURVEY_SLUGS.from_text("…") == "aptauja"
    assert COMMUNITY_SLUGS.from_text("Ķekavas Jaunā kopiena") == "kekavas-jauna-kopiena"


@pytest.mark.parametrize(
    ("slug", "reason"),
    [
        ("manage", "rezervēts"),
        ("taken", "aizņemts"),
        ("ne derīgs", "tikai burtus"),
        ("x" * 101, "garāks par 100"),
    ],
)
def test_a_slug_asked_for_is_refused_with_the_reason(slug, reason):
    SurveyFactory(slug="taken")
    with pytest.raises(SlugRefused) as refused:
        SURVEY_SLUGS.check(slug)
    assert reason in str(refused.value)


def test_a_free_slug_asked_for_is_kept_as_it_is():
    assert SURVEY_SLUGS.check("Aptauja_2026") == "Aptauja_2026"
