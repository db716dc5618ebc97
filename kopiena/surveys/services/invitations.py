"""Staff inviting communities (and others by name) to answer a survey by private links."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kopiena.communities.models import Community

from ..models import Invitation, Survey
from .surveys import lock_survey


@transaction.atomic
def invitation_create_for_communities(
    *,
    survey: Survey,
    communities: Iterable[Community] = (),
    labels: Sequence[str] = (),
) -> list[Invitation]:
    """One private answering link per community (skipping those already invited) and label."""
    # One request at a time per survey, so a community is never invited twice.
    lock_survey(survey.pk)
    communities = list(communities)
    foreign = [c.name for c in communities if c.municipality_id != survey.municipality_id]
    if foreign:
        raise ValidationError(
            {
                "communities": _("Šīs kopienas nav aptaujas pašvaldībā: %(names)s")
                % {"names": ", ".join(foreign)}
            }
        )
    invited = set(
        survey.invitations.filter(community__isnull=False).values_list("community_id", flat=True)
    )
    created = [
        Invitation(survey=survey, community=community, label=community.name, token=_token())
        for community in communities
        if community.pk not in invited
    ]
    created += [
        Invitation(survey=survey, label=label.strip()[:200], token=_token())
        for label in labels
        if label.strip()
    ]
    return Invitation.objects.bulk_create(created)


def _token() -> str:
    return secrets.token_urlsafe(32)
