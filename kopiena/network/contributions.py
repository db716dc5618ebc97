"""What the network contributes to lower apps' services (kopiena.core.extensions)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopiena.core.extensions import CommunityMerge, NotificationKind

from .models import Follow, NewsPost
from .services import COMMENT, NEWS


def _merge(source, target) -> dict[str, int]:
    """News follows the community; a follower of both keeps one follow."""
    posts = NewsPost.objects.filter(community=source).update(community=target)
    following_target = Follow.objects.filter(community=target).values("user")
    Follow.objects.filter(community=source, user__in=following_target).delete()
    Follow.objects.filter(community=source).update(community=target)
    return {_("ziņas"): posts}


CONTRIBUTIONS = (
    CommunityMerge(app_label="network", move=_merge),
    NotificationKind(NEWS, gettext_lazy("Ziņas no kopienām un tēmām, kurām sekojat")),
    NotificationKind(COMMENT, gettext_lazy("Komentāri pie jūsu ziņām")),
)
