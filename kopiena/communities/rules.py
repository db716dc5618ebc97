"""Who may do what in the registry.

Coordinators edit their own community; staff of its municipality edit, add and merge
its communities; any signed-in resident may join. Platform admins may do everything.
"""

import rules

from kopiena.accounts.rules import is_platform_admin, works_for_municipality


def _role(user, community) -> str | None:
    """The user's role in the community, read once per (request user, community)."""
    if community is None or not user.is_authenticated or not user.is_active:
        return None
    cache = user.__dict__.setdefault("_community_roles", {})
    if community.pk not in cache:
        cache[community.pk] = (
            community.memberships.filter(user=user).values_list("role", flat=True).first()
        )
    return cache[community.pk]


@rules.predicate
def is_coordinator(user, community) -> bool:
    return _role(user, community) == "coordinator"


@rules.predicate
def is_member(user, community) -> bool:
    return _role(user, community) is not None


@rules.predicate
def works_for_community_municipality(user, community) -> bool:
    return community is not None and works_for_municipality(user, community.municipality_id)


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


can_staff = is_platform_admin | works_for_community_municipality
can_edit = can_staff | is_coordinator

rules.add_perm("communities.change_community", can_edit)
rules.add_perm("communities.view_private", can_edit)
rules.add_perm("communities.view_history", can_edit)
rules.add_perm("communities.manage_coordinators", can_edit)
rules.add_perm("communities.merge_community", can_staff)
rules.add_perm("communities.join_community", is_signed_in)
# The object is a Municipality: add communities there, see its overview, invite to surveys.
rules.add_perm("communities.add_community", is_platform_admin | works_for_municipality)
rules.add_perm("communities.view_overview", is_platform_admin | works_for_municipality)
