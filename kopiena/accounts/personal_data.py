"""A person's own data: everything the platform holds about them, consents, account deletion.

Deleting an account erases the person; what they contributed to communities (profile
changes, photos, survey answers) stays, with the link to them cut (the foreign keys
are SET_NULL), so the record is kept but no longer says who.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from kopiena.core.extensions import PersonalData, contributions

from .models import Consent, User

PRIVACY_POLICY = "privacy"
PRIVACY_POLICY_VERSION = "2026-11"
EXPORT_FORMAT_VERSION = 1


def _when(value) -> str | None:
    return value.isoformat() if value else None


# Relations shown in the account's own sections; the apps' PersonalData contributions
# name theirs, and the rest are found by `_other_records`.
CURATED = {
    ("account.EmailAddress", "user"),
    ("accounts.Consent", "user"),
}
# Secrets are not personal data to hand out: a leaked export must not open anything.
SECRET_FIELD_PARTS = ("token", "hash", "password", "secret", "key")


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _covered() -> set[tuple[str, str]]:
    covered = set(CURATED)
    for contribution in contributions(PersonalData):
        covered |= contribution.covers
    return covered


def _other_records(user: User) -> dict[str, list[dict[str, Any]]]:
    """Rows of every other model that points at the person, whichever app added it.

    Found from the user model's reverse relations, so a new app's data is in the
    export without anyone remembering to add it here.
    """
    records: dict[str, list[dict[str, Any]]] = {}
    covered = _covered()
    for relation in User._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        model = relation.related_model
        if relation.many_to_many or model._meta.auto_created:
            continue
        key = (model._meta.label, relation.field.name)
        if key in covered:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if not any(part in f.name for part in SECRET_FIELD_PARTS)
            and f.get_internal_type() != "BinaryField"
        ]
        rows = model._default_manager.filter(**{relation.field.name: user})
        found = [{f.name: _plain(getattr(row, f.attname)) for f in fields} for row in rows]
        if found:
            records[f"{key[0]}.{key[1]}"] = found
    return records


def personal_data_export(*, user: User) -> dict[str, Any]:
    """Everything stored about `user`, as JSON-ready data: the account, then each app's
    sections (its PersonalData contribution), then any other row that points at them."""
    export: dict[str, Any] = {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "is_platform_admin": user.is_superuser,
            "staff_of": list(user.staff_of.order_by("name").values_list("name", flat=True)),
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in user.emailaddress_set.all()
            ],
        },
        "consents": [
            {
                "document": c.document,
                "version": c.version,
                "given": c.given,
                "recorded_at": _when(c.recorded_at),
            }
            for c in user.consents.all()
        ],
    }
    for contribution in contributions(PersonalData):
        export.update(contribution.export(user))
    export["other_records"] = _other_records(user)
    return export


@transaction.atomic
def consent_record(
    *, user: User, given: bool = True, version: str = PRIVACY_POLICY_VERSION
) -> Consent:
    return Consent.objects.create(user=user, document=PRIVACY_POLICY, version=version, given=given)


def consent_current(user: User) -> Consent | None:
    """The latest privacy-policy consent, if it is still given and for the current version."""
    latest = user.consents.filter(document=PRIVACY_POLICY).first()
    if latest and latest.given and latest.version == PRIVACY_POLICY_VERSION:
        return latest
    return None


@dataclass
class AccountDeletion:
    contributions_kept: int


@transaction.atomic
def account_delete(*, user: User) -> AccountDeletion:
    """Erase the person; their contributions stay without a link to them.

    Each app erases its own part first (PersonalData.erase): deletes what is personal,
    cuts the link from what stays; then the account goes, and with it memberships,
    consents and e-mail addresses (their foreign keys cascade).
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    kept = sum(contribution.erase(user) for contribution in contributions(PersonalData))
    user.delete()
    return AccountDeletion(contributions_kept=kept)
