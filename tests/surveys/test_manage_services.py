"""Building a questionnaire in the web UI's services; answered items are never broken."""

import pytest
from django.core.exceptions import ValidationError

from kopiena.surveys.models import Answer, Choice, Invitation, Question, Response, Survey
from kopiena.surveys.services.invitations import invitation_create_for_communities
from kopiena.surveys.services.questions import (
    QuestionData,
    choice_add,
    choice_archive,
    choice_move,
    choice_restore,
    choice_update,
    question_archive,
    question_move,
    question_restore,
    question_update,
)
from kopiena.surveys.services.responses import response_delete
from kopiena.surveys.services.surveys import survey_close, survey_create, survey_publish
from tests.factories import CommunityFactory, SurveyFactory, UserFactory, municipality

from .manage_helpers import T, add_choices, add_question, add_response, community_survey

pytestmark = pytest.mark.django_db


def names(survey):
    return list(survey.questions.order_by("position").values_list("name", flat=True))


def data_of(question, **changes) -> QuestionData:
    fields = {
        "type": question.type,
        "name": question.name,
        "label": question.label,
        "hint": question.hint,
        "required": question.required,
        "group": question.group,
        "choice_list": question.choice_list,
        "has_other": question.has_other,
        "parameters": question.parameters,
    }
    fields.update(changes)
    return QuestionData(**fields)


def test_create_survey_gets_unique_slug_and_both_languages():
    staff = UserFactory(staff_of=[municipality()])
    first = survey_create(title={"lv": "Kopienu aptauja"}, municipality=municipality(), actor=staff)
    second = survey_create(
        title={"lv": "Kopienu aptauja"}, municipality=municipality(), actor=staff
    )
    assert (first.slug, second.slug) == ("kopienu-aptauja", "kopienu-aptauja-2")
    assert first.status == Survey.Status.DRAFT
    assert [language["code"] for language in first.languages] == ["lv", "en"]


def test_create_survey_needs_a_latvian_title():
    with pytest.raises(ValidationError) as error:
        survey_create(title={"en": "Only English"}, municipality=municipality(), actor=None)
    assert "title_lv" in error.value.error_dict
    assert not Survey.objects.exists()


def test_questions_are_added_in_order_and_sections_keep_their_members():
    survey = SurveyFactory()
    section = add_question(survey, "s1", T.GROUP, "Sadaļa")
    add_question(survey, "after", T.TEXT)
    add_question(survey, "inside", T.INTEGER, group=section)
    assert names(survey) == ["s1", "inside", "after"]


def test_move_swaps_with_the_neighbour_and_moves_a_section_with_its_members():
    survey = SurveyFactory()
    first = add_question(survey, "first")
    section = add_question(survey, "s1", T.GROUP, "Sadaļa")
    add_question(survey, "a", group=section)
    b = add_question(survey, "b", group=section)
    assert question_move(question=section, direction="up")
    assert names(survey) == ["s1", "a", "b", "first"]
    assert question_move(question=b, direction="up")
    assert names(survey) == ["s1", "b", "a", "first"]
    assert not question_move(question=b, direction="up"), "already first in its section"
    assert question_move(question=first, direction="up") is True
    assert names(survey) == ["first", "s1", "b", "a"]
    assert not question_move(question=first, direction="up")


@pytest.mark.parametrize("bad_name", ["1st", "ar atstarpi", "kopiena_ā", "", "a/b"])
def test_question_names_must_be_xlsform_identifiers(bad_name):
    survey = SurveyFactory()
    with pytest.raises(ValidationError) as error:
        add_question(survey, bad_name)
    assert "name" in error.value.error_dict
    assert not survey.questions.exists()


def test_question_names_are_unique_in_a_survey():
    survey = SurveyFactory()
    add_question(survey, "same")
    with pytest.raises(ValidationError) as error:
        add_question(survey, "same")
    assert "jau ir" in error.value.error_dict["name"][0].message


def test_relevant_and_constraint_are_checked():
    survey = SurveyFactory()
    add_question(survey, "age", T.INTEGER)
    with pytest.raises(ValidationError) as error:
        add_question(survey, "q", relevant="${age} >")
    assert "relevant" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        add_question(survey, "q", relevant="${missing} = 'yes'")
    assert "${missing}" in error.value.error_dict["relevant"][0].message
    question = add_question(survey, "q", T.INTEGER, relevant="${age} > 18", constraint=". >= 0")
    assert (question.relevant, question.constraint) == ("${age} > 18", ". >= 0")


def test_range_needs_a_positive_step_and_distinct_ends():
    survey = SurveyFactory()
    with pytest.raises(ValidationError) as error:
        add_question(survey, "rating", T.RANGE, parameters={"start": 0, "end": 5, "step": 0})
    assert "step" in error.value.error_dict
    rating = add_question(survey, "rating", T.RANGE, parameters={"start": 0, "end": 10, "step": 2})
    assert rating.parameters == {"start": 0, "end": 10, "step": 2}


def test_select_question_gets_its_own_list_and_choices_are_unique_per_list():
    survey = SurveyFactory()
    question = add_question(survey, "legal", T.SELECT_ONE)
    assert question.choice_list.name == "legal"
    add_choices(question, "yes", "no")
    with pytest.raises(ValidationError) as error:
        choice_add(choice_list=question.choice_list, name="yes", label={"lv": "Jā"})
    assert "name" in error.value.error_dict
    with pytest.raises(ValidationError):
        choice_add(choice_list=question.choice_list, name="two words", label={"lv": "x"})
    other = add_question(survey, "other", T.SELECT_ONE)
    choice_add(choice_list=other.choice_list, name="yes", label={"lv": "Jā"})


def test_choices_move_and_skip_archived_ones():
    survey = SurveyFactory()
    question = add_question(survey, "q", T.SELECT_ONE)
    add_choices(question, "a", "b", "c")
    _a, b, c = question.choice_list.choices.order_by("position")
    choice_move(choice=c, direction="up")
    assert list(question.choice_list.choices.values_list("name", flat=True)) == ["a", "c", "b"]
    Choice.objects.filter(pk=b.pk).update(is_archived=True)
    choice_move(choice=_a, direction="down")
    assert list(question.choice_list.choices.values_list("name", flat=True)) == ["c", "a", "b"]


def test_answered_question_keeps_name_and_type_and_is_archived_not_deleted():
    survey = community_survey()
    response = add_response(survey, {"members": "12", "legal": "association"})
    members = survey.questions.get(name="members")

    with pytest.raises(ValidationError) as error:
        question_update(question=members, data=data_of(members, name="count"))
    assert "name" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        question_update(question=members, data=data_of(members, type=T.DECIMAL))
    assert "type" in error.value.error_dict
    # The label may still change.
    question_update(question=members, data=data_of(members, label={"lv": "Cik dalībnieku?"}))

    assert question_archive(question=members) == "archived"
    members.refresh_from_db()
    assert members.is_archived and members.label["lv"] == "Cik dalībnieku?"
    assert Answer.objects.filter(response=response, question=members, number=12).exists()


def test_unanswered_question_is_deleted_with_its_own_list():
    survey = community_survey()
    legal = survey.questions.get(name="legal")
    list_id = legal.choice_list_id
    assert question_archive(question=legal) == "deleted"
    assert not Question.objects.filter(pk=legal.pk).exists()
    assert not Choice.objects.filter(choice_list_id=list_id).exists()
    assert names(survey) == ["about", "help", "members", "comment"]


def test_section_with_questions_cannot_be_removed():
    survey = community_survey()
    with pytest.raises(ValidationError):
        question_archive(question=survey.questions.get(name="about"))


def test_chosen_choice_keeps_its_name_and_is_archived():
    survey = community_survey()
    add_response(survey, {"legal": "association"})
    association = Choice.objects.get(choice_list__survey=survey, name="association")
    informal = Choice.objects.get(choice_list__survey=survey, name="informal")
    with pytest.raises(ValidationError):
        choice_update(choice=association, name="assoc", label={"lv": "Biedrība"})
    choice_update(choice=association, name="association", label={"lv": "Biedrība"})
    assert choice_archive(choice=association) == "archived"
    assert choice_archive(choice=informal) == "deleted"
    association.refresh_from_db()
    assert association.is_archived and association.answers.count() == 1


def test_publish_needs_a_question_and_close_follows_publish():
    survey = SurveyFactory()
    add_question(survey, "s", T.GROUP, "Sadaļa")
    with pytest.raises(ValidationError):
        survey_publish(survey=survey)
    with pytest.raises(ValidationError):
        survey_close(survey=survey)
    add_question(survey, "q")
    assert survey_publish(survey=survey).status == Survey.Status.PUBLISHED
    assert survey_close(survey=survey).status == Survey.Status.CLOSED
    assert survey_publish(survey=survey).status == Survey.Status.PUBLISHED


def test_invitations_once_per_community_of_the_municipality():
    survey = SurveyFactory()
    mine = CommunityFactory()
    foreign = CommunityFactory(municipality=municipality("riga"))
    created = invitation_create_for_communities(
        survey=survey, communities=[mine], labels=["Ciema padome", " "]
    )
    assert {invitation.label for invitation in created} == {mine.name, "Ciema padome"}
    assert len({invitation.token for invitation in created}) == 2
    assert invitation_create_for_communities(survey=survey, communities=[mine]) == []
    with pytest.raises(ValidationError):
        invitation_create_for_communities(survey=survey, communities=[foreign])
    assert Invitation.objects.filter(survey=survey).count() == 2


def test_response_delete_removes_answers():
    survey = community_survey()
    response = add_response(survey, {"members": "3"})
    response_delete(response=response)
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_every_questionnaire_edit_marks_the_survey_changed_for_the_public_form_cache():
    survey = community_survey()
    legal = survey.questions.get(name="legal")
    choice = legal.choice_list.choices.first()
    edits = [
        lambda: add_question(survey, "late"),
        lambda: question_move(question=legal, direction="down"),
        lambda: question_update(question=legal, data=data_of(legal, label={"lv": "Cits"})),
        lambda: choice_update(choice=choice, name=choice.name, label={"lv": "Jauns"}),
        lambda: choice_move(choice=choice, direction="down"),
        lambda: question_archive(question=survey.questions.get(name="late")),
    ]
    for edit in edits:
        before = Survey.objects.get(pk=survey.pk).updated_at
        edit()
        assert Survey.objects.get(pk=survey.pk).updated_at > before


def test_a_title_that_would_shadow_the_staff_pages_gets_another_slug():
    survey = survey_create(title={"lv": "Manage"}, municipality=municipality(), actor=None)
    assert survey.slug == "manage-2"


def test_archived_items_can_be_asked_again():
    survey = community_survey()
    add_response(survey, {"members": "4", "legal": "association"})
    members = survey.questions.get(name="members")
    association = Choice.objects.get(choice_list__survey=survey, name="association")
    question_archive(question=members)
    choice_archive(choice=association)
    question_restore(question=members)
    choice_restore(choice=association)
    members.refresh_from_db()
    association.refresh_from_db()
    assert not members.is_archived and not association.is_archived


def test_question_moved_to_another_section_goes_to_its_end():
    survey = community_survey()
    second = add_question(survey, "second", T.GROUP, "Otrā sadaļa")
    comment = survey.questions.get(name="comment")
    question_update(question=comment, data=data_of(comment, group=second))
    assert names(survey) == ["about", "legal", "help", "members", "second", "comment"]
    about = survey.questions.get(name="about")
    with pytest.raises(ValidationError):
        question_update(question=about, data=data_of(about, group=about))
