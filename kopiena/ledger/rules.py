"""Who may do what in the follow-through ledger, and the statuses an item moves through.

The ledger is public: anyone reads every item, its timeline and the figures. Staff of the
item's municipality manage it (status, owner, department, due date, updates, merging);
the coordinators and members of the community that raised it — or the people who speak
for the council that raised it (`RaisingBody` contributions) — reply on its timeline; a
coordinator submits on behalf of a community; any signed-in person may follow an item.
"""

import rules

from kopiena.accounts.rules import is_platform_admin, works_for_municipality
from kopiena.communities.rules import is_coordinator, is_member, is_signed_in
from kopiena.core.extensions import RaisingBody, contributions

from .models import LedgerItem

Status = LedgerItem.Status

# The process, declared once: from each status, the statuses an item may move to.
# Merging has its own service (it needs the item merged into), so it is not listed.
# A finished item may be reopened (with a reason), which clears its outcome.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.RAISED: (Status.ACCEPTED, Status.IN_PROGRESS, Status.DONE, Status.DECLINED),
    Status.ACCEPTED: (Status.IN_PROGRESS, Status.DONE, Status.DECLINED, Status.RAISED),
    Status.IN_PROGRESS: (Status.DONE, Status.DECLINED, Status.ACCEPTED),
    Status.DONE: (Status.IN_PROGRESS,),
    Status.DECLINED: (Status.ACCEPTED,),
    Status.MERGED: (),
}


def transition_allowed(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, ())


@rules.predicate
def works_for_item_municipality(user, item) -> bool:
    return item is not None and works_for_municipality(user, item.municipality_id)


@rules.predicate
def speaks_for_raiser(user, item) -> bool:
    """A member of the raising community, or someone the raising body counts as its own."""
    if item is None or not user.is_authenticated or not user.is_active:
        return False
    if item.community_id is not None and is_member(user, item.community):
        return True
    return any(
        body.speaks_for(user, item.source_key)
        for body in contributions(RaisingBody)
        if body.source == item.source
    )


@rules.predicate
def item_is_merged(user, item) -> bool:
    return item is not None and item.status == Status.MERGED


@rules.predicate
def item_is_open(user, item) -> bool:
    return item is not None and item.status in LedgerItem.OPEN


can_manage_item = is_platform_admin | works_for_item_municipality
can_manage_municipality = is_platform_admin | works_for_municipality

# The object is a Municipality.
rules.add_perm("ledger.add_item", can_manage_municipality)
rules.add_perm("ledger.manage_settings", can_manage_municipality)
rules.add_perm("ledger.manage_liaisons", can_manage_municipality)
# The object is the Community submitting.
rules.add_perm("ledger.submit_item", is_platform_admin | is_coordinator)
# The object is a LedgerItem.
rules.add_perm("ledger.change_item", can_manage_item & ~item_is_merged)
rules.add_perm("ledger.merge_item", can_manage_item & item_is_open)
rules.add_perm("ledger.reply_item", speaks_for_raiser & ~item_is_merged)
rules.add_perm("ledger.follow_item", is_signed_in)
