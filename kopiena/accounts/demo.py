"""The demo's people: one per role, all with the published demo password.

Never run `kopiena demo` on a public installation: the password is public.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from kopiena.core.extensions import DemoContext
from kopiena.places.models import Municipality

from .models import User
from .services import user_create

DEMO_PASSWORD = "kopiena-demo-2026"  # noqa: S105 - the published demo password


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
COORDINATOR = "koordinators@kopiena.lv"
RESIDENT = "iedzivotajs@kopiena.lv"


def demo_user(email: str) -> User:
    """One of the demo's people (they are loaded first)."""
    return User.objects.get(email=email)


@transaction.atomic
def demo_people_load(context: DemoContext) -> None:
    for person in PEOPLE:
        if User.objects.filter(email=person.email).exists():
            context.existing.append(person.email)
            continue
        user_create(
            email=person.email,
            password=DEMO_PASSWORD,
            full_name=person.full_name,
            is_platform_admin=person.is_platform_admin,
            staff_of=Municipality.objects.filter(slug__in=person.staff_of),
            email_verified=True,
        )
        context.created.append(f"{person.email} ({person.role})")
