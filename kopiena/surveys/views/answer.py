"""The public web form: answering a survey by its open link or an invitation link.

Views parse the request, call `services.responses`, and render; the rules of the
questionnaire live in `questionnaire.answer_rules.AnswerRules`, whether the survey takes
answers now in `rules.py`, what a page shows in `presenters`. Pages work without
JavaScript: every button posts the page, and the server decides relevance, errors and the
next page.
"""

from __future__ import annotations

import re
import secrets

from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kopiena.core.permissions import Refused

from ..models import Invitation, Response, Survey
from ..presenters import field_view, is_shown, other_page_values
from ..questionnaire.answer_rules import AnswerRules, Page, Values
from ..questionnaire.schema import QuestionType, translated
from ..rules import survey_answers_by_open_link, survey_is_not_open_yet, survey_takes_answers
from ..selectors import invitation_prefill, survey_answer_rules
from ..services.responses import (
    response_email_resume_link,
    response_resume,
    response_save_for_later,
    response_save_page,
    response_start,
    response_submit,
    response_values,
)

T = QuestionType
SESSION_DRAFTS = "survey_drafts"


# --- availability --------------------------------------------------------------------


def _public_survey(slug: str) -> Survey:
    """Any survey but a draft: the public never sees drafts."""
    return get_object_or_404(Survey.objects.exclude(status=Survey.Status.DRAFT), slug=slug)


def _closed_notice(request, survey: Survey):
    """The notice shown instead of the form while the survey takes no answers, else None."""
    if survey_is_not_open_yet(request.user, survey):
        return _notice(request, survey, "not_yet")
    if not survey_takes_answers(request.user, survey):
        return _notice(request, survey, "closed")
    return None


def _notice(request, survey: Survey, kind: str, status: int = 200):
    return render(
        request,
        "surveys/answer_notice.html",
        {"survey": survey, "kind": kind, "title": survey.title_text},
        status=status,
    )


# --- the form ------------------------------------------------------------------------


def _session_draft(request, survey: Survey) -> Response | None:
    draft_id = request.session.get(SESSION_DRAFTS, {}).get(str(survey.pk))
    if draft_id is None:
        return None
    return Response.objects.filter(
        pk=draft_id, survey=survey, status=Response.Status.DRAFT, invitation__isnull=True
    ).first()


def _remember_draft(request, survey: Survey, response: Response | None) -> None:
    drafts = dict(request.session.get(SESSION_DRAFTS, {}))
    if response is None:
        if str(survey.pk) not in drafts:
            return
        drafts.pop(str(survey.pk))
    else:
        drafts[str(survey.pk)] = response.pk
    request.session[SESSION_DRAFTS] = drafts


def _page_number(rules: AnswerRules, raw: str | None) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        number = 1
    return min(max(number, 1), max(len(rules.pages), 1))


def _next_page(rules: AnswerRules, current: int, values: Values, step: int) -> int | None:
    """The nearest page in the direction of `step` with anything relevant on it."""
    context = rules.context(values)
    number = current + step
    while 1 <= number <= len(rules.pages):
        page = rules.pages[number - 1]
        if any(rules.relevant(item, context) for item in page.items if item.type != T.GROUP):
            return number
        number += step
    return None


CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
KEY_VALUE = re.compile(r'(name="key" value=")[^"]*(")')


def _cached_empty_page(request, rules: AnswerRules, page: Page, render_page) -> HttpResponse:
    """An empty page for an anonymous visitor, rendered once per questionnaire and reused.

    A deadline spike is mostly new respondents opening the same empty page; only
    the CSRF token and the submission key differ between them, so those are put
    into the stored HTML per request. Anyone logged in or with a message waiting,
    and any address but the page's own, gets a page rendered just for them.
    """
    own_addresses = (request.path, f"{request.path}?page={page.number}")
    if (
        request.user.is_authenticated
        or request.get_full_path() not in own_addresses
        or len(get_messages(request))
    ):
        return render_page()
    cache_key = (get_language(), request.get_full_path())
    html = rules.rendered.get(cache_key)
    if html is None:
        html = render_page().content.decode()
        rules.rendered[cache_key] = html
    token = get_token(request)
    html = CSRF_VALUE.sub(lambda m: m.group(1) + token + m.group(2), html)
    html = KEY_VALUE.sub(lambda m: m.group(1) + secrets.token_urlsafe(16) + m.group(2), html, 1)
    return HttpResponse(html)


def _render_page(request, survey, rules, page, values, errors, *, key, shared=False):
    """The page with its values and errors. `shared`: the open link's page, the same for
    every visitor; an invitation's is not kept (a survey may have thousands of links)."""
    if shared and not values and not errors:
        return _cached_empty_page(
            request, rules, page, lambda: _page(request, survey, rules, page, {}, {}, key=key)
        )
    return _page(request, survey, rules, page, values, errors, key=key)


def _page(request, survey, rules, page, values, errors, *, key):
    language = get_language() or survey.default_language
    fields = [
        field_view(rules, node, page, values, errors, language)
        for node in page.nodes
        if is_shown(rules, node, page, values)
    ]
    fields_html = render_to_string("surveys/answer_fields.html", {"fields": fields})
    is_last = _next_page(rules, page.number, values, +1) is None
    error_links = []
    if errors:
        by_name = {}

        def collect(views):
            for view in views:
                by_name[view.name] = view
                collect(view.children)

        collect(fields)
        for question in rules.questions:
            if question.name in errors and question.name in by_name:
                view = by_name[question.name]
                error_links.append((view.first_input_id, view.label, errors[question.name]))
    return render(
        request,
        "surveys/answer_page.html",
        {
            "survey": survey,
            "title": survey.title_text,
            "description": translated(survey.description, language),
            "page": page,
            "page_title": translated(page.title, language),
            "page_count": len(rules.pages),
            "fields_html": fields_html,
            "errors": error_links,
            "is_last": is_last,
            "is_first": _next_page(rules, page.number, values, -1) is None,
            "key": key,
            "known_values": other_page_values(rules, page, values),
        },
    )


def _answer(request, survey: Survey, invitation: Invitation | None):
    """The form's page, or what answering it led to; refused by the services once the
    survey takes no answers (closed meanwhile, or past its closing time): the notice."""
    try:
        return _answer_page(request, survey, invitation)
    except Refused:
        return _closed_notice(request, survey) or _notice(request, survey, "closed")


def _answer_page(request, survey: Survey, invitation: Invitation | None):
    rules = survey_answer_rules(survey)
    if not rules.pages:
        raise Http404(_("Aptaujā nav jautājumu."))
    if invitation is not None:
        response = Response.objects.filter(
            invitation=invitation, status=Response.Status.DRAFT
        ).first()
    else:
        response = _session_draft(request, survey)
    source = request.POST if request.method == "POST" else request.GET
    page = rules.pages[_page_number(rules, source.get("page")) - 1]
    key = request.POST.get("key", "")[:64] or secrets.token_urlsafe(16)
    if request.method == "GET":
        if response is not None:
            values = response_values(response=response, rules=rules)
        else:
            values = invitation_prefill(invitation=invitation, rules=rules)
        shared = invitation is None and response is None
        return _render_page(request, survey, rules, page, values, {}, key=key, shared=shared)

    action = request.POST.get("action", "next")
    posted, input_errors = rules.posted_values(page, request.POST)
    saved = response_values(response=response, rules=rules) if response else {}
    values = {**{k: v for k, v in saved.items() if rules.page_by_name.get(k) is not page}, **posted}
    here = request.path

    if action in ("back", "save") or (action == "next" and not input_errors):
        if response is None:
            response = response_start(survey=survey, invitation=invitation, key=key)
            if invitation is None:
                _remember_draft(request, survey, response)
        errors = response_save_page(
            response=response, rules=rules, page=page, values=posted, complete=action == "next"
        )
        if action == "save":
            token = response_save_for_later(response=response)
            return _saved_page(request, survey, token, answer_url=here)
        if action == "back":
            target = _next_page(rules, page.number, values, -1) or page.number
            return HttpResponseRedirect(f"{here}?page={target}")
        if not errors:
            target = _next_page(rules, page.number, values, +1)
            if target is not None:
                return HttpResponseRedirect(f"{here}?page={target}")
            action = "submit"  # nothing relevant is left: this was the last page
        else:
            return _render_page(request, survey, rules, page, values, errors, key=key)

    if input_errors:
        return _render_page(request, survey, rules, page, values, input_errors, key=key)

    result = response_submit(
        survey=survey,
        rules=rules,
        page=page,
        values=posted,
        response=response,
        invitation=invitation,
        user=request.user,
        key=key,
    )
    if result.invitation_used:
        return _notice(request, survey, "answered")
    if result.errors:
        error_page = rules.pages[result.error_page - 1]
        if error_page is not page:
            values = (
                response_values(response=result.response, rules=rules)
                if result.response
                else values
            )
        return _render_page(request, survey, rules, error_page, values, result.errors, key=key)
    if invitation is None:
        _remember_draft(request, survey, None)
    return HttpResponseRedirect(reverse("surveys:thanks", args=[survey.slug]))


def _saved_page(request, survey: Survey, token: str, *, answer_url: str, **extra):
    link = request.build_absolute_uri(reverse("surveys:resume", args=[survey.slug, token]))
    return render(
        request,
        "surveys/answer_saved.html",
        {
            "survey": survey,
            "title": survey.title_text,
            "link": link,
            "token": token,
            "answer_url": answer_url,
            **extra,
        },
    )


@require_http_methods(["GET", "POST"])
def answer(request, slug: str):
    survey = _public_survey(slug)
    if closed := _closed_notice(request, survey):
        return closed
    if not survey_answers_by_open_link(request.user, survey):
        return _notice(request, survey, "invitation_only", status=403)
    return _answer(request, survey, None)


@require_http_methods(["GET", "POST"])
def invitation(request, slug: str, token: str):
    survey = _public_survey(slug)
    # The prefill reads the invited community's profile and municipality.
    found = get_object_or_404(
        Invitation.objects.select_related("community__municipality"), survey=survey, token=token
    )
    if closed := _closed_notice(request, survey):
        return closed
    if found.used_at is not None:
        return _notice(request, survey, "answered")
    return _answer(request, survey, found)


@require_http_methods(["GET"])
def resume(request, slug: str, token: str):
    survey = _public_survey(slug)
    response = response_resume(survey=survey, token=token)
    if response is None:
        return _notice(request, survey, "resume_invalid", status=404)
    if closed := _closed_notice(request, survey):
        return closed
    if response.invitation_id is None:
        _remember_draft(request, survey, response)
    return HttpResponseRedirect(_answer_url(survey, response))


def _answer_url(survey: Survey, response) -> str:
    """Where a draft is answered: its invitation's link, or the survey's open form."""
    if response.invitation_id is not None:
        return reverse("surveys:invitation", args=[survey.slug, response.invitation.token])
    return reverse("surveys:answer", args=[survey.slug])


@require_http_methods(["POST"])
def resume_email(request, slug: str, token: str):
    """Send the private resume link to an address the respondent gives; it is not stored."""
    survey = _public_survey(slug)
    response = response_resume(survey=survey, token=token)
    if response is None:
        return _notice(request, survey, "resume_invalid", status=404)
    if closed := _closed_notice(request, survey):
        return closed
    email = request.POST.get("email", "").strip()
    answer_url = _answer_url(survey, response)
    link = request.build_absolute_uri(reverse("surveys:resume", args=[survey.slug, token]))
    try:
        response_email_resume_link(response=response, email=email, link=link)
    except ValidationError as error:
        return _saved_page(
            request,
            survey,
            token,
            answer_url=answer_url,
            email=email,
            email_error=error.messages[0],
        )
    return _saved_page(request, survey, token, answer_url=answer_url, emailed_to=email)


@require_http_methods(["GET"])
def thanks(request, slug: str):
    survey = _public_survey(slug)
    return _notice(request, survey, "thanks")
