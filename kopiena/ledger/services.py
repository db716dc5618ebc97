"""Every way a ledger item changes, and who is told.

Other modules post their commitments through `ledger_item_record` (idempotent by source
and key) and `ledger_item_progress`; people change items through the other services,
which check the same rules the pages do. Every change is one transaction that locks the
item's row, writes a dated timeline entry and notifies the item's followers (the raising
community's members and everyone following it). A change made from a page read before
someone else's change carries the version it read and is refused (`LedgerConflict`)
instead of overwriting the other change.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kopiena.accounts.models import User
from kopiena.accounts.notifications import notification_send
from kopiena.accounts.rules import is_platform_admin, works_for_municipality
from kopiena.communities.models import Community, CommunityMembership
from kopiena.core.attachments import attachment_store
from kopiena.core.phones import phone_normalized
from kopiena.core.ratelimit import rate_limit_hit
from kopiena.core.text import fold
from kopiena.places.models import Municipality

from .models import LedgerEntry, LedgerEvidence, LedgerFollow, LedgerItem, LedgerSettings, Liaison
from .rules import transition_allowed
from .selectors import ledger_settings_of, liaisons_for

Status = LedgerItem.Status
Kind = LedgerItem.Kind
Voice = LedgerEntry.Voice

# Notification kinds the ledger sends (contributed in contributions.py).
NEW = "ledger.new"
CHANGE = "ledger.change"
REPLY = "ledger.reply"
REMINDER = "ledger.reminder"
STALE = "ledger.stale"

# Per person; generous for people, tight for scripts.
SUBMISSIONS_PER_HOUR = 10
REPLIES_PER_10_MINUTES = 10
MAX_EVIDENCE_FILES = 10


class LedgerConflict(ValidationError):
    """The item changed since the page was read: the change is refused, not merged."""


def item_source(item: LedgerItem) -> str:
    """What notifications about an item are about."""
    return f"ledger.item:{item.pk}"


def item_url(item: LedgerItem) -> str:
    return reverse("ledger:item", args=[item.pk])


def add_month(day: date) -> date:
    """The same day a month later, or the month's last day (31 January → 28/29 February)."""
    year, month = day.year + day.month // 12, day.month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def answer_due_date(municipality: Municipality, raised_on: date) -> date:
    """When a submission must be answered: one month (Iesniegumu likums), or the
    municipality's own number of days."""
    days = ledger_settings_of(municipality).answer_days
    return raised_on + timedelta(days=days) if days else add_month(raised_on)


def _local_date(moment: datetime) -> date:
    return timezone.localdate(moment)


def _format_date(value: date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _person(user: User | None) -> str:
    return (user.full_name or _("Pašvaldības darbinieks")) if user else ""


def _actor_name(user: User | None, voice: str, community: Community | None) -> str:
    if user is None:
        return ""
    if voice == Voice.COMMUNITY:
        name = user.full_name or _("Kopienas pārstāvis")
        return f"{name} ({community.name})" if community else name
    return _person(user)


def _refresh_search_key(item: LedgerItem) -> None:
    item.search_key = fold(
        " ".join([item.title, item.description, item.raiser_name or "", item.department])
    )


def _stale_at(item: LedgerItem, moment: datetime) -> datetime | None:
    if item.status not in LedgerItem.OPEN:
        return None
    days = ledger_settings_of(item.municipality).stale_after_days
    return moment + timedelta(days=days)


def _clean_point(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"latitude": _("Norādiet abas koordinātas kā skaitļus.")}) from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({"latitude": _("Koordinātas ir ārpus pieļaujamā.")})
    return lat.quantize(Decimal("0.00001")), lon.quantize(Decimal("0.00001"))


def _check_owner(owner: User | None, municipality_id: int) -> None:
    if owner is not None and not (
        is_platform_admin(owner) or works_for_municipality(owner, municipality_id)
    ):
        raise ValidationError({"owner": _("Atbildīgais var būt tikai šīs pašvaldības darbinieks.")})


def _check_text(item: LedgerItem) -> None:
    errors: dict[str, str] = {}
    item.title = item.title.strip()
    if not item.title:
        errors["title"] = _("Norādiet nosaukumu.")
    elif len(item.title) > 200:
        errors["title"] = _("Nosaukums ir par garu: ne vairāk kā 200 rakstzīmju.")
    if len(item.description) > 10000:
        errors["description"] = _("Apraksts ir par garu: ne vairāk kā 10 000 rakstzīmju.")
    if len(item.department) > 200:
        errors["department"] = _("Struktūrvienības nosaukums ir par garu.")
    if item.url and not (item.url.startswith("/") or item.url.startswith(("http://", "https://"))):
        errors["url"] = _("Saitei jābūt adresei, kas sākas ar https://.")
    if errors:
        raise ValidationError(errors)


def _check_due_date(due_date: date | None) -> None:
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError({"due_date": _("Termiņš nevar būt pagātnē.")})


def _check_note(note: str, *, required: bool, field: str = "note", message: str = "") -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationError({field: message or _("Uzrakstiet paskaidrojumu.")})
    if len(note) > 5000:
        raise ValidationError({field: _("Teksts ir par garu: ne vairāk kā 5000 rakstzīmju.")})
    return note


def _store_evidence(uploads: Iterable) -> list:
    """Check and store every file before anything is written, so a bad file refuses the
    whole change with its name."""
    uploads = list(uploads or ())
    if len(uploads) > MAX_EVIDENCE_FILES:
        raise ValidationError(
            {"evidence": _("Ne vairāk kā %(n)d faili vienā reizē.") % {"n": MAX_EVIDENCE_FILES}}
        )
    stored = []
    for upload in uploads:
        try:
            stored.append(attachment_store(upload=upload, folder="ledger"))
        except ValidationError as error:
            raise ValidationError(
                {"evidence": f"{getattr(upload, 'name', '')}: {' '.join(error.messages)}"}
            ) from error
    return stored


def _add_entry(
    item: LedgerItem,
    *,
    kind: str,
    voice: str,
    actor: User | None,
    now: datetime,
    note: str = "",
    status_from: str = "",
    status_to: str = "",
    changes: dict | None = None,
    evidence: Iterable = (),
    community: Community | None = None,
) -> LedgerEntry:
    entry = LedgerEntry.objects.create(
        item=item,
        kind=kind,
        voice=voice,
        actor=actor,
        actor_name=_actor_name(actor, voice, community),
        status_from=status_from,
        status_to=status_to,
        note=note,
        changes=changes or {},
        created_at=now,
    )
    LedgerEvidence.objects.bulk_create(
        LedgerEvidence(
            entry=entry,
            file=stored.name,
            label=stored.label,
            content_type=stored.content_type,
            size=stored.size,
            kind=stored.kind,
        )
        for stored in evidence
    )
    return entry


def follower_ids(item: LedgerItem) -> set[int]:
    """Who hears of every change: the people following the item and the members of the
    community that raised it."""
    ids = set(LedgerFollow.objects.filter(item=item).values_list("user_id", flat=True))
    if item.community_id:
        ids.update(
            CommunityMembership.objects.filter(community_id=item.community_id).values_list(
                "user_id", flat=True
            )
        )
    return ids


def _notify(item: LedgerItem, title: str, *, actor: User | None, kind: str = CHANGE) -> None:
    recipients = follower_ids(item) - {getattr(actor, "pk", None)}
    notification_send(
        user_ids=recipients, kind=kind, title=title, url=item_url(item), source=item_source(item)
    )


def _locked(item: LedgerItem | int) -> LedgerItem:
    return (
        LedgerItem.objects.select_for_update(of=("self",))
        .select_related("municipality", "community")
        .get(pk=getattr(item, "pk", item))
    )


def _check_version(item: LedgerItem, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != item.version:
        last = item.entries.order_by("-created_at", "-id").first()
        who = last.actor_name if last and last.actor_name else _("kāds cits")
        raise LedgerConflict(
            _(
                "Kamēr lapa bija atvērta, saistību mainīja %(who)s. Jūsu izmaiņas nav "
                "saglabātas: pārlādējiet lapu un pārbaudiet tās vēlreiz."
            )
            % {"who": who}
        )


# --- creating -------------------------------------------------------------------------------


@transaction.atomic
def ledger_item_raise(
    *,
    municipality: Municipality,
    title: str,
    actor: User | None = None,
    voice: str = Voice.SYSTEM,
    kind: str = Kind.ISSUE,
    description: str = "",
    url: str = "",
    community: Community | None = None,
    raised_by_name: str = "",
    raised_by_url: str = "",
    source: str = "",
    source_key: str = "",
    latitude=None,
    longitude=None,
    department: str = "",
    owner: User | None = None,
    due_date: date | None = None,
    raised_at: datetime | None = None,
    note: str = "",
    evidence: Iterable = (),
) -> LedgerItem:
    """A new item, with its first timeline entry; the callers check who may raise it.

    A submission without a due date gets the answer deadline; an item without an owner
    goes to the liaison person of its community (or of the municipality); an item without
    a place takes its community's. The liaisons and the community's members are told.
    """
    if community is not None and community.municipality_id != municipality.pk:
        raise ValidationError({"community": _("Kopiena nav šajā pašvaldībā.")})
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Nezināms veids.")})
    now = timezone.now()
    raised_at = raised_at or now
    lat, lon = _clean_point(latitude, longitude)
    if lat is None and community is not None and community.has_point:
        lat, lon = community.latitude, community.longitude
    liaisons = liaisons_for(municipality.pk, community.pk if community else None)
    if owner is None:
        owner = next((liaison.user for liaison in liaisons if liaison.user_id), None)
    _check_owner(owner, municipality.pk)
    if due_date is None and kind == Kind.SUBMISSION:
        due_date = answer_due_date(municipality, _local_date(raised_at))
    item = LedgerItem(
        municipality=municipality,
        kind=kind,
        title=title,
        description=(description or "").strip(),
        url=url,
        community=community,
        raised_by_name=(community.name if community else raised_by_name)[:200],
        raised_by_url=raised_by_url,
        source=source,
        source_key=source_key,
        latitude=lat,
        longitude=lon,
        department=(department or "").strip(),
        owner=owner,
        due_date=due_date,
        raised_at=raised_at,
        last_staff_update_at=raised_at,
        updated_at=now,
        created_by=actor,
    )
    _check_text(item)
    stored = _store_evidence(evidence)
    item.stale_at = _stale_at(item, raised_at)
    _refresh_search_key(item)
    item.save()
    _add_entry(
        item,
        kind=LedgerEntry.Kind.CREATED,
        voice=voice,
        actor=actor,
        now=now,
        note=note.strip(),
        status_to=item.status,
        evidence=stored,
        community=community,
    )
    if actor is not None and voice == Voice.COMMUNITY:
        LedgerFollow.objects.get_or_create(item=item, user=actor)
    liaison_users = {liaison.user_id for liaison in liaisons if liaison.user_id}
    notification_send(
        user_ids=liaison_users - {getattr(actor, "pk", None)},
        kind=NEW,
        title=_("Jauna saistība: %(title)s") % {"title": item.title},
        url=item_url(item),
        source=item_source(item),
    )
    _notify(
        item,
        _("Reģistrēts jūsu kopienas jautājums: %(title)s") % {"title": item.title},
        actor=actor,
    )
    return item


def ledger_item_create(*, municipality: Municipality, actor: User, **fields) -> LedgerItem:
    """An item staff add to their municipality's ledger (an issue they were asked about, a
    commitment they made). A due date must not be in the past."""
    if not actor.has_perm("ledger.add_item", municipality):
        raise PermissionDenied
    _check_due_date(fields.get("due_date"))
    return ledger_item_raise(
        municipality=municipality, actor=actor, voice=Voice.MUNICIPALITY, **fields
    )


def ledger_item_submit(
    *,
    community: Community,
    actor: User,
    title: str,
    description: str = "",
    latitude=None,
    longitude=None,
    evidence: Iterable = (),
) -> LedgerItem:
    """A community's submission to its municipality, by a coordinator: due within the
    answer period; the coordinator follows it."""
    if not actor.has_perm("ledger.submit_item", community):
        raise PermissionDenied
    rate_limit_hit(
        action="ledger-submit", actor=str(actor.pk), limit=SUBMISSIONS_PER_HOUR, window_seconds=3600
    )
    return ledger_item_raise(
        municipality=community.municipality,
        community=community,
        actor=actor,
        voice=Voice.COMMUNITY,
        kind=Kind.SUBMISSION,
        title=title,
        description=description,
        latitude=latitude,
        longitude=longitude,
        evidence=evidence,
    )


# --- the cross-module contract (MODULE_COMMON.md) ------------------------------------------


@transaction.atomic
def ledger_item_record(
    *,
    municipality,
    source: str,
    source_key: str,
    title: str,
    description: str = "",
    url: str = "",
    community=None,
    owner=None,
    department: str = "",
    due_date=None,
    actor=None,
) -> LedgerItem:
    """Create or update the item mirroring another module's record, idempotent by
    (source, source_key) — e.g. source="grants.award", source_key=str(award.pk).

    The other module has validated its dates, so a due date already past is accepted
    here (a report deadline that has run out is exactly what the ledger must show).
    A change of the mirrored fields is a dated entry on the item's timeline.
    """
    if not source or not source_key:
        raise ValueError("ledger_item_record needs a source and a source_key")
    existing = (
        LedgerItem.objects.select_for_update(of=("self",))
        .select_related("municipality", "community", "owner")
        .filter(source=source, source_key=str(source_key))
        .first()
    )
    if existing is None:
        try:
            with transaction.atomic():
                return ledger_item_raise(
                    municipality=municipality,
                    source=source,
                    source_key=str(source_key),
                    title=title,
                    description=description,
                    url=url,
                    community=community,
                    owner=owner,
                    department=department,
                    due_date=due_date,
                    actor=actor,
                    voice=Voice.MUNICIPALITY if actor else Voice.SYSTEM,
                    kind=Kind.COMMITMENT,
                )
        except IntegrityError:
            # Posted twice at once: the other call made it; this one updates it.
            existing = _locked(LedgerItem.objects.get(source=source, source_key=str(source_key)))
    return _record_update(
        existing,
        actor=actor,
        values={
            "title": title,
            "description": (description or "").strip(),
            "url": url,
            "community": community,
            "owner": owner,
            "department": (department or "").strip(),
            "due_date": due_date,
        },
    )


def _shown(name: str, value) -> str:
    if name == "due_date":
        return _format_date(value)
    if name == "owner":
        return _person(value) or "—"
    if name == "community":
        return value.name if value else "—"
    if name == "description":
        return ""  # long text: the entry says it changed, the item shows it
    return str(value or "—")


def _apply_changes(item: LedgerItem, values: dict) -> dict:
    """Set the changed fields; returns {field: {"old", "new"}} as a reader sees them, for
    the timeline (which names the fields in the reader's language: selectors.FIELD_LABELS)."""
    changes = {}
    for name, new in values.items():
        old = getattr(item, name)
        if name in ("owner", "community"):
            if getattr(old, "pk", None) == getattr(new, "pk", None):
                continue
        elif old == new:
            continue
        changes[name] = {
            "old": _shown(name, old),
            "new": _shown(name, new),
        }
        setattr(item, name, new)
    return changes


def _record_update(item: LedgerItem, *, actor, values: dict) -> LedgerItem:
    if values["community"] is not None and values["community"].municipality_id != (
        item.municipality_id
    ):
        raise ValidationError({"community": _("Kopiena nav šajā pašvaldībā.")})
    if values["owner"] is None:
        values.pop("owner")  # an owner staff chose is kept when the module names none
    previous_due = item.due_date
    changes = _apply_changes(item, values)
    if not changes:
        return item
    _check_text(item)
    _check_owner(item.owner, item.municipality_id)
    if item.community_id:
        item.raised_by_name = item.community.name
    now = timezone.now()
    if item.due_date != previous_due:
        item.reminded_at = None
    item.version += 1
    item.updated_at = now
    _refresh_search_key(item)
    item.save()
    _add_entry(
        item,
        kind=LedgerEntry.Kind.DETAILS,
        voice=Voice.MUNICIPALITY if actor else Voice.SYSTEM,
        actor=actor,
        now=now,
        changes=changes,
    )
    _notify(item, _("Mainīta saistība: %(title)s") % {"title": item.title}, actor=actor)
    return item


@transaction.atomic
def ledger_item_progress(
    *, source: str, source_key: str, status: str, note: str = "", actor=None
) -> LedgerItem:
    """Move the item mirroring another module's record to `status` (raised, accepted,
    in_progress, done, declined — declined needs a note), with a dated public entry.

    The same status again only adds the note. An item staff have merged into another
    keeps its status: the note is recorded on it, so nothing the module says is lost.
    """
    if status not in Status.values or status == Status.MERGED:
        raise ValidationError({"status": _("Nezināms statuss.")})
    item = _locked(LedgerItem.objects.get(source=source, source_key=str(source_key)))
    voice = Voice.MUNICIPALITY if actor else Voice.SYSTEM
    note = _check_note(note, required=False)
    now = timezone.now()
    if item.status == status or item.status == Status.MERGED:
        if note:
            _add_entry(
                item, kind=LedgerEntry.Kind.UPDATE, voice=voice, actor=actor, now=now, note=note
            )
            _touch_by_municipality(item, now)
            _notify(item, _("Jaunas ziņas: %(title)s") % {"title": item.title}, actor=actor)
        return item
    return _change_status(item, status=status, note=note, actor=actor, voice=voice, now=now)


# --- changes by staff -----------------------------------------------------------------------


def _touch_by_municipality(item: LedgerItem, now: datetime) -> None:
    """The municipality said something: the item is fresh again."""
    item.last_staff_update_at = now
    item.updated_at = now
    item.stale_at = _stale_at(item, now)
    item.escalated_at = None
    item.save(update_fields=["last_staff_update_at", "updated_at", "stale_at", "escalated_at"])


def _change_status(
    item: LedgerItem,
    *,
    status: str,
    note: str,
    actor: User | None,
    voice: str,
    now: datetime,
    evidence: Iterable = (),
) -> LedgerItem:
    if not transition_allowed(item.status, status):
        raise ValidationError(
            {
                "status": _("No statusa „%(old)s” nevar pāriet uz „%(new)s”.")
                % {"old": Status(item.status).label, "new": Status(status).label}
            }
        )
    if status == Status.DECLINED and not note:
        raise ValidationError({"note": _("Noraidot jānorāda iemesls.")})
    if item.status in LedgerItem.OUTCOMES and not note:
        raise ValidationError({"note": _("Atverot saistību no jauna, jānorāda iemesls.")})
    previous = item.status
    item.status = status
    if status in LedgerItem.OUTCOMES:
        item.outcome_at = now
        item.days_to_outcome = max(0, (_local_date(now) - _local_date(item.raised_at)).days)
        item.outcome_note = note
    else:
        item.outcome_at = item.days_to_outcome = None
        item.outcome_note = ""
    item.version += 1
    item.last_staff_update_at = item.updated_at = now
    item.stale_at = _stale_at(item, now)
    item.escalated_at = None
    item.save()
    _add_entry(
        item,
        kind=LedgerEntry.Kind.STATUS,
        voice=voice,
        actor=actor,
        now=now,
        note=note,
        status_from=previous,
        status_to=status,
        evidence=evidence,
    )
    _notify(
        item,
        _("%(title)s: %(status)s") % {"title": item.title, "status": Status(status).label},
        actor=actor,
    )
    return item


@transaction.atomic
def ledger_item_change_status(
    *,
    item: LedgerItem,
    actor: User,
    status: str,
    note: str = "",
    expected_version: int | None = None,
    evidence: Iterable = (),
) -> LedgerItem:
    """Staff move an item along its process (rules.TRANSITIONS); declining or reopening
    needs a reason, which the public timeline shows."""
    item = _locked(item)
    if not actor.has_perm("ledger.change_item", item):
        raise PermissionDenied
    _check_version(item, expected_version)
    if status not in Status.values or status == Status.MERGED:
        raise ValidationError({"status": _("Nezināms statuss.")})
    note = _check_note(note, required=False)
    stored = _store_evidence(evidence)
    return _change_status(
        item,
        status=status,
        note=note,
        actor=actor,
        voice=Voice.MUNICIPALITY,
        now=timezone.now(),
        evidence=stored,
    )


@transaction.atomic
def ledger_item_update_details(
    *,
    item: LedgerItem,
    actor: User,
    expected_version: int | None = None,
    note: str = "",
    **values,
) -> LedgerItem:
    """Staff change what the item is and who answers for it: title, description,
    department, owner, due date (not in the past), place. The timeline says what changed."""
    item = _locked(item)
    if not actor.has_perm("ledger.change_item", item):
        raise PermissionDenied
    _check_version(item, expected_version)
    allowed = {"title", "description", "department", "owner", "due_date", "latitude", "longitude"}
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if "latitude" in values or "longitude" in values:
        lat, lon = _clean_point(values.pop("latitude", None), values.pop("longitude", None))
        if (lat, lon) != (item.latitude, item.longitude):
            old = f"{item.latitude}, {item.longitude}" if item.has_point else "—"
            item.latitude, item.longitude = lat, lon
            point_change = {
                "old": old,
                "new": f"{lat}, {lon}" if lat is not None else "—",
            }
        else:
            point_change = None
    else:
        point_change = None
    for name in ("title", "description", "department"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "due_date" in values and values["due_date"] != item.due_date:
        _check_due_date(values["due_date"])
    if "owner" in values:
        _check_owner(values["owner"], item.municipality_id)
    previous_owner_id, previous_due = item.owner_id, item.due_date
    changes = _apply_changes(item, values)
    if point_change:
        changes["latitude"] = point_change
    note = _check_note(note, required=False)
    if not changes:
        return item
    _check_text(item)
    now = timezone.now()
    if item.due_date != previous_due:
        item.reminded_at = None
    item.version += 1
    item.last_staff_update_at = item.updated_at = now
    item.stale_at = _stale_at(item, now)
    item.escalated_at = None
    _refresh_search_key(item)
    item.save()
    _add_entry(
        item,
        kind=LedgerEntry.Kind.DETAILS,
        voice=Voice.MUNICIPALITY,
        actor=actor,
        now=now,
        note=note,
        changes=changes,
    )
    _notify(item, _("Mainīta saistība: %(title)s") % {"title": item.title}, actor=actor)
    if item.owner_id and item.owner_id != previous_owner_id and item.owner_id != actor.pk:
        notification_send(
            user_ids=[item.owner_id],
            kind=CHANGE,
            title=_("Jums nodota saistība: %(title)s") % {"title": item.title},
            url=item_url(item),
            source=item_source(item),
        )
    return item


@transaction.atomic
def ledger_item_post_update(
    *, item: LedgerItem, actor: User, note: str, evidence: Iterable = ()
) -> LedgerEntry:
    """The municipality's news on an item (what was done, with photos or documents)."""
    item = _locked(item)
    if not actor.has_perm("ledger.change_item", item):
        raise PermissionDenied
    stored = _store_evidence(evidence)
    note = _check_note(note, required=not stored, message=_("Uzrakstiet, kas jauns."))
    now = timezone.now()
    entry = _add_entry(
        item,
        kind=LedgerEntry.Kind.UPDATE,
        voice=Voice.MUNICIPALITY,
        actor=actor,
        now=now,
        note=note,
        evidence=stored,
    )
    _touch_by_municipality(item, now)
    _notify(item, _("Jaunas ziņas: %(title)s") % {"title": item.title}, actor=actor)
    return entry


@transaction.atomic
def ledger_item_reply(
    *, item: LedgerItem, actor: User, note: str, evidence: Iterable = ()
) -> LedgerEntry:
    """The raising community's reply on the timeline. It does not make the item fresh:
    only the municipality's word does."""
    item = _locked(item)
    if not actor.has_perm("ledger.reply_item", item):
        raise PermissionDenied
    stored = _store_evidence(evidence)
    note = _check_note(note, required=not stored, message=_("Uzrakstiet atbildi."))
    rate_limit_hit(
        action="ledger-reply", actor=str(actor.pk), limit=REPLIES_PER_10_MINUTES, window_seconds=600
    )
    now = timezone.now()
    entry = _add_entry(
        item,
        kind=LedgerEntry.Kind.REPLY,
        voice=Voice.COMMUNITY,
        actor=actor,
        now=now,
        note=note,
        evidence=stored,
        community=item.community,
    )
    item.updated_at = now
    item.save(update_fields=["updated_at"])
    title = _("Kopienas atbilde: %(title)s") % {"title": item.title}
    _notify(item, title, actor=actor)
    if item.owner_id and item.owner_id != actor.pk:
        notification_send(
            user_ids=[item.owner_id],
            kind=REPLY,
            title=title,
            url=item_url(item),
            source=item_source(item),
        )
    return entry


@transaction.atomic
def ledger_item_merge(
    *,
    item: LedgerItem,
    into: LedgerItem,
    actor: User,
    note: str = "",
    expected_version: int | None = None,
) -> LedgerItem:
    """Merge a duplicate into the item that carries on: the duplicate's followers follow
    that item, and items merged into the duplicate point there too. Never into itself,
    never into an item that is merged (so merges cannot form a cycle), never across
    municipalities. Both rows are locked in one order, so two opposite merges at once
    cannot both succeed."""
    if getattr(item, "pk", item) == getattr(into, "pk", into):
        raise ValidationError({"into": _("Saistību nevar apvienot pašu ar sevi.")})
    first, second = sorted([getattr(item, "pk", item), getattr(into, "pk", into)])
    locked = {
        row.pk: row
        for row in LedgerItem.objects.select_for_update(of=("self",))
        .select_related("municipality", "community")
        .filter(pk__in=[first, second])
        .order_by("pk")
    }
    item, into = locked[getattr(item, "pk", item)], locked[getattr(into, "pk", into)]
    if not actor.has_perm("ledger.merge_item", item):
        raise PermissionDenied
    _check_version(item, expected_version)
    if into.municipality_id != item.municipality_id:
        raise ValidationError({"into": _("Apvienot var tikai vienas pašvaldības saistības.")})
    if into.status == Status.MERGED:
        raise ValidationError(
            {
                "into": _("Saistība #%(pk)d jau ir apvienota ar #%(target)d; apvienojiet ar to.")
                % {"pk": into.pk, "target": into.merged_into_id}
            }
        )
    note = _check_note(note, required=False)
    now = timezone.now()
    previous = item.status
    item.status = Status.MERGED
    item.merged_into = into
    item.stale_at = item.escalated_at = None
    item.version += 1
    item.updated_at = item.last_staff_update_at = now
    item.save()
    LedgerItem.objects.filter(merged_into=item).update(merged_into=into, updated_at=now)
    followers = LedgerFollow.objects.filter(item=item).values_list("user_id", flat=True)
    LedgerFollow.objects.bulk_create(
        [LedgerFollow(item=into, user_id=user_id) for user_id in followers],
        ignore_conflicts=True,
    )
    _add_entry(
        item,
        kind=LedgerEntry.Kind.MERGED,
        voice=Voice.MUNICIPALITY,
        actor=actor,
        now=now,
        note=note,
        status_from=previous,
        status_to=Status.MERGED,
        changes={"into": {"pk": into.pk, "title": into.title}},
    )
    _add_entry(
        into,
        kind=LedgerEntry.Kind.MERGED,
        voice=Voice.MUNICIPALITY,
        actor=actor,
        now=now,
        note=note,
        changes={"from": {"pk": item.pk, "title": item.title}},
    )
    into.version += 1
    into.updated_at = now
    into.save(update_fields=["version", "updated_at"])
    _notify(
        item,
        _("%(title)s apvienota ar „%(into)s”") % {"title": item.title, "into": into.title},
        actor=actor,
    )
    return item


@transaction.atomic
def ledger_item_follow(*, item: LedgerItem, user: User, follow: bool = True) -> bool:
    """Follow or stop following an item; returns whether the person now follows it."""
    if not user.has_perm("ledger.follow_item", item):
        raise PermissionDenied
    if follow:
        LedgerFollow.objects.get_or_create(item=item, user=user)
    else:
        LedgerFollow.objects.filter(item=item, user=user).delete()
    return follow


# --- settings and liaison people ------------------------------------------------------------


@transaction.atomic
def ledger_settings_save(
    *,
    municipality: Municipality,
    actor: User,
    answer_days: int | None,
    stale_after_days: int,
    reminder_days: int,
) -> LedgerSettings:
    """Change a municipality's periods; open items' staleness follows the new period."""
    if not actor.has_perm("ledger.manage_settings", municipality):
        raise PermissionDenied
    errors = {}
    if answer_days is not None and not 1 <= answer_days <= 365:
        errors["answer_days"] = _("No 1 līdz 365 dienām, vai tukšs — viens mēnesis.")
    if not 1 <= stale_after_days <= 365:
        errors["stale_after_days"] = _("No 1 līdz 365 dienām.")
    if not 0 <= reminder_days <= 90:
        errors["reminder_days"] = _("No 0 līdz 90 dienām.")
    if errors:
        raise ValidationError(errors)
    stored, _created = LedgerSettings.objects.select_for_update().get_or_create(
        municipality=municipality
    )
    stale_changed = stored.stale_after_days != stale_after_days
    stored.answer_days = answer_days
    stored.stale_after_days = stale_after_days
    stored.reminder_days = reminder_days
    stored.save()
    if stale_changed:
        LedgerItem.objects.filter(municipality=municipality, status__in=LedgerItem.OPEN).update(
            stale_at=F("last_staff_update_at") + timedelta(days=stale_after_days)
        )
    return stored


@transaction.atomic
def liaison_save(
    *,
    municipality: Municipality,
    actor: User,
    name: str,
    liaison: Liaison | None = None,
    user: User | None = None,
    job_title: str = "",
    email: str = "",
    phone: str = "",
    responsibilities: str = "",
    communities: Iterable[Community] = (),
) -> Liaison:
    """Name a liaison person (or change one): for the whole municipality, or for the
    communities chosen."""
    if not actor.has_perm("ledger.manage_liaisons", municipality):
        raise PermissionDenied
    if liaison is not None and liaison.municipality_id != municipality.pk:
        raise PermissionDenied
    communities = list(communities)
    if any(community.municipality_id != municipality.pk for community in communities):
        raise ValidationError({"communities": _("Visām kopienām jābūt šajā pašvaldībā.")})
    liaison = liaison or Liaison(municipality=municipality)
    liaison.name = (name or "").strip()
    liaison.user = user
    liaison.job_title = (job_title or "").strip()
    liaison.email = (email or "").strip().lower()
    try:
        liaison.phone = phone_normalized(phone or "")
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from error
    liaison.responsibilities = (responsibilities or "").strip()
    if not liaison.name:
        raise ValidationError({"name": _("Norādiet vārdu un uzvārdu.")})
    liaison.full_clean(exclude=["municipality", "user"])
    liaison.save()
    liaison.communities.set(communities)
    return liaison


@transaction.atomic
def liaison_delete(*, liaison: Liaison, actor: User) -> None:
    if not actor.has_perm("ledger.manage_liaisons", liaison.municipality):
        raise PermissionDenied
    liaison.delete()


# --- reminders and escalation (daily) -------------------------------------------------------


@dataclass(frozen=True)
class ReminderResult:
    reminded: int
    escalated: int


def _mail(recipients: list[User], subject: str, body: str) -> None:
    addresses = [user.email for user in recipients if user.email and user.is_active]
    if addresses:
        transaction.on_commit(
            lambda: send_mail(subject, body, None, addresses, fail_silently=False)
        )


@transaction.atomic
def ledger_send_reminders(*, now: datetime | None = None) -> ReminderResult:
    """Remind owners of items coming due (each once per due date) and escalate stale
    items to the liaison people of their communities (once until the municipality speaks
    again): a notification and an e-mail each."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    base = settings.SITE_URL.rstrip("/")
    reminded = escalated = 0
    due = LedgerItem.objects.filter(
        status__in=LedgerItem.OPEN,
        owner__isnull=False,
        due_date__isnull=False,
        reminded_at__isnull=True,
    )
    for municipality_id in due.values_list("municipality_id", flat=True).distinct():
        days = ledger_settings_of(municipality_id).reminder_days
        batch = list(
            due.filter(municipality_id=municipality_id, due_date__lte=today + timedelta(days=days))
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("owner")
        )
        for item in batch:
            title = _("Tuvojas termiņš (%(date)s): %(title)s") % {
                "date": _format_date(item.due_date),
                "title": item.title,
            }
            notification_send(
                user_ids=[item.owner_id],
                kind=REMINDER,
                title=title,
                url=item_url(item),
                source=item_source(item),
            )
            _mail([item.owner], f"[Kopiena] {title}", base + item_url(item))
        LedgerItem.objects.filter(pk__in=[item.pk for item in batch]).update(reminded_at=now)
        reminded += len(batch)

    stale = list(
        LedgerItem.objects.filter(
            status__in=LedgerItem.OPEN, stale_at__lte=now, escalated_at__isnull=True
        )
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("municipality")
    )
    for item in stale:
        people = [
            liaison.user
            for liaison in liaisons_for(item.municipality_id, item.community_id)
            if liaison.user_id
        ]
        title = _("Bez pašvaldības ziņām kopš %(date)s: %(title)s") % {
            "date": _format_date(_local_date(item.last_staff_update_at)),
            "title": item.title,
        }
        notification_send(
            user_ids={user.pk for user in people},
            kind=STALE,
            title=title,
            url=item_url(item),
            source=item_source(item),
        )
        _mail(people, f"[Kopiena] {title}", base + item_url(item))
    LedgerItem.objects.filter(pk__in=[item.pk for item in stale]).update(escalated_at=now)
    escalated = len(stale)
    return ReminderResult(reminded=reminded, escalated=escalated)


def items_of_community_moved(*, source: Community, target: Community) -> int:
    """When two communities merge, the duplicate's items follow the one that stays."""
    return LedgerItem.objects.filter(community=source).update(
        community=target, raised_by_name=target.name
    )
