"""The ledger's services: what staff, communities and other modules see happen."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from kopiena.accounts.models import Notification
from kopiena.ledger import services
from kopiena.ledger.models import LedgerEntry, LedgerFollow, LedgerItem
from kopiena.ledger.services import (
    ledger_item_change_status,
    ledger_item_merge,
    ledger_item_progress,
    ledger_item_record,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = LedgerItem.Status


def photo(name="foto.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name="akts.pdf", body=b"") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\n" + body + b"\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- the cross-module contract --------------------------------------------------------------


def test_record_creates_once_and_updates_by_source_and_key(kekava, community, staff):
    first = ledger_item_record(
        municipality=kekava,
        source="grants.award",
        source_key="17",
        title="Atbalsts: soliņi parkā",
        community=community,
        due_date=date(2030, 5, 1),
    )
    again = ledger_item_record(
        municipality=kekava,
        source="grants.award",
        source_key="17",
        title="Atbalsts: soliņi parkā",
        community=community,
        due_date=date(2030, 5, 1),
    )
    assert again.pk == first.pk
    assert again.kind == LedgerItem.Kind.COMMITMENT
    assert first.entries.count() == 1

    moved = ledger_item_record(
        municipality=kekava,
        source="grants.award",
        source_key="17",
        title="Atbalsts: soliņi un galds parkā",
        community=community,
        due_date=date(2030, 6, 1),
        owner=staff,
    )
    assert moved.pk == first.pk
    assert moved.title == "Atbalsts: soliņi un galds parkā"
    assert moved.owner == staff
    details = moved.entries.get(kind=LedgerEntry.Kind.DETAILS)
    assert details.changes["due_date"] == {"old": "01.05.2030", "new": "01.06.2030"}
    assert details.voice == LedgerEntry.Voice.SYSTEM
    assert LedgerItem.objects.filter(source="grants.award").count() == 1


def test_record_accepts_a_deadline_that_has_passed(kekava):
    """Another module mirrors what it validated: an overdue report is what must show."""
    item = ledger_item_record(
        municipality=kekava,
        source="grants.report",
        source_key="3",
        title="Atskaite par projektu",
        due_date=timezone.localdate() - timedelta(days=3),
    )
    assert item.due_date < timezone.localdate()


def test_progress_moves_the_status_with_a_public_dated_entry(kekava):
    ledger_item_record(municipality=kekava, source="budgeting.project", source_key="5", title="X")
    item = ledger_item_progress(
        source="budgeting.project", source_key="5", status="in_progress", note="Līgums noslēgts."
    )
    assert item.status == Status.IN_PROGRESS
    entry = item.entries.get(kind=LedgerEntry.Kind.STATUS)
    assert (entry.status_from, entry.status_to, entry.note) == (
        "raised",
        "in_progress",
        "Līgums noslēgts.",
    )

    done = ledger_item_progress(source="budgeting.project", source_key="5", status="done")
    assert done.status == Status.DONE and done.outcome_at is not None
    assert done.days_to_outcome == 0
    assert done.stale_at is None


def test_progress_to_declined_needs_a_note(kekava):
    ledger_item_record(municipality=kekava, source="grants.award", source_key="9", title="X")
    with pytest.raises(ValidationError) as error:
        ledger_item_progress(source="grants.award", source_key="9", status="declined")
    assert "note" in error.value.error_dict
    item = ledger_item_progress(
        source="grants.award", source_key="9", status="declined", note="Projekts atsaukts."
    )
    assert item.status == Status.DECLINED and item.outcome_note == "Projekts atsaukts."


def test_progress_with_the_same_status_only_adds_the_note(kekava):
    ledger_item_record(municipality=kekava, source="grants.award", source_key="1", title="X")
    ledger_item_progress(source="grants.award", source_key="1", status="in_progress")
    item = ledger_item_progress(
        source="grants.award", source_key="1", status="in_progress", note="Iesniegta atskaite."
    )
    assert item.status == Status.IN_PROGRESS
    assert item.entries.filter(kind=LedgerEntry.Kind.UPDATE, note="Iesniegta atskaite.").exists()


def test_progress_on_a_merged_item_is_kept_as_a_note(kekava, make_item, staff):
    ledger_item_record(municipality=kekava, source="grants.award", source_key="2", title="X")
    mirrored = LedgerItem.objects.get(source="grants.award", source_key="2")
    target = make_item("Lielāks jautājums")
    ledger_item_merge(item=mirrored, into=target, actor=staff)
    item = ledger_item_progress(
        source="grants.award", source_key="2", status="done", note="Pabeigts."
    )
    assert item.status == Status.MERGED
    assert item.entries.filter(note="Pabeigts.").exists()


def test_progress_of_an_unknown_record_is_an_error(db):
    with pytest.raises(LedgerItem.DoesNotExist):
        ledger_item_progress(source="grants.award", source_key="404", status="done")


# --- creating -------------------------------------------------------------------------------


def test_a_coordinators_submission_is_due_in_one_month_and_followed(community, coordinator):
    item = services.ledger_item_submit(
        community=community, actor=coordinator, title="Gājēju pāreja pie skolas"
    )
    raised = timezone.localdate(item.raised_at)
    assert item.kind == LedgerItem.Kind.SUBMISSION
    assert item.due_date == services.add_month(raised)
    assert LedgerFollow.objects.filter(item=item, user=coordinator).exists()
    assert item.entries.get().voice == LedgerEntry.Voice.COMMUNITY
    assert (item.latitude, item.longitude) == (community.latitude, community.longitude)


def test_the_answer_period_is_a_municipal_setting(kekava, community, coordinator, staff):
    services.ledger_settings_save(
        municipality=kekava, actor=staff, answer_days=15, stale_after_days=30, reminder_days=7
    )
    item = services.ledger_item_submit(community=community, actor=coordinator, title="Soliņi")
    assert item.due_date == timezone.localdate(item.raised_at) + timedelta(days=15)


def test_a_month_from_the_31st_ends_on_the_months_last_day():
    assert services.add_month(date(2026, 1, 31)) == date(2026, 2, 28)
    assert services.add_month(date(2028, 1, 31)) == date(2028, 2, 29)
    assert services.add_month(date(2026, 12, 15)) == date(2027, 1, 15)


def test_only_a_coordinator_submits_for_a_community(community, member, other_coordinator):
    for person in (member, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.ledger_item_submit(community=community, actor=person, title="X")


def test_staff_of_another_municipality_cannot_add_items(kekava, other_staff, resident):
    for person in (other_staff, resident):
        with pytest.raises(PermissionDenied):
            services.ledger_item_create(municipality=kekava, actor=person, title="X")


def test_a_due_date_in_the_past_is_refused(kekava, staff, item):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.ledger_item_create(municipality=kekava, actor=staff, title="X", due_date=yesterday)
    assert "due_date" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.ledger_item_update_details(item=item, actor=staff, due_date=yesterday)
    assert "due_date" in error.value.error_dict
    assert not LedgerItem.objects.filter(title="X").exists()


def test_the_owner_must_work_for_the_municipality(kekava, staff, other_staff, item):
    with pytest.raises(ValidationError) as error:
        services.ledger_item_update_details(item=item, actor=staff, owner=other_staff)
    assert "owner" in error.value.error_dict


def test_new_items_reach_the_liaison_of_their_community(kekava, community, coordinator, staff):
    liaison_user = UserFactory(email="saite@kekava.lv", staff_of=[kekava])
    services.liaison_save(
        municipality=kekava,
        actor=staff,
        name="Laura Liepa",
        user=liaison_user,
        communities=[community],
    )
    item = services.ledger_item_submit(community=community, actor=coordinator, title="Soliņi")
    assert item.owner == liaison_user
    assert Notification.objects.filter(user=liaison_user, kind=services.NEW).exists()


def test_a_municipality_wide_liaison_gets_items_of_every_community(
    kekava, make_community, coordinator, staff
):
    liaison_user = UserFactory(email="visi@kekava.lv", staff_of=[kekava])
    services.liaison_save(
        municipality=kekava, actor=staff, name="Visu koordinators", user=liaison_user
    )
    elsewhere = make_community("Baložu kopiena", coordinator=coordinator)
    item = services.ledger_item_submit(community=elsewhere, actor=coordinator, title="Soliņi")
    assert item.owner == liaison_user


def test_bad_text_names_the_field(kekava, staff):
    with pytest.raises(ValidationError) as error:
        services.ledger_item_create(municipality=kekava, actor=staff, title="  ")
    assert "title" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.ledger_item_create(
            municipality=kekava, actor=staff, title="X", latitude="abc", longitude="1"
        )
    assert "latitude" in error.value.error_dict


def test_a_community_of_another_municipality_is_refused(kekava, olaine, make_community, staff):
    elsewhere = make_community("Olaines kopiena", municipality=olaine)
    with pytest.raises(ValidationError) as error:
        services.ledger_item_create(
            municipality=kekava, actor=staff, title="X", community=elsewhere
        )
    assert "community" in error.value.error_dict


# --- statuses -------------------------------------------------------------------------------


def test_declining_needs_a_reason(item, staff):
    with pytest.raises(ValidationError) as error:
        ledger_item_change_status(item=item, actor=staff, status="declined", note="  ")
    assert "note" in error.value.error_dict
    item.refresh_from_db()
    assert item.status == Status.RAISED
    declined = ledger_item_change_status(
        item=item, actor=staff, status="declined", note="Iela nav pašvaldības īpašumā."
    )
    assert declined.outcome_note == "Iela nav pašvaldības īpašumā."
    assert declined.outcome_at is not None


def test_the_process_is_followed(item, staff):
    ledger_item_change_status(item=item, actor=staff, status="accepted")
    ledger_item_change_status(item=item, actor=staff, status="in_progress")
    done = ledger_item_change_status(item=item, actor=staff, status="done", evidence=[photo()])
    assert done.status == Status.DONE
    entry = done.entries.get(status_to="done")
    assert entry.evidence.get().kind == "image"
    with pytest.raises(ValidationError):
        ledger_item_change_status(item=done, actor=staff, status="declined", note="x")
    with pytest.raises(ValidationError) as error:
        ledger_item_change_status(item=done, actor=staff, status="in_progress")
    assert "note" in error.value.error_dict
    reopened = ledger_item_change_status(
        item=done, actor=staff, status="in_progress", note="Laterna atkal nedeg."
    )
    assert reopened.outcome_at is None and reopened.stale_at is not None


def test_a_change_from_an_old_page_is_refused_not_lost(item, staff):
    other = UserFactory(full_name="Otrs Darbinieks", staff_of=[item.municipality])
    read_version = item.version
    ledger_item_change_status(
        item=item, actor=other, status="accepted", expected_version=read_version
    )
    with pytest.raises(services.LedgerConflict) as error:
        ledger_item_change_status(
            item=item, actor=staff, status="declined", note="Nav", expected_version=read_version
        )
    assert "Otrs Darbinieks" in error.value.messages[0]
    item.refresh_from_db()
    assert item.status == Status.ACCEPTED


def test_only_staff_of_the_municipality_change_an_item(item, other_staff, coordinator, resident):
    for person in (other_staff, coordinator, resident):
        with pytest.raises(PermissionDenied):
            ledger_item_change_status(item=item, actor=person, status="accepted")
        with pytest.raises(PermissionDenied):
            services.ledger_item_post_update(item=item, actor=person, note="x")


# --- merging --------------------------------------------------------------------------------


def test_an_item_cannot_be_merged_into_itself(item, staff):
    with pytest.raises(ValidationError) as error:
        ledger_item_merge(item=item, into=item, actor=staff)
    assert "into" in error.value.error_dict


def test_merges_cannot_form_a_cycle(make_item, staff):
    first, second, third = make_item("A"), make_item("B"), make_item("C")
    ledger_item_merge(item=first, into=second, actor=staff)
    with pytest.raises(PermissionDenied):  # a merged item is not open: it merges no further
        ledger_item_merge(item=first, into=third, actor=staff)
    with pytest.raises(ValidationError) as error:
        ledger_item_merge(item=second, into=first, actor=staff)
    assert "into" in error.value.error_dict
    ledger_item_merge(item=second, into=third, actor=staff)
    first.refresh_from_db()
    assert first.merged_into_id == third.pk  # the chain is flattened, never circular


def test_merging_moves_followers_and_is_on_both_timelines(item, make_item, staff, resident):
    services.ledger_item_follow(item=item, user=resident)
    target = make_item("Ielu apgaismojums novadā")
    merged = ledger_item_merge(item=item, into=target, actor=staff, note="Dublikāts.")
    assert merged.status == Status.MERGED and merged.stale_at is None
    assert LedgerFollow.objects.filter(item=target, user=resident).exists()
    assert target.entries.filter(kind=LedgerEntry.Kind.MERGED).exists()
    with pytest.raises(PermissionDenied):
        ledger_item_change_status(item=merged, actor=staff, status="accepted")


def test_items_of_two_municipalities_are_not_merged(item, olaine, other_staff, staff):
    elsewhere = services.ledger_item_create(municipality=olaine, actor=other_staff, title="Y")
    with pytest.raises(ValidationError):
        ledger_item_merge(item=item, into=elsewhere, actor=staff)


# --- timeline, followers and replies --------------------------------------------------------


def test_followers_hear_of_every_change_but_not_of_their_own(
    item, staff, coordinator, member, resident
):
    services.ledger_item_follow(item=item, user=resident)
    ledger_item_change_status(item=item, actor=staff, status="accepted", note="Iekļauts plānā.")
    told = set(
        Notification.objects.filter(kind=services.CHANGE, title__contains="pieņemts").values_list(
            "user_id", flat=True
        )
    )
    assert told == {coordinator.pk, member.pk, resident.pk}
    services.ledger_item_reply(item=item, actor=member, note="Paldies!")
    assert not Notification.objects.filter(
        user=member, title__startswith="Kopienas atbilde"
    ).exists()


def test_community_replies_interleave_and_do_not_make_an_item_fresh(item, staff, member):
    services.ledger_item_post_update(item=item, actor=staff, note="Pasūtītas jaunas laternas.")
    item.refresh_from_db()
    stale_at = item.stale_at
    services.ledger_item_reply(item=item, actor=member, note="Kad tās uzstādīs?")
    item.refresh_from_db()
    assert item.stale_at == stale_at
    kinds = list(item.entries.values_list("kind", flat=True))
    assert kinds == ["created", "update", "reply"]
    reply = item.entries.get(kind="reply")
    assert reply.actor_name == "Dalībnieks Jānis (Ķekavas Ūdri)"


def test_only_the_raising_community_replies(item, resident, other_coordinator, staff):
    for person in (resident, other_coordinator, staff):
        with pytest.raises(PermissionDenied):
            services.ledger_item_reply(item=item, actor=person, note="x")


def test_evidence_is_checked_by_content(item, staff):
    fake = SimpleUploadedFile("akts.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as error:
        services.ledger_item_post_update(item=item, actor=staff, note="Akts", evidence=[fake])
    assert "akts.pdf" in error.value.error_dict["evidence"][0].message
    scripted = pdf(body=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    with pytest.raises(ValidationError):
        services.ledger_item_post_update(item=item, actor=staff, note="Akts", evidence=[scripted])
    assert not item.entries.filter(kind="update").exists()
    entry = services.ledger_item_post_update(item=item, actor=staff, note="Akts", evidence=[pdf()])
    assert entry.evidence.get().content_type == "application/pdf"


# --- reminders and escalation ---------------------------------------------------------------


def test_the_owner_is_reminded_once_before_the_due_date(
    item, staff, django_capture_on_commit_callbacks
):
    services.ledger_item_update_details(
        item=item, actor=staff, owner=staff, due_date=timezone.localdate() + timedelta(days=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = services.ledger_send_reminders()
    again = services.ledger_send_reminders()
    assert (first.reminded, again.reminded) == (1, 0)
    assert Notification.objects.filter(user=staff, kind=services.REMINDER).count() == 1
    assert any(staff.email in message.to for message in mail.outbox)


def test_a_stale_item_escalates_to_the_liaison_once(item, kekava, staff, community):
    liaison_user = UserFactory(email="saite@kekava.lv", staff_of=[kekava])
    services.liaison_save(municipality=kekava, actor=staff, name="Laura", user=liaison_user)
    later = timezone.now() + timedelta(days=31)
    assert services.ledger_send_reminders(now=later).escalated == 1
    assert services.ledger_send_reminders(now=later).escalated == 0
    assert Notification.objects.filter(user=liaison_user, kind=services.STALE).count() == 1
    # The municipality speaks: the clock starts again.
    services.ledger_item_post_update(item=item, actor=staff, note="Darām.")
    item.refresh_from_db()
    assert item.escalated_at is None and item.stale_at > timezone.now()


def test_a_shorter_stale_period_applies_to_open_items_at_once(item, kekava, staff):
    services.ledger_settings_save(
        municipality=kekava, actor=staff, answer_days=None, stale_after_days=3, reminder_days=7
    )
    item.refresh_from_db()
    assert item.stale_at == item.last_staff_update_at + timedelta(days=3)


def test_settings_are_checked_and_only_for_own_staff(kekava, staff, other_staff):
    with pytest.raises(ValidationError) as error:
        services.ledger_settings_save(
            municipality=kekava, actor=staff, answer_days=0, stale_after_days=0, reminder_days=-1
        )
    assert set(error.value.error_dict) == {"answer_days", "stale_after_days", "reminder_days"}
    with pytest.raises(PermissionDenied):
        services.ledger_settings_save(
            municipality=kekava,
            actor=other_staff,
            answer_days=None,
            stale_after_days=30,
            reminder_days=7,
        )
