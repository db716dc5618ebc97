"""Survey permissions by role: platform admin, staff of the owning or another municipality."""

import pytest

from tests.factories import (
    AdminFactory,
    MembershipFactory,
    SurveyFactory,
    UserFactory,
    municipality,
)

pytestmark = pytest.mark.django_db

SURVEY_PERMISSIONS = [
    "surveys.manage_survey",
    "surveys.view_responses",
    "surveys.delete_response",
    "surveys.import_responses",
]


@pytest.mark.parametrize("permission", SURVEY_PERMISSIONS)
def test_only_owning_staff_and_admins_hold_survey_permissions(permission):
    from django.contrib.auth.models import AnonymousUser

    survey = SurveyFactory()
    assert UserFactory(staff_of=[municipality()]).has_perm(permission, survey)
    assert AdminFactory().has_perm(permission, survey)
    assert not UserFactory(staff_of=[municipality("riga")]).has_perm(permission, survey)
    assert not MembershipFactory().user.has_perm(permission, survey)
    assert not UserFactory().has_perm(permission, survey)
    assert not AnonymousUser().has_perm(permission, survey)


def test_inactive_staff_lose_their_permissions():
    survey = SurveyFactory()
    user = UserFactory(staff_of=[municipality()], is_active=False)
    assert not user.has_perm("surveys.manage_survey", survey)


def test_staff_of_several_municipalities_manage_each():
    user = UserFactory(staff_of=[municipality(), municipality("riga")])
    assert user.has_perm("surveys.manage_survey", SurveyFactory(municipality=municipality("riga")))
    assert user.has_perm("surveys.manage_survey", SurveyFactory())
    assert not user.has_perm(
        "surveys.manage_survey", SurveyFactory(municipality=municipality("jurmala"))
    )


def test_creating_surveys_is_for_staff_in_their_own_municipalities():
    staff = UserFactory(staff_of=[municipality()])
    assert staff.has_perm("surveys.add_survey")
    assert staff.has_perm("surveys.create_survey_for", municipality())
    assert not staff.has_perm("surveys.create_survey_for", municipality("riga"))
    assert not MembershipFactory().user.has_perm("surveys.add_survey")
    admin = AdminFactory()
    assert admin.has_perm("surveys.create_survey_for", municipality("riga"))
    assert admin.has_perm("surveys.create_survey_for", None)
    assert not staff.has_perm("surveys.create_survey_for", None)
