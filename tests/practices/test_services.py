import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kopiena.practices import selectors, services
from kopiena.practices.models import PracticeCase

pytestmark = pytest.mark.django_db


def test_case_goes_from_draft_through_review_to_published(draft, staff):
    assert draft.status == "draft"
    assert draft.municipality == draft.community.municipality
    services.case_submit(case=draft)
    assert draft.status == "submitted"
    services.case_review(case=draft, reviewer=staff, publish=True)
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.published_at is not None
    assert list(selectors.case_library(selectors.LibraryFilters())) == [draft]


def test_returning_a_case_needs_a_note_and_reopens_it_for_editing(draft, staff):
    services.case_submit(case=draft)
    with pytest.raises(ValidationError) as error:
        services.case_review(case=draft, reviewer=staff, publish=False, note=" ")
    assert "note" in error.value.message_dict
    services.case_review(case=draft, reviewer=staff, publish=False, note="Pievienojiet izmaksas.")
    assert draft.status == "returned"
    services.case_update(case=draft, instruments=["telpas"], cost="250 EUR")
    assert draft.cost == "250 EUR"
    assert list(draft.instruments.values_list("code", flat=True)) == ["telpas"]


def test_a_submitted_case_cannot_be_edited(draft):
    services.case_submit(case=draft)
    with pytest.raises(ValidationError):
        services.case_update(case=draft, instruments=[], title="Cits")


def test_unknown_instrument_is_refused_and_nothing_is_written(community, coordinator):
    with pytest.raises(ValidationError) as error:
        services.case_create(
            community=community,
            author=coordinator,
            instruments=["nav_tads"],
            title="X",
            summary="Y",
        )
    assert "instruments" in error.value.message_dict
    assert not PracticeCase.objects.exists()


def test_bad_contact_email_names_the_field(community, coordinator):
    with pytest.raises(ValidationError) as error:
        services.case_create(
            community=community,
            author=coordinator,
            title="X",
            summary="Y",
            contact_email="nav-epasts",
        )
    assert "contact_email" in error.value.message_dict


def test_search_ignores_diacritics_and_filters_combine(published):
    find = selectors.case_library
    assert list(find(selectors.LibraryFilters(q="udru parka"))) == [published]
    assert list(find(selectors.LibraryFilters(q="ŪDRU"))) == [published]
    assert list(find(selectors.LibraryFilters(instrument="telpas"))) == [published]
    assert list(find(selectors.LibraryFilters(instrument="bonusi"))) == []
    assert list(find(selectors.LibraryFilters(municipality="kekavas_nov", topic="vide"))) == [
        published
    ]
    assert list(find(selectors.LibraryFilters(municipality="olaines_nov"))) == []


def test_replication_request_opens_a_thread_and_is_counted_once(published, asker, coordinator):
    result = services.replication_request(
        case=published, community=asker.asking_community, actor=asker, message="Kā jūs to sākāt?"
    )
    again = services.replication_request(
        case=published, community=asker.asking_community, actor=asker, message="Vēl jautājums."
    )
    assert result.created and not again.created
    services.thread_message_post(
        request=result.request,
        side=published.community,
        author=coordinator,
        body="Sākām ar kopsapulci.",
    )
    assert selectors.case_detail(published.slug).request_count == 1
    assert [m.body for m in result.request.messages.all()] == [
        "Kā jūs to sākāt?",
        "Vēl jautājums.",
        "Sākām ar kopsapulci.",
    ]


def test_a_community_cannot_ask_to_replicate_its_own_case(published, coordinator):
    with pytest.raises(ValidationError):
        services.replication_request(
            case=published, community=published.community, actor=coordinator, message="?"
        )


def test_only_a_coordinator_of_the_asking_community_may_ask(published, asker, resident):
    with pytest.raises(PermissionDenied):
        services.replication_request(
            case=published, community=asker.asking_community, actor=resident, message="?"
        )


def test_an_outsider_cannot_write_in_a_thread(published, asker, resident):
    request = services.replication_request(
        case=published, community=asker.asking_community, actor=asker, message="Sveiki"
    ).request
    with pytest.raises(PermissionDenied):
        services.thread_message_post(
            request=request, side=asker.asking_community, author=resident, body="Spams"
        )


def test_unpublished_case_cannot_be_requested(draft, asker):
    with pytest.raises(ValidationError):
        services.replication_request(
            case=draft, community=asker.asking_community, actor=asker, message="?"
        )


def test_guide_keeps_every_revision_and_sections_have_anchors(staff):
    services.guide_save(
        slug="sakums", title="Sākums", body="Ievads\n\n## Kopsapulce\nTeksts", author=staff
    )
    guide = services.guide_save(
        slug="sakums",
        title="Sākums",
        body="Ievads\n\n## Kopsapulce\nJauns\n\n## Talka un svētki\nX",
        author=staff,
        note="Pievienota talka",
    )
    assert guide.revisions.count() == 2
    intro, sections = selectors.guide_sections(guide)
    assert [s.anchor for s in sections] == ["kopsapulce", "talka-un-svetki"]
    assert "Jauns" in sections[0].html


@pytest.fixture
def seeded_case(kekava):
    """A case the library was seeded with: no community wrote it."""
    return PracticeCase.objects.create(
        title="Telpas sanāksmēm",
        slug="telpas",
        summary="Pašvaldība piešķir telpas.",
        municipality=kekava,
        status=PracticeCase.Status.PUBLISHED,
    )


def test_a_case_without_a_community_is_answered_by_its_municipalitys_staff(
    seeded_case, asker, staff, other_staff
):
    from kopiena.accounts.models import Notification

    request = services.replication_request(
        case=seeded_case, community=asker.asking_community, actor=asker, message="Kā pieteikties?"
    ).request
    assert Notification.objects.filter(user=staff).count() == 1
    side = selectors.thread_side(staff, request)
    assert side == seeded_case.municipality
    services.thread_message_post(request=request, side=side, author=staff, body="Rakstiet mums.")
    assert [m.side_name for m in request.messages.all()] == ["Baložu kopiena", "Ķekavas novads"]
    assert Notification.objects.filter(user=asker).count() == 1
    assert selectors.thread_side(other_staff, request) is None
    with pytest.raises(PermissionDenied):
        services.thread_message_post(
            request=request, side=seeded_case.municipality, author=other_staff, body="Es arī"
        )
    assert staff.has_perm("practices.view_thread", request)
    assert not other_staff.has_perm("practices.view_thread", request)


def test_a_thread_waiting_for_the_municipality_is_on_its_staffs_dashboard(
    client, seeded_case, asker, staff
):
    services.replication_request(
        case=seeded_case, community=asker.asking_community, actor=asker, message="Kā?"
    )
    client.force_login(staff)
    page = client.get("/panelis/mans-darbs/").content.decode()
    assert "„Telpas sanāksmēm”: atbildiet — Baložu kopiena" in page
