"""Fixtures shared by every test: browser, accessibility check, common users."""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The shared folder is a sibling of the checkout (../shared), or wherever KOPIENA_SHARED says.
SHARED = Path(os.environ.get("KOPIENA_SHARED") or ROOT.parent / "shared")
CHROMIUM = os.environ.get("KOPIENA_CHROMIUM", "/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"

# Playwright's sync API runs an event loop in this thread; Django must still allow ORM use.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def require(condition: bool, reason: str) -> None:
    """Skip for lack of an outside resource on a developer's machine; under CI that is a failure."""
    if not condition:
        if IN_CI:
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: allauth keeps its rate-limit counters there."""
    from django.core.cache import cache

    cache.clear()
    yield


DB_FIXTURES = ("db", "transactional_db", "live_server", "django_db_reset_sequences")


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The municipalities the migrations load, present in every database test.

    A transactional test (every browser test, through live_server) ends by flushing
    all tables, data-migration rows included; the tests after it get them back here.
    """
    database = [name for name in DB_FIXTURES if name in request.fixturenames]
    if not database and request.node.get_closest_marker("django_db") is None:
        yield
        return
    for name in database:
        request.getfixturevalue(name)
    from kopiena.places.models import Municipality
    from kopiena.places.services import municipalities_load

    if not Municipality.objects.exists():
        municipalities_load()
    yield


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    corpus = SHARED / "corpus" / "xlsform"
    require(corpus.is_dir(), f"the XLSForm corpus is missing at {corpus}")
    return corpus


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists() or bool(shutil.which(CHROMIUM)), f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page whose relative URLs go to the live test server, in Latvian."""
    context = browser.new_context(base_url=live_server.url, locale="lv-LV")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    require(AXE_JS.exists(), f"axe-core is not installed at {AXE_JS} (run scripts/vendor.sh)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def axe_violations(axe_source):
    """Run axe-core on the page for WCAG 2.1 A/AA; returns a readable list of violations."""

    def check(page) -> list[str]:
        # evaluate() runs through the DevTools protocol, so the page's CSP does not block axe.
        page.evaluate(axe_source)
        result = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
            })"""
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:5])
            for v in result["violations"]
        ]

    return check


@pytest.fixture
def login(page, live_server):
    """Log a user in through the real login form."""

    def log_in(user, password: str | None = None) -> None:
        from tests.factories import PASSWORD

        page.goto("/accounts/login/")
        page.get_by_label("E-pasts").fill(user.email)
        page.get_by_label("Parole").fill(password or PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Ieiet").click()

    return log_in
