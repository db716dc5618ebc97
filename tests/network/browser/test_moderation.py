"""Flagging, the moderation queue and the digest's unsubscribe link, in Chromium with axe."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from kopiena.accounts import notifications
from kopiena.communities import services as communities
from kopiena.network import services
from kopiena.places.models import Municipality
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting():
    kekava, _ = Municipality.objects.get_or_create(
        slug="kekavas_nov", defaults={"name": "Ķekavas novads", "kind": "novads"}
    )
    author = UserFactory(email="koordinatore@example.lv", full_name="Koordinatore Anna")
    staff = UserFactory(email="darbinieks@kekava.lv", staff_of=[kekava])
    reader = UserFactory(email="lasitajs@example.lv")
    community = communities.community_create(
        name="Ķekavas Ūdri", municipality=kekava, actor=None, coordinator=author
    )
    services.follow_set(user=reader, community=community, follow=True)
    notifications.notification_settings_set(user=reader, frequency="daily")
    post = services.news_post_create(
        author=author, community=community, title="Lēti pārdodu auto", body="Zvaniet!"
    )
    return {"staff": staff, "post": post, "reader": reader}


def test_anyone_flags_and_staff_hide_from_the_queue(page, setting, axe_violations):
    post = setting["post"]
    page.goto(f"/network/posts/{post.pk}/")
    page.get_by_text("Ziņot moderatoram par šo ziņu").click()
    page.get_by_label("Kāpēc šis saturs jāpārbauda?").fill("Reklāma, nav par kopienu")
    page.get_by_role("button", name="Nosūtīt").first.click()
    expect(page.get_by_text("Paldies! Moderators saturu pārbaudīs.")).to_be_visible()
    assert axe_violations(page) == []

    page.goto("/accounts/login/")
    page.get_by_label("E-pasts").fill(setting["staff"].email)
    page.get_by_label("Parole").fill(PASSWORD)
    page.get_by_role("button", name="Ieiet").click()
    page.goto("/network/moderation/")
    expect(page.get_by_text("Reklāma, nav par kopienu")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Paslēpt").first.click()
    expect(page.get_by_text("Nav atzīmēta satura.")).to_be_visible()
    page.goto(f"/network/posts/{post.pk}/")
    expect(page.get_by_text("Šī ziņa ir paslēpta.")).to_be_visible()
    page.get_by_role("button", name="Atjaunot ziņu").click()
    page.goto("/network/")
    expect(page.get_by_role("link", name="Lēti pārdodu auto")).to_be_visible()


def test_digest_unsubscribe_link_works_without_login(
    page, setting, live_server, settings, axe_violations
):
    settings.SITE_URL = live_server.url
    assert notifications.digest_send(frequency="daily").sent == 1
    link = mail.outbox[-1].extra_headers["List-Unsubscribe"].strip("<>")
    page.goto(link)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Jā, pārtraukt sūtīšanu").click()
    expect(page.get_by_text("vairs netiks sūtīti")).to_be_visible()
    assert axe_violations(page) == []
    setting["reader"].notification_settings.refresh_from_db()
    assert setting["reader"].notification_settings.email_frequency == "never"
