"""Who may do what with surveys: staff of the owning municipality manage a survey."""

import rules

from kopiena.accounts.rules import (
    is_municipality_staff,
    is_platform_admin,
    staff_municipality_ids,
    works_for_municipality,
)


@rules.predicate
def manages_survey(user, survey) -> bool:
    if survey is None or survey.municipality_id is None:
        return False
    return survey.municipality_id in staff_municipality_ids(user)


can_manage_survey = is_platform_admin | manages_survey

rules.add_perm("surveys.add_survey", is_platform_admin | is_municipality_staff)
rules.add_perm("surveys.manage_survey", can_manage_survey)
rules.add_perm("surveys.view_responses", can_manage_survey)
rules.add_perm("surveys.delete_response", can_manage_survey)
rules.add_perm("surveys.import_responses", can_manage_survey)


@rules.predicate
def may_create_survey_for(user, municipality) -> bool:
    """Staff create surveys for their own municipalities; admins for any (or for none)."""
    return is_platform_admin(user) or works_for_municipality(user, municipality)


rules.add_perm("surveys.create_survey_for", may_create_survey_for)
