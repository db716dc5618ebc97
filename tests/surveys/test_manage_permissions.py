"""Only staff of the survey's municipality (and platform admins) reach the staff pages."""

import pytest
from django.urls import reverse
from django.utils import translation

from kopiena.surveys.models import Answer, Choice, Question, Response, Survey
from tests.factories import AdminFactory, MembershipFactory, UserFactory, municipality

from .manage_helpers import add_response, community_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    return community_survey()


@pytest.fixture
def objects(survey):
    response = add_response(survey, {"legal": "association", "members": "4"})
    return {
        "slug": survey.slug,
        "question": survey.questions.get(name="legal").pk,
        "choice": Choice.objects.get(choice_list__survey=survey, name="association").pk,
        "response": response.pk,
    }


def survey_urls(o):
    s = o["slug"]
    return [
        ("manage_detail", [s]),
        ("manage_settings", [s]),
        ("manage_xlsform", [s]),
        ("manage_questions", [s]),
        ("manage_question_add", [s]),
        ("manage_question", [s, o["question"]]),
        ("manage_question_archive", [s, o["question"]]),
        ("manage_choice", [s, o["choice"]]),
        ("manage_preview", [s]),
        ("manage_invitations", [s]),
        ("manage_responses", [s]),
        ("manage_response", [s, o["response"]]),
        ("manage_response_delete", [s, o["response"]]),
        ("manage_export", [s, "csv"]),
        ("manage_export", [s, "xlsx"]),
        ("manage_export_building", [s]),
    ]


def post_urls(o):
    s = o["slug"]
    return [
        ("manage_status", [s], {"action": "publish"}),
        ("manage_settings", [s], {"title_lv": "Nozagta"}),
        ("manage_question_move", [s, o["question"]], {"direction": "down"}),
        ("manage_question_archive", [s, o["question"]], {}),
        ("manage_question_restore", [s, o["question"]], {}),
        ("manage_choice_add", [s, o["question"]], {"name": "x", "label_lv": "X"}),
        ("manage_choice", [s, o["choice"]], {"name": "renamed", "label_lv": "X"}),
        ("manage_choice_move", [s, o["choice"]], {"direction": "down"}),
        ("manage_choice_archive", [s, o["choice"]], {}),
        ("manage_invitations", [s], {"labels": "Sveši"}),
        ("manage_response_delete", [s, o["response"]], {}),
    ]


def outsiders():
    coordinator = MembershipFactory().user  # of a community in the survey's municipality
    return {
        "resident": UserFactory(),
        "coordinator": coordinator,
        "staff of another municipality": UserFactory(staff_of=[municipality("riga")]),
    }


def snapshot(survey):
    return (
        Survey.objects.filter(pk=survey.pk).values_list("status", "title").get(),
        list(Question.objects.filter(survey=survey).values_list("name", "position", "is_archived")),
        list(Choice.objects.filter(choice_list__survey=survey).values_list("name", "position")),
        Response.objects.filter(survey=survey).count(),
        Answer.objects.count(),
        survey.invitations.count(),
    )


def test_anonymous_is_sent_to_log_in_everywhere(client, objects):
    for name, args in [
        ("manage_list", []),
        ("manage_new", []),
        ("manage_upload", []),
    ] + survey_urls(objects):
        response = client.get(reverse(f"surveys:{name}", args=args))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/"), name


@pytest.mark.parametrize("who", ["resident", "coordinator", "staff of another municipality"])
def test_outsiders_cannot_see_any_page_of_the_survey(client, objects, who):
    client.force_login(outsiders()[who])
    for name, args in survey_urls(objects):
        assert client.get(reverse(f"surveys:{name}", args=args)).status_code == 404, name


@pytest.mark.parametrize("who", ["resident", "coordinator"])
def test_people_who_are_not_staff_cannot_list_or_create_surveys(client, who):
    client.force_login(outsiders()[who])
    for name in ("manage_list", "manage_new", "manage_upload"):
        assert client.get(reverse(f"surveys:{name}")).status_code == 403, name
    data = {"title_lv": "Sveša", "municipality": municipality().pk}
    for name in ("manage_new", "manage_upload"):
        assert client.post(reverse(f"surveys:{name}"), data).status_code == 403, name
    assert not Survey.objects.exists()


@pytest.mark.parametrize(
    "who", ["anonymous", "resident", "coordinator", "staff of another municipality"]
)
def test_outsiders_change_nothing(client, survey, objects, who):
    if who != "anonymous":
        client.force_login(outsiders()[who])
    before = snapshot(survey)
    for name, args, data in post_urls(objects):
        status = client.post(reverse(f"surveys:{name}", args=args), data).status_code
        assert status in (302, 404) if who == "anonymous" else status == 404, name
    assert snapshot(survey) == before


def test_other_municipalitys_staff_do_not_see_the_survey_in_their_list(client, survey):
    client.force_login(UserFactory(staff_of=[municipality("riga")]))
    page = client.get(reverse("surveys:manage_list"))
    assert page.status_code == 200
    assert survey.title_text not in page.content.decode()


@pytest.mark.parametrize("role, language", [("staff", "lv"), ("admin", "lv"), ("staff", "en")])
def test_staff_of_the_municipality_and_admins_see_every_page(client, objects, role, language):
    user = UserFactory(staff_of=[municipality()]) if role == "staff" else AdminFactory()
    client.force_login(user)
    with translation.override(language):
        for name, args in [
            ("manage_list", []),
            ("manage_new", []),
            ("manage_upload", []),
        ] + survey_urls(objects):
            address = reverse(f"surveys:{name}", args=args)
            assert address.startswith("/en/") == (language == "en")
            assert client.get(address).status_code == 200, name


def test_survey_without_municipality_is_for_admins_only(client):
    survey = community_survey(municipality=None)
    client.force_login(UserFactory(staff_of=[municipality()]))
    assert client.get(reverse("surveys:manage_detail", args=[survey.slug])).status_code == 404
    client.force_login(AdminFactory())
    assert client.get(reverse("surveys:manage_detail", args=[survey.slug])).status_code == 200
