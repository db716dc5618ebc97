"""The public web form: answering a survey by its open link or an invitation link.

Views parse the request, call `services_responses`, and render; the rules of the
form live in `validation.AnswerForm`. Pages work without JavaScript: every button
posts the page, and the server decides relevance, errors and the next page.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..models import Invitation, Question, Response, Survey, translated
from ..questionnaire.answer_rules import OTHER, AnswerForm, Node, Page, Values, answer_form
from ..selectors import invitation_prefill
from ..services.responses import (
    response_email_resume_link,
    response_resume,
    response_save_for_later,
    response_save_page,
    response_start,
    response_submit,
    response_values,
)

T = Question.Type
SESSION_DRAFTS = "survey_drafts"
# A rating scale is shown as a row of radio buttons up to this many points.
MAX_SCALE_POINTS = 11


# --- availability --------------------------------------------------------------------


def _public_survey(slug: str) -> Survey:
    """Any survey but a draft: the public never sees drafts."""
    return get_object_or_404(Survey.objects.exclude(status=Survey.Status.DRAFT), slug=slug)


def _unavailable(request, survey: Survey):
    """The page shown instead of the form when the survey is not open now, else None."""
    now = timezone.now()
    if survey.opens_at and survey.opens_at > now and survey.status == Survey.Status.PUBLISHED:
        return _notice(request, survey, "not_yet")
    if survey.status == Survey.Status.CLOSED or (survey.closes_at and survey.closes_at <= now):
        return _notice(request, survey, "closed")
    return None


def _notice(request, survey: Survey, kind: str, status: int = 200):
    return render(
        request,
        "surveys/answer_notice.html",
        {"survey": survey, "kind": kind, "title": survey.title_text},
        status=status,
    )


# --- what a page shows ---------------------------------------------------------------


@dataclass
class ChoiceView:
    value: str
    label: str
    id: str
    checked: bool = False


@dataclass
class FieldView:
    """One question, note or section as the templates draw it."""

    name: str
    widget: str
    label: str
    hint: str = ""
    required: bool = False
    value: str = ""
    error: str = ""
    relevant: str = ""  # a condition the browser evaluates live
    choices: list[ChoiceView] = field(default_factory=list)
    other_value: str = ""
    other_choice: ChoiceView | None = None
    children: list[FieldView] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"q-{self.name}"

    @property
    def template(self) -> str:
        return f"surveys/includes/answer_{self.widget}.html"

    @property
    def first_input_id(self) -> str:
        if self.widget in ("radio", "checkbox", "scale") and self.choices:
            return self.choices[0].id
        return self.id

    @property
    def describedby(self) -> str:
        ids = [f"{self.id}-hint"] if self.hint else []
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)


def _widget(question) -> str:
    kind = question.type
    appearance = question.appearance.split()
    if kind == T.GROUP:
        return "group"
    if kind == T.NOTE:
        return "note"
    if kind == T.TEXT:
        return "textarea" if "multiline" in appearance else "text"
    if kind in (T.INTEGER, T.DECIMAL):
        return kind
    if kind == T.DATE:
        return "date"
    if kind == T.RANGE:
        return "scale" if _range_points(question) else "decimal"
    if kind == T.SELECT_ONE:
        if question.integer_choices and len(question.choices) <= MAX_SCALE_POINTS:
            return "scale"
        return "select" if "minimal" in appearance else "radio"
    return "checkbox"


def _range_points(question) -> list[str]:
    parameters = question.parameters
    try:
        start = int(parameters.get("start", 1))
        end = int(parameters.get("end", 10))
        step = int(parameters.get("step", 1)) or 1
    except (TypeError, ValueError):
        return []
    points = [
        str(n)
        for n in range(start, end + (1 if end >= start else -1), step if end >= start else -step)
    ]
    return points if 1 < len(points) <= MAX_SCALE_POINTS else []


def field_view(
    form: AnswerForm, node: Node, page: Page, values: Values, errors: dict, language: str
) -> FieldView:
    """What the templates need to draw one question and its section's members (also previews)."""
    question = node.item
    view = FieldView(
        name=question.name,
        widget=_widget(question),
        label=translated(question.label, language) or question.name,
        hint=translated(question.hint, language),
        required=question.required,
        error=errors.get(question.name, ""),
        relevant=" and ".join(f"({c})" for c in form.conditions(question))
        if form.depends_on_page(question, page)
        else "",
    )
    raw = values.get(question.name, "")
    if question.is_choice or view.widget == "scale":
        selected = set(raw) if isinstance(raw, list) else ({str(raw)} if raw else set())
        if question.is_choice:
            options = [
                (c.name, c.label_text(language)) for c in question.choices if not c.is_archived
            ]
        else:
            options = [(point, point) for point in _range_points(question)]
        names = {value for value, _label in options}
        others = [token for token in selected if token not in names and token != OTHER]
        view.other_value = others[0] if others else ""
        view.choices = [
            ChoiceView(value, label, f"{view.id}-{index}", value in selected)
            for index, (value, label) in enumerate(options)
        ]
        if form.has_other_input(question):
            other_checked = bool(others) or OTHER in selected
            existing = next((c for c in view.choices if c.value == OTHER), None)
            if existing is None:
                existing = ChoiceView(OTHER, _("Cits"), f"{view.id}-other")
                view.choices.append(existing)
            existing.checked = other_checked
            view.other_choice = existing
    elif isinstance(raw, str):
        view.value = raw
    view.children = [
        field_view(form, child, page, values, errors, language)
        for child in node.children
        if _shown(form, child, page, values)
    ]
    return view


def _shown(form: AnswerForm, node: Node, page: Page, values: Values) -> bool:
    """Hide what earlier pages already ruled out; same-page conditions are left to the
    browser (and re-checked on the server)."""
    if form.depends_on_page(node.item, page):
        return True
    return form.relevant(node.item, form.context(values))


def _other_page_values(form: AnswerForm, page: Page, values: Values) -> dict[str, object]:
    """Answers from other pages, for the browser's live skip logic."""
    names = {q.name for q in page.questions}
    context = form.context(values)
    return {name: value for name, value in context.items() if name not in names}


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


def _page_number(form: AnswerForm, raw: str | None) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        number = 1
    return min(max(number, 1), max(len(form.pages), 1))


def _next_page(form: AnswerForm, current: int, values: Values, step: int) -> int | None:
    """The nearest page in the direction of `step` with anything relevant on it."""
    context = form.context(values)
    number = current + step
    while 1 <= number <= len(form.pages):
        page = form.pages[number - 1]
        if any(form.relevant(item, context) for item in page.items if item.type != T.GROUP):
            return number
        number += step
    return None


CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
KEY_VALUE = re.compile(r'(name="key" value=")[^"]*(")')


def _cached_empty_page(request, form: AnswerForm, page: Page, render_page) -> HttpResponse:
    """An empty page for an anonymous visitor, rendered once per form and reused.

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
    html = form.rendered.get(cache_key)
    if html is None:
        html = render_page().content.decode()
        form.rendered[cache_key] = html
    token = get_token(request)
    html = CSRF_VALUE.sub(lambda m: m.group(1) + token + m.group(2), html)
    html = KEY_VALUE.sub(lambda m: m.group(1) + secrets.token_urlsafe(16) + m.group(2), html, 1)
    return HttpResponse(html)


def _render_page(request, survey, form, page, values, errors, *, key, shared=False):
    """The page with its values and errors. `shared`: the open link's page, the same for
    every visitor; an invitation's is not kept (a survey may have thousands of links)."""
    if shared and not values and not errors:
        return _cached_empty_page(
            request, form, page, lambda: _page(request, survey, form, page, {}, {}, key=key)
        )
    return _page(request, survey, form, page, values, errors, key=key)


def _page(request, survey, form, page, values, errors, *, key):
    language = get_language() or survey.default_language
    fields = [
        field_view(form, node, page, values, errors, language)
        for node in page.nodes
        if _shown(form, node, page, values)
    ]
    fields_html = render_to_string("surveys/answer_fields.html", {"fields": fields})
    is_last = _next_page(form, page.number, values, +1) is None
    error_links = []
    if errors:
        by_name = {}

        def collect(views):
            for view in views:
                by_name[view.name] = view
                collect(view.children)

        collect(fields)
        for question in form.questions:
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
            "page_count": len(form.pages),
            "fields_html": fields_html,
            "errors": error_links,
            "is_last": is_last,
            "is_first": _next_page(form, page.number, values, -1) is None,
            "key": key,
            "known_values": _other_page_values(form, page, values),
        },
    )


def _answer(request, survey: Survey, invitation: Invitation | None):
    form = answer_form(survey)
    if not form.pages:
        raise Http404(_("Aptaujā nav jautājumu."))
    if invitation is not None:
        response = Response.objects.filter(
            invitation=invitation, status=Response.Status.DRAFT
        ).first()
    else:
        response = _session_draft(request, survey)
    source = request.POST if request.method == "POST" else request.GET
    page = form.pages[_page_number(form, source.get("page")) - 1]
    key = request.POST.get("key", "")[:64] or secrets.token_urlsafe(16)
    if request.method == "GET":
        if response is not None:
            values = response_values(response=response, form=form)
        else:
            values = invitation_prefill(invitation=invitation, form=form)
        shared = invitation is None and response is None
        return _render_page(request, survey, form, page, values, {}, key=key, shared=shared)

    action = request.POST.get("action", "next")
    posted, input_errors = form.posted_values(page, request.POST)
    saved = response_values(response=response, form=form) if response else {}
    values = {**{k: v for k, v in saved.items() if form.page_by_name.get(k) is not page}, **posted}
    here = request.path

    if action in ("back", "save") or (action == "next" and not input_errors):
        if response is None:
            response = response_start(survey=survey, invitation=invitation, key=key)
            if invitation is None:
                _remember_draft(request, survey, response)
        errors = response_save_page(
            response=response, form=form, page=page, values=posted, complete=action == "next"
        )
        if action == "save":
            token = response_save_for_later(response=response)
            return _saved_page(request, survey, token, answer_url=here)
        if action == "back":
            target = _next_page(form, page.number, values, -1) or page.number
            return HttpResponseRedirect(f"{here}?page={target}")
        if not errors:
            target = _next_page(form, page.number, values, +1)
            if target is not None:
                return HttpResponseRedirect(f"{here}?page={target}")
            action = "submit"  # nothing relevant is left: this was the last page
        else:
            return _render_page(request, survey, form, page, values, errors, key=key)

    if input_errors:
        return _render_page(request, survey, form, page, values, input_errors, key=key)

    result = response_submit(
        survey=survey,
        form=form,
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
        error_page = form.pages[result.error_page - 1]
        if error_page is not page:
            values = (
                response_values(response=result.response, form=form) if result.response else values
            )
        return _render_page(request, survey, form, error_page, values, result.errors, key=key)
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
    unavailable = _unavailable(request, survey)
    if unavailable is not None:
        return unavailable
    if survey.access == Survey.Access.INVITATION:
        return _notice(request, survey, "invitation_only", status=403)
    return _answer(request, survey, None)


@require_http_methods(["GET", "POST"])
def invitation(request, slug: str, token: str):
    survey = _public_survey(slug)
    # The prefill reads the invited community's profile and municipality.
    found = get_object_or_404(
        Invitation.objects.select_related("community__municipality"), survey=survey, token=token
    )
    unavailable = _unavailable(request, survey)
    if unavailable is not None:
        return unavailable
    if found.used_at is not None:
        return _notice(request, survey, "answered")
    return _answer(request, survey, found)


@require_http_methods(["GET"])
def resume(request, slug: str, token: str):
    survey = _public_survey(slug)
    response = response_resume(survey=survey, token=token)
    if response is None:
        return _notice(request, survey, "resume_invalid", status=404)
    unavailable = _unavailable(request, survey)
    if unavailable is not None:
        return unavailable
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
    unavailable = _unavailable(request, survey)
    if unavailable is not None:
        return unavailable
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
