"""What the ledger gives the rest of the platform: personal data, merging communities, the
ceļa karte's evidence, search and the work queue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kopiena.accounts.personal_data import account_delete, personal_data_export
from kopiena.communities.services import community_merge
from kopiena.core.extensions import InstrumentProvision, SearchSource, WorkQueue, contributions
from kopiena.ledger import services
from kopiena.ledger.models import LedgerEntry, Liaison
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _contribution(kind, **match):
    return next(c for c in contributions(kind) if all(getattr(c, k) == v for k, v in match.items()))


def test_a_persons_ledger_data_is_exported_and_erased(item, member, staff, kekava):
    services.ledger_item_reply(item=item, actor=member, note="Kad?")
    services.ledger_item_follow(item=item, user=member)
    services.liaison_save(
        municipality=kekava, actor=staff, name="Jānis", user=member, email="j@x.lv"
    )
    export = personal_data_export(user=member)
    assert export["ledger_entries"][0]["note"] == "Kad?"
    assert export["ledger_follows"][0]["item"] == item.pk
    assert export["liaison_roles"][0]["email"] == "j@x.lv"
    assert not any(key.startswith("ledger.") for key in export["other_records"])

    account_delete(user=member)
    reply = LedgerEntry.objects.get(item=item, kind="reply")
    assert (reply.actor, reply.actor_name, reply.note) == (None, "", "Kad?")
    assert not Liaison.objects.filter(email="j@x.lv").exists()


def test_items_and_liaisons_follow_a_merged_community(
    item, community, make_community, staff, kekava
):
    duplicate = make_community("Ūdri (dublikāts)")
    moved = services.ledger_item_create(
        municipality=kekava, actor=staff, title="Soliņi", community=duplicate
    )
    liaison = services.liaison_save(
        municipality=kekava, actor=staff, name="Laura", communities=[duplicate]
    )
    community_merge(source=duplicate, target=community, actor=staff)
    moved.refresh_from_db()
    assert moved.community == community and moved.raised_by_name == community.name
    assert list(liaison.communities.all()) == [community]


def test_a_named_liaison_is_evidence_of_the_coordinator_instrument(kekava, olaine, staff):
    provision = _contribution(InstrumentProvision, instrument="koordinators")
    assert provision.evidence(kekava, timezone.localdate()) == []
    services.liaison_save(municipality=kekava, actor=staff, name="Laura Liepa")
    evidence = provision.evidence(kekava, timezone.localdate() - timedelta(days=365))
    assert [e.text for e in evidence] == ["Sadarbības koordinators: Laura Liepa"]
    assert provision.evidence(olaine, timezone.localdate()) == []


def test_search_finds_items_without_diacritics(item):
    hits = _contribution(SearchSource, key="ledger").search("rigas ielas", 10)
    assert [hit.title for hit in hits] == [item.title]


def test_the_work_queue_lists_overdue_items_and_unowned_ones_for_the_liaison(item, staff, kekava):
    queue = _contribution(WorkQueue, key="ledger")
    services.ledger_item_update_details(
        item=item, actor=staff, owner=staff, due_date=timezone.localdate() + timedelta(days=2)
    )
    assert [work.title for work in queue.items(staff)] == [item.title]
    liaison_user = UserFactory(staff_of=[kekava])
    services.liaison_save(municipality=kekava, actor=staff, name="Laura", user=liaison_user)
    unowned = services.ledger_item_create(municipality=kekava, actor=staff, title="Bez atbildīgā")
    services.ledger_item_update_details(item=unowned, actor=staff, owner=None)
    assert [work.title for work in queue.items(liaison_user)] == ["Bez atbildīgā"]
