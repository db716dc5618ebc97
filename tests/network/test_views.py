"""Pages and feeds of the network: permissions, spam guards, syndication, the widget."""

import io
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kopiena.accounts import notifications
from kopiena.network import services
from kopiena.network.models import Comment, Flag, NewsPost

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ATOM = "{http://www.w3.org/2005/Atom}"


def _png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(out, format="PNG")
    out.name = "foto.png"
    out.seek(0)
    return out


def _post_data(community, **extra):
    return {
        "publisher": f"c:{community.pk}",
        "title": "Svētki",
        "body": "Nāciet!",
        "topic": "pasakumi",
        "image_alt": "",
        "website": "",
        **extra,
    }


def test_coordinator_posts_news_with_an_image(client, community, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("network:new"), _post_data(community, image=_png(), image_alt="Svētku galds")
    )
    post = NewsPost.objects.get()
    assert response.status_code == 302
    assert post.image.startswith("news/") and post.image.endswith(".jpg")
    page = client.get(reverse("network:post", args=[post.pk])).content.decode()
    assert 'alt="Svētku galds"' in page


def test_an_image_without_description_or_a_fake_image_is_refused(client, community, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("network:new"), _post_data(community, image=_png()))
    assert "Aprakstiet attēlu" in response.content.decode()
    fake = io.BytesIO(b"GIF89a<script>")
    fake.name = "a.gif"
    response = client.post(reverse("network:new"), _post_data(community, image=fake, image_alt="x"))
    assert "nav atpazīstams attēls" in response.content.decode()
    assert not NewsPost.objects.exists()


def test_honeypot_filled_by_a_bot_is_refused(client, community, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("network:new"), _post_data(community, website="http://spam"))
    assert response.status_code == 400
    assert not NewsPost.objects.exists()


def test_comment_honeypot_is_refused(client, post, resident):
    client.force_login(resident)
    client.post(reverse("network:post", args=[post.pk]), {"body": "Pērc!", "website": "x"})
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who", ["member", "resident", "other_staff"])
def test_wrong_user_cannot_post_for_the_community(client, community, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("network:new"), _post_data(community))
    assert response.status_code in (200, 403)
    assert not NewsPost.objects.exists()


def test_anonymous_cannot_comment_or_follow(client, post, community):
    response = client.post(reverse("network:post", args=[post.pk]), {"body": "x", "website": ""})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("network:follow"), {"community": community.pk, "follow": "1"})
    assert "/accounts/login/" in response["Location"]
    assert not Comment.objects.exists()


def test_anyone_may_flag_and_flags_are_rate_limited(client, post):
    for _ in range(services.FLAGS_PER_HOUR):
        client.post(reverse("network:flag", args=[post.pk]), {"reason": "Spams"})
    assert (
        client.post(reverse("network:flag", args=[post.pk]), {"reason": "Spams"}).status_code == 429
    )
    assert Flag.objects.count() == services.FLAGS_PER_HOUR


@pytest.mark.parametrize("who", ["other_staff", "coordinator", "resident"])
def test_wrong_user_cannot_hide_content(client, post, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("network:moderate"), {"kind": "post", "pk": post.pk, "hide": "1"}
    )
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.hidden_at is None


def test_resident_cannot_open_the_moderation_queue(client, resident):
    client.force_login(resident)
    assert client.get(reverse("network:moderation")).status_code == 403


def test_staff_hides_a_flagged_post_from_the_queue(client, post, staff):
    services.flag_create(post=post, reason="Aizskarošs", flagged_by=None, actor_key="ip")
    client.force_login(staff)
    assert "Aizskarošs" in client.get(reverse("network:moderation")).content.decode()
    client.post(reverse("network:moderate"), {"kind": "post", "pk": post.pk, "hide": "1"})
    client.logout()
    assert client.get(reverse("network:post", args=[post.pk])).status_code == 404
    assert post.title not in client.get(reverse("network:feed")).content.decode()


@pytest.mark.parametrize(
    "kind,slug",
    [
        ("all", ""),
        ("municipality", "kekavas_nov"),
        ("community", "kekavas-udri"),
        ("topic", "vide"),
    ],
)
def test_feeds_parse_with_feedparser(client, post, kind, slug):
    args = [kind, slug] if slug else [kind]
    for name in ("network:feed_rss", "network:feed_atom"):
        response = client.get(reverse(name, args=args))
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert [entry.title for entry in parsed.entries] == ["Talka sestdien"]
        assert parsed.entries[0].link.endswith(reverse("network:post", args=[post.pk]))
    data = client.get(reverse("network:feed_json", args=args)).json()
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["title"] for item in data["items"]] == ["Talka sestdien"]


def test_atom_feed_has_every_element_rfc_4287_requires(client, post):
    response = client.get(reverse("network:feed_atom", args=["community", "kekavas-udri"]))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 — our own server's output
    assert root.tag == f"{ATOM}feed"
    for element in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{element}") is not None, element
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for element in ("id", "title", "updated", "author"):
            assert entry.find(f"{ATOM}{element}") is not None, element
        assert entry.find(f"{ATOM}author/{ATOM}name").text == "Ķekavas Ūdri"
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None


def test_unknown_feed_scope_is_404(client):
    assert client.get(reverse("network:feed_atom", args=["topic", "nav-tadas"])).status_code == 404
    assert (
        client.get(reverse("network:feed_rss", args=["community", "nav-tadas"])).status_code == 404
    )


def test_hidden_posts_leave_the_feeds(client, post, staff):
    services.content_moderate(content=post, moderator=staff, hide=True)
    parsed = feedparser.parse(client.get(reverse("network:feed_atom", args=["all"])).content)
    assert parsed.entries == []


def test_widget_may_be_framed_by_other_sites_but_other_pages_may_not(client, post):
    response = client.get(reverse("network:widget", args=["community", "kekavas-udri"]))
    assert response.status_code == 200
    assert "Talka sestdien" in response.content.decode()
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    other = client.get(reverse("network:feed"))
    assert other["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in other["Content-Security-Policy"]


def test_stored_xss_in_posts_comments_and_flags_is_inert(
    client, community, coordinator, resident, staff
):
    post = services.news_post_create(
        author=coordinator,
        community=community,
        title=XSS,
        body=XSS,
        topic="vide",
        image=SimpleUploadedFile("a.png", _png().getvalue()),
        image_alt=XSS,
    )
    services.comment_create(post=post, author=resident, body=XSS)
    services.flag_create(post=post, reason=XSS, flagged_by=resident, actor_key="1")
    services.follow_set(user=resident, community=community, follow=True)
    resident.full_name = XSS
    resident.save()
    services.comment_create(post=post, author=resident, body="otrs")
    client.force_login(staff)
    pages = [
        client.get(reverse("network:feed")),
        client.get(reverse("network:post", args=[post.pk])),
        client.get(reverse("network:moderation")),
        client.get(reverse("network:widget", args=["community", community.slug])),
    ]
    client.force_login(coordinator)
    pages.append(client.get(reverse("network:notifications")))
    for response in pages:
        html = response.content.decode()
        assert "<script>alert(1)" not in html
        assert "<img src=x" not in html
    data = client.get(reverse("network:feed_json", args=["all"])).json()
    assert data["items"][0]["title"] == XSS  # JSON carries the text; the reader escapes it
    atom = client.get(reverse("network:feed_atom", args=["all"])).content.decode()
    assert "<script>" not in atom


def test_staff_post_for_their_municipality(client, staff, kekava):
    client.force_login(staff)
    response = client.post(
        reverse("network:new"),
        {
            "publisher": f"m:{kekava.pk}",
            "title": "Novada ziņa",
            "body": "Par kopienām",
            "topic": "informacija",
            "website": "",
        },
    )
    post = NewsPost.objects.get()
    assert response.status_code == 302
    assert post.community is None and post.municipality == kekava
    assert post.publisher_name == "Ķekavas novads"


def test_a_flagged_comment_is_hidden_by_staff(client, post, resident, staff):
    comment = services.comment_create(post=post, author=resident, body="Aizskarošs teksts")
    client.post(
        reverse("network:flag", args=[post.pk]), {"reason": "Lamājas", "comment": comment.pk}
    )
    flag = Flag.objects.get()
    assert flag.comment == comment and flag.municipality == post.municipality
    client.force_login(staff)
    client.post(reverse("network:moderate"), {"kind": "comment", "pk": comment.pk, "hide": "1"})
    page = client.get(reverse("network:post", args=[post.pk])).content.decode()
    assert "Aizskarošs teksts" not in page
    flag.refresh_from_db()
    assert flag.resolved_at is not None


def test_comment_of_another_post_cannot_be_flagged_through_this_one(
    client, post, community, coordinator, resident
):
    other = services.news_post_create(
        author=coordinator, community=community, title="Cita", body="x"
    )
    comment = services.comment_create(post=other, author=resident, body="Teksts")
    response = client.post(
        reverse("network:flag", args=[post.pk]), {"reason": "x", "comment": comment.pk}
    )
    assert response.status_code == 404
    assert not Flag.objects.exists()


def test_feed_and_widget_queries_do_not_grow_with_posts(
    client, community, coordinator, django_assert_max_num_queries
):
    for n in range(25):
        services.news_post_create(
            author=coordinator, community=community, title=f"Ziņa {n}", body="x"
        )
        cache.clear()  # the posting rate limit is not what this test measures
    with django_assert_max_num_queries(8):
        client.get(reverse("network:feed"))
    with django_assert_max_num_queries(4):
        client.get(reverse("network:widget", args=["community", community.slug]))
    with django_assert_max_num_queries(4):
        client.get(reverse("network:feed_atom", args=["all"]))


def test_feed_of_a_municipality_offers_the_embed_code(client, post):
    page = client.get(reverse("network:feed") + "?municipality=kekavas_nov").content.decode()
    assert "&lt;iframe" in page
    assert reverse("network:widget", args=["municipality", "kekavas_nov"]) in page


def test_feed_shows_unread_notifications_until_they_are_seen(
    client, community, coordinator, resident
):
    services.follow_set(user=resident, community=community, follow=True)
    services.news_post_create(author=coordinator, community=community, title="Jaunums", body="x")
    client.force_login(resident)
    assert "(1 jauns)" in client.get(reverse("network:feed")).content.decode()
    assert "Jaunums" in client.get(reverse("network:notifications")).content.decode()
    assert "jauns)" not in client.get(reverse("network:feed")).content.decode()


def test_malformed_ids_are_404_not_errors(client, staff, resident):
    client.force_login(staff)
    assert client.post(reverse("network:moderate"), {"kind": "post", "pk": "x"}).status_code == 404
    client.force_login(resident)
    assert (
        client.post(reverse("network:follow"), {"community": "x", "follow": "1"}).status_code == 404
    )


@pytest.mark.parametrize("target", ["/\\evil.com", "//evil.com", "https://evil.com/"])
def test_follow_does_not_redirect_off_site(client, community, resident, target):
    client.force_login(resident)
    response = client.post(
        reverse("network:follow"), {"community": community.pk, "follow": "1", "next": target}
    )
    assert response.status_code == 302
    assert response.url == reverse("network:feed")


def test_follow_redirects_back_to_a_local_page(client, community, resident):
    client.force_login(resident)
    response = client.post(
        reverse("network:follow"), {"community": community.pk, "follow": "1", "next": "/network/"}
    )
    assert response.url == "/network/"


def test_feed_pages_keep_the_topic_filter(client, community, coordinator):
    NewsPost.objects.bulk_create(
        NewsPost(
            community=community,
            municipality=community.municipality,
            author=coordinator,
            title=f"Ziņa {n}",
            body="x",
            topic="vide",
        )
        for n in range(30)
    )
    content = client.get(reverse("network:feed"), {"topic": "vide"}).content.decode()
    assert 'href="?topic=vide&amp;page=2"' in content


def test_the_notifications_page_shows_the_digest_frequency_without_storing_one(client, resident):
    from kopiena.accounts.models import NotificationSettings

    client.force_login(resident)
    page = client.get(reverse("network:notifications")).content.decode()

    assert re.search(r'value="weekly"[^>]* checked', page)
    assert not NotificationSettings.objects.filter(user=resident).exists()

    notifications.notification_settings_set(user=resident, frequency="daily")
    page = client.get(reverse("network:notifications")).content.decode()
    assert re.search(r'value="daily"[^>]* checked', page)


@pytest.mark.parametrize(
    ("who", "may_write"),
    [("coordinator", True), ("staff", True), ("member", False), ("resident", False)],
)
def test_only_those_who_may_publish_are_offered_to_write_news(
    client, community, request, who, may_write
):
    client.force_login(request.getfixturevalue(who))

    feed = client.get(reverse("network:feed")).content.decode()
    form = client.get(reverse("network:new"))

    assert ("Publicēt ziņu" in feed) is may_write
    assert form.status_code == (200 if may_write else 403)
