"""Writes to accounts: creating people and giving them roles."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.db import transaction

from kopiena.places.models import Municipality

from .models import User


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    is_platform_admin: bool = False,
    staff_of: Iterable[Municipality] = (),
    email_verified: bool = False,
) -> User:
    """Create a person; a platform administrator may also use the technical admin site.

    `email_verified` records the address as confirmed (for accounts an administrator
    vouches for), so allauth does not ask the person to confirm it again.
    """
    user = User.objects.create_user(
        email,
        password,
        full_name=full_name,
        is_superuser=is_platform_admin,
        is_staff=is_platform_admin,
    )
    user.staff_of.set(staff_of)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    return user
