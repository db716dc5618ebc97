"""What the surveys app contributes to lower apps' pages and services
(kopiena.core.extensions): the registry's overview column and invitation action, moving
rows when communities merge, and a person's survey data."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopiena.core.extensions import (
    CommunityAction,
    CommunityIndicator,
    CommunityMerge,
    DemoData,
    PageBlock,
    PersonalData,
    WorkItem,
    WorkQueue,
)

from .demo import demo_load
from .forms import SurveyInviteForm
from .models import Answer, Invitation, Response, Survey
from .selectors import survey_list_managed, survey_list_public
from .services.invitations import invitation_create_for_communities


def _answered_survey():
    # An anonymous survey keeps no link from the response to the community, but the
    # invitation still records that its link was used.
    answered = Response.objects.filter(community=OuterRef("pk"), status=Response.Status.COMPLETE)
    invitation_used = Invitation.objects.filter(community=OuterRef("pk"), used_at__isnull=False)
    return Exists(answered) | Exists(invitation_used)


def _invite_form(request, municipality) -> SurveyInviteForm:
    return SurveyInviteForm(
        request.POST if request.method == "POST" else None, municipality=municipality
    )


def _invite(request, municipality, form: SurveyInviteForm) -> str:
    communities = form.cleaned_data["communities"]
    created = invitation_create_for_communities(
        survey=form.cleaned_data["survey"], communities=communities
    )
    return _("Izveidoti %(created)d ielūgumi; %(already)d kopienas jau bija uzaicinātas.") % {
        "created": len(created),
        "already": len(communities) - len(created),
    }


def _merge(source, target) -> dict[str, int]:
    """Invitations and responses follow the community; where both had an invitation to
    one survey, the target's stays and the duplicate's keeps its answers but is detached
    (labelled with the duplicate's name), so nothing is lost."""
    taken = set(Invitation.objects.filter(community=target).values_list("survey_id", flat=True))
    Invitation.objects.filter(community=source, survey_id__in=taken).update(
        community=None, label=source.name
    )
    invitations = Invitation.objects.filter(community=source).update(community=target)
    responses = Response.objects.filter(community=source).update(community=target)
    return {_("aptaujas atbildes"): responses, _("aptaujas ielūgumi"): invitations}


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _answers(response: Response) -> list[dict[str, Any]]:
    return [
        {
            "question": answer.question.name,
            "choice": answer.choice.name if answer.choice_id else None,
            "text": answer.text or None,
            "number": str(answer.number) if answer.number is not None else None,
            "date": _when(answer.date),
            "is_other": answer.is_other,
        }
        for answer in Answer.objects.filter(response=response)
        .select_related("question", "choice")
        .order_by("question__position", "id")
    ]


def _export(user) -> dict[str, Any]:
    return {
        "survey_responses": [
            {
                "survey": r.survey.slug,
                "status": r.status,
                "submitted_at": _when(r.submitted_at),
                "answers": _answers(r),
            }
            for r in Response.objects.filter(user=user).select_related("survey")
        ]
    }


def _erase(user) -> int:
    """Answers stay in the survey's results, no longer linked to the person."""
    return Response.objects.filter(user=user).update(user=None)


def _open_surveys(request, municipality) -> dict[str, Any]:
    surveys = survey_list_public()
    if municipality is not None:
        surveys = surveys.filter(municipality=municipality)
    return {"surveys": surveys[:10]}


def _open_surveys_managed(user) -> list[WorkItem]:
    """Published surveys the person manages: how many answered, and when they close."""
    surveys = survey_list_managed(user=user).filter(status=Survey.Status.PUBLISHED)
    return [
        WorkItem(
            title=survey.title_text,
            url=reverse("surveys:manage_responses", args=[survey.slug]),
            kind=_("aptauja"),
            due=survey.closes_at,
            detail=_("%(count)d atbildes") % {"count": survey.response_count},
        )
        for survey in surveys.order_by("closes_at", "id")[:20]
    ]


def _invitations_to_answer(user) -> list[WorkItem]:
    """Unanswered invitations of the communities the person coordinates, to open surveys."""
    invitations = (
        Invitation.objects.filter(
            community__memberships__user=user,
            community__memberships__role="coordinator",
            used_at__isnull=True,
            survey__status=Survey.Status.PUBLISHED,
        )
        .select_related("survey", "community")
        .order_by("survey__closes_at", "id")
    )
    return [
        WorkItem(
            title=_("%(community)s: atbildiet uz aptauju „%(survey)s”")
            % {"community": invitation.community.name, "survey": invitation.survey.title_text},
            url=reverse("surveys:invitation", args=[invitation.survey.slug, invitation.token]),
            kind=_("aptauja"),
            due=invitation.survey.closes_at,
        )
        for invitation in invitations[:20]
    ]


CONTRIBUTIONS = (
    DemoData(app_label="surveys", load=demo_load),
    PageBlock(
        key="open_surveys", template="surveys/block_open_surveys.html", context=_open_surveys
    ),
    CommunityIndicator(
        key="answered_survey",
        label=gettext_lazy("Piedalījusies aptaujā"),
        expression=_answered_survey,
    ),
    CommunityAction(
        key="survey_invite",
        legend=gettext_lazy("Uzaicināt atlasītās kopienas uz aptauju"),
        template="surveys/community_invite_fields.html",
        form=_invite_form,
        perform=_invite,
    ),
    CommunityMerge(app_label="surveys", move=_merge),
    WorkQueue(
        key="surveys_managed",
        label=gettext_lazy("Atvērtās aptaujas"),
        audience=WorkQueue.STAFF,
        items=_open_surveys_managed,
        order=40,
    ),
    WorkQueue(
        key="surveys_to_answer",
        label=gettext_lazy("Aptaujas, uz kurām kopiena aicināta atbildēt"),
        audience=WorkQueue.COORDINATOR,
        items=_invitations_to_answer,
        order=30,
    ),
    PersonalData(
        app_label="surveys",
        export=_export,
        erase=_erase,
        covers=frozenset({("surveys.Response", "user")}),
    ),
)
