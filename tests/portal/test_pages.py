"""The pages the portal composes from every app: home, hubs, search and dashboards."""

import pytest
from django.urls import reverse

from kopiena.accounts import notifications
from kopiena.communities import services as communities
from kopiena.network import services as network
from kopiena.practices.models import PracticeCase
from tests.factories import PASSWORD, UserFactory, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def kekava():
    return municipality("kekavas_nov")


@pytest.fixture
def coordinator():
    return UserFactory(email="koordinatore@example.lv")


@pytest.fixture
def staff(kekava):
    return UserFactory(email="darbiniece@example.lv", staff_of=[kekava])


@pytest.fixture
def community(kekava, coordinator):
    return communities.community_create(
        name="Ķekavas Ūdri", municipality=kekava, actor=None, coordinator=coordinator
    )


@pytest.fixture
def post(community, coordinator):
    return network.news_post_create(
        author=coordinator, community=community, title="Pavasara talkā", body="Sestdien pie skolas"
    )


@pytest.fixture
def case(kekava, community):
    return PracticeCase.objects.create(
        title="Kopīgā dārza ierīkošana",
        slug="darzs",
        summary="Iedzīvotāji kopā ierīkoja dārzu.",
        municipality=kekava,
        community=community,
        status=PracticeCase.Status.PUBLISHED,
        search_key="kopiga darza ierikosana",
    )


def test_home_page_shows_figures_news_and_practice(client, post, case):
    page = client.get(reverse("portal:home")).content.decode()
    assert "Pavasara talkā" in page and "Kopīgā dārza ierīkošana" in page
    assert "Atvērtās aptaujas" in page
    figures = {f.key: f.value for f in client.get(reverse("portal:home")).context["figures"]}
    assert figures["communities"] == 1 and figures["practices"] == 1


def test_a_municipality_hub_shows_only_its_own_content(client, post, case):
    hub = client.get(reverse("portal:hub", args=["kekavas_nov"])).content.decode()
    assert "Pavasara talkā" in hub and "Ķekavas Ūdri" in hub
    other = client.get(reverse("portal:hub", args=["riga"])).content.decode()
    assert "Pavasara talkā" not in other and "Ķekavas Ūdri" not in other
    assert client.get(reverse("portal:hub", args=["nav-tadas"])).status_code == 404


def test_search_finds_every_kind_without_diacritics(client, post, case):
    results = client.get(reverse("portal:search"), {"q": "KEKAVAS udri"}).context["results"]
    assert [hit.title for _label, hits in results.groups for hit in hits] == ["Ķekavas Ūdri"]
    page = client.get(reverse("portal:search"), {"q": "talka"}).content.decode()
    assert "Pavasara talkā" in page
    page = client.get(reverse("portal:search"), {"q": "darza"}).content.decode()
    assert "Kopīgā dārza ierīkošana" in page
    assert client.get(reverse("portal:search"), {"q": "%00\x00"}).status_code == 200


def test_login_lands_on_the_dashboard_of_the_persons_role(client, staff, coordinator, community):
    resident = UserFactory()
    expected = {
        staff: "portal:my_work",
        coordinator: "portal:my_community",
        resident: "portal:my_news",
    }
    for user, name in expected.items():
        client.logout()
        response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
        assert client.get(response["Location"])["Location"] == reverse(name)


def test_coordinators_dashboard_names_the_missing_profile_facts(client, coordinator, community):
    client.force_login(coordinator)
    page = client.get(reverse("portal:my_community")).content.decode()
    assert "Ķekavas Ūdri: profils aizpildīts 0 %" in page
    assert reverse("communities:edit", args=[community.slug]) in page


def test_staff_see_cases_to_review_and_flags_of_their_municipality_only(
    client, staff, case, post, kekava
):
    case.status = PracticeCase.Status.SUBMITTED
    case.save()
    network.flag_create(post=post, reason="Reklāma", flagged_by=None, actor_key="x")
    client.force_login(staff)
    page = client.get(reverse("portal:my_work")).content.decode()
    assert "Kopīgā dārza ierīkošana" in page and "Reklāma" in page
    riga_staff = UserFactory(staff_of=[municipality("riga")])
    client.force_login(riga_staff)
    page = client.get(reverse("portal:my_work")).content.decode()
    assert "Kopīgā dārza ierīkošana" not in page and "Reklāma" not in page


def test_residents_dashboard_lists_their_notifications(client, community, coordinator):
    resident = UserFactory()
    network.follow_set(user=resident, community=community, follow=True)
    network.news_post_create(author=coordinator, community=community, title="Svētki", body="B")
    client.force_login(resident)
    page = client.get(reverse("portal:my_news")).content.decode()
    assert "Ķekavas Ūdri: Svētki" in page
    assert notifications.unread_count(resident) == 1


@pytest.mark.parametrize("name", ["portal:my_work", "portal:my_community", "portal:my_news"])
def test_dashboards_ask_visitors_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
