"""The staff pages as a municipality employee uses them, through the real views."""

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from kopiena.surveys.models import Choice, Invitation, Question, Response, Survey
from kopiena.surveys.questionnaire.xlsform import read_xlsform
from tests.factories import CommunityFactory, SurveyFactory, UserFactory, municipality

from .manage_helpers import T, add_question, add_response, community_survey

pytestmark = pytest.mark.django_db

REFERENCE_FORM = (
    Path(__file__).resolve().parents[2] / "kopiena/surveys/reference/kopienu-aptauja.xlsx"
)


@pytest.fixture
def staff(client):
    user = UserFactory(staff_of=[municipality()])
    client.force_login(user)
    return user


def url(name, *args):
    return reverse(f"surveys:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


# --- The list, creating and uploading -----------------------------------------------


def test_list_shows_counts_in_a_fixed_number_of_queries(
    client, staff, django_assert_max_num_queries
):
    def make(count):
        for _ in range(count):
            survey = community_survey()
            add_response(survey, {"members": "1"})
            add_response(survey, {"members": "2"})

    make(2)
    with django_assert_max_num_queries(8) as few:
        client.get(url("manage_list"))
    make(8)
    with django_assert_max_num_queries(len(few)):
        page = client.get(url("manage_list"))
    assert page.context["surveys"].count() == 10
    assert all(s.response_count == 2 and s.question_count == 4 for s in page.context["surveys"])


def test_staff_of_one_municipality_create_a_survey_without_choosing_it(client, staff):
    page = client.get(url("manage_new"))
    assert 'type="hidden" name="municipality"' in text(page)
    response = client.post(
        url("manage_new"),
        {"title_lv": "Iedzīvotāju aptauja", "title_en": "", "municipality": municipality().pk},
    )
    survey = Survey.objects.get(slug="iedzivotaju-aptauja")
    assert response["Location"] == url("manage_questions", survey.slug)
    assert survey.municipality == municipality() and survey.created_by == staff
    assert survey.title == {"lv": "Iedzīvotāju aptauja"}


def test_staff_of_several_municipalities_choose_one_of_theirs(client):
    client.force_login(UserFactory(staff_of=[municipality(), municipality("riga")]))
    page = client.get(url("manage_new"))
    assert "<select" in text(page) and "Rīga" in text(page) and "Jūrmala" not in text(page)
    refused = client.post(
        url("manage_new"), {"title_lv": "Aptauja", "municipality": municipality("jurmala").pk}
    )
    assert refused.status_code == 200 and "municipality" in refused.context["form"].errors
    client.post(url("manage_new"), {"title_lv": "Aptauja", "municipality": municipality("riga").pk})
    assert Survey.objects.get().municipality == municipality("riga")


def test_upload_the_reference_form_and_download_it_back(client, staff):
    with REFERENCE_FORM.open("rb") as upload:
        response = client.post(
            url("manage_upload"), {"file": upload, "municipality": municipality().pk, "slug": ""}
        )
    survey = Survey.objects.get()
    assert response["Location"] == url("manage_detail", survey.slug)
    assert survey.municipality == municipality() and survey.status == Survey.Status.DRAFT
    assert survey.questions.filter(name="municipality_influence").exists()

    download = client.get(url("manage_xlsform", survey.slug))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    again = read_xlsform(download.content, "again.xlsx")
    assert [q.name for q in again.questions] == list(
        survey.questions.order_by("position").values_list("name", flat=True)
    )


def upload(client, content: bytes, name: str = "forma.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        url("manage_upload"),
        {"file": SimpleUploadedFile(name, content), "municipality": municipality().pk},
    )


def test_upload_refuses_a_file_that_is_not_a_spreadsheet(client, staff):
    page = upload(client, b"<html><script>alert(1)</script></html>", "forma.xlsx")
    assert page.status_code == 200
    assert "Tas nav Excel fails" in text(page)
    assert 'aria-invalid="true"' in text(page)
    assert not Survey.objects.exists()


def test_upload_refuses_the_slug_of_the_staff_pages(client, staff):
    """A survey at /surveys/manage/ could never be answered: that is the staff's list."""
    with REFERENCE_FORM.open("rb") as form:
        page = client.post(
            url("manage_upload"),
            {"file": form, "municipality": municipality().pk, "slug": "manage"},
        )
    assert page.status_code == 200
    assert "„manage” ir rezervēts" in text(page)
    assert not Survey.objects.exists()
    assert client.get(url("manage_list")).status_code == 200


def test_upload_names_the_sheet_and_row_of_a_broken_form(client, staff):
    workbook = openpyxl.Workbook()
    survey_sheet = workbook.active
    survey_sheet.title = "survey"
    survey_sheet.append(["type", "name", "label"])
    survey_sheet.append(["text", "name_ok", "Vārds"])
    survey_sheet.append(["select_one missing_list", "broken", "Izvēle"])
    content = io.BytesIO()
    workbook.save(content)
    page = upload(client, content.getvalue())
    assert page.status_code == 200
    message = " ".join(page.context["form"].errors["file"])
    assert "survey" in message and "3" in message
    assert not Survey.objects.exists() and not Question.objects.exists()


def test_upload_refuses_an_oversized_body_before_reading_it(client, staff):
    response = client.generic(
        "POST",
        url("manage_upload"),
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "pārāk liels" in text(response)


# --- Settings and status --------------------------------------------------------------


def settings_data(**changes):
    data = {
        "title_lv": "Aptauja",
        "title_en": "Survey",
        "description_lv": "",
        "description_en": "",
        "access": "invitation",
        "anonymous": "",
        "paging": "single",
        "opens_at": "01.03.2026",
        "closes_at": "31.03.2026",
        "min_group_size": "3",
    }
    data.update(changes)
    return data


def test_settings_are_saved_with_latvian_dates(client, staff):
    survey = SurveyFactory()
    response = client.post(url("manage_settings", survey.slug), settings_data())
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.access == "invitation" and not survey.anonymous and survey.min_group_size == 3
    assert survey.paging == "single" and survey.title == {"lv": "Aptauja", "en": "Survey"}
    # Answers are taken through the whole last day, Riga time.
    assert survey.closes_at == dt.datetime(2026, 3, 31, 21, 0, tzinfo=dt.UTC)  # summer time
    page = client.get(url("manage_settings", survey.slug))
    assert 'value="31.03.2026"' in text(page) and 'value="01.03.2026"' in text(page)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"min_group_size": "0"}, "min_group_size"),
        ({"opens_at": "2026-13-45"}, "opens_at"),
        ({"opens_at": "31.03.2026", "closes_at": "01.03.2026"}, "closes_at"),
        ({"title_lv": ""}, "title_lv"),
    ],
)
def test_bad_settings_are_refused_next_to_the_field(client, staff, changes, field):
    survey = SurveyFactory()
    page = client.post(url("manage_settings", survey.slug), settings_data(**changes))
    assert page.status_code == 200
    assert field in page.context["form"].errors
    assert re.search(f'aria-describedby="[^"]*id_{field}_error', text(page))
    survey.refresh_from_db()
    assert survey.min_group_size == 5 and survey.closes_at is None


def test_publish_needs_a_question_and_says_so(client, staff):
    survey = SurveyFactory()
    response = client.post(url("manage_status", survey.slug), {"action": "publish"}, follow=True)
    assert "vismaz viens jautājums" in text(response)
    add_question(survey, "q")
    client.post(url("manage_status", survey.slug), {"action": "publish"})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.PUBLISHED
    client.post(url("manage_status", survey.slug), {"action": "close"})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED


# --- The questionnaire builder ---------------------------------------------------------


def question_data(**changes):
    data = {
        "kind": "text",
        "name": "q",
        "label_lv": "Jautājums",
        "label_en": "",
        "hint_lv": "",
        "hint_en": "",
        "group": "",
        "choice_list": "",
        "start": "1",
        "end": "5",
        "step": "1",
        "relevant": "",
        "constraint": "",
        "constraint_message_lv": "",
        "constraint_message_en": "",
        "appearance": "",
    }
    data.update(changes)
    return data


def test_build_a_select_question_with_choices(client, staff):
    survey = SurveyFactory()
    response = client.post(
        url("manage_question_add", survey.slug),
        question_data(
            kind="select_one", name="legal", label_lv="Statuss", has_other="on", required="on"
        ),
    )
    question = survey.questions.get(name="legal")
    assert response["Location"] == url("manage_question", survey.slug, question.pk)
    assert question.required and question.has_other and question.choice_list.name == "legal"
    for name, label in [("yes", "Jā"), ("no", "Nē")]:
        client.post(
            url("manage_choice_add", survey.slug, question.pk), {"name": name, "label_lv": label}
        )
    duplicate = client.post(
        url("manage_choice_add", survey.slug, question.pk), {"name": "yes", "label_lv": "Vēlreiz"}
    )
    assert duplicate.status_code == 400 and "jau ir" in text(duplicate)
    no = Choice.objects.get(name="no")
    client.post(url("manage_choice_move", survey.slug, no.pk), {"direction": "up"})
    page = client.get(url("manage_question", survey.slug, question.pk))
    assert text(page).index("Nē") < text(page).index("Jā")
    client.post(
        url("manage_choice", survey.slug, no.pk), {"name": "no", "label_lv": "Nē", "label_en": "No"}
    )
    assert Choice.objects.get(pk=no.pk).label == {"lv": "Nē", "en": "No"}


def test_multiline_text_and_range_questions(client, staff):
    survey = SurveyFactory()
    client.post(
        url("manage_question_add", survey.slug), question_data(kind="text_multiline", name="story")
    )
    client.post(
        url("manage_question_add", survey.slug),
        question_data(kind="range", name="rating", start="0", end="10", step="1"),
    )
    story, rating = survey.questions.order_by("position")
    assert (story.type, story.appearance) == (T.TEXT, "multiline")
    assert (rating.type, rating.parameters) == (T.RANGE, {"start": 0, "end": 10, "step": 1})
    page = client.get(url("manage_question", survey.slug, story.pk))
    assert page.context["form"].initial["kind"] == "text_multiline"


def test_question_errors_are_shown_and_nothing_is_saved(client, staff):
    survey = SurveyFactory()
    page = client.post(
        url("manage_question_add", survey.slug),
        question_data(name="jautājums 1", relevant="${nav} = 'x'"),
    )
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert "name" in errors and "relevant" in errors
    assert not survey.questions.exists()


def test_move_works_with_and_without_htmx(client, staff):
    survey = SurveyFactory()
    first, second = add_question(survey, "first"), add_question(survey, "second")
    client.post(url("manage_question_move", survey.slug, second.pk), {"direction": "up"})
    assert list(survey.questions.values_list("name", flat=True)) == ["second", "first"]
    response = client.post(
        url("manage_question_move", survey.slug, second.pk),
        {"direction": "down"},
        HTTP_HX_REQUEST="true",
        follow=True,
    )
    assert 'id="question-list"' in text(response)
    assert list(survey.questions.values_list("name", flat=True)) == ["first", "second"]
    assert client.get(url("manage_question_move", survey.slug, first.pk)).status_code == 405


def test_answered_question_cannot_be_renamed_and_is_archived(client, staff):
    survey = community_survey()
    add_response(survey, {"members": "7"})
    members = survey.questions.get(name="members")
    page = client.get(url("manage_question", survey.slug, members.pk))
    assert page.context["form"].fields["name"].disabled
    client.post(
        url("manage_question", survey.slug, members.pk),
        question_data(kind="decimal", name="count", label_lv="Cik?"),
    )
    members.refresh_from_db()
    assert (members.name, members.type, members.label["lv"]) == ("members", "integer", "Cik?")
    confirm = client.get(url("manage_question_archive", survey.slug, members.pk))
    assert "tiks arhivēts" in text(confirm)
    client.post(url("manage_question_archive", survey.slug, members.pk))
    members.refresh_from_db()
    assert members.is_archived and members.name == "members" and members.answers.count() == 1
    listing = client.get(url("manage_questions", survey.slug))
    assert "Arhivētie jautājumi" in text(listing)
    legal = survey.questions.get(name="legal")
    assert not next(q for q in listing.context["questions"] if q.pk == legal.pk).answered


def test_the_builder_marks_a_section_answered_when_a_question_inside_it_is(client, staff):
    survey = community_survey()
    add_response(survey, {"legal": "association"})

    listing = client.get(url("manage_questions", survey.slug))

    answered = {q.name: q.answered for q in listing.context["questions"]}
    assert answered == {
        "about": True,
        "legal": True,
        "help": False,
        "members": False,
        "comment": False,
    }
    assert text(listing).count("ir atbildes") == 2


def test_preview_draws_the_public_form_read_only(client, staff):
    survey = community_survey()
    page = text(client.get(url("manage_preview", survey.slug)))
    assert "Juridiskais statuss" in page and "Izvēle association" in page
    assert 'type="radio"' in page and 'type="checkbox"' in page
    assert "<fieldset disabled" in page
    assert "<form" not in page.split('id="main"')[1].split("</main>")[0]


# --- Invitations ---------------------------------------------------------------------


def test_invitation_links_for_communities_and_labels(client, staff):
    survey = SurveyFactory()
    mine = CommunityFactory(name="Kažoku ciems")
    CommunityFactory(name="Rīgas kopiena", municipality=municipality("riga"))
    page = client.get(url("manage_invitations", survey.slug))
    assert "Kažoku ciems" in text(page) and "Rīgas kopiena" not in text(page)
    client.post(
        url("manage_invitations", survey.slug), {"communities": [mine.pk], "labels": "Jaunolaine\n"}
    )
    invitations = Invitation.objects.filter(survey=survey)
    assert sorted(invitations.values_list("label", flat=True)) == ["Jaunolaine", "Kažoku ciems"]
    Invitation.objects.filter(label="Jaunolaine").update(
        used_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC)
    )
    page = text(client.get(url("manage_invitations", survey.slug)))
    for invitation in invitations:
        assert f"/surveys/{survey.slug}/i/{invitation.token}/" in page
    assert "jā, 05.03.2026" in page
    empty = client.post(url("manage_invitations", survey.slug), {"labels": ""})
    assert empty.status_code == 200 and "Izvēlieties kopienas" in text(empty)


# --- Responses -----------------------------------------------------------------------


def test_response_filters(client, staff):
    survey = community_survey()
    liepa = CommunityFactory(name="Liepa")
    add_response(
        survey,
        {"legal": "association"},
        community=liepa,
        submitted_at=dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC),
    )
    add_response(
        survey, {"legal": "informal"}, submitted_at=dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)
    )
    add_response(survey, {"legal": "informal"}, status=Response.Status.DRAFT)
    association = Choice.objects.get(choice_list__survey=survey, name="association")

    def found(**query):
        return (
            client.get(url("manage_responses", survey.slug), query).context["page"].paginator.count
        )

    assert found() == 2
    assert found(status="all") == 3
    assert found(status="draft") == 1
    assert found(submitted_from="05.03.2026") == 1
    assert found(submitted_to="01.03.2026") == 1
    assert found(community=liepa.pk) == 1
    assert found(answer=association.pk) == 1


def test_response_list_pages_in_a_fixed_number_of_queries(
    client, staff, django_assert_max_num_queries
):
    survey = community_survey()
    community = CommunityFactory()
    for _ in range(3):
        add_response(survey, {"members": "1"}, community=community)
    with django_assert_max_num_queries(20) as few:
        client.get(url("manage_responses", survey.slug))
    for _ in range(60):
        add_response(survey, {"members": "1"}, community=community)
    with django_assert_max_num_queries(len(few)):
        page = client.get(url("manage_responses", survey.slug), {"page": "2"})
    assert page.context["page"].number == 2 and len(page.context["page"].object_list) == 13


def test_single_response_shows_answers_and_other_text(client, staff):
    survey = community_survey()
    response = add_response(
        survey, {"legal": "Nodibinājums", "help": "grants", "comment": "Paldies"}
    )
    page = text(client.get(url("manage_response", survey.slug, response.pk)))
    assert "Cits: Nodibinājums" in page and "Izvēle grants" in page and "Paldies" in page
    assert "nav atbildēts" in page
    assert client.get(url("manage_response", survey.slug, 999999)).status_code == 404


def test_delete_asks_first_and_deletes_only_on_post(client, staff):
    survey = community_survey()
    response = add_response(survey, {"members": "1"})
    confirm = client.get(url("manage_response_delete", survey.slug, response.pk))
    assert confirm.status_code == 200 and "Jā, dzēst" in text(confirm)
    assert Response.objects.filter(pk=response.pk).exists()
    client.post(url("manage_response_delete", survey.slug, response.pk))
    assert not Response.objects.filter(pk=response.pk).exists()


def test_response_of_another_survey_is_not_found_through_this_one(client, staff):
    survey, other = community_survey(), community_survey()
    response = add_response(other, {"members": "1"})
    assert client.get(url("manage_response", survey.slug, response.pk)).status_code == 404
    assert client.post(url("manage_response_delete", survey.slug, response.pk)).status_code == 404
    assert Response.objects.filter(pk=response.pk).exists()


def test_question_list_in_a_fixed_number_of_queries(client, staff, django_assert_max_num_queries):
    survey = community_survey()
    with django_assert_max_num_queries(12) as few:
        client.get(url("manage_questions", survey.slug))
    for number in range(10):
        add_question(survey, f"extra_{number}")
    with django_assert_max_num_queries(len(few)):
        client.get(url("manage_questions", survey.slug))
