"""Every way a community, its people and its profile history change."""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kopiena.accounts.models import User
from kopiena.core.extensions import CommunityMerge, contributions
from kopiena.core.images import image_delete, image_store
from kopiena.core.phones import phone_normalized
from kopiena.core.slugs import SlugSpace
from kopiena.core.text import fold, latvian_sort_key
from kopiena.places.models import Municipality

from .models import (
    Community,
    CommunityMembership,
    CommunityPhoto,
    CoordinatorInvitation,
    LegalStatus,
    ProfileChange,
)
from .validators import registration_number_is_valid

Role = CommunityMembership.Role

# The profile fields a coordinator or staff member edits; each change is recorded.
PROFILE_FIELDS = (
    "name",
    "status",
    "neighbourhood",
    "latitude",
    "longitude",
    "population",
    "founded_year",
    "legal_status",
    "registration_number",
    "active_core",
    "start_trigger",
    "description",
    "public_email",
    "public_phone",
    "private_email",
    "private_phone",
    "links",
)
INVITATION_VALID_FOR = timedelta(days=14)


def community_refresh_keys(community: Community) -> None:
    """Recompute the folded search key and the Latvian sort key (not saved here)."""
    municipality_name = community.municipality.name if community.municipality_id else ""
    community.search_key = fold(
        " ".join(filter(None, [community.name, community.neighbourhood, municipality_name]))
    )[:500]
    community.sort_key = latvian_sort_key(community.name)[:1000]


def _profile_validate(community: Community) -> None:
    """Field formats and the profile's own rules, with messages that name the field."""
    errors: dict[str, list | str] = {}
    try:
        community.clean_fields(exclude=["slug", "search_key", "sort_key", "logo", "municipality"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if community.legal_status == LegalStatus.ASSOCIATION:
        if not registration_number_is_valid(community.registration_number):
            errors["registration_number"] = _(
                "Biedrības reģistrācijas numurs ir 11 cipari, sākas ar 4 un tam jābūt derīgam "
                "Uzņēmumu reģistra numuram."
            )
    elif community.registration_number:
        errors["registration_number"] = _(
            "Reģistrācijas numurs ir tikai biedrībām; neformālai grupai atstājiet tukšu."
        )
    for name in ("public_phone", "private_phone"):
        if name not in errors:
            try:
                setattr(community, name, phone_normalized(getattr(community, name)))
            except ValidationError as error:
                errors[name] = error.messages
    if "latitude" in errors or "longitude" in errors:
        pass
    elif (community.latitude is None) != (community.longitude is None):
        errors["latitude"] = _("Norādiet gan platumu, gan garumu, vai nevienu.")
    elif community.latitude is not None and not (
        -90 <= community.latitude <= 90 and -180 <= community.longitude <= 180
    ):
        errors["latitude"] = _("Koordinātas ir ārpus pieļaujamā diapazona.")
    this_year = timezone.localdate().year
    if (
        "founded_year" not in errors
        and community.founded_year is not None
        and not 1900 <= community.founded_year <= this_year
    ):
        errors["founded_year"] = _("Dibināšanas gadam jābūt no 1900 līdz %(year)d.") % {
            "year": this_year
        }
    url_check = URLValidator(schemes=["http", "https"])
    for link in community.links or []:
        try:
            url_check(link.get("url", ""))
        except ValidationError:
            errors["links"] = _("Saitei jāsākas ar http:// vai https://: %(url)s") % {
                "url": link.get("url", "")
            }
            break
    if errors:
        raise ValidationError(errors)


# A community's pages are /communities/<slug>/, beside the directory's own (map/, new/, …).
COMMUNITY_SLUGS = SlugSpace(
    Community, "kopiena.communities.urls", max_length=180, fallback="kopiena"
)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool | list | dict):
        return value
    return str(value)


@transaction.atomic
def community_create(
    *,
    name: str,
    municipality: Municipality,
    actor: User | None,
    coordinator: User | None = None,
    **profile: Any,
) -> Community:
    """Add a community to the registry; `coordinator` (if any) becomes its first coordinator."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not profile fields: {sorted(unknown)}")
    community = Community(name=name.strip(), municipality=municipality, **profile)
    _profile_validate(community)
    community.slug = COMMUNITY_SLUGS.from_text(community.name)
    community_refresh_keys(community)
    community.save()
    if coordinator is not None:
        CommunityMembership.objects.create(
            community=community, user=coordinator, role=Role.COORDINATOR
        )
    ProfileChange.objects.create(
        community=community,
        actor=actor,
        action="create",
        changes={
            f: {"old": None, "new": _jsonable(getattr(community, f))} for f in ("name", "status")
        },
    )
    return community


@dataclass
class ProfileUpdate:
    community: Community
    changed: dict[str, dict[str, Any]] = field(default_factory=dict)


@transaction.atomic
def community_update(*, community: Community, actor: User | None, **values: Any) -> ProfileUpdate:
    """Change profile fields; records one ProfileChange with each field's old and new value."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not profile fields: {sorted(unknown)}")
    community = Community.objects.select_for_update().get(pk=community.pk)
    changed: dict[str, dict[str, Any]] = {}
    for name, new in values.items():
        old = getattr(community, name)
        try:
            new = Community._meta.get_field(name).to_python(new)
        except ValidationError as error:
            raise ValidationError({name: error.messages}) from error
        if old != new:
            changed[name] = {"old": _jsonable(old), "new": _jsonable(new)}
            setattr(community, name, new)
    if not changed:
        return ProfileUpdate(community=community)
    _profile_validate(community)
    community_refresh_keys(community)
    community.save()
    ProfileChange.objects.create(community=community, actor=actor, changes=changed)
    return ProfileUpdate(community=community, changed=changed)


@transaction.atomic
def community_profile_save(
    *, community: Community, actor: User | None, values: dict[str, Any], logo=None, photo=None
) -> ProfileUpdate:
    """The profile form's save: fields, a new logo, a new photo; all of it or nothing."""
    result = community_update(community=community, actor=actor, **values)
    if logo is not None:
        community_logo_set(community=result.community, upload=logo, actor=actor)
    if photo is not None:
        community_photo_add(community=result.community, upload=photo, actor=actor)
    return result


@transaction.atomic
def community_logo_set(*, community: Community, upload, actor: User | None) -> Community:
    stored = image_store(upload=upload, folder="communities/logos", max_side=600)
    old = community.logo
    community.logo = stored.name
    community.save(update_fields=["logo", "updated_at"])
    ProfileChange.objects.create(
        community=community, actor=actor, changes={"logo": {"old": old, "new": stored.name}}
    )
    transaction.on_commit(lambda: image_delete(old))
    return community


@transaction.atomic
def community_photo_add(
    *, community: Community, upload, caption: str = "", actor: User | None
) -> CommunityPhoto:
    stored = image_store(upload=upload, folder="communities/photos")
    photo = CommunityPhoto.objects.create(
        community=community, file=stored.name, caption=caption[:200], uploaded_by=actor
    )
    ProfileChange.objects.create(
        community=community, actor=actor, changes={"photos": {"old": None, "new": stored.name}}
    )
    community.save(update_fields=["updated_at"])
    return photo


@transaction.atomic
def community_photo_delete(*, photo: CommunityPhoto, actor: User | None) -> None:
    ProfileChange.objects.create(
        community=photo.community, actor=actor, changes={"photos": {"old": photo.file, "new": None}}
    )
    name = photo.file
    photo.delete()
    transaction.on_commit(lambda: image_delete(name))


# People ----------------------------------------------------------------------


@transaction.atomic
def membership_join(*, community: Community, user: User) -> CommunityMembership:
    """A resident joins; joining twice changes nothing. (Following is the network's Follow.)"""
    membership, _created = CommunityMembership.objects.get_or_create(
        community=community, user=user, defaults={"role": Role.MEMBER}
    )
    return membership


def _coordinator_count(community: Community) -> int:
    return CommunityMembership.objects.filter(community=community, role=Role.COORDINATOR).count()


@transaction.atomic
def membership_leave(*, community: Community, user: User) -> None:
    """Leave a community; its last coordinator must hand over first."""
    membership = (
        CommunityMembership.objects.select_for_update()
        .filter(community=community, user=user)
        .first()
    )
    if membership is None:
        return
    if membership.role == Role.COORDINATOR and _coordinator_count(community) == 1:
        raise ValidationError(
            _("Jūs esat vienīgais koordinators: vispirms nododiet lomu citam dalībniekam.")
        )
    membership.delete()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class CoordinatorInvite:
    invitation: CoordinatorInvitation
    url: str


@transaction.atomic
def coordinator_invite(*, community: Community, email: str, actor: User) -> CoordinatorInvite:
    """E-mail a one-time link that makes the person accepting it a coordinator."""
    email = email.strip().lower()
    token = secrets.token_urlsafe(32)
    invitation = CoordinatorInvitation.objects.create(
        community=community,
        email=email,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    url = settings.SITE_URL.rstrip("/") + reverse(
        "communities:coordinator_accept", kwargs={"token": token}
    )
    body = _(
        "%(who)s aicina jūs kļūt par kopienas „%(community)s” koordinatoru platformā Kopiena.\n\n"
        "Lai pieņemtu uzaicinājumu, ieejiet ar šo e-pasta adresi un atveriet saiti:\n%(url)s\n\n"
        "Saite derīga 14 dienas un izmantojama vienu reizi."
    ) % {"who": actor, "community": community.name, "url": url}
    transaction.on_commit(
        lambda: send_mail(
            _("Uzaicinājums koordinēt kopienu „%(community)s”") % {"community": community.name},
            body,
            None,
            [email],
        )
    )
    return CoordinatorInvite(invitation=invitation, url=url)


def coordinator_invitation_by_token(token: str) -> CoordinatorInvitation | None:
    """The pending invitation behind a link, or None if unknown, used or expired."""
    return (
        CoordinatorInvitation.objects.select_related("community")
        .filter(
            token_hash=_token_hash(token),
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


@transaction.atomic
def coordinator_accept(*, token: str, user: User) -> Community:
    invitation = coordinator_invitation_by_token(token)
    if invitation is None:
        raise ValidationError(_("Uzaicinājums nav derīgs: tas ir izmantots vai beidzies."))
    invitation = CoordinatorInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("Uzaicinājums nav derīgs: tas ir izmantots vai beidzies."))
    if user.email.lower() != invitation.email:
        raise PermissionDenied(_("Uzaicinājums ir nosūtīts citai e-pasta adresei."))
    CommunityMembership.objects.update_or_create(
        community=invitation.community, user=user, defaults={"role": Role.COORDINATOR}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation.community


@transaction.atomic
def coordinator_handover(*, community: Community, actor: User, to_user: User) -> None:
    """Make a member coordinator; the acting coordinator becomes a member."""
    target = (
        CommunityMembership.objects.select_for_update()
        .filter(community=community, user=to_user)
        .first()
    )
    if target is None:
        raise ValidationError(_("Lomu var nodot tikai kopienas dalībniekam."))
    target.role = Role.COORDINATOR
    target.save(update_fields=["role"])
    CommunityMembership.objects.filter(
        community=community, user=actor, role=Role.COORDINATOR
    ).exclude(user=to_user).update(role=Role.MEMBER)


# Staff -----------------------------------------------------------------------


@dataclass
class MergeResult:
    target: Community
    members_moved: int
    # What each app moved, by its translated name: {"atbildes": 3, "ziņas": 2}.
    moved: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def community_merge(*, source: Community, target: Community, actor: User | None) -> MergeResult:
    """Fold a duplicate into `target`: people, history, and every app's rows; then delete it.

    The registry moves its own rows; every other app that points at communities moves
    its rows through its CommunityMerge contribution (kopiena.core.extensions), in the
    same transaction, before the duplicate is deleted.
    """
    if source.pk == target.pk:
        raise ValidationError(_("Kopienu nevar apvienot pašu ar sevi."))
    if source.municipality_id != target.municipality_id:
        raise ValidationError(_("Apvienot var tikai vienas pašvaldības kopienas."))
    rank = {Role.COORDINATOR: 2, Role.MEMBER: 1}
    existing = {m.user_id: m for m in CommunityMembership.objects.filter(community=target)}
    moved = 0
    for membership in CommunityMembership.objects.filter(community=source):
        kept = existing.get(membership.user_id)
        if kept is None:
            membership.community = target
            membership.save(update_fields=["community"])
            moved += 1
        elif rank[membership.role] > rank[kept.role]:
            kept.role = membership.role
            kept.save(update_fields=["role"])
    ProfileChange.objects.filter(community=source).update(community=target)
    CommunityPhoto.objects.filter(community=source).update(community=target)
    moved_by_apps: dict[str, int] = {}
    for contribution in contributions(CommunityMerge):
        moved_by_apps.update(contribution.move(source, target))
    ProfileChange.objects.create(
        community=target,
        actor=actor,
        action="merge",
        changes={"merged": {"old": source.name, "new": target.name}},
    )
    source.delete()
    return MergeResult(target=target, members_moved=moved, moved=moved_by_apps)
