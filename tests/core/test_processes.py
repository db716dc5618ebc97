"""Producing items in a forked child: order, failures and early stops reach the caller."""

import os

import pytest

from kopiena.core.processes import ChildFailed, produced_in_child
from kopiena.surveys.imports.columns import Plan
from kopiena.surveys.models import ImportBatch, Response
from kopiena.surveys.services.imports import response_import
from tests.surveys.imports_helpers import REFERENCE_RESPONSES, reference_survey


def test_items_arrive_in_order_from_another_process():
    def numbers():
        for number in range(5000):
            yield number, os.getpid()

    items = list(produced_in_child(numbers))

    assert [number for number, _pid in items] == list(range(5000))
    assert {pid for _number, pid in items} != {os.getpid()}


def test_an_error_in_the_child_is_raised_here_with_its_traceback():
    def failing():
        yield 1
        raise KeyError("column Q")

    items = produced_in_child(failing)
    assert next(items) == 1
    with pytest.raises(ChildFailed, match="KeyError: 'column Q'"):
        next(items)


def test_a_child_that_dies_is_an_error_not_a_short_stream():
    def dying():
        yield 1
        os._exit(3)

    with pytest.raises(ChildFailed, match="ended"):
        list(produced_in_child(dying))


def test_stopping_early_ends_the_child():
    def endless():
        while True:
            yield os.getpid()

    items = produced_in_child(endless)
    child = next(items)
    items.close()

    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


@pytest.mark.django_db
def test_an_import_whose_parsing_fails_midway_writes_nothing(monkeypatch):
    survey = reference_survey()
    read_row = Plan.read_row

    def read_until_row_10(plan, number, cells, **options):
        if number == 10:
            raise RuntimeError("parser bug")
        return read_row(plan, number, cells, **options)

    monkeypatch.setattr(Plan, "read_row", read_until_row_10)

    with pytest.raises(ChildFailed, match="parser bug"):
        response_import(survey=survey, source=REFERENCE_RESPONSES, filename="reference.csv")

    assert Response.objects.filter(survey=survey).count() == 0
    assert ImportBatch.objects.filter(survey=survey).count() == 0
