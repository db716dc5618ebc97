"""Who may do what with surveys, and when a survey takes answers.

Staff of the owning municipality manage a survey. A survey takes answers while it is
published and within its dates; by its open link if its access is open, else only
through an invitation link. The answering pages ask these predicates which notice to
show; the services enforce the same permissions (`kopiena.core.permissions.ensure_perm`),
so a closed survey refuses a submission whichever interface sends it.
"""

import rules
from django.utils import timezone

from kopiena.accounts.rules import (
    is_municipality_staff,
    is_platform_admin,
    staff_municipality_ids,
    works_for_municipality,
)

from .models import Survey


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


# --- When a survey takes answers ------------------------------------------------------


@rules.predicate
def survey_is_published(user, survey) -> bool:
    return survey is not None and survey.status == Survey.Status.PUBLISHED


@rules.predicate
def survey_is_not_open_yet(user, survey) -> bool:
    """Published, but its opening day is still to come."""
    return (
        survey_is_published(user, survey)
        and survey.opens_at is not None
        and survey.opens_at > timezone.now()
    )


@rules.predicate
def survey_has_closed(user, survey) -> bool:
    """Closed by staff, or past its closing time."""
    return survey is not None and (
        survey.status == Survey.Status.CLOSED
        or (survey.closes_at is not None and survey.closes_at <= timezone.now())
    )


@rules.predicate
def survey_answers_by_open_link(user, survey) -> bool:
    return survey is not None and survey.access == Survey.Access.OPEN


survey_takes_answers = survey_is_published & ~survey_is_not_open_yet & ~survey_has_closed

# The object of both is the survey. An invitation link answers once: the service claims it.
rules.add_perm("surveys.answer_survey", survey_takes_answers & survey_answers_by_open_link)
rules.add_perm("surveys.answer_survey_by_invitation", survey_takes_answers)
