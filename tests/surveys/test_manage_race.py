"""Staff editing the same questionnaire at once on PostgreSQL: nothing doubled, no error."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kopiena.surveys.models import Invitation, Question
from kopiena.surveys.services.invitations import invitation_create_for_communities
from tests.factories import CommunityFactory, SurveyFactory
from tests.surveys.test_answering_race import PARALLEL, in_parallel

from .manage_helpers import add_question

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL; SQLite serialises every write")


def test_a_community_invited_from_two_tabs_at_once_gets_one_link():
    survey = SurveyFactory()
    community = CommunityFactory()
    results = in_parallel(
        lambda: invitation_create_for_communities(survey=survey, communities=[community])
    )
    assert sorted(len(created) for created in results) == [0] * (PARALLEL - 1) + [1]
    assert Invitation.objects.filter(survey=survey).count() == 1


def test_the_same_question_added_at_once_is_added_once_and_refused_clearly_otherwise():
    survey = SurveyFactory()

    def add():
        try:
            return add_question(survey, "same")
        except ValidationError as error:
            return error

    results = in_parallel(add)
    assert sum(isinstance(result, Question) for result in results) == 1
    assert all(
        "name" in result.error_dict for result in results if isinstance(result, ValidationError)
    )
    assert list(survey.questions.values_list("position", flat=True)) == [1]
