"""API fixtures: one public and one hidden item of every kind the API lists."""

import pytest

from kopiena.network import services as network
from kopiena.practices import services as practices
from kopiena.reports import services as reports
from tests.communities.conftest import (  # noqa: F401 — fixtures reused from the registry's tests
    community,
    coordinator,
    kekava,
    make_community,
    staff,
)
from tests.factories import SurveyFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded pictures and report files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cases(community, coordinator, staff):  # noqa: F811 — the registry's fixtures, imported above
    """A published case and a draft of the same community."""

    def case(title: str):
        return practices.case_create(
            community=community,
            author=coordinator,
            instruments=["telpas"],
            title=title,
            summary="Kopiena sakopa parku.",
            story="Mēs **sakopām** parku.",
            topic="vide",
            contact_name="Anna",
            contact_email="anna@example.lv",
        )

    published = case("Talka Ūdru parkā")
    practices.case_submit(case=published)
    practices.case_review(case=published, reviewer=staff, publish=True)
    return {"published": published, "draft": case("Melnraksts par soliņiem")}


@pytest.fixture
def posts(community, coordinator, staff):  # noqa: F811 — the registry's fixtures, imported above
    """A visible news post and one a moderator hid."""

    def post(title: str):
        return network.news_post_create(
            author=coordinator, community=community, title=title, body="Teksts.", topic="vide"
        )

    visible, hidden = post("Talka sestdien"), post("Reklāma, kas jāslēpj")
    network.content_moderate(content=hidden, moderator=staff, hide=True)
    return {"visible": visible, "hidden": hidden}


@pytest.fixture
def published_reports(kekava, staff):  # noqa: F811 — the registry's fixtures, imported above
    """A report published for everyone and one published for staff only."""
    survey = SurveyFactory(slug="iedzivotaju-aptauja", municipality=kekava)
    return {
        "public": reports.report_publish(survey=survey, options={}, is_public=True, actor=staff),
        "private": reports.report_publish(survey=survey, options={}, is_public=False, actor=staff),
    }


@pytest.fixture
def everything(community, cases, posts, published_reports):  # noqa: F811
    """Something in every list."""
