"""Pages of the library: who may open and change what, and what they show."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kopiena.practices import services
from kopiena.practices.models import PracticeCase
from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def _png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(out, format="PNG")
    out.name = "foto.png"
    out.seek(0)
    return out


def test_coordinator_creates_a_draft_with_a_photo(client, community, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("practices:new"),
        {
            "community": community.pk,
            "title": "Soliņi",
            "summary": "Uzlikām soliņus.",
            "story": "",
            "topic": "vide",
            "cost": "",
            "funding_source": "",
            "outcome": "",
            "contact_name": "",
            "contact_email": "",
            "instruments": ["infrastruktura"],
            "photo_upload": _png(),
        },
    )
    case = PracticeCase.objects.get()
    assert response.status_code == 302
    assert case.status == "draft" and case.photos.count() == 1


def test_a_non_picture_is_refused_with_a_message_and_nothing_saved(client, community, coordinator):
    client.force_login(coordinator)
    fake = io.BytesIO(b"<html>nav attels</html>")
    fake.name = "foto.png"
    response = client.post(
        reverse("practices:new"),
        {
            "community": community.pk,
            "title": "X",
            "summary": "Y",
            "topic": "vide",
            "photo_upload": fake,
        },
    )
    assert response.status_code == 200
    assert "nav atpazīstams attēls" in response.content.decode()
    assert not PracticeCase.objects.exists()


def test_resident_cannot_add_a_case(client, resident):
    client.force_login(resident)
    assert client.get(reverse("practices:new")).status_code == 403


def test_member_cannot_add_a_case_for_a_community_they_do_not_coordinate(
    client, community, member, asker
):
    client.force_login(asker)
    response = client.post(
        reverse("practices:new"),
        {"community": community.pk, "title": "X", "summary": "Y", "topic": "vide"},
    )
    assert response.status_code == 200  # the community is not among the choices
    assert not PracticeCase.objects.exists()


@pytest.mark.parametrize("who", ["resident", "member", "asker", "staff"])
def test_only_coordinators_edit_and_submit_a_draft(client, draft, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("practices:edit", args=[draft.slug])).status_code in (403, 404)
    assert client.post(reverse("practices:submit", args=[draft.slug])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_draft_is_hidden_from_the_public(client, draft):
    assert client.get(reverse("practices:detail", args=[draft.slug])).status_code == 404


@pytest.mark.parametrize("who", ["coordinator", "other_staff", "resident"])
def test_only_staff_of_the_case_municipality_review(client, draft, request, who):
    services.case_submit(case=draft)
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("practices:review", args=[draft.slug]), {"decision": "publish"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_staff_publishes_from_the_queue(client, draft, staff):
    services.case_submit(case=draft)
    client.force_login(staff)
    assert draft.title in client.get(reverse("practices:review_queue")).content.decode()
    client.post(reverse("practices:review", args=[draft.slug]), {"decision": "publish", "note": ""})
    draft.refresh_from_db()
    assert draft.status == "published"


@pytest.mark.parametrize("who", ["coordinator", "staff"])
def test_authors_or_reviewers_withdraw_a_published_case(client, published, request, who):
    client.force_login(request.getfixturevalue(who))
    detail = reverse("practices:detail", args=[published.slug])
    assert "Atsaukt publicēšanu" in client.get(detail).content.decode()

    response = client.post(reverse("practices:withdraw", args=[published.slug]))

    assert response.status_code == 302
    published.refresh_from_db()
    assert (published.status, published.published_at) == ("draft", None)
    assert published.title not in client.get(reverse("practices:library")).content.decode()
    client.logout()
    assert client.get(detail).status_code == 404


@pytest.mark.parametrize("who", ["other_staff", "resident", "asker", "member"])
def test_others_cannot_withdraw_a_case(client, published, request, who):
    client.force_login(request.getfixturevalue(who))
    detail = reverse("practices:detail", args=[published.slug])
    assert "Atsaukt publicēšanu" not in client.get(detail).content.decode()

    assert client.post(reverse("practices:withdraw", args=[published.slug])).status_code == 403
    published.refresh_from_db()
    assert published.status == "published"


def test_a_visitor_withdrawing_is_sent_to_log_in(client, published):
    response = client.post(reverse("practices:withdraw", args=[published.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    published.refresh_from_db()
    assert published.status == "published"


def test_only_a_published_case_can_be_withdrawn(client, draft, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("practices:withdraw", args=[draft.slug])).status_code == 403
    with pytest.raises(ValidationError):
        services.case_withdraw(case=draft)


def test_anonymous_cannot_ask_to_replicate(client, published):
    response = client.post(reverse("practices:replicate", args=[published.slug]), {"message": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_outsider_cannot_read_a_thread(client, published, asker, resident):
    thread = services.replication_request(
        case=published, community=asker.asking_community, actor=asker, message="Privāti"
    ).request
    client.force_login(resident)
    assert client.get(reverse("practices:thread", args=[thread.pk])).status_code == 403
    assert (
        client.post(reverse("practices:thread", args=[thread.pk]), {"body": "x"}).status_code == 403
    )


def test_admin_outside_both_communities_is_not_offered_a_reply(client, published, asker):
    thread = services.replication_request(
        case=published, community=asker.asking_community, actor=asker, message="Sveiki"
    ).request
    client.force_login(AdminFactory())
    response = client.get(reverse("practices:thread", args=[thread.pk]))
    assert response.status_code == 200
    assert response.context["side"] is None
    assert "Atbildēt kopienas" not in response.content.decode()
    assert (
        client.post(reverse("practices:thread", args=[thread.pk]), {"body": "x"}).status_code == 403
    )


@pytest.mark.parametrize("who", ["resident", "coordinator"])
def test_guide_editing_is_for_staff(client, request, who):
    services.guide_save(slug="sakums", title="Sākums", body="Teksts", author=None)
    client.force_login(request.getfixturevalue(who))
    assert (
        client.post(
            reverse("practices:guide_edit", args=["sakums"]), {"title": "Uzlauzts", "body": "x"}
        ).status_code
        == 403
    )
    assert client.get(reverse("practices:guide_history", args=["sakums"])).status_code == 403


def test_staff_edits_a_guide_and_history_shows_it(client, staff):
    services.guide_save(slug="sakums", title="Sākums", body="## Kopsapulce\nTeksts", author=None)
    client.force_login(staff)
    client.post(
        reverse("practices:guide_edit", args=["sakums"]),
        {"title": "Sākums", "summary": "", "body": "## Kopsapulce\nJauns", "note": "Precizēts"},
    )
    page = client.get(reverse("practices:guide", args=["sakums"])).content.decode()
    assert 'id="kopsapulce"' in page and "Jauns" in page
    assert (
        "Precizēts"
        in client.get(reverse("practices:guide_history", args=["sakums"])).content.decode()
    )


def test_stored_xss_in_every_case_field_and_thread_is_inert(
    client, community, coordinator, staff, asker
):
    case = services.case_create(
        community=community,
        author=coordinator,
        title=XSS,
        summary=XSS,
        story=XSS + "[x](javascript:alert(3))",
        cost=XSS,
        funding_source=XSS,
        outcome=XSS,
        contact_name=XSS,
        topic="vide",
    )
    services.case_submit(case=case)
    services.case_review(case=case, reviewer=staff, publish=True)
    thread = services.replication_request(
        case=case, community=asker.asking_community, actor=asker, message=XSS
    )
    services.guide_save(
        slug="xss", title=XSS, summary=XSS, body=XSS + "\n## " + XSS + "\nx", author=None
    )
    client.force_login(asker)
    pages = [
        client.get(reverse("practices:detail", args=[case.slug])),
        client.get(reverse("practices:library")),
        client.get(reverse("practices:thread", args=[thread.request.pk])),
        client.get(reverse("practices:guide", args=["xss"])),
        client.get(reverse("practices:guides")),
    ]
    for response in pages:
        html = response.content.decode()
        assert "<script>alert(1)" not in html
        assert "<img src=x" not in html
        assert "javascript:alert" not in html


def test_library_queries_do_not_grow_with_cases(client, django_assert_max_num_queries):
    from django.core.management import call_command

    call_command("demo_practices")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("practices:library"))
    assert response.status_code == 200


def test_coordinator_deletes_a_photo_of_a_draft_and_others_cannot(
    client, draft, coordinator, asker
):
    photo = services.case_photo_add(
        case=draft, upload=SimpleUploadedFile("f.png", _png().getvalue())
    )
    url = reverse("practices:photo_delete", args=[draft.slug])
    client.force_login(asker)
    assert client.post(url, {"photo": photo.pk}).status_code == 403
    assert draft.photos.count() == 1
    client.force_login(coordinator)
    page = client.get(reverse("practices:edit", args=[draft.slug])).content.decode()
    assert photo.file in page
    client.post(url, {"photo": photo.pk})
    assert draft.photos.count() == 0
