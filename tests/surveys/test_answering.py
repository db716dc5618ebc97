"""Answering a survey through the public web form, as a respondent would, without JavaScript."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kopiena.reports.engine import build_report
from kopiena.surveys.models import Answer, Invitation, Response, Survey
from tests.factories import CommunityFactory, SurveyFactory, UserFactory
from tests.surveys.answer_forms import sections_survey, single_page_survey

pytestmark = pytest.mark.django_db

PAGE_1 = {"community_name": "Kaldabruņa", "municipality": "kekavas_nov", "members": "5"}
PAGE_2 = {
    "support_received": ["projektu_konkurss", "telpas"],
    "influence": "3",
    "founded": "31.12.2019",
    "budget_share": "2,5",
    "instruments": ["prakses", "info"],
}


def url(survey, *parts):
    return f"/surveys/{survey.slug}/" + "".join(f"{part}/" for part in parts)


def post(client, address, data, *, page=1, action="next", key="k1", follow=False):
    return client.post(address, {**data, "page": page, "action": action, "key": key}, follow=follow)


def text(response) -> str:
    return response.content.decode()


def answers_of(response: Response) -> dict[str, list]:
    found: dict[str, list] = {}
    for answer in Answer.objects.filter(response=response).select_related("question", "choice"):
        value = (
            answer.choice.name
            if answer.choice
            else (answer.number if answer.number is not None else answer.date or answer.text)
        )
        found.setdefault(answer.question.name, []).append(value)
    return found


def fill_sections(client, survey, page_1=PAGE_1, page_2=PAGE_2):
    address = url(survey)
    first = post(client, address, page_1, page=1)
    assert first.status_code == 302, text(first)
    assert first["Location"].endswith("?page=2")
    return post(client, address, page_2, page=2, action="submit")


# --- pages, progress, required, constraints -------------------------------------------


def test_first_page_shows_progress_required_marks_and_one_section(client):
    survey = sections_survey()
    page = text(client.get(url(survey)))
    assert "Lapa 1 no 3" in page
    assert '<progress max="3" value="1"' in page
    assert 'Kopienas nosaukums <span class="required-mark">(obligāts)</span>' in page
    assert "Par kopienu" in page and "Kāds atbalsts saņemts?" not in page
    assert '<select id="q-municipality"' in page  # appearance minimal


def test_english_labels_through_the_language_prefix(client):
    survey = sections_survey()
    page = text(client.get(f"/en{url(survey)}"))
    assert "Kopienas nosaukums (en)" in page


def test_required_question_left_empty_is_named_in_the_summary_and_next_to_the_field(client):
    survey = sections_survey()
    response = post(client, url(survey), {**PAGE_1, "community_name": "  "})
    page = text(response)
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert '<a href="#q-community_name">Kopienas nosaukums: Šis jautājums ir obligāts.</a>' in page
    assert 'id="q-community_name-error"' in page
    assert 'aria-describedby="q-community_name-error"' in page
    assert 'aria-invalid="true"' in page
    assert "Lapa 1 no 3" in page
    # What was typed is still there.
    assert 'value="5"' in page


def test_constraint_message_is_shown(client):
    survey = sections_survey()
    page = text(post(client, url(survey), {**PAGE_1, "members": "0"}))
    assert "Vismaz vienam dalībniekam jābūt." in page


def test_a_word_in_a_number_field_is_refused(client):
    survey = sections_survey()
    page = text(post(client, url(survey), {**PAGE_1, "members": "daudz"}))
    assert "Ievadiet skaitli." in page


def test_more_than_three_instruments_break_the_constraint(client):
    survey = sections_survey()
    response = fill_sections(
        client, survey, page_2={**PAGE_2, "instruments": ["prakses", "info", "platforma", "padome"]}
    )
    assert response.status_code == 200
    assert "Izvēlieties ne vairāk kā 3." in text(response)
    assert not Response.objects.filter(status=Response.Status.COMPLETE).exists()


def test_a_choice_that_is_not_offered_is_refused(client):
    survey = sections_survey()
    page = text(post(client, url(survey), {**PAGE_1, "municipality": "atlantida"}))
    assert "Izvēlieties kādu no piedāvātajām atbildēm." in page


# --- a complete path --------------------------------------------------------------------


def test_complete_path_stores_every_answer_and_thanks(client):
    survey = sections_survey()
    response = fill_sections(client, survey)
    assert response.status_code == 302
    assert response["Location"] == url(survey, "thanks")
    assert "Paldies! Jūsu atbildes ir saņemtas." in text(client.get(response["Location"]))
    stored = Response.objects.get()
    assert stored.status == Response.Status.COMPLETE and stored.submitted_at
    assert stored.user is None and stored.invitation is None and stored.community is None
    assert answers_of(stored) == {
        "community_name": ["Kaldabruņa"],
        "municipality": ["kekavas_nov"],
        "members": [Decimal(5)],
        "support_received": ["projektu_konkurss", "telpas"],
        "influence": ["3"],
        "founded": [dt.date(2019, 12, 31)],
        "budget_share": [Decimal("2.5")],
        "instruments": ["prakses", "info"],
    }
    assert Answer.objects.get(question__name="influence").number == 3


def test_a_submitted_response_is_counted_from_its_stored_bitset(client):
    survey = sections_survey(min_group_size=1)
    fill_sections(client, survey)
    stored = Response.objects.get()
    assert stored.answer_bits  # stored at submit, not computed when the report reads it

    report = build_report(survey)
    support = report.question("support_received").everyone
    assert support.answered == 1
    assert {option.name: option.count for option in support.options if option.count} == {
        "projektu_konkurss": 1,
        "telpas": 1,
    }
    assert report.question("members").everyone.answered == 1


def test_back_returns_to_the_previous_page_with_the_answers_kept(client):
    survey = sections_survey()
    post(client, url(survey), PAGE_1, page=1)
    back = post(client, url(survey), {"influence": "4"}, page=2, action="back")
    assert back["Location"].endswith("?page=1")
    page = text(client.get(back["Location"]))
    assert 'value="Kaldabruņa"' in page
    page_2 = text(client.get(url(survey) + "?page=2"))
    assert 'value="4" checked' in page_2


def test_section_for_big_communities_appears_only_when_relevant(client):
    survey = sections_survey()
    first = post(client, url(survey), {**PAGE_1, "members": "25"}, page=1)
    assert first["Location"].endswith("?page=2")
    second = post(client, url(survey), PAGE_2, page=2, action="next")
    assert second["Location"].endswith("?page=3")
    page = text(client.get(second["Location"]))
    assert "Lapa 3 no 3" in page and "Šī sadaļa ir lielām kopienām." in page
    # or_other: a typed answer outside the list.
    done = post(
        client,
        url(survey),
        {"involvement": "other", "involvement__other": "Kopīga darba grupa", "comments": "Labi"},
        page=3,
        action="submit",
    )
    assert done.status_code == 302
    other = Answer.objects.get(question__name="involvement")
    assert other.is_other and other.text == "Kopīga darba grupa" and other.choice is None


def test_other_ticked_without_text_asks_for_the_text(client):
    survey = sections_survey()
    post(client, url(survey), {**PAGE_1, "members": "25"}, page=1)
    post(client, url(survey), PAGE_2, page=2)
    page = text(post(client, url(survey), {"involvement": "other"}, page=3, action="submit"))
    assert "Ierakstiet savu atbildi laukā “Cits”." in page


def test_server_discards_answers_to_questions_that_are_not_relevant(client):
    survey = sections_survey()
    response = fill_sections(
        client, survey, page_2={**PAGE_2, "support_received_other": "Skaņas aparatūra"}
    )
    assert response.status_code == 302
    assert "support_received_other" not in answers_of(Response.objects.get())


def test_relevant_other_answer_is_kept(client):
    survey = sections_survey()
    fill_sections(
        client,
        survey,
        page_2={
            **PAGE_2,
            "support_received": ["other"],
            "support_received_other": "Skaņas aparatūra",
        },
    )
    assert answers_of(Response.objects.get())["support_received_other"] == ["Skaņas aparatūra"]


def test_answers_on_a_section_that_became_irrelevant_are_discarded_at_submit(client):
    survey = sections_survey()
    post(client, url(survey), {**PAGE_1, "members": "25"}, page=1)
    post(client, url(survey), PAGE_2, page=2)
    post(client, url(survey), {"comments": "Par lielām kopienām"}, page=3, action="back")
    post(client, url(survey), PAGE_2, page=2, action="back")
    post(client, url(survey), {**PAGE_1, "members": "4"}, page=1)
    done = post(client, url(survey), PAGE_2, page=2, action="submit")
    assert done.status_code == 302
    assert "comments" not in answers_of(Response.objects.get())


def test_question_depending_on_an_earlier_page_is_hidden_without_javascript(client):
    survey = sections_survey()
    post(client, url(survey), {**PAGE_1, "members": "4"}, page=1)
    # Page 3 is for big communities only: going "next" from page 2 submits.
    done = post(client, url(survey), PAGE_2, page=2, action="next")
    assert done["Location"] == url(survey, "thanks")


# --- single page and double submits ------------------------------------------------------


def test_single_page_form_submits_once_even_when_posted_twice(client):
    survey = single_page_survey()
    page = text(client.get(url(survey)))
    assert "Lapa 1 no" not in page and "Iesniegt atbildes" in page
    data = {**PAGE_1, **PAGE_2}
    first = post(client, url(survey), data, action="submit", key="same-key")
    second = post(client, url(survey), data, action="submit", key="same-key")
    assert first.status_code == second.status_code == 302
    assert second["Location"] == url(survey, "thanks")
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(question__name="community_name").count() == 1


def test_a_submitted_draft_is_not_submitted_again(client):
    survey = sections_survey()
    post(client, url(survey), PAGE_1, page=1)
    draft = Response.objects.get()
    from kopiena.surveys.selectors import survey_answer_rules
    from kopiena.surveys.services.responses import response_submit

    rules = survey_answer_rules(survey)
    args = {"survey": survey, "rules": rules, "page": rules.pages[1], "values": {}}
    assert response_submit(response=draft, **args).ok
    again = response_submit(response=draft, **args)
    assert again.already_submitted
    assert Response.objects.filter(status=Response.Status.COMPLETE).count() == 1


# --- availability ----------------------------------------------------------------------------


def test_draft_survey_is_not_found(client):
    survey = SurveyFactory(status=Survey.Status.DRAFT)
    assert client.get(url(survey)).status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": Survey.Status.CLOSED}, "Aptauja ir slēgta"),
        ({"closes_at": timezone.now() - dt.timedelta(minutes=1)}, "Aptauja ir slēgta"),
        ({"opens_at": timezone.now() + dt.timedelta(days=2)}, "Aptauja vēl nav atvērta"),
    ],
)
def test_survey_outside_its_dates_refuses_answers(client, fields, message):
    survey = sections_survey(**fields)
    assert message in text(client.get(url(survey)))
    refused = post(client, url(survey), {**PAGE_1, **PAGE_2}, action="submit")
    assert message in text(refused)
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Survey.Status.CLOSED},
        {"status": Survey.Status.DRAFT},
        {"closes_at": timezone.now() - dt.timedelta(minutes=1)},
        {"opens_at": timezone.now() + dt.timedelta(days=2)},
        {"access": Survey.Access.INVITATION},
    ],
)
def test_the_service_itself_refuses_answers_the_survey_does_not_take(fields):
    """Whichever interface calls it (a page, a command, an API), no draft is started and
    nothing is submitted while the survey takes no answers."""
    from kopiena.core.permissions import Refused
    from kopiena.surveys.selectors import survey_answer_rules
    from kopiena.surveys.services.responses import response_start, response_submit

    survey = single_page_survey(**fields)
    rules = survey_answer_rules(survey)
    values, _errors = rules.posted_values(rules.pages[0], _query({**PAGE_1, **PAGE_2}))
    with pytest.raises(Refused):
        response_submit(survey=survey, rules=rules, page=rules.pages[0], values=values)
    with pytest.raises(Refused):
        response_start(survey=survey)
    assert not Response.objects.exists()


def test_a_closed_surveys_invitation_answers_nothing():
    from kopiena.core.permissions import Refused
    from kopiena.surveys.selectors import survey_answer_rules
    from kopiena.surveys.services.responses import response_submit

    survey = single_page_survey(access=Survey.Access.INVITATION, status=Survey.Status.CLOSED)
    invitation = invitation_for(survey)
    rules = survey_answer_rules(survey)
    values, _errors = rules.posted_values(rules.pages[0], _query({**PAGE_1, **PAGE_2}))
    with pytest.raises(Refused):
        response_submit(
            survey=survey, rules=rules, page=rules.pages[0], values=values, invitation=invitation
        )
    invitation.refresh_from_db()
    assert invitation.used_at is None and not Response.objects.exists()


def test_a_deadline_passing_while_the_answers_are_sent_shows_the_closed_notice(client, monkeypatch):
    """The page found the survey open; by the time the answers were stored it had closed:
    the service refuses them and the respondent reads that the survey is closed."""
    from types import SimpleNamespace

    from kopiena.surveys import rules

    deadline = timezone.now() + dt.timedelta(minutes=1)
    survey = single_page_survey(closes_at=deadline)
    moments = iter([deadline - dt.timedelta(seconds=1)])
    monkeypatch.setattr(rules, "timezone", SimpleNamespace(now=lambda: next(moments, deadline)))

    refused = post(client, url(survey), {**PAGE_1, **PAGE_2}, action="submit")

    assert "Aptauja ir slēgta" in text(refused)
    assert not Response.objects.exists()


# --- invitations ------------------------------------------------------------------------------


def invitation_for(survey, **fields):
    return Invitation.objects.create(
        survey=survey, community=CommunityFactory(), token=f"tok-{survey.pk}-x", **fields
    )


def test_invitation_survey_cannot_be_answered_by_the_open_link(client):
    survey = sections_survey(access=Survey.Access.INVITATION)
    response = client.get(url(survey))
    assert response.status_code == 403
    assert "Atbildēt var tikai ar ielūguma saiti" in text(response)


def test_invitation_answers_once_and_links_the_community_when_not_anonymous(client):
    survey = sections_survey(access=Survey.Access.INVITATION, anonymous=False)
    invitation = invitation_for(survey)
    address = url(survey, "i", invitation.token)
    assert post(client, address, PAGE_1, page=1)["Location"] == f"{address}?page=2"
    done = post(client, address, PAGE_2, page=2, action="submit")
    assert done["Location"] == url(survey, "thanks")
    stored = Response.objects.get()
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert stored.invitation == invitation and stored.community == invitation.community
    # The link again, even from another browser: already answered, nothing stored.
    from django.test import Client

    other = Client()
    assert "Uz šo ielūgumu jau ir atbildēts" in text(other.get(address))
    post(other, address, {**PAGE_1, **PAGE_2}, page=2, action="submit", key="other")
    assert Response.objects.count() == 1


def test_only_the_open_links_empty_page_is_kept_for_reuse(client):
    """Each worker keeps the open link's empty page; thousands of invitation links must
    not each leave a copy of the page in memory."""
    from kopiena.surveys.selectors import survey_answer_rules

    survey = sections_survey(access=Survey.Access.OPEN)
    # Invitations by name only: nothing to prefill, so their first page is empty too.
    invitations = [
        Invitation.objects.create(survey=survey, label=f"Kopiena {n}", token=f"tok-{n}")
        for n in range(3)
    ]
    addresses = [url(survey, "i", invitation.token) for invitation in invitations] + [url(survey)]
    for address in addresses:
        assert 'name="key"' in text(client.get(address))

    kept = [path for _language, path in survey_answer_rules(survey).rendered]
    assert kept == [url(survey)]


def test_anonymous_invitation_marks_the_invitation_but_keeps_no_link_to_it(client):
    survey = sections_survey(access=Survey.Access.INVITATION, anonymous=True)
    invitation = invitation_for(survey)
    address = url(survey, "i", invitation.token)
    post(client, address, PAGE_1, page=1)
    draft = Response.objects.get()
    assert draft.invitation == invitation  # only while it is a draft, to resume it
    post(client, address, PAGE_2, page=2, action="submit")
    stored = Response.objects.get()
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert stored.status == Response.Status.COMPLETE
    assert stored.invitation is None and stored.community is None and stored.user is None


def test_non_anonymous_survey_records_the_logged_in_user():
    from kopiena.surveys.selectors import survey_answer_rules
    from kopiena.surveys.services.responses import response_submit

    survey = single_page_survey(anonymous=False)
    user = UserFactory()
    rules = survey_answer_rules(survey)
    values, errors = rules.posted_values(rules.pages[0], _query({**PAGE_1, **PAGE_2}))
    assert not errors
    result = response_submit(
        survey=survey, rules=rules, page=rules.pages[0], values=values, user=user
    )
    assert result.ok and result.response.user == user


def test_anonymous_survey_never_records_the_user():
    from kopiena.surveys.selectors import survey_answer_rules
    from kopiena.surveys.services.responses import response_submit

    survey = single_page_survey(anonymous=True)
    rules = survey_answer_rules(survey)
    values, _errors = rules.posted_values(rules.pages[0], _query({**PAGE_1, **PAGE_2}))
    result = response_submit(
        survey=survey, rules=rules, page=rules.pages[0], values=values, user=UserFactory()
    )
    assert result.ok and result.response.user is None


def _query(data):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


# --- save and resume ----------------------------------------------------------------------------


def save_for_later(client, survey, data=PAGE_1):
    page = text(post(client, url(survey), data, page=1, action="save"))
    assert "Atbildes saglabātas" in page
    start = page.index(f"http://testserver{url(survey, 'resume')}")
    return page[start : page.index('"', start)].removeprefix("http://testserver")


def test_save_and_resume_in_another_browser(client):
    from django.test import Client

    survey = sections_survey()
    link = save_for_later(client, survey)
    stored = Response.objects.get()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43 and token not in stored.resume_token_hash
    assert stored.resume_expires_at > timezone.now() + dt.timedelta(days=29)

    elsewhere = Client()
    opened = elsewhere.get(link)
    assert opened["Location"] == url(survey)
    page = text(elsewhere.get(url(survey)))
    assert 'value="Kaldabruņa"' in page and 'value="5"' in page


def test_same_browser_continues_without_the_link(client):
    survey = sections_survey()
    post(client, url(survey), PAGE_1, page=1)
    assert 'value="Kaldabruņa"' in text(client.get(url(survey)))


def test_expired_resume_link_is_refused(client):
    survey = sections_survey()
    link = save_for_later(client, survey)
    Response.objects.update(resume_expires_at=timezone.now() - dt.timedelta(seconds=1))
    from django.test import Client

    refused = Client().get(link)
    assert refused.status_code == 404
    assert "Saite vairs nav derīga" in text(refused)


def test_resume_link_stops_working_after_submit(client):
    survey = sections_survey()
    link = save_for_later(client, survey)
    post(client, url(survey), PAGE_1, page=1)
    assert post(client, url(survey), PAGE_2, page=2, action="submit").status_code == 302
    from django.test import Client

    assert Client().get(link).status_code == 404
    assert Response.objects.get().resume_token_hash == ""


def test_made_up_resume_link_is_refused(client):
    survey = sections_survey()
    assert client.get(url(survey, "resume", "x" * 43)).status_code == 404


# --- the empty page served to many respondents at once ---------------------------------------


def test_each_visitor_gets_a_working_csrf_token_and_own_submission_key():
    import re

    from django.test import Client

    survey = single_page_survey()
    keys = set()
    for community in ("Liepa", "Jāņupe"):
        visitor = Client(enforce_csrf_checks=True)
        page = text(visitor.get(url(survey)))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        key = re.search(r'name="key" value="([^"]+)"', page).group(1)
        keys.add(key)
        done = visitor.post(
            url(survey),
            {
                **PAGE_1,
                **PAGE_2,
                "community_name": community,
                "csrfmiddlewaretoken": token,
                "key": key,
                "page": 1,
                "action": "submit",
            },
        )
        assert done.status_code == 302
    assert len(keys) == 2
    assert Response.objects.filter(status=Response.Status.COMPLETE).count() == 2


def test_post_without_csrf_token_is_refused():
    from django.test import Client

    survey = single_page_survey()
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(url(survey))
    refused = visitor.post(url(survey), {**PAGE_1, **PAGE_2, "action": "submit"})
    assert refused.status_code == 403
    assert not Response.objects.exists()


# --- how each question type is drawn --------------------------------------------------------


def test_question_types_are_drawn_with_fitting_inputs(client):
    from tests.surveys.answer_forms import FormBuilder, T

    survey = single_page_survey()
    builder = FormBuilder(survey)
    builder.position = 100  # after the questions already there
    builder.add(
        "satisfaction", T.RANGE, "Apmierinātība", parameters={"start": 1, "end": 5, "step": 1}
    )
    page = text(client.get(url(survey)))
    assert 'type="date" id="q-founded"' in page
    assert 'inputmode="decimal"' in page and 'inputmode="numeric"' in page
    assert '<textarea id="q-comments"' in page
    assert 'class="field question scale' in page  # integer choices (0–5) and the range
    assert page.count('name="satisfaction"') == 5
    assert 'type="checkbox" id="q-instruments-0"' in page
    assert 'name="involvement__other"' in page  # or_other
    assert 'data-relevant="(selected(${support_received}, &#x27;other&#x27;))"' in page
    refused = text(
        post(client, url(survey), {**PAGE_1, **PAGE_2, "satisfaction": "7"}, action="submit")
    )
    assert "Izvēlieties vērtību no 1 līdz 5." in refused


def test_resume_link_can_be_emailed_without_storing_the_address(client, mailoutbox):
    survey = sections_survey()
    link = save_for_later(client, survey)
    sent = text(client.post(link + "email/", {"email": "vaditaja@example.lv"}))
    assert "Saite nosūtīta uz vaditaja@example.lv." in sent
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["vaditaja@example.lv"]
    assert f"http://testserver{link}" in mailoutbox[0].body
    stored = Response.objects.get()
    assert "vaditaja" not in str(Response.objects.filter(pk=stored.pk).values().get())


def test_resume_email_refuses_a_bad_address_and_a_flood(client, mailoutbox):
    survey = sections_survey()
    link = save_for_later(client, survey)
    bad = text(client.post(link + "email/", {"email": "nav-adrese"}))
    assert 'aria-invalid="true"' in bad and 'id="resume-email-error"' in bad
    for _ in range(4):
        last = text(client.post(link + "email/", {"email": "a@example.lv"}))
    assert len(mailoutbox) == 3
    assert "Saite jau ir nosūtīta vairākas reizes." in last


def test_resume_email_with_an_invalid_link_is_refused(client, mailoutbox):
    survey = sections_survey()
    refused = client.post(url(survey, "resume", "x" * 43, "email"), {"email": "a@example.lv"})
    assert refused.status_code == 404 and not mailoutbox


def test_resume_link_of_a_closed_survey_is_not_emailed(client, mailoutbox):
    survey = sections_survey()
    link = save_for_later(client, survey)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    closed = client.post(link + "email/", {"email": "vaditaja@example.lv"})
    assert not mailoutbox
    assert "Saite nosūtīta" not in text(closed)
