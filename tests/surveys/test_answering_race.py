"""Parallel submits on PostgreSQL: an invitation answers once, a form posted twice once."""

import threading

import pytest
from django.db import connection, connections

from kopiena.surveys.models import Invitation, Response, Survey
from kopiena.surveys.selectors import survey_answer_rules
from kopiena.surveys.services.responses import response_submit
from tests.factories import CommunityFactory
from tests.surveys.answer_forms import single_page_survey
from tests.surveys.test_answering import PAGE_1, PAGE_2, _query

pytestmark = pytest.mark.django_db(transaction=True)
PARALLEL = 12


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL; SQLite serialises every write")


def in_parallel(action) -> list:
    barrier = threading.Barrier(PARALLEL)
    results: list = []

    def run():
        try:
            barrier.wait()
            results.append(action())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def submit(survey, **extra):
    rules = survey_answer_rules(survey)
    values, errors = rules.posted_values(rules.pages[0], _query({**PAGE_1, **PAGE_2}))
    assert not errors
    return response_submit(survey=survey, rules=rules, page=rules.pages[0], values=values, **extra)


@pytest.mark.parametrize("anonymous", [True, False])
def test_invitation_submitted_in_parallel_counts_once(anonymous):
    survey = single_page_survey(access=Survey.Access.INVITATION, anonymous=anonymous)
    invitation = Invitation.objects.create(
        survey=survey, community=CommunityFactory(), token="parallel"
    )
    results = in_parallel(lambda: submit(survey, invitation=invitation))
    assert sum(result.ok for result in results) == 1
    assert sum(result.invitation_used for result in results) == PARALLEL - 1
    assert Response.objects.filter(survey=survey, status=Response.Status.COMPLETE).count() == 1


def test_same_form_posted_in_parallel_counts_once():
    survey = single_page_survey()
    results = in_parallel(lambda: submit(survey, key="one-form"))
    assert sum(result.ok for result in results) == 1
    assert sum(result.already_submitted for result in results) == PARALLEL - 1
    assert Response.objects.filter(survey=survey).count() == 1
