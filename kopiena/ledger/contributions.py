"""What the ledger contributes to lower apps and the portal (kopiena.core.extensions):
its notifications, a person's data, moving items when communities merge, the liaison
person as a support instrument, search and the work waiting for staff."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopiena.core.extensions import (
    CommunityMerge,
    Evidence,
    InstrumentProvision,
    NotificationKind,
    PersonalData,
    SearchHit,
    SearchSource,
    WorkItem,
    WorkQueue,
)

from .models import LedgerEntry, LedgerFollow, LedgerItem, Liaison
from .selectors import items_waiting_for, ledger_search
from .services import CHANGE, NEW, REMINDER, REPLY, STALE, items_of_community_moved


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _merge(source, target) -> dict[str, int]:
    """Items follow the community; a liaison person of the duplicate covers the one that
    stays."""
    moved = items_of_community_moved(source=source, target=target)
    for liaison in Liaison.objects.filter(communities=source):
        liaison.communities.add(target)
    return {_("saistības"): moved}


def _export(user) -> dict[str, Any]:
    return {
        "ledger_follows": [
            {"item": follow.item_id, "title": follow.item.title, "since": _when(follow.created_at)}
            for follow in LedgerFollow.objects.filter(user=user).select_related("item")
        ],
        "ledger_entries": [
            {
                "item": entry.item_id,
                "kind": entry.kind,
                "shown_as": entry.actor_name,
                "note": entry.note,
                "at": _when(entry.created_at),
            }
            for entry in LedgerEntry.objects.filter(actor=user).order_by("created_at", "id")
        ],
        "ledger_items_owned": list(
            LedgerItem.objects.filter(owner=user).values_list("pk", flat=True).order_by("pk")
        ),
        "liaison_roles": [
            {
                "municipality": liaison.municipality.name,
                "name": liaison.name,
                "job_title": liaison.job_title,
                "email": liaison.email,
                "phone": liaison.phone,
            }
            for liaison in Liaison.objects.filter(user=user).select_related("municipality")
        ],
    }


def _erase(user) -> int:
    """Timeline entries stay (the record of what happened) without saying who; a liaison
    role with the person's contact details goes; items they owned wait for a new owner."""
    Liaison.objects.filter(user=user).delete()
    LedgerItem.objects.filter(owner=user).update(owner=None)
    LedgerItem.objects.filter(created_by=user).update(created_by=None)
    return LedgerEntry.objects.filter(actor=user).update(actor=None, actor_name="")


def _liaison_evidence(municipality, since) -> list[Evidence]:
    return [
        Evidence(
            text=_("Sadarbības koordinators: %(name)s") % {"name": liaison.name},
            url=reverse("ledger:liaisons", args=[municipality.slug]),
        )
        for liaison in Liaison.objects.filter(municipality=municipality).order_by("name")
    ]


def _search(query: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            title=item.title,
            url=reverse("ledger:item", args=[item.pk]),
            summary=f"{item.municipality.name} · {item.get_status_display()}",
        )
        for item in ledger_search(query, limit)
    ]


def _work(user) -> list[WorkItem]:
    if not user.is_authenticated:
        return []
    return [
        WorkItem(
            title=item.title,
            url=reverse("ledger:item", args=[item.pk]),
            kind=_("saistība"),
            due=item.due_date,
            detail=" · ".join(
                filter(
                    None,
                    [
                        item.get_status_display(),
                        item.community.name if item.community_id else item.raised_by_name,
                        _("termiņš %(date)s")
                        % {"date": formats.date_format(item.due_date, "SHORT_DATE_FORMAT")}
                        if item.due_date
                        else "",
                    ],
                )
            ),
        )
        for item in items_waiting_for(user)[:50]
    ]


CONTRIBUTIONS = (
    NotificationKind(NEW, gettext_lazy("Jaunas saistības jūsu kopienām (koordinatoram)")),
    NotificationKind(CHANGE, gettext_lazy("Izmaiņas saistībās, kurām sekojat")),
    NotificationKind(REPLY, gettext_lazy("Kopienu atbildes jūsu saistībās")),
    NotificationKind(REMINDER, gettext_lazy("Atgādinājumi par saistību termiņiem")),
    NotificationKind(STALE, gettext_lazy("Saistības bez pašvaldības ziņām")),
    CommunityMerge(app_label="ledger", move=_merge),
    PersonalData(
        app_label="ledger",
        export=_export,
        erase=_erase,
        covers=frozenset(
            {
                ("ledger.LedgerFollow", "user"),
                ("ledger.LedgerEntry", "actor"),
                ("ledger.LedgerItem", "owner"),
                ("ledger.LedgerItem", "created_by"),
                ("ledger.Liaison", "user"),
            }
        ),
    ),
    InstrumentProvision(instrument="koordinators", app_label="ledger", evidence=_liaison_evidence),
    SearchSource(key="ledger", label=gettext_lazy("Saistības"), search=_search, order=60),
    WorkQueue(
        key="ledger",
        label=gettext_lazy("Saistības"),
        audience=WorkQueue.STAFF,
        items=_work,
        order=40,
    ),
)
