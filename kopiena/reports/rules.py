"""Who sees which report: staff of the survey's municipality see drafts; published
snapshots marked public are for everyone."""

import rules

from kopiena.surveys.rules import can_manage_survey


@rules.predicate
def manages_published_survey(user, published) -> bool:
    return published is not None and can_manage_survey(user, published.survey)


@rules.predicate
def is_public_report(user, published) -> bool:
    return published is not None and published.is_public


rules.add_perm("reports.view_report", can_manage_survey)
rules.add_perm("reports.edit_report", can_manage_survey)
rules.add_perm("reports.view_published", is_public_report | manages_published_survey)
rules.add_perm("reports.manage_published", manages_published_survey)
