"""What the registry contributes to lower apps' services (kopiena.core.extensions):
a person's memberships, profile changes, photos and coordinator invitations."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopiena.core.extensions import (
    DemoData,
    Figure,
    PageBlock,
    PersonalData,
    SearchHit,
    SearchSource,
    WorkItem,
    WorkQueue,
)
from kopiena.core.text import search_words

from .demo import demo_load
from .models import (
    Community,
    CommunityMembership,
    CommunityPhoto,
    CoordinatorInvitation,
    ProfileChange,
)
from .selectors import profile_completeness


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _export(user) -> dict[str, Any]:
    return {
        "community_memberships": [
            {
                "community": m.community.name,
                "slug": m.community.slug,
                "role": m.role,
                "since": _when(m.created_at),
            }
            for m in CommunityMembership.objects.filter(user=user).select_related("community")
        ],
        "community_profile_changes": [
            {
                "community": c.community.name,
                "at": _when(c.created_at),
                "action": c.action,
                "changes": c.changes,
            }
            for c in ProfileChange.objects.filter(actor=user).select_related("community")
        ],
        "community_photos": [
            {"community": p.community.name, "file": p.file, "caption": p.caption}
            for p in CommunityPhoto.objects.filter(uploaded_by=user).select_related("community")
        ],
        "coordinator_invitations_received": [
            {
                "community": i.community.name,
                "sent_at": _when(i.created_at),
                "accepted_at": _when(i.accepted_at),
            }
            for i in CoordinatorInvitation.objects.filter(email=user.email.lower()).select_related(
                "community"
            )
        ],
    }


def _erase(user) -> int:
    """Invitations are addressed to the person's e-mail address: personal data, deleted.
    Profile changes and photos stay with the community, no longer saying who.
    Memberships go with the account (their foreign key cascades)."""
    CoordinatorInvitation.objects.filter(email=user.email.lower()).delete()
    return ProfileChange.objects.filter(actor=user).update(actor=None) + (
        CommunityPhoto.objects.filter(uploaded_by=user).update(uploaded_by=None)
    )


def _count(municipality) -> int:
    communities = Community.objects.all()
    if municipality is not None:
        communities = communities.filter(municipality=municipality)
    return communities.count()


def _search(query: str, limit: int) -> list[SearchHit]:
    found = (
        Community.objects.filter(search_words("search_key", query))
        .select_related("municipality")
        .order_by("sort_key", "id")[:limit]
    )
    return [
        SearchHit(
            title=c.name,
            url=reverse("communities:profile", args=[c.slug]),
            summary=c.municipality.name,
        )
        for c in found
    ]


def _profiles_to_complete(user) -> list[WorkItem]:
    """The profiles the person coordinates that miss facts the directory and surveys use."""
    items = []
    for community, share, missing in profile_completeness(user):
        if missing:
            items.append(
                WorkItem(
                    title=_("%(name)s: profils aizpildīts %(share)d %%")
                    % {"name": community.name, "share": share},
                    url=reverse("communities:edit", args=[community.slug]),
                    kind=_("profils"),
                    detail=_("Trūkst: %(fields)s") % {"fields": ", ".join(missing)},
                )
            )
    return items


def _municipality_communities(request, municipality) -> dict[str, Any] | None:
    if municipality is None:
        return None
    communities = Community.objects.filter(municipality=municipality).order_by("sort_key", "id")
    return {
        "municipality": municipality,
        "communities": communities[:12],
        "total": communities.count(),
    }


CONTRIBUTIONS = (
    DemoData(app_label="communities", load=demo_load),
    Figure(key="communities", label=gettext_lazy("kopienas"), value=_count, order=10),
    SearchSource(key="communities", label=gettext_lazy("Kopienas"), search=_search, order=10),
    WorkQueue(
        key="community_profiles",
        label=gettext_lazy("Kopienu profili"),
        audience=WorkQueue.COORDINATOR,
        items=_profiles_to_complete,
        order=10,
    ),
    PageBlock(
        key="municipality_communities",
        template="communities/block_communities.html",
        context=_municipality_communities,
        order=20,
        on_home=False,
    ),
    PersonalData(
        app_label="communities",
        export=_export,
        erase=_erase,
        covers=frozenset(
            {
                ("communities.CommunityMembership", "user"),
                ("communities.ProfileChange", "actor"),
                ("communities.CommunityPhoto", "uploaded_by"),
            }
        ),
    ),
)
