"""News in Chromium: post, see it in the feed, comment, follow, and in an embedded widget."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from playwright.sync_api import expect

from kopiena.communities import services as communities
from kopiena.places.models import Municipality
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator():
    kekava, _ = Municipality.objects.get_or_create(
        slug="kekavas_nov", defaults={"name": "Ķekavas novads", "kind": "novads"}
    )
    user = UserFactory(email="koordinatore@example.lv", full_name="Koordinatore Anna")
    communities.community_create(
        name="Ķekavas Ūdri", municipality=kekava, actor=None, coordinator=user
    )
    return user


@contextmanager
def municipal_site(widget_url: str):
    """A web server on its own port (so its own origin) with a page embedding the widget."""
    html = (
        '<!DOCTYPE html><html lang="lv"><head><title>Novads</title></head><body>'
        f'<iframe title="Kopienu ziņas" src="{widget_url}"></iframe></body></html>'
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-pasts").fill(user.email)
    page.get_by_label("Parole").fill(PASSWORD)
    page.get_by_role("button", name="Ieiet").click()
    page.wait_for_load_state()


def test_post_news_then_see_it_in_the_feed_and_the_widget(
    page, coordinator, live_server, axe_violations
):
    sign_in(page, coordinator)
    page.goto("/network/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Publicēt ziņu").click()
    assert axe_violations(page) == []
    page.get_by_label("Virsraksts").fill("Pavasara talka")
    page.get_by_label("Teksts").fill("Sestdien desmitos pie skolas.")
    page.get_by_label("Tēma").select_option("vide")
    page.get_by_role("button", name="Publicēt").click()
    expect(page.get_by_text("Ziņa publicēta.")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Komentārs").fill("Paņemšu grābekli.")
    page.get_by_role("button", name="Komentēt").click()
    expect(page.get_by_text("Paņemšu grābekli.")).to_be_visible()
    page.get_by_role("button", name="Sekot: Ķekavas Ūdri").click()
    expect(page.get_by_role("button", name="Nesekot: Ķekavas Ūdri")).to_be_visible()

    page.goto("/network/?municipality=kekavas_nov&topic=vide")
    expect(page.get_by_role("link", name="Pavasara talka")).to_be_visible()
    assert axe_violations(page) == []
    page.goto("/network/notifications/")
    assert axe_violations(page) == []

    # A municipal website on another origin embeds the widget in an iframe.
    widget_url = f"{live_server.url}/network/widget/community/kekavas-udri/"
    with municipal_site(widget_url) as host_url:
        page.goto(host_url)
        frame = page.frame_locator("iframe")
        expect(frame.get_by_role("link", name="Pavasara talka")).to_be_visible()
    page.goto(widget_url)
    assert axe_violations(page) == []
