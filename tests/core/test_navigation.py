"""The main navigation offers survey management only to those who may manage surveys."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory, municipality

pytestmark = pytest.mark.django_db


def nav_links(client) -> str:
    page = client.get(reverse("portal:home")).content.decode()
    return page.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_municipality_staff_see_the_surveys_link(client):
    client.force_login(UserFactory(staff_of=[municipality()]))
    assert reverse("surveys:manage_list") in nav_links(client)


def test_residents_are_not_offered_a_page_that_would_refuse_them(client):
    client.force_login(UserFactory())
    assert reverse("surveys:manage_list") not in nav_links(client)
