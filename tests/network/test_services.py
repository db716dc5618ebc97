import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kopiena.accounts import notifications
from kopiena.accounts.models import Notification
from kopiena.core.ratelimit import RateLimited
from kopiena.network import selectors, services
from kopiena.network.models import NewsPost

pytestmark = pytest.mark.django_db


def test_followers_of_the_community_and_of_the_topic_are_notified(
    community, coordinator, resident, member
):
    services.follow_set(user=resident, community=community, follow=True)
    services.follow_set(user=member, topic="vide", follow=True)
    post = services.news_post_create(
        author=coordinator, community=community, title="Talka", body="Nāciet!", topic="vide"
    )
    assert set(
        Notification.objects.filter(source=services.post_source(post)).values_list(
            "user__email", flat=True
        )
    ) == {
        resident.email,
        member.email,
    }
    assert post.municipality == community.municipality


def test_unfollowing_stops_notifications(community, coordinator, resident):
    services.follow_set(user=resident, community=community, follow=True)
    services.follow_set(user=resident, community=community, follow=False)
    services.news_post_create(author=coordinator, community=community, title="T", body="B")
    assert not Notification.objects.exists()


def test_feed_filters_by_municipality_and_topic(post, staff, kekava, olaine):
    services.news_post_create(
        author=staff, municipality=kekava, title="Novada ziņa", body="x", topic="kultura"
    )
    feed = selectors.news_feed
    assert [p.title for p in feed(selectors.FeedFilters(topic="vide"))] == [post.title]
    assert len(feed(selectors.FeedFilters(municipality="kekavas_nov"))) == 2
    assert list(feed(selectors.FeedFilters(municipality="olaines_nov"))) == []


@pytest.mark.parametrize("who", ["member", "resident", "other_staff"])
def test_only_coordinators_post_for_a_community(community, request, who):
    with pytest.raises(PermissionDenied):
        services.news_post_create(
            author=request.getfixturevalue(who), community=community, title="T", body="B"
        )


@pytest.mark.parametrize("who", ["coordinator", "other_staff", "resident"])
def test_only_staff_post_for_their_municipality(kekava, request, who):
    with pytest.raises(PermissionDenied):
        services.news_post_create(
            author=request.getfixturevalue(who), municipality=kekava, title="T", body="B"
        )


def test_empty_title_is_refused_naming_the_field(community, coordinator):
    with pytest.raises(ValidationError) as error:
        services.news_post_create(author=coordinator, community=community, title=" ", body="B")
    assert "title" in error.value.message_dict
    assert not NewsPost.objects.exists()


def test_posting_is_rate_limited(community, coordinator):
    for n in range(services.POSTS_PER_HOUR):
        services.news_post_create(author=coordinator, community=community, title=f"T{n}", body="B")
    with pytest.raises(RateLimited):
        services.news_post_create(author=coordinator, community=community, title="Vēl", body="B")
    assert NewsPost.objects.count() == services.POSTS_PER_HOUR


def test_comment_notifies_the_post_author(post, resident, coordinator):
    services.comment_create(post=post, author=resident, body="Būšu!")
    assert (
        Notification.objects.get(user=coordinator).title
        == f"Jauns komentārs pie ziņas „{post.title}”"
    )


def test_moderation_hides_and_restores_and_resolves_flags(post, staff, other_staff, resident):
    flag = services.flag_create(post=post, reason="Reklāma", flagged_by=resident, actor_key="1")
    assert list(selectors.flag_queue(staff)) == [flag]
    assert list(selectors.flag_queue(other_staff)) == []
    with pytest.raises(PermissionDenied):
        services.content_moderate(content=post, moderator=other_staff, hide=True)
    services.content_moderate(content=post, moderator=staff, hide=True)
    assert list(selectors.news_feed(selectors.FeedFilters())) == []
    assert list(selectors.flag_queue(staff)) == []
    services.content_moderate(content=post, moderator=staff, hide=False)
    assert list(selectors.news_feed(selectors.FeedFilters())) == [post]


def test_digest_is_sent_once_with_a_working_unsubscribe_link(
    client, community, coordinator, resident
):
    services.follow_set(user=resident, community=community, follow=True)
    notifications.notification_settings_set(user=resident, frequency="daily")
    services.news_post_create(
        author=coordinator, community=community, title="Talka sestdien", body="B"
    )
    assert notifications.digest_send(frequency="daily").sent == 1
    assert notifications.digest_send(frequency="daily").sent == 0
    assert notifications.digest_send(frequency="weekly").sent == 0
    message = mail.outbox[-1]
    assert message.to == [resident.email]
    assert "Talka sestdien" in message.body
    html = message.alternatives[0][0]
    assert "Talka sestdien" in html
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body and link in html
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path)  # no login
    assert response.status_code == 200
    assert resident.email in response.content.decode()
    resident.notification_settings.refresh_from_db()
    assert resident.notification_settings.email_frequency == "daily"  # only asked
    assert client.post(path).status_code == 200
    resident.notification_settings.refresh_from_db()
    assert resident.notification_settings.email_frequency == "never"


def test_opening_the_unsubscribe_link_changes_nothing(client, resident):
    """Mail scanners open every link of a message: only the button unsubscribes."""
    notifications.notification_settings_set(user=resident, frequency="weekly")
    url = reverse("notifications:unsubscribe", args=[notifications.unsubscribe_token(resident)])

    page = client.get(url).content.decode()

    assert "Jā, pārtraukt sūtīšanu" in page
    resident.notification_settings.refresh_from_db()
    assert resident.notification_settings.email_frequency == "weekly"


def test_one_click_unsubscribe_by_post_without_csrf_or_login(resident):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = reverse("notifications:unsubscribe", args=[notifications.unsubscribe_token(resident)])
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    resident.notification_settings.refresh_from_db()
    assert resident.notification_settings.email_frequency == "never"


def test_a_forged_unsubscribe_token_is_refused(client, resident):
    token = notifications.unsubscribe_token(resident)
    response = client.get(reverse("notifications:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 400


def test_digest_task_sends_through_the_queue(community, coordinator, resident):
    from kopiena.accounts.tasks import send_digests

    services.follow_set(user=resident, topic="vide", follow=True)
    notifications.notification_settings_set(user=resident, frequency="weekly")
    services.news_post_create(
        author=coordinator, community=community, title="T", body="B", topic="vide"
    )
    result = send_digests.enqueue("weekly")
    assert result.return_value == 1
    assert len(mail.outbox) == 1


def test_hiding_a_post_withdraws_its_notifications(post, community, staff, resident, member):
    services.follow_set(user=resident, community=community, follow=True)
    hidden = services.news_post_create(
        author=post.author, community=community, title="Reklāma", body="Pērciet!"
    )
    services.comment_create(post=hidden, author=member, body="Spams")
    services.content_moderate(content=hidden, moderator=staff, hide=True)
    assert not Notification.objects.filter(source=services.post_source(hidden)).exists()
    assert notifications.notifications_of(resident) == []


def test_the_weekly_digest_reaches_a_follower_who_never_chose_a_frequency(
    community, coordinator, resident
):
    services.follow_set(user=resident, community=community, follow=True)
    services.news_post_create(author=coordinator, community=community, title="Svētki", body="B")
    assert notifications.digest_send(frequency="daily").sent == 0
    assert notifications.digest_send(frequency="weekly").sent == 1
    assert "Svētki" in mail.outbox[-1].body


def test_an_unknown_notification_kind_is_a_programming_error(resident):
    with pytest.raises(ValueError, match="NotificationKind"):
        notifications.notification_send(user_ids=[resident.pk], kind="nav", title="T", url="/")
