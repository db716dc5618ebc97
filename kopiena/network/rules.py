"""Who may do what in the network.

Coordinators write news for their community, municipality staff for their
municipality; any signed-in person comments and follows; anyone flags; staff of the
content's municipality moderate. Platform admins may do everything.
"""

import rules

from kopiena.accounts.rules import (
    is_municipality_staff,
    is_platform_admin,
    works_for_municipality,
)
from kopiena.communities.rules import is_coordinator, is_signed_in
from kopiena.practices.selectors import coordinated_communities


@rules.predicate
def moderates_municipality_of(user, content) -> bool:
    """Staff of the municipality a post, comment or flag belongs to."""
    if content is None:
        return False
    municipality_id = getattr(content, "municipality_id", None)
    if municipality_id is None and hasattr(content, "post"):
        municipality_id = content.post.municipality_id
    return works_for_municipality(user, municipality_id)


@rules.predicate
def coordinates_a_community(user) -> bool:
    return coordinated_communities(user).exists()


# Someone who may write news for some community or municipality (the "write" button).
rules.add_perm("network.post", is_platform_admin | coordinates_a_community | is_municipality_staff)
# The object is the Community, or the Municipality, the post is written for.
rules.add_perm("network.post_for_community", is_platform_admin | is_coordinator)
rules.add_perm("network.post_for_municipality", is_platform_admin | works_for_municipality)
rules.add_perm("network.comment", is_signed_in)
rules.add_perm("network.follow", is_signed_in)
rules.add_perm("network.moderate", is_platform_admin | moderates_municipality_of)
rules.add_perm("network.view_moderation", is_platform_admin | is_municipality_staff)
