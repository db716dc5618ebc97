"""Role predicates every app's rules build on."""

import rules


def staff_municipality_ids(user) -> frozenset[int]:
    """The municipalities a user works for, read once per request-bound user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_staff_municipality_ids", None)
    if cached is None:
        cached = frozenset(user.staff_of.values_list("id", flat=True))
        user._staff_municipality_ids = cached
    return cached


@rules.predicate
def is_platform_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_municipality_staff(user) -> bool:
    return bool(staff_municipality_ids(user))


@rules.predicate
def works_for_municipality(user, municipality) -> bool:
    """Staff of this municipality (an object or its id)."""
    if municipality is None:
        return False
    municipality_id = getattr(municipality, "pk", municipality)
    return municipality_id in staff_municipality_ids(user)
