"""The API's docs page in Chromium: Swagger UI renders and calls the API under the site's
CSP (no inline code, nothing from elsewhere), accessibly, and fits a phone."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded from the start of the page: what the CSP blocked, if anything.
CSP_LISTENER = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation',
  (event) => window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));
"""


@pytest.fixture
def docs_page(page):
    problems: list[str] = []

    def console(message) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.add_init_script(CSP_LISTENER)
    page.goto("/api/v1/docs")
    page.problems = problems
    return page


def test_docs_page_lists_every_endpoint_without_csp_violations(docs_page, axe_violations):
    page = docs_page
    expect(page.get_by_role("heading", name="Kopiena")).to_be_visible()
    for path in ("/api/v1/communities/", "/api/v1/reports/", "/api/v1/practices/", "/api/v1/news/"):
        expect(page.get_by_text(path, exact=True).first).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    assert axe_violations(page) == []
    assert page.evaluate("window.cspViolations") == []
    assert page.problems == []


def test_docs_page_tries_an_endpoint_out(docs_page, axe_violations):
    page = docs_page
    page.locator("#operations-communities-listCommunities button.opblock-summary-control").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(
        page.locator(".live-responses-table tr.response .response-col_status").first
    ).to_have_text("200")
    assert axe_violations(page) == []
    assert page.evaluate("window.cspViolations") == []
    assert page.problems == []


def test_docs_page_fits_a_phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", name="Kopiena")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    context.close()
    assert overflow <= 0
