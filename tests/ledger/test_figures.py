"""The public accountability figures: computed in the database, the same as counting by hand."""

import random
import statistics
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kopiena.ledger import selectors, services
from kopiena.ledger.models import LedgerItem

pytestmark = pytest.mark.django_db


def raise_item(municipality, days_ago: int, *, community=None, title="Jautājums"):
    return services.ledger_item_raise(
        municipality=municipality,
        community=community,
        title=title,
        raised_at=timezone.now() - timedelta(days=days_ago),
    )


def finish(item, staff, status="done"):
    note = "Pašvaldība to nedara." if status == "declined" else ""
    return services.ledger_item_change_status(item=item, actor=staff, status=status, note=note)


def test_share_median_and_stale_of_a_municipality(kekava, staff, community):
    # Raised 200 days ago, finished now: an outcome, but not within 90 days.
    finish(raise_item(kekava, 200), staff)
    # Raised 100 days ago and declined now (100 days): not within 90 either.
    finish(raise_item(kekava, 100), staff, "declined")
    # Raised 60 days ago, done now: within 90 days, but too young to be judged.
    finish(raise_item(kekava, 60), staff)
    # Raised 120 days ago, open and silent since: stale, judged, no outcome.
    raise_item(kekava, 120, community=community)
    # Raised 10 days ago, open: fresh.
    raise_item(kekava, 10)

    figures = selectors.accountability(municipality=kekava)
    assert figures.raised == 5
    assert figures.judged == 3
    assert figures.on_time == 0
    assert figures.outcomes == 3
    assert figures.median_days == 100
    assert figures.stale == 1
    assert figures.open == 2

    community_figures = selectors.accountability(community=community)
    assert (community_figures.raised, community_figures.stale) == (1, 1)


def test_an_outcome_within_90_days_counts_on_time(kekava, staff):
    item = raise_item(kekava, 95)
    # Finished on day 95: the outcome is dated now, so it is late...
    finish(item, staff)
    # ...unlike one whose outcome was recorded on day 30 (moved back as if it were then).
    quick = raise_item(kekava, 120)
    finish(quick, staff)
    LedgerItem.objects.filter(pk=quick.pk).update(days_to_outcome=30)
    figures = selectors.accountability(municipality=kekava)
    assert (figures.judged, figures.on_time, figures.on_time_percent) == (2, 1, 50)
    assert figures.no_progress_percent == 50
    assert figures.median_days == (30 + 95) / 2


def test_merged_items_are_not_counted_twice(kekava, staff, make_item):
    first, second = make_item("A"), make_item("B")
    services.ledger_item_merge(item=first, into=second, actor=staff)
    assert selectors.accountability(municipality=kekava).raised == 1


def test_figures_match_counting_by_hand(kekava, olaine, staff, other_staff):
    """A differential test: random items in two municipalities, the grouped SQL figures
    against a plain Python count over the same rows."""
    chance = random.Random(19)
    actors = {kekava.pk: staff, olaine.pk: other_staff}
    for n in range(60):
        municipality = kekava if n % 3 else olaine
        item = raise_item(municipality, chance.randint(0, 400), title=f"J{n}")
        roll = chance.random()
        if roll < 0.5:
            finish(item, actors[municipality.pk], "done" if roll < 0.35 else "declined")
            LedgerItem.objects.filter(pk=item.pk).update(days_to_outcome=chance.randint(0, 200))
    now = timezone.now()
    rows = {row.extra["slug"]: row for row in selectors.accountability_of_municipalities(now=now)}
    for municipality in (kekava, olaine):
        items = list(LedgerItem.objects.filter(municipality=municipality))
        cutoff = now - timedelta(days=90)
        judged = [i for i in items if i.raised_at <= cutoff]
        days = [i.days_to_outcome for i in items if i.days_to_outcome is not None]
        row = rows[municipality.slug]
        assert row.raised == len(items)
        assert row.judged == len(judged)
        assert row.on_time == sum(
            1 for i in judged if i.days_to_outcome is not None and i.days_to_outcome <= 90
        )
        assert row.outcomes == len(days)
        assert row.median_days == statistics.median(days)
        assert row.stale == sum(1 for i in items if i.is_open and i.stale_at <= now)


def test_the_trend_by_quarter(kekava, staff):
    finish(raise_item(kekava, 400), staff)
    raise_item(kekava, 200)
    raise_item(kekava, 1)
    quarters = selectors.accountability_by_quarter(municipality=kekava)
    assert sum(row.raised for row in quarters) == 3
    assert len(quarters) >= 2
    assert quarters[0].outcomes == 1 and quarters[0].median_days == 400
    assert "ceturksnis" in quarters[0].label


def test_figures_of_every_municipality_take_two_queries(kekava, olaine, staff, other_staff):
    for municipality, actor in ((kekava, staff), (olaine, other_staff)):
        for days in (10, 100, 300):
            finish(raise_item(municipality, days), actor)
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.accountability_of_municipalities()
    assert [row.label for row in rows] == ["Ķekavas novads", "Olaines novads"]
    assert len(queries) <= 4


def test_the_survey_baseline_is_shown_for_kekava_and_everyone(kekava, olaine):
    own, is_own = selectors.survey_baseline(kekava)
    assert (own.no_progress, own.respondents, own.percent, is_own) == (4, 6, 67, True)
    everyone, is_own = selectors.survey_baseline(olaine)
    assert (everyone.no_progress, everyone.respondents, everyone.percent, is_own) == (
        9,
        17,
        53,
        False,
    )
