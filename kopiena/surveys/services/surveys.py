"""Staff creating a survey and changing its settings and status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kopiena.core.slugs import SlugSpace
from kopiena.places.models import Municipality

from ..models import Question, Survey

DEFAULT_LANGUAGES = [
    {"code": "lv", "name": "Latviešu (lv)"},
    {"code": "en", "name": "English (en)"},
]
# Survey URLs are /surveys/<slug>/, beside the staff pages at /surveys/manage/.
SURVEY_SLUGS = SlugSpace(Survey, "kopiena.surveys.urls", max_length=90, fallback="aptauja")


def lock_survey(survey_id: int) -> Survey:
    """The survey, locked: edits of one survey run one at a time (names, positions and
    lists stay unique). FOR NO KEY UPDATE, so responses being submitted meanwhile, whose
    foreign-key checks share-lock the survey's key, neither wait nor deadlock."""
    return Survey.objects.select_for_update(no_key=True).get(pk=survey_id)


def questionnaire_changed(survey_id: int) -> None:
    """Mark the survey changed: the public form caches its questionnaire by updated_at."""
    Survey.objects.filter(pk=survey_id).update(updated_at=timezone.now())


@transaction.atomic
def survey_create(
    *,
    title: dict[str, str],
    municipality: Municipality | None,
    actor,
) -> Survey:
    """A blank draft survey for a municipality, with a slug from its title."""
    if not title.get("lv"):
        raise ValidationError({"title_lv": _("Ierakstiet aptaujas nosaukumu latviski.")})
    return Survey.objects.create(
        slug=SURVEY_SLUGS.from_text(title["lv"]),
        title=title,
        municipality=municipality,
        languages=DEFAULT_LANGUAGES,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@dataclass(frozen=True)
class SurveySettings:
    title: dict[str, str]
    description: dict[str, str]
    access: str
    anonymous: bool
    paging: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    min_group_size: int


@transaction.atomic
def survey_update_settings(*, survey: Survey, settings: SurveySettings) -> Survey:
    errors: dict[str, str] = {}
    if not settings.title.get("lv"):
        errors["title_lv"] = _("Ierakstiet aptaujas nosaukumu latviski.")
    if settings.min_group_size < 1:
        errors["min_group_size"] = _("Mazākais grupas lielums ir vismaz 1.")
    if settings.opens_at and settings.closes_at and settings.closes_at <= settings.opens_at:
        errors["closes_at"] = _("Aptaujai jāaizveras pēc tam, kad tā atveras.")
    if errors:
        raise ValidationError(errors)
    survey.title = settings.title
    survey.description = settings.description
    survey.access = settings.access
    survey.anonymous = settings.anonymous
    survey.paging = settings.paging
    survey.opens_at = settings.opens_at
    survey.closes_at = settings.closes_at
    survey.min_group_size = settings.min_group_size
    survey.save()
    return survey


@transaction.atomic
def survey_publish(*, survey: Survey) -> Survey:
    """Open a draft (or reopen a closed) survey for answers; it needs a question to answer."""
    survey = lock_survey(survey.pk)
    if survey.status == Survey.Status.PUBLISHED:
        return survey
    has_question = survey.questions.filter(
        type__in=Question.ANSWERABLE_TYPES, is_archived=False
    ).exists()
    if not has_question:
        raise ValidationError(_("Aptauju var publicēt, kad tajā ir vismaz viens jautājums."))
    survey.status = Survey.Status.PUBLISHED
    survey.save(update_fields=["status", "updated_at"])
    return survey


@transaction.atomic
def survey_close(*, survey: Survey) -> Survey:
    survey = lock_survey(survey.pk)
    if survey.status != Survey.Status.PUBLISHED:
        raise ValidationError(_("Slēgt var tikai publicētu aptauju."))
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status", "updated_at"])
    return survey
