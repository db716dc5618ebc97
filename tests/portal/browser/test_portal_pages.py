"""The portal's pages in Chromium with the demo's content: accessible, usable on a phone."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = {
    "home": "/",
    "municipalities": "/pasvaldibas/",
    "hub": "/pasvaldibas/kekavas_nov/",
    "search": "/meklet/?q=talka",
}
DASHBOARDS = {
    "kekava@kopiena.lv": "/panelis/mans-darbs/",
    "koordinators@kopiena.lv": "/panelis/mana-kopiena/",
    "iedzivotajs@kopiena.lv": "/panelis/mani-jaunumi/",
}


@pytest.fixture
def demo(transactional_db):
    call_command("demo", stdout=StringIO())


@pytest.mark.parametrize("name", list(PUBLIC))
def test_public_page_is_accessible_at_desktop_and_phone_width(page, axe_violations, demo, name):
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(PUBLIC[name])
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("email", list(DASHBOARDS))
def test_each_role_lands_on_an_accessible_dashboard(page, axe_violations, login, demo, email):
    from kopiena.accounts.demo import DEMO_PASSWORD
    from kopiena.accounts.models import User

    login(User.objects.get(email=email), DEMO_PASSWORD)
    assert page.url.endswith(DASHBOARDS[email])
    assert axe_violations(page) == []


def test_search_from_the_home_page_by_keyboard(page, axe_violations, demo):
    page.goto("/")
    page.get_by_label("Meklēt kopienas, labo praksi, rokasgrāmatas un ziņas").fill("baloži")
    page.keyboard.press("Enter")
    page.wait_for_url("**/meklet/?q=balo*")
    assert page.get_by_role("link", name="Baloži").count() >= 1
    assert axe_violations(page) == []
