"""The public pages in Chromium: accessible in both languages, usable on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password reset": "/accounts/password/reset/",
    "privacy": "/privatums/",
    "404": "/nav-tadas-lapas/",
}


@pytest.mark.parametrize("language", ["lv", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_accessibility_violations(page, axe_violations, name, language):
    prefix = "/en" if language == "en" else ""
    page.goto(prefix + PAGES[name])
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("main#main").count() == 1
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_form_errors_are_announced_and_linked_to_the_field(page, axe_violations):
    page.goto("/accounts/login/")
    page.get_by_label("E-pasts").fill("nav@example.lv")
    page.get_by_label("Parole").fill("nepareiza-parole")
    page.get_by_role("button", name="Ieiet").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert axe_violations(page) == []


def test_signup_errors_are_linked_to_their_field(page, axe_violations):
    page.goto("/accounts/signup/")
    page.get_by_label("E-pasts").fill("jauns@example.lv")
    page.get_by_label("Parole", exact=True).fill("password1234")
    page.get_by_label("Parole vēlreiz").fill("password1234")
    page.get_by_role("button", name="Izveidot kontu").click()
    field = page.get_by_label("Parole", exact=True)
    assert field.get_attribute("aria-invalid") == "true"
    error_id = field.get_attribute("aria-describedby").split()[-1]
    assert page.locator(f"#{error_id}").inner_text().strip()
    assert axe_violations(page) == []


def test_switching_to_english_changes_language_and_text(page):
    page.goto("/privatums/")
    assert page.get_by_role("heading", level=1).inner_text() == "Privātuma politika"
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/en/privatums/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy policy"
    page.get_by_role("button", name="Latviešu").click()
    page.wait_for_url(re.compile(r"://[^/]+/privatums/$"))
    assert page.locator("html").get_attribute("lang") == "lv"


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Pāriet uz saturu"
    # The focused skip link is on screen and has a visible focus outline.
    box = page.evaluate("JSON.stringify(document.activeElement.getBoundingClientRect())")
    assert '"x":0' in box or '"left":0' in box
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/signup/", "/privatums/"])
def test_pages_fit_a_phone_screen(browser, live_server, url):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    phone = context.new_page()
    phone.goto(url)
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    context.close()
    assert overflow <= 0


def test_sign_up_log_out_and_log_in_again(page, login):
    page.goto("/accounts/signup/")
    page.get_by_label("E-pasts").fill("liepa@example.lv")
    page.get_by_label("Parole", exact=True).fill("Liepas-kopiena-2026")
    page.get_by_label("Parole vēlreiz").fill("Liepas-kopiena-2026")
    page.get_by_role("button", name="Izveidot kontu").click()
    expect(page.get_by_text("liepa@example.lv").first).to_be_visible()
    page.get_by_role("button", name="Iziet").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Ieiet")).to_be_visible()

    user = UserFactory(email="kazoki@example.lv")
    login(user)
    assert page.locator(".user-name").inner_text() == user.full_name


def test_the_accessibility_check_really_runs_under_the_sites_csp(page, axe_violations):
    page.goto("/")
    page.evaluate("document.querySelector('main').append(document.createElement('input'))")
    assert any(v.startswith("label") for v in axe_violations(page))
