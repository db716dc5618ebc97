"""A transactional test flushes every table; the municipalities still exist in the next test."""

import pytest

from kopiena.places.models import Municipality


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_sees_the_municipalities():
    assert Municipality.objects.count() == 43


@pytest.mark.django_db
def test_the_next_test_still_sees_them():
    assert Municipality.objects.count() == 43


def test_the_next_test_through_the_db_fixture_too(db):
    assert Municipality.objects.get(slug="kekavas_nov").atvk == "0034000"
