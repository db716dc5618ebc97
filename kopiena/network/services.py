"""Every way news, comments, follows and flags change, and who is notified of them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kopiena.accounts.models import User
from kopiena.accounts.notifications import notification_send, notifications_withdraw
from kopiena.communities.models import Community
from kopiena.core.images import image_store
from kopiena.core.ratelimit import rate_limit_hit
from kopiena.core.text import fold
from kopiena.places.models import Municipality
from kopiena.practices.models import Topic

from .models import Comment, Flag, Follow, NewsPost

# Limits per actor; generous for people, tight for scripts.
POSTS_PER_HOUR = 10
COMMENTS_PER_10_MINUTES = 10
FLAGS_PER_HOUR = 20

# Notification kinds the network sends (contributed in contributions.py).
NEWS = "network.news"
COMMENT = "network.comment"


def post_source(post: NewsPost) -> str:
    """What notifications about a post (and its comments) are about, to withdraw them."""
    return f"network.newspost:{post.pk}"


def _check_length(errors: dict, name: str, value: str, limit: int, label: str) -> None:
    if not value.strip():
        errors[name] = _("Aizpildiet laukumu „%(field)s”.") % {"field": label}
    elif len(value) > limit:
        errors[name] = _("Laukums „%(field)s” ir par garu: ne vairāk kā %(n)d rakstzīmju.") % {
            "field": label,
            "n": limit,
        }


@transaction.atomic
def news_post_create(
    *,
    author: User,
    title: str,
    body: str,
    topic: str = Topic.OTHER,
    community: Community | None = None,
    municipality: Municipality | None = None,
    image=None,
    image_alt: str = "",
) -> NewsPost:
    """A post for a community (its coordinators) or for a municipality (its staff).

    Followers of the community or of the topic are notified.
    """
    if (community is None) == (municipality is None):
        raise ValidationError(_("Ziņu publicē vai nu kopiena, vai pašvaldība."))
    if community is not None and not author.has_perm("network.post_for_community", community):
        raise PermissionDenied
    if municipality is not None and not author.has_perm(
        "network.post_for_municipality", municipality
    ):
        raise PermissionDenied
    errors: dict[str, str] = {}
    _check_length(errors, "title", title, 200, _("Virsraksts"))
    _check_length(errors, "body", body, 10000, _("Teksts"))
    if topic not in Topic.values:
        errors["topic"] = _("Nezināma tēma.")
    if image is not None and not image_alt.strip():
        errors["image_alt"] = _("Aprakstiet attēlu tiem, kas to neredz.")
    if errors:
        raise ValidationError(errors)
    rate_limit_hit(action="post", actor=str(author.pk), limit=POSTS_PER_HOUR, window_seconds=3600)
    stored = image_store(upload=image, folder="news") if image is not None else None
    post = NewsPost.objects.create(
        community=community,
        municipality=community.municipality if community else municipality,
        author=author,
        title=title.strip(),
        body=body.strip(),
        topic=topic,
        image=stored.name if stored else "",
        image_alt=image_alt.strip()[:200] if stored else "",
        search_key=fold(f"{title} {body}"),
    )
    followers = (
        Follow.objects.filter(
            Q(topic=topic) | Q(community=community) if community else Q(topic=topic)
        )
        .exclude(user=author)
        .values_list("user_id", flat=True)
        .distinct()
    )
    notification_send(
        user_ids=followers,
        kind=NEWS,
        title=f"{post.publisher_name}: {post.title}",
        url=reverse("network:post", args=[post.pk]),
        source=post_source(post),
    )
    return post


@transaction.atomic
def comment_create(*, post: NewsPost, author: User, body: str) -> Comment:
    if post.hidden_at is not None:
        raise ValidationError(_("Paslēptu ziņu komentēt nevar."))
    if not author.has_perm("network.comment", post):
        raise PermissionDenied
    errors: dict[str, str] = {}
    _check_length(errors, "body", body, 3000, _("Komentārs"))
    if errors:
        raise ValidationError(errors)
    rate_limit_hit(
        action="comment", actor=str(author.pk), limit=COMMENTS_PER_10_MINUTES, window_seconds=600
    )
    comment = Comment.objects.create(post=post, author=author, body=body.strip())
    if post.author_id and post.author_id != author.pk:
        notification_send(
            user_ids=[post.author_id],
            kind=COMMENT,
            title=_("Jauns komentārs pie ziņas „%(title)s”") % {"title": post.title},
            url=reverse("network:post", args=[post.pk]),
            source=post_source(post),
        )
    return comment


@transaction.atomic
def follow_set(
    *, user: User, follow: bool, community: Community | None = None, topic: str = ""
) -> None:
    """Follow or stop following a community or a topic."""
    if (community is None) == (not topic):
        raise ValidationError(_("Sekot var kopienai vai tēmai."))
    if topic and topic not in Topic.values:
        raise ValidationError(_("Nezināma tēma."))
    if not user.has_perm("network.follow"):
        raise PermissionDenied
    target = {"community": community} if community else {"topic": topic}
    if follow:
        Follow.objects.get_or_create(user=user, **target)
    else:
        Follow.objects.filter(user=user, **target).delete()


@transaction.atomic
def flag_create(
    *,
    reason: str,
    flagged_by: User | None,
    actor_key: str,
    post: NewsPost | None = None,
    comment: Comment | None = None,
) -> Flag:
    """Anyone's flag; `actor_key` (user id or client address) is what the rate limit counts."""
    if (post is None) == (comment is None):
        raise ValidationError(_("Atzīmēt var ziņu vai komentāru."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Norādiet iemeslu.")})
    rate_limit_hit(action="flag", actor=actor_key, limit=FLAGS_PER_HOUR, window_seconds=3600)
    target_post = post or comment.post
    return Flag.objects.create(
        post=post,
        comment=comment,
        municipality_id=target_post.municipality_id,
        reason=reason[:500],
        flagged_by=flagged_by if flagged_by and flagged_by.is_authenticated else None,
    )


@transaction.atomic
def content_moderate(*, content: NewsPost | Comment, moderator: User, hide: bool) -> None:
    """Hide or restore a post or comment; its open flags are resolved either way."""
    if not moderator.has_perm("network.moderate", content):
        raise PermissionDenied
    now = timezone.now()
    content.hidden_at = now if hide else None
    content.hidden_by = moderator if hide else None
    content.save(update_fields=["hidden_at", "hidden_by"])
    flags = content.flags.filter(resolved_at__isnull=True)
    flags.update(resolved_at=now, resolved_by=moderator)
    if hide and isinstance(content, NewsPost):
        notifications_withdraw(source=post_source(content))
