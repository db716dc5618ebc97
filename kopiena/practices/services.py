"""Every way a practice case, its replication threads and the guides change."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kopiena.accounts.models import User
from kopiena.accounts.notifications import notification_send
from kopiena.accounts.rules import works_for_municipality
from kopiena.communities.models import Community, CommunityMembership
from kopiena.communities.rules import is_coordinator, is_member
from kopiena.core.images import image_delete, image_store
from kopiena.core.slugs import SlugSpace
from kopiena.core.text import fold
from kopiena.places.models import Municipality

from .models import (
    CaseInstrument,
    CasePhoto,
    Guide,
    GuideRevision,
    Instrument,
    PracticeCase,
    ReplicationRequest,
    ThreadMessage,
)

Status = PracticeCase.Status
CASE_FIELDS = (
    "title",
    "summary",
    "story",
    "topic",
    "cost",
    "funding_source",
    "outcome",
    "contact_name",
    "contact_email",
)
# The notification a thread's other side gets (contributed in contributions.py).
THREAD = "practices.thread"
# A case's pages are /practices/<slug>/, beside the library's own (new/, guides/, …).
CASE_SLUGS = SlugSpace(PracticeCase, "kopiena.practices.urls", max_length=180, fallback="piemers")


def _refresh_search_key(case: PracticeCase) -> None:
    place = " ".join(
        filter(
            None,
            [
                case.community.name if case.community else "",
                case.municipality.name if case.municipality else "",
            ],
        )
    )
    case.search_key = fold(" ".join([case.title, case.summary, case.story, case.outcome, place]))


def _validate(case: PracticeCase, instruments: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(instruments))
    errors: dict[str, list | str] = {}
    try:
        case.clean_fields(exclude=["slug", "search_key", "community", "municipality"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if not case.title.strip():
        errors["title"] = _("Norādiet nosaukumu.")
    unknown = [code for code in codes if code not in Instrument.values]
    if unknown:
        errors["instruments"] = _("Nezināms atbalsta instruments: %(code)s") % {"code": unknown[0]}
    if errors:
        raise ValidationError(errors)
    return codes


def _set_instruments(case: PracticeCase, codes: list[str]) -> None:
    case.instruments.exclude(code__in=codes).delete()
    existing = set(case.instruments.values_list("code", flat=True))
    CaseInstrument.objects.bulk_create(
        [CaseInstrument(case=case, code=code) for code in codes if code not in existing]
    )


@transaction.atomic
def case_create(
    *,
    community: Community | None,
    author: User | None,
    instruments: Iterable[str] = (),
    photos: Iterable = (),
    **values,
) -> PracticeCase:
    """A draft case of `community` (in its municipality)."""
    case = PracticeCase(
        community=community,
        municipality=community.municipality if community else values.pop("municipality", None),
        author=author,
        **{name: value for name, value in values.items() if name in CASE_FIELDS},
    )
    codes = _validate(case, instruments)
    case.slug = CASE_SLUGS.from_text(case.title)
    _refresh_search_key(case)
    case.save()
    _set_instruments(case, codes)
    for upload in photos:
        case_photo_add(case=case, upload=upload)
    return case


@transaction.atomic
def case_update(
    *, case: PracticeCase, instruments: Iterable[str], photos: Iterable = (), **values
) -> PracticeCase:
    if case.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(_("Iesniegtu vai publicētu piemēru labot nevar."))
    for name in CASE_FIELDS:
        if name in values:
            setattr(case, name, values[name])
    codes = _validate(case, instruments)
    _refresh_search_key(case)
    case.save()
    _set_instruments(case, codes)
    for upload in photos:
        case_photo_add(case=case, upload=upload)
    return case


def case_photo_add(*, case: PracticeCase, upload, caption: str = "") -> CasePhoto:
    """Raises ValidationError (from the registry's image checks) for anything but a picture."""
    stored = image_store(upload=upload, folder="practices")
    return CasePhoto.objects.create(case=case, file=stored.name, caption=caption[:200])


@transaction.atomic
def case_photo_delete(*, case: PracticeCase, photo_id: int) -> None:
    """Remove a photo of a case still being written; the file goes after the commit."""
    if case.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(_("Iesniegtu vai publicētu piemēru labot nevar."))
    photo = case.photos.filter(pk=photo_id).first()
    if photo is None:
        raise ValidationError(_("Foto nav atrasts."))
    photo.delete()
    transaction.on_commit(lambda: image_delete(photo.file))


@transaction.atomic
def case_submit(*, case: PracticeCase) -> PracticeCase:
    if case.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(_("Piemērs jau ir iesniegts."))
    if case.municipality_id is None:
        raise ValidationError(_("Piemēram nav pašvaldības, kas to varētu izskatīt."))
    case.status = Status.SUBMITTED
    case.save(update_fields=["status", "updated_at"])
    return case


@transaction.atomic
def case_review(
    *, case: PracticeCase, reviewer: User | None, publish: bool, note: str = ""
) -> PracticeCase:
    """Publish a submitted case, or return it to its authors with a note."""
    if case.status != Status.SUBMITTED:
        raise ValidationError(_("Izskatīt var tikai iesniegtu piemēru."))
    if not publish and not note.strip():
        raise ValidationError({"note": _("Uzrakstiet, kas jālabo.")})
    case.status = Status.PUBLISHED if publish else Status.RETURNED
    case.review_note = note.strip()
    case.reviewed_by = reviewer
    if publish:
        case.published_at = timezone.now()
    case.save(update_fields=["status", "review_note", "reviewed_by", "published_at", "updated_at"])
    return case


@transaction.atomic
def case_withdraw(*, case: PracticeCase) -> PracticeCase:
    """Take a published case out of the library: a draft again, for its community to
    correct and submit anew. Replication threads about it stay with their communities."""
    case = PracticeCase.objects.select_for_update().get(pk=case.pk)
    if case.status != Status.PUBLISHED:
        raise ValidationError(_("Atsaukt var tikai publicētu piemēru."))
    case.status = Status.DRAFT
    case.published_at = None
    case.save(update_fields=["status", "published_at", "updated_at"])
    return case


@dataclass(frozen=True)
class ReplicationResult:
    request: ReplicationRequest
    created: bool


@transaction.atomic
def replication_request(
    *, case: PracticeCase, community: Community, actor: User, message: str
) -> ReplicationResult:
    """ "We want to do this too" from `community`: a request and its first message.

    Asking again from the same community adds the message to the existing thread.
    """
    if case.status != Status.PUBLISHED:
        raise ValidationError(_("Pieprasīt var tikai publicētu piemēru."))
    if not is_coordinator(actor, community):
        raise PermissionDenied
    if community.pk == case.community_id:
        raise ValidationError(_("Šis ir jūsu pašu kopienas piemērs."))
    request, created = ReplicationRequest.objects.get_or_create(
        case=case, community=community, defaults={"requested_by": actor}
    )
    if message.strip():
        thread_message_post(request=request, side=community, author=actor, body=message)
    return ReplicationResult(request=request, created=created)


@transaction.atomic
def thread_message_post(
    *, request: ReplicationRequest, side: Community | Municipality, author: User, body: str
) -> ThreadMessage:
    """A message for one of the thread's two sides, by someone who may speak for it: a
    member of the community, or staff of the municipality answering for a case no community
    wrote. The other side is notified."""
    case = request.case
    if isinstance(side, Municipality):
        if case.community_id is not None or side.pk != case.municipality_id:
            raise PermissionDenied
        if not works_for_municipality(author, side):
            raise PermissionDenied
        written_for = {"municipality": side}
    else:
        if side.pk not in {request.community_id, case.community_id}:
            raise PermissionDenied
        if not is_member(author, side):
            raise PermissionDenied
        written_for = {"community": side}
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Ziņa ir tukša.")})
    if len(body) > 5000:
        raise ValidationError({"body": _("Ziņa ir par garu: ne vairāk kā 5000 rakstzīmju.")})
    message = ThreadMessage.objects.create(request=request, author=author, body=body, **written_for)
    notification_send(
        user_ids=_other_side_people(request, side),
        kind=THREAD,
        title=_("%(side)s: jauna ziņa sarunā par „%(case)s”")
        % {"side": side.name, "case": case.title},
        url=reverse("practices:thread", args=[request.pk]),
    )
    return message


def _other_side_people(request: ReplicationRequest, side: Community | Municipality) -> list[int]:
    """Who hears of a message: the other community's coordinators, or the municipality's
    staff where it answers for the case."""
    asking = request.community
    if isinstance(side, Community) and side.pk == asking.pk:
        other = request.case.community
        if other is None:
            return list(
                request.case.municipality.staff.filter(is_active=True).values_list("pk", flat=True)
            )
    else:
        other = asking
    return list(
        other.memberships.filter(role=CommunityMembership.Role.COORDINATOR).values_list(
            "user_id", flat=True
        )
    )


@transaction.atomic
def guide_save(
    *,
    slug: str,
    title: str,
    body: str,
    summary: str = "",
    author: User | None,
    note: str = "",
    position: int | None = None,
) -> Guide:
    """Create or change a guide; the new text is kept as a revision."""
    if not title.strip() or not body.strip():
        raise ValidationError(_("Rokasgrāmatai vajag nosaukumu un saturu."))
    guide = Guide.objects.select_for_update().filter(slug=slug).first() or Guide(slug=slug)
    guide.title, guide.body, guide.summary = title.strip(), body, summary.strip()
    if position is not None:
        guide.position = position
    guide.full_clean(exclude=["position"])
    guide.save()
    GuideRevision.objects.create(
        guide=guide,
        title=guide.title,
        summary=guide.summary,
        body=guide.body,
        author=author,
        note=note.strip()[:200],
    )
    return guide
