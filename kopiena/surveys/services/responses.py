"""Answering a survey through the web form: drafts, pages, save-and-resume, submit;
and deleting a response.

A survey takes answers only while its rules say so (rules.py): starting a draft and
submitting are refused otherwise (`kopiena.core.permissions.Refused`), whoever calls.

Privacy of anonymous surveys: a submitted response of an anonymous survey keeps
no user, no invitation and no community, and nothing here ever reads or stores
an IP address or user agent. An invitation link is per community, so while a
response is a draft it stays linked to its invitation (that is how the link
resumes it); at submit the invitation is marked used and, for an anonymous
survey, the link between the two is dropped, so which community gave which
answers is not kept.

Double submits are harmless: a draft is locked and completed once; a one-page
form carries a random submission key whose digest is the response's unique
`fingerprint`, so the same form posted twice stores one response.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kopiena.core.permissions import ensure_perm

from ..answer_bits import AnswerLayout, answer_keys, extended_layout
from ..models import Answer, Invitation, Response, Survey
from ..questionnaire.answer_rules import AnswerRules, Page, Values
from ..questionnaire.schema import QuestionnaireSchema

RESUME_DAYS = 30


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def submission_fingerprint(key: str) -> str:
    """The stored digest of a web form's random submission key ("" for none)."""
    return _digest(f"web-submission:{key}") if key else ""


@dataclass
class SubmitResult:
    response: Response | None = None
    errors: dict[str, str] = field(default_factory=dict)
    # The page of the first error, when there are errors.
    error_page: int | None = None
    already_submitted: bool = False
    invitation_used: bool = False

    @property
    def ok(self) -> bool:
        return self.response is not None and not self.errors


@transaction.atomic
def response_start(
    *, survey: Survey, invitation: Invitation | None = None, key: str = ""
) -> Response:
    """The draft a respondent keeps answering: the invitation's draft, or a new one.

    The same submission key posted twice (a double click) finds the same draft.
    """
    _ensure_takes_answers(survey, invitation, user=None)
    if invitation is not None:
        draft = Response.objects.filter(invitation=invitation, status=Response.Status.DRAFT).first()
        if draft is not None:
            return draft
    fingerprint = submission_fingerprint(key)
    if fingerprint:
        existing = Response.objects.filter(survey=survey, fingerprint=fingerprint).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return Response.objects.create(
                survey=survey,
                invitation=invitation,
                community_id=invitation.community_id if invitation else None,
                fingerprint=fingerprint,
            )
    except IntegrityError:
        # A parallel request created it first.
        if invitation is not None:
            return Response.objects.get(invitation=invitation)
        return Response.objects.get(survey=survey, fingerprint=fingerprint)


def survey_answer_layout(*, survey: Survey, schema: QuestionnaireSchema) -> AnswerLayout:
    """The survey's answer bit positions, first extended with its questionnaire's new
    questions and choices if it lacks any (answer_bits.py).

    The extension locks the survey's row and reads the layout again, so two requests
    extending it at once agree on every position. The lock is FOR NO KEY UPDATE: a
    plain FOR UPDATE would also block the foreign-key checks of responses other
    requests are committing, and a request holding it while it waits on one of
    theirs (the same form posted twice) deadlocks. `survey.answer_layout` is only
    updated from what is committed, since this transaction may still roll back.
    """
    keys = answer_keys(schema)
    if extended_layout(survey.answer_layout, keys) is None:
        return AnswerLayout(survey.answer_layout)
    with transaction.atomic():
        current = (
            Survey.objects.select_for_update(no_key=True).values_list("answer_layout", flat=True)
        ).get(pk=survey.pk)
        extended = extended_layout(current, keys)
        if extended is None:
            survey.answer_layout = current
            return AnswerLayout(current)
        Survey.objects.filter(pk=survey.pk).update(answer_layout=extended)
        return AnswerLayout(extended)


def _rules_layout(survey: Survey, rules: AnswerRules) -> AnswerLayout:
    """The layout for encoding answers under these rules, kept on the (shared) rules once
    the stored layout covers them; positions this transaction adds are not kept, since the
    transaction may still roll back."""
    if rules.answer_layout is None:
        if extended_layout(survey.answer_layout, answer_keys(rules.schema)) is not None:
            return survey_answer_layout(survey=survey, schema=rules.schema)
        rules.answer_layout = AnswerLayout(survey.answer_layout)
    return rules.answer_layout


ANSWER_COLUMNS = ("response", "question", "choice", "text", "number", "date", "is_other")
# PostgreSQL array types of those columns, for one INSERT ... SELECT FROM unnest().
ANSWER_ARRAY_TYPES = ("bigint", "bigint", "bigint", "text", "numeric", "date", "boolean")
INSERT_BATCH = 100


def _replace_answers(response: Response, question_ids, rows, *, new: bool = False) -> None:
    """Write a response's answers to the given questions, replacing what was there.

    One INSERT instead of bulk_create: the web form's submit is the hot path under
    a deadline spike, and building a model instance and a placeholder per value cost
    more than the rest of the request (bench/webform_load.py). On PostgreSQL the
    rows travel as seven arrays, so the statement text is the same every time.
    """
    if not new:
        Answer.objects.filter(response=response, question_id__in=list(question_ids)).delete()
    rows = list(rows)
    if not rows:
        return
    fields = [Answer._meta.get_field(name) for name in ANSWER_COLUMNS]
    number_field, date_field = fields[4], fields[5]
    columns = [
        [response.pk] * len(rows),
        [row.question_id for row in rows],
        [row.choice_id for row in rows],
        [row.text for row in rows],
        # Most answers have neither: the fields' conversion is only paid for values.
        [_prepared(number_field, row.number) for row in rows],
        [_prepared(date_field, row.date) for row in rows],
        [row.is_other for row in rows],
    ]
    quote = connection.ops.quote_name
    # Table and column names come from the model; every value is a parameter.
    head = "INSERT INTO {} ({}) ".format(  # noqa: S608
        quote(Answer._meta.db_table), ", ".join(quote(field.column) for field in fields)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{kind}[]" for kind in ANSWER_ARRAY_TYPES)
            cursor.execute(f"{head}SELECT * FROM unnest({arrays})", columns)  # noqa: S608
            return
        placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
        values = list(zip(*columns, strict=True))
        for start in range(0, len(values), INSERT_BATCH):
            batch = values[start : start + INSERT_BATCH]
            params = [value for row in batch for value in row]
            cursor.execute(head + "VALUES " + ", ".join([placeholder] * len(batch)), params)


def _prepared(field, value):
    return None if value is None else field.get_db_prep_save(value, connection)


def response_values(*, response: Response, rules: AnswerRules) -> Values:
    """What a draft holds so far, as plain values by question name."""
    return rules.saved_values(response.answers.all())


@transaction.atomic
def response_save_page(
    *,
    response: Response,
    rules: AnswerRules,
    page: Page,
    values: Mapping[str, object],
    complete: bool,
) -> dict[str, str]:
    """Store one page's answers in a draft; returns the errors (then nothing is stored
    when `complete`, the values that can be stored otherwise)."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.status != Response.Status.DRAFT:
        return {}
    known = {**response_values(response=response, rules=rules), **values}
    result = rules.check(page.questions, known, complete=complete)
    if complete and result.errors:
        return result.errors
    _replace_answers(response, (q.id for q in page.questions), result.rows)
    Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())
    return result.errors


@transaction.atomic
def response_save_for_later(*, response: Response) -> str:
    """A private link token for resuming the draft; only its digest is stored.

    A new token replaces the previous one; it expires after RESUME_DAYS days and
    stops working once the response is submitted.
    """
    token = secrets.token_urlsafe(32)
    Response.objects.filter(pk=response.pk, status=Response.Status.DRAFT).update(
        resume_token_hash=_digest(token),
        resume_expires_at=timezone.now() + dt.timedelta(days=RESUME_DAYS),
    )
    return token


# A draft's link can be e-mailed this many times an hour, so the page is no mail relay.
RESUME_EMAILS_PER_HOUR = 3


def response_email_resume_link(*, response: Response, email: str, link: str) -> None:
    """E-mail the private resume link; the address is used once and never stored.

    Raises ValidationError for an invalid address or after RESUME_EMAILS_PER_HOUR
    sends for the same draft.
    """
    validate_email(email)
    counter = f"survey-resume-emails:{response.pk}"
    cache.add(counter, 0, timeout=3600)
    if cache.incr(counter) > RESUME_EMAILS_PER_HOUR:
        raise ValidationError(_("Saite jau ir nosūtīta vairākas reizes. Mēģiniet vēlāk."))
    send_mail(
        subject=_("Saite aptaujas turpināšanai: %(title)s") % {"title": response.survey.title_text},
        message=_(
            "Lai turpinātu aizpildīt aptauju, atveriet šo saiti:\n\n%(link)s\n\n"
            "Saite ir derīga %(days)s dienas un darbojas, līdz atbildes ir iesniegtas."
        )
        % {"link": link, "days": RESUME_DAYS},
        from_email=None,
        recipient_list=[email],
    )


def response_resume(*, survey: Survey, token: str) -> Response | None:
    """The draft a resume link points to, unless the link expired or was submitted."""
    if not token:
        return None
    return Response.objects.filter(
        survey=survey,
        status=Response.Status.DRAFT,
        resume_token_hash=_digest(token),
        resume_expires_at__gt=timezone.now(),
    ).first()


def _repeated_post_is_already_submitted(submit):
    """A parallel or repeated post of the same one-page form breaks the response's unique
    fingerprint; its transaction is then rolled back whole and the first post counts."""

    @functools.wraps(submit)
    def wrapper(**arguments) -> SubmitResult:
        try:
            return submit(**arguments)
        except IntegrityError:
            return SubmitResult(already_submitted=True)

    return wrapper


@_repeated_post_is_already_submitted
@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    rules: AnswerRules,
    page: Page,
    values: Mapping[str, object],
    response: Response | None = None,
    invitation: Invitation | None = None,
    user=None,
    key: str = "",
) -> SubmitResult:
    """Check every relevant answer and complete the response, at most once.

    `values` are the current page's; a draft's other pages come from the database.
    Answers to questions that turned out not relevant are discarded. Fails with
    `invitation_used` when the invitation has answered already (race-safe: the
    invitation is claimed by a conditional UPDATE, which PostgreSQL serialises on
    the row lock and SQLite on its write lock). Raises Refused, storing nothing, when
    the survey takes no answers (closed, not yet open, or only by invitation).
    """
    _ensure_takes_answers(survey, invitation, user=user)
    known: dict[str, object] = {}
    if response is not None:
        response = Response.objects.select_for_update().get(pk=response.pk)
        if response.status == Response.Status.COMPLETE:
            return SubmitResult(response=response, already_submitted=True)
        known.update(response_values(response=response, rules=rules))
    known.update(values)
    result = rules.check(rules.questions, known, complete=True)
    if result.errors:
        if response is not None:
            # Keep what was typed on this page, so it is there when the respondent returns.
            page_result = rules.check(page.questions, known, complete=False)
            _replace_answers(response, (q.id for q in page.questions), page_result.rows)
        first = next(q for q in rules.questions if q.name in result.errors)
        return SubmitResult(
            response=response,
            errors=result.errors,
            error_page=rules.page_by_name[first.name].number,
        )

    now = timezone.now()
    layout = _rules_layout(survey, rules)
    if invitation is not None:
        claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=now
        )
        if not claimed:
            transaction.set_rollback(True)
            return SubmitResult(invitation_used=True)

    identity: dict[str, object] = {"invitation": None, "community": None, "user": None}
    if not survey.anonymous:
        identity = {
            "invitation": invitation,
            "community_id": invitation.community_id if invitation else None,
            "user": user if user is not None and user.is_authenticated else None,
        }
    fields = {
        "status": Response.Status.COMPLETE,
        "submitted_at": now,
        "answer_bits": layout.encode((row.question_id, row.choice_id) for row in result.rows),
        "resume_token_hash": "",
        "resume_expires_at": None,
        **identity,
    }
    new = response is None
    if response is None:
        # The same form posted twice breaks the unique fingerprint: see response_submit.
        response = Response.objects.create(
            survey=survey, fingerprint=submission_fingerprint(key), **fields
        )
    else:
        for name, value in fields.items():
            setattr(response, name, value)
        response.save()
    _replace_answers(response, (q.id for q in rules.questions), result.rows, new=new)
    return SubmitResult(response=response)


def _ensure_takes_answers(survey: Survey, invitation: Invitation | None, *, user) -> None:
    """The survey's rule for answering by its open link, or by an invitation's."""
    if invitation is None:
        ensure_perm(user, "surveys.answer_survey", survey)
    else:
        ensure_perm(user, "surveys.answer_survey_by_invitation", survey)


@transaction.atomic
def response_delete(*, response: Response) -> None:
    """Delete a response with its answers; its invitation link can be used again."""
    invitation = response.invitation
    response.delete()
    if invitation is not None and invitation.used_at is not None:
        invitation.used_at = None
        invitation.save(update_fields=["used_at"])
