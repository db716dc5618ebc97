"""Staff changing one item at once on PostgreSQL: no lost update, no cycle, no duplicate."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from kopiena.ledger import services
from kopiena.ledger.models import LedgerEntry, LedgerItem
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PARALLEL = 8


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL; SQLite serialises every write")


def in_parallel(actions) -> list:
    """Run each action in its own thread and connection, all released at once."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            try:
                results[index] = action()
            except (ValidationError, PermissionDenied) as error:
                results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_staff_changing_one_item_at_once_lose_nothing(kekava, item):
    people = [UserFactory(full_name=f"Darbinieks {n}", staff_of=[kekava]) for n in range(PARALLEL)]
    read_version = item.version
    targets = ["accepted", "in_progress", "declined", "done"] * (PARALLEL // 4)
    results = in_parallel(
        [
            lambda person=person, status=status: services.ledger_item_change_status(
                item=item,
                actor=person,
                status=status,
                note="Iemesls",
                expected_version=read_version,
            )
            for person, status in zip(people, targets, strict=True)
        ]
    )
    winners = [result for result in results if isinstance(result, LedgerItem)]
    conflicts = [result for result in results if isinstance(result, services.LedgerConflict)]
    assert len(winners) == 1 and len(conflicts) == PARALLEL - 1
    item.refresh_from_db()
    assert item.status == winners[0].status
    assert item.version == read_version + 1
    assert item.entries.filter(kind=LedgerEntry.Kind.STATUS).count() == 1


def test_updates_posted_at_once_are_all_kept(kekava, item, staff):
    results = in_parallel(
        [
            lambda n=n: services.ledger_item_post_update(item=item, actor=staff, note=f"Ziņa {n}")
            for n in range(PARALLEL)
        ]
    )
    assert all(isinstance(result, LedgerEntry) for result in results)
    assert item.entries.filter(kind=LedgerEntry.Kind.UPDATE).count() == PARALLEL


def test_opposite_merges_at_once_cannot_form_a_cycle(make_item, staff):
    for _round in range(3):
        first, second = make_item("A"), make_item("B")
        results = in_parallel(
            [
                lambda a=first, b=second: services.ledger_item_merge(item=a, into=b, actor=staff),
                lambda a=first, b=second: services.ledger_item_merge(item=b, into=a, actor=staff),
            ]
        )
        assert sum(isinstance(result, LedgerItem) for result in results) == 1
        first.refresh_from_db()
        second.refresh_from_db()
        assert {first.status, second.status} == {"merged", "raised"}


def test_a_record_posted_at_once_from_two_requests_is_one_item(kekava):
    results = in_parallel(
        [
            lambda: services.ledger_item_record(
                municipality=kekava, source="grants.award", source_key="42", title="Balva"
            )
            for _n in range(PARALLEL)
        ]
    )
    assert all(isinstance(result, LedgerItem) for result in results)
    assert LedgerItem.objects.filter(source="grants.award", source_key="42").count() == 1
