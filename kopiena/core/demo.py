"""`kopiena demo`: the reference survey, its 17 responses, demo people and communities.

Idempotent: whatever already exists is left as it is, so running it twice adds nothing.

Choices made for the demo:
- The reference survey (slug `kopienu-aptauja`) belongs to Ķekavas novads: the
  published summary is Ķekava's (it sets Ķekava against all respondents), and so
  the Ķekava staff account can manage the survey and its report.
- Every demo account has the password DEMO_PASSWORD, printed by the command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from kopiena.accounts.models import User
from kopiena.accounts.services import user_create
from kopiena.communities.models import Community
from kopiena.communities.services import community_create, membership_join
from kopiena.places.models import Municipality

REFERENCE = Path(__file__).resolve().parent.parent / "surveys" / "reference"
FORM_FILE = REFERENCE / "kopienu-aptauja.xlsx"
RESPONSES_FILE = REFERENCE / "kopienu-aptauja-atbildes.csv"
SURVEY_SLUG = "kopienu-aptauja"
SURVEY_MUNICIPALITY = "kekavas_nov"
DEMO_PASSWORD = "kopiena-demo-2026"  # noqa: S105 - a published demo password, by design


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
    DemoPerson(
        "koordinators@kopiena.lv", "Kaldabruņas koordinatore", "Kaldabruņas kopienas koordinators"
    ),
    DemoPerson("iedzivotajs@kopiena.lv", "Jāņupes iedzīvotājs", "iedzīvotājs, Jāņupes dalībnieks"),
]

# (name, coordinator e-mail, member e-mail): communities the survey's summary names.
COMMUNITIES = [
    ("Kaldabruņa", "koordinators@kopiena.lv", None),
    ("Jāņupe", None, "iedzivotajs@kopiena.lv"),
    ("Kažoku ciems", None, None),
]


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
    for line in result.created:
        log(f"+ {line}")
    return result


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
    kekava = Municipality.objects.get(slug=SURVEY_MUNICIPALITY)
    for name, coordinator, member in COMMUNITIES:
        if Community.objects.filter(name=name, municipality=kekava).exists():
            result.existing.append(name)
            continue
        community = community_create(
            name=name,
            municipality=kekava,
            actor=None,
            coordinator=users[coordinator] if coordinator else None,
        )
        if member:
            membership_join(community=community, user=users[member])
        result.created.append(f"{name} ({kekava})")


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
