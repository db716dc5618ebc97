"""What the registry contributes to lower apps' services (kopiena.core.extensions):
a person's memberships, profile changes, photos and coordinator invitations."""

from __future__ import annotations

from typing import Any

from kopiena.core.extensions import DemoData, PersonalData

from .demo import demo_load
from .models import CommunityMembership, CommunityPhoto, CoordinatorInvitation, ProfileChange


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


CONTRIBUTIONS = (
    DemoData(app_label="communities", load=demo_load),
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
