"""Inviting the registry's communities to a survey: one private link per community."""

import pytest
from django.core.exceptions import ValidationError

from kopiena.surveys.models import Invitation
from kopiena.surveys.services.invitations import invitation_create_for_communities
from tests.factories import SurveyFactory


def test_invite_communities_to_survey_once_each(community, make_community, staff):
    second = make_community("Baložu kopiena")
    survey = SurveyFactory()
    first = invitation_create_for_communities(survey=survey, communities=[community])
    again = invitation_create_for_communities(survey=survey, communities=[community, second])
    assert len(first) == 1 and len(again) == 1
    assert set(Invitation.objects.values_list("community__name", flat=True)) == {
        "Ķekavas Ūdri",
        "Baložu kopiena",
    }
    assert len({i.token for i in Invitation.objects.all()}) == 2


def test_invite_to_survey_refuses_another_municipalitys_community(
    community, make_community, olaine, staff
):
    foreign = make_community("Jaunolaine", municipality=olaine)
    with pytest.raises(ValidationError):
        invitation_create_for_communities(survey=SurveyFactory(), communities=[community, foreign])
    assert not Invitation.objects.exists()
