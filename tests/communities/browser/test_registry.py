"""The registry in Chromium, as its users meet it; axe-core on every page."""

import json

import pytest
from django.core import mail
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from kopiena.accounts.models import User
from kopiena.communities import services
from kopiena.places.models import Municipality
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kekava():
    # Transactional tests empty the tables the migrations filled; bring Ķekava back.
    municipality, _ = Municipality.objects.get_or_create(
        slug="kekavas_nov", defaults={"name": "Ķekavas novads", "kind": "novads"}
    )
    return municipality


@pytest.fixture
def coordinator():
    return UserFactory(email="koordinatore@example.lv", full_name="Koordinatore Anna")


@pytest.fixture
def community(kekava, coordinator):
    services.community_create(
        name="Baloži", municipality=kekava, actor=None, latitude="56.87", longitude="24.12"
    )
    return services.community_create(
        name="Ķekavas Ūdri",
        municipality=kekava,
        actor=None,
        coordinator=coordinator,
        neighbourhood="Rīgas iela",
        latitude="56.82700",
        longitude="24.23100",
        description="**Talkas** katru pavasari.",
    )


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-pasts").fill(user.email)
    page.get_by_label("Parole").fill(PASSWORD)
    page.get_by_role("button", name="Ieiet").click()
    page.wait_for_load_state()


def open_marker_popup(page) -> None:
    """Click the marker until its popup opens: a click during Leaflet's zoom animation is lost."""
    popup = page.locator(".leaflet-popup")
    for _attempt in range(5):
        page.locator(".leaflet-marker-icon").click()
        try:
            popup.wait_for(state="visible", timeout=2_000)
            return
        except PlaywrightTimeoutError:
            continue
    expect(popup).to_be_visible()


def test_search_without_diacritics_then_the_map(
    page, axe_violations, community, live_server, settings
):
    # Tiles that cannot load: the map says so and the list stays.
    settings.KOPIENA_MAP_TILES_URL = live_server.url + "/no-tiles/{z}/{x}/{y}.png"
    page.goto("/communities/")
    assert axe_violations(page) == []
    page.get_by_role("searchbox", name="Meklēt").fill("kekavas udri")
    page.get_by_role("button", name="Meklēt").click()
    results = page.locator(".community-list")
    expect(results.get_by_role("link", name="Ķekavas Ūdri")).to_be_visible()
    expect(results.get_by_role("link", name="Baloži")).to_have_count(0)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Karte").click()
    # The search applies to the map too.
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1, timeout=20_000)
    expect(page.locator(".community-list").get_by_role("link", name="Ķekavas Ūdri")).to_be_visible()
    status = page.get_by_role("status").filter(has_text="Kartes attēlus neizdevās")
    expect(status).to_be_visible(timeout=30_000)
    assert axe_violations(page) == []
    open_marker_popup(page)
    page.locator(".leaflet-popup").get_by_role("link", name="Ķekavas Ūdri").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ķekavas Ūdri")
    assert axe_violations(page) == []


def test_coordinator_edits_the_profile_and_invites_a_co_coordinator(
    page, browser, live_server, axe_violations, community, coordinator
):
    sign_in(page, coordinator)
    page.goto(f"/communities/{community.slug}/")
    page.get_by_role("link", name="Labot profilu").click()
    assert axe_violations(page) == []
    page.get_by_label("Iedzīvotāju skaits apkaimē").select_option("200_1000")
    page.get_by_label("Juridiskā forma").select_option("biedriba")
    page.get_by_label("Reģistrācijas numurs").fill("123")
    page.get_by_role("button", name="Saglabāt").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert page.get_by_label("Reģistrācijas numurs").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    page.get_by_label("Reģistrācijas numurs").fill("40003000642")
    page.get_by_role("button", name="Saglabāt").click()
    expect(page.get_by_text("Profils saglabāts.")).to_be_visible()
    expect(page.get_by_text("200–1000 iedzīvotāju")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Koordinatori").click()
    page.get_by_label("E-pasts").fill("otra@example.lv")
    page.get_by_role("button", name="Sūtīt uzaicinājumu").click()
    expect(page.get_by_text("Uzaicinājums nosūtīts uz otra@example.lv.")).to_be_visible()
    assert axe_violations(page) == []

    link = next(line for line in mail.outbox[-1].body.splitlines() if "/invitation/" in line)
    path = "/" + link.split("/", 3)[3]
    invitee = UserFactory(email="otra@example.lv")
    context = browser.new_context(base_url=live_server.url, locale="lv-LV")
    second = context.new_page()
    sign_in(second, invitee)
    second.goto(path)
    assert axe_violations(second) == []
    second.get_by_role("button", name="Pieņemt uzaicinājumu").click()
    expect(second.get_by_text("Jūs esat šīs kopienas koordinators.")).to_be_visible()
    context.close()


def test_resident_follows_and_joins_a_community(page, axe_violations, community):
    resident = UserFactory(email="iedzivotaja@example.lv")
    page.goto(f"/communities/{community.slug}/")
    assert axe_violations(page) == []
    sign_in(page, resident)
    page.goto(f"/communities/{community.slug}/")
    page.get_by_role("button", name="Sekot jaunumiem").click()
    expect(page.get_by_role("button", name="Nesekot")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Pievienoties kopienai").click()
    expect(page.get_by_text("Jūs esat šīs kopienas dalībnieks.")).to_be_visible()
    assert axe_violations(page) == []
    assert community.memberships.filter(user=resident, role="member").exists()


def test_download_and_delete_ones_data(page, axe_violations, community, coordinator):
    sign_in(page, coordinator)
    page.goto("/account/data/")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Lejupielādēt manus datus (JSON)").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == coordinator.email
    assert data["community_memberships"][0]["community"] == "Ķekavas Ūdri"

    page.get_by_role("link", name="Dzēst manu kontu").click()
    assert axe_violations(page) == []
    page.get_by_label("Parole").fill(PASSWORD)
    page.get_by_role("button", name="Dzēst kontu neatgriezeniski").click()
    expect(page.get_by_text("Jūsu konts un personas dati ir dzēsti.")).to_be_visible()
    assert not User.objects.filter(email=coordinator.email).exists()
    assert axe_violations(page) == []


def test_staff_pages_are_accessible(page, axe_violations, community, kekava):
    staff = UserFactory(email="darbiniece@kekava.lv", staff_of=[kekava])
    sign_in(page, staff)
    page.goto("/communities/")
    page.get_by_role("link", name="Ķekavas novads: kopienu pārskats").click()
    expect(page.get_by_role("link", name="Ķekavas Ūdri")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Dalībnieki").click()  # sort
    assert axe_violations(page) == []
    for path in (
        "/communities/new/",
        f"/communities/{community.slug}/history/",
        f"/communities/{community.slug}/merge/",
        f"/communities/{community.slug}/coordinators/",
        "/communities/invitation/nederigs/",
    ):
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
