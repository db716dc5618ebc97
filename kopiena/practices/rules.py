"""Who may do what in the good-practice library and the know-how guides.

A case is written by coordinators of its community and reviewed by staff of its
municipality; a replication thread belongs to the coordinators and members of its two
communities (for a case no community wrote, to its municipality's staff on that side).
Platform admins may do everything.
"""

import rules

from kopiena.accounts.rules import is_municipality_staff, is_platform_admin, works_for_municipality
from kopiena.communities.rules import is_coordinator, is_member


@rules.predicate
def coordinates_case_community(user, case) -> bool:
    return (
        case is not None and case.community_id is not None and is_coordinator(user, case.community)
    )


@rules.predicate
def works_for_case_municipality(user, case) -> bool:
    return case is not None and works_for_municipality(user, case.municipality_id)


@rules.predicate
def case_is_editable(user, case) -> bool:
    return case is not None and case.status in ("draft", "returned")


@rules.predicate
def case_is_submitted(user, case) -> bool:
    return case is not None and case.status == "submitted"


@rules.predicate
def case_is_published(user, case) -> bool:
    return case is not None and case.status == "published"


@rules.predicate
def takes_part_in_thread(user, request) -> bool:
    """A member of the asking community or of the case's community; for a case no
    community wrote, its municipality's staff answer for it."""
    if request is None:
        return False
    if is_member(user, request.community):
        return True
    if request.case.community_id is None:
        return works_for_municipality(user, request.case.municipality_id)
    return is_member(user, request.case.community)


can_write_case = is_platform_admin | coordinates_case_community
can_review_case = is_platform_admin | works_for_case_municipality

# The object of add_case is the Community the case is written for.
rules.add_perm("practices.add_case", is_platform_admin | is_coordinator)
rules.add_perm("practices.change_case", can_write_case & case_is_editable)
rules.add_perm("practices.view_review_queue", is_platform_admin | is_municipality_staff)
rules.add_perm("practices.review_case", can_review_case & case_is_submitted)
rules.add_perm("practices.view_case", case_is_published | can_write_case | can_review_case)
# Its authors or its reviewers may take a published case back (a mistake, a withdrawn consent).
rules.add_perm("practices.withdraw_case", (can_write_case | can_review_case) & case_is_published)
rules.add_perm("practices.request_replication", case_is_published)
rules.add_perm("practices.view_thread", is_platform_admin | takes_part_in_thread)
rules.add_perm("practices.edit_guide", is_platform_admin | is_municipality_staff)
