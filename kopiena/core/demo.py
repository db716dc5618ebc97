"""`kopiena demo`: the reference survey, its 17 responses, demo people, communities, good practice.

Idempotent: whatever already exists is left as it is, so running it twice adds nothing.

Choices made for the demo:
- The reference survey (slug `kopienu-aptauja`) belongs to Ķekavas novads: the
  published summary is Ķekava's (it sets Ķekava against all respondents), and so
  the Ķekava staff account can manage the survey and its report.
- Every demo account has the password DEMO_PASSWORD (kopiena.communities.demo), printed
  by the command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from kopiena.accounts.models import User
from kopiena.accounts.services import user_create
from kopiena.communities.demo import DEMO_PASSWORD, demo_communities_load
from kopiena.communities.models import Community, CommunityMembership
from kopiena.communities.services import coordinator_handover, membership_join
from kopiena.places.models import Municipality
from kopiena.practices.demo import practices_seed_load

REFERENCE = Path(__file__).resolve().parent.parent / "surveys" / "reference"
FORM_FILE = REFERENCE / "kopienu-aptauja.xlsx"
RESPONSES_FILE = REFERENCE / "kopienu-aptauja-atbildes.csv"
SURVEY_SLUG = "kopienu-aptauja"
SURVEY_MUNICIPALITY = "kekavas_nov"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    role: str
    is_platform_admin: bool = False
    staff_of: tuple[str, ...] = ()


PEOPLE = [
    DemoPerson("admin@kopiena.lv", "Platformas administrators", "platformas administrators", True),
    DemoPerson(
        "kekava@kopiena.lv",
        "Ķekavas darbiniece",
        "Ķekavas novada darbinieks",
        staff_of=("kekavas_nov",),
    ),
    DemoPerson("riga@kopiena.lv", "Rīgas darbinieks", "Rīgas darbinieks", staff_of=("riga",)),
    DemoPerson("koordinators@kopiena.lv", "Baložu koordinatore", "Baložu kopienas koordinators"),
    DemoPerson(
        "iedzivotajs@kopiena.lv", "Baložu iedzīvotājs", "iedzīvotājs, Baložu kopienas dalībnieks"
    ),
]

# A community of Ķekavas novads from the communities' demo data, led by the demo coordinator.
DEMO_COMMUNITY = "Baloži"


@dataclass
class DemoResult:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def demo_load(*, log: Callable[[str], None] = lambda message: None) -> DemoResult:
    """Load everything the demo needs; each part is its own transaction."""
    result = DemoResult()
    users = _people(result)
    _communities(result, users)
    _reference_survey(result)
    _practices(result)
    for line in result.created:
        log(f"+ {line}")
    return result


def _practices(result: DemoResult) -> None:
    """The good-practice cases the survey reports and the first know-how guides."""
    seeded = practices_seed_load()
    result.created += [f"labās prakses piemērs: {title}" for title in seeded.cases_created]
    result.created += [f"ceļvedis: {title}" for title in seeded.guides_created]


@transaction.atomic
def _people(result: DemoResult) -> dict[str, User]:
    users = {}
    for person in PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = user_create(
                email=person.email,
                password=DEMO_PASSWORD,
                full_name=person.full_name,
                is_platform_admin=person.is_platform_admin,
                staff_of=Municipality.objects.filter(slug__in=person.staff_of),
                email_verified=True,
            )
            result.created.append(f"{person.email} ({person.role})")
        else:
            result.existing.append(person.email)
        users[person.email] = user
    return users


@transaction.atomic
def _communities(result: DemoResult, users: dict[str, User]) -> None:
    """The registry's demo communities, then the demo coordinator and resident in one of them."""
    loaded = demo_communities_load()
    result.created += loaded.created
    result.existing += loaded.existing
    community = Community.objects.get(name=DEMO_COMMUNITY, municipality__slug=SURVEY_MUNICIPALITY)
    coordinator = users["koordinators@kopiena.lv"]
    coordinators = community.memberships.filter(role=CommunityMembership.Role.COORDINATOR)
    if not coordinators.filter(user=coordinator).exists():
        previous = coordinators.first()
        membership_join(community=community, user=coordinator)
        coordinator_handover(
            community=community,
            actor=previous.user if previous else coordinator,
            to_user=coordinator,
        )
        result.created.append(f"{coordinator.email} coordinates {community.name}")
    membership_join(community=community, user=users["iedzivotajs@kopiena.lv"])


def _reference_survey(result: DemoResult) -> None:
    try:
        from kopiena.surveys.services_forms import survey_import_xlsform
        from kopiena.surveys.services_imports import response_import
        from kopiena.surveys.services_manage import survey_publish
    except ImportError as error:
        result.warnings.append(
            f"The reference survey was not loaded: the survey import services are not "
            f"available yet ({error})."
        )
        return
    from kopiena.surveys.models import Survey

    with transaction.atomic():
        survey = Survey.objects.filter(slug=SURVEY_SLUG).first()
        if survey is None:
            survey = survey_import_xlsform(
                source=FORM_FILE,
                filename=FORM_FILE.name,
                slug=SURVEY_SLUG,
                municipality=Municipality.objects.get(slug=SURVEY_MUNICIPALITY),
            )
            result.created.append(f"survey {SURVEY_SLUG}")
        else:
            result.existing.append(f"survey {SURVEY_SLUG}")
        if survey.status == Survey.Status.DRAFT:
            survey_publish(survey=survey)
        if survey.responses.exists():
            result.existing.append(f"responses of {SURVEY_SLUG}")
            return
        response_import(
            survey=survey,
            source=RESPONSES_FILE,
            filename=RESPONSES_FILE.name,
            format="xlsform-csv",
            actor=None,
        )
        result.created.append(f"{survey.responses.count()} responses of {SURVEY_SLUG}")
