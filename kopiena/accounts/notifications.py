"""Notifications from every app to a person: on the site, and in a daily or weekly e-mail
digest with a one-click unsubscribe link.

An app sends with `notification_send` (kinds it contributes as NotificationKind, so a
person's settings and the digest can name them) and withdraws with
`notifications_withdraw` when what they point at disappears.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kopiena.core.extensions import NotificationKind, contributions

from .models import Notification, NotificationSettings, User

UNSUBSCRIBE_SALT = "kopiena.network.unsubscribe"  # the links already sent keep working
Frequency = NotificationSettings.Frequency


def notification_kinds() -> dict[str, NotificationKind]:
    return {kind.code: kind for kind in contributions(NotificationKind)}


def notification_send(
    *, user_ids: Iterable[int], kind: str, title: str, url: str, source: str = ""
) -> int:
    """One notification for each person (each once); returns how many were made."""
    if kind not in notification_kinds():
        raise ValueError(f"unknown notification kind {kind!r}: contribute a NotificationKind")
    made = Notification.objects.bulk_create(
        Notification(user_id=user_id, kind=kind, title=title[:300], url=url, source=source)
        for user_id in set(user_ids)
    )
    return len(made)


def notifications_withdraw(*, source: str) -> int:
    """Remove the notifications about something that is gone or hidden."""
    deleted, _by_model = Notification.objects.filter(source=source).delete()
    return deleted


def notifications_of(user: User, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.filter(user=user)[:limit])


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def email_frequency(user: User) -> str:
    """How often the person gets the digest: their setting, else the default (weekly)."""
    stored = NotificationSettings.objects.filter(user=user).values_list(
        "email_frequency", flat=True
    )
    return stored.first() or NotificationSettings._meta.get_field("email_frequency").default


def notification_settings_set(*, user: User, frequency: str) -> NotificationSettings:
    if frequency not in Frequency.values:
        raise ValidationError(_("Nezināms biežums."))
    preferences, _created = NotificationSettings.objects.update_or_create(
        user=user, defaults={"email_frequency": frequency}
    )
    return preferences


def unsubscribe_token(user: User) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_user(token: str) -> User:
    """The person an unsubscribe link was made for; ValidationError for a forged or stale one."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise ValidationError(_("Saite nav derīga.")) from exc
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationError(_("Saite nav derīga."))
    return user


def unsubscribe(*, token: str) -> User:
    """Stop digest e-mails for the token's person; the signature is the only credential."""
    user = unsubscribe_token_user(token)
    notification_settings_set(user=user, frequency=Frequency.NEVER)
    return user


@dataclass(frozen=True)
class DigestResult:
    sent: int
    notifications: int


def digest_message(*, user: User, notifications: list[Notification]) -> EmailMultiAlternatives:
    """The digest e-mail with a one-click unsubscribe link (also as List-Unsubscribe)."""
    base = settings.SITE_URL.rstrip("/")
    unsubscribe_url = base + reverse("notifications:unsubscribe", args=[unsubscribe_token(user)])
    context = {
        "user": user,
        "notifications": notifications,
        "base": base,
        "unsubscribe_url": unsubscribe_url,
    }
    message = EmailMultiAlternatives(
        subject=_("[Kopiena] Jaunumi no kopienām, kurām sekojat"),
        body=render_to_string("accounts/email/digest.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("accounts/email/digest.html", context), "text/html")
    return message


def digest_send(*, frequency: str, now=None) -> DigestResult:
    """Send each person on `frequency` the notifications not e-mailed yet, then mark them."""
    if frequency not in (Frequency.DAILY, Frequency.WEEKLY):
        raise ValidationError(_("Kopsavilkums ir dienas vai nedēļas."))
    now = now or timezone.now()
    # Older unsent notifications are stale news by the time a digest would carry them.
    since = now - (timedelta(days=2) if frequency == Frequency.DAILY else timedelta(days=8))
    on_frequency = Q(notification_settings__email_frequency=frequency)
    if frequency == NotificationSettings._meta.get_field("email_frequency").default:
        on_frequency |= Q(notification_settings__isnull=True)  # never chose: the default
    users = User.objects.filter(
        on_frequency,
        is_active=True,
        notifications__emailed_at__isnull=True,
        notifications__created_at__gte=since,
    ).distinct()
    sent = total = 0
    for user in users:
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .filter(user=user, emailed_at__isnull=True, created_at__gte=since)
                .order_by("created_at", "id")
            )
            if not pending:
                continue
            digest_message(user=user, notifications=pending).send()
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
        sent += 1
        total += len(pending)
    return DigestResult(sent=sent, notifications=total)
