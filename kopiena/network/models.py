"""The shared community network: news, comments, follows and flags (notifications are
accounts', sent through kopiena.accounts.notifications).

A post is written for a community (by its members) or for a municipality (by its
staff); either way it carries the municipality, so per-municipality feeds and the
moderation queue read one column. Topics are the library's (practices.Topic).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopiena.practices.models import Topic


class NewsPost(models.Model):
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news_posts",
        verbose_name=_("kopiena"),
    )
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.CASCADE, related_name="news_posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("virsraksts"), max_length=200)
    body = models.TextField(_("teksts"), max_length=10000)
    topic = models.CharField(_("tēma"), max_length=16, choices=Topic.choices, default=Topic.OTHER)
    image = models.CharField(max_length=200, blank=True)
    image_alt = models.CharField(_("attēla apraksts"), max_length=200, blank=True)
    # Title and text folded to lower-case ASCII (kopiena.core.text.fold), kept by the
    # services, so the site search finds "talka" in "Talkā".
    search_key = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ziņa")
        verbose_name_plural = _("ziņas")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "-created_at"], name="news_muni_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def publisher_name(self) -> str:
        return self.community.name if self.community_id else self.municipality.name


class Comment(models.Model):
    post = models.ForeignKey(NewsPost, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("komentārs"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Follow(models.Model):
    """A user follows either a community or a topic."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
    )
    topic = models.CharField(max_length=16, choices=Topic.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(community__isnull=False) & Q(topic=""))
                | (Q(community__isnull=True) & ~Q(topic="")),
                name="follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(community__isnull=False),
                name="follow_community_once",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=~Q(topic=""), name="follow_topic_once"
            ),
        ]

    def __str__(self) -> str:
        return self.topic or str(self.community_id)


class Flag(models.Model):
    """Someone's signal that a post or a comment breaks the rules; staff resolve it."""

    post = models.ForeignKey(
        NewsPost, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    # Denormalized so the queue of a municipality's moderators is one indexed read.
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("iemesls"), max_length=500)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False) | Q(comment__isnull=False), name="flag_has_target"
            )
        ]

    def __str__(self) -> str:
        return self.reason[:60]
