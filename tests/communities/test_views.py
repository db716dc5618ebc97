import io
import json

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kopiena.communities.models import Community, CommunityMembership, ProfileChange
from kopiena.surveys.models import Invitation, Response, Survey
from tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [c["name"] for c in response.context["communities"]]


def test_search_ignores_diacritics_and_case(client, make_community):
    make_community("Ķekavas Ūdri")
    make_community("Baloži")
    response = client.get(reverse("communities:directory"), {"q": "KEKAVAS udri"})
    assert _names(response) == ["Ķekavas Ūdri"]
    assert _names(client.get(reverse("communities:directory"), {"q": "balozi"})) == ["Baloži"]


def test_directory_in_latvian_alphabetical_order(client, make_community):
    for name in ["Zīles", "Šķēdes", "Āžu kalns", "Cīruļi", "Čiekuri", "Apšu iela", "Ķekava"]:
        make_community(name)
    names = _names(client.get(reverse("communities:directory")))
    assert names == ["Apšu iela", "Āžu kalns", "Cīruļi", "Čiekuri", "Ķekava", "Šķēdes", "Zīles"]


def test_filters(client, make_community, olaine):
    make_community("Vecā", founded_year=2010, legal_status="nevajag", population="lidz_200")
    make_community("Jaunā", founded_year=None, status="forming", population="virs_3000")
    make_community("Jaunolaine", municipality=olaine, founded_year=timezone.localdate().year - 1)
    url = reverse("communities:directory")
    assert _names(client.get(url, {"years_active": "virs_6"})) == ["Vecā"]
    assert _names(client.get(url, {"years_active": "veidojas"})) == ["Jaunā"]
    assert _names(client.get(url, {"years_active": "lidz_3"})) == ["Jaunolaine"]
    assert _names(client.get(url, {"municipality": "olaines_nov"})) == ["Jaunolaine"]
    assert _names(client.get(url, {"population": "virs_3000"})) == ["Jaunā"]
    assert _names(client.get(url, {"legal_status": "nevajag"})) == ["Vecā"]
    assert _names(client.get(url, {"status": "forming"})) == ["Jaunā"]


def test_pagination_keeps_the_order_and_the_filters(client, make_community):
    for n in range(30):
        make_community(f"Kopiena {n:02d}")
    url = reverse("communities:directory")
    first = client.get(url, {"q": "kopiena"})
    second = client.get(url, {"q": "kopiena", "page": 2})
    assert _names(first) + _names(second) == [f"Kopiena {n:02d}" for n in range(30)]
    assert "q=kopiena&amp;page=2" in first.content.decode()


def test_directory_query_count_does_not_grow_with_the_page(
    client, make_community, django_assert_max_num_queries
):
    for n in range(3):
        make_community(f"Maza {n}")
    with django_assert_max_num_queries(4) as few:
        client.get(reverse("communities:directory"))
    for n in range(40):
        make_community(f"Liela {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("communities:directory"), {"q": "a"})
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        client.get(reverse("communities:map"))


def test_map_page_lists_communities_and_allows_only_the_tile_origin(client, community, settings):
    settings.KOPIENA_MAP_TILES_URL = "https://{s}.tiles.example.lv/{z}/{x}/{y}.png"
    response = client.get(reverse("communities:map"))
    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data: https://*.tiles.example.lv" in policy
    assert "script-src 'self'" in policy
    body = response.content.decode()
    assert "Ķekavas Ūdri" in body  # the list is there without JavaScript
    data = response.context["map_data"]
    assert data["points"] == [
        {"name": "Ķekavas Ūdri", "url": "/communities/kekavas-udri/", "lat": 56.827, "lon": 24.231}
    ]
    directory = client.get(reverse("communities:directory"))
    assert "tiles.example.lv" not in directory["Content-Security-Policy"]


def test_stored_xss_in_name_and_description_is_inert(client, make_community, coordinator):
    community = make_community(
        '<svg onload=alert(1)>"><script>alert(2)</script>',
        description="[klikšķis](javascript:alert(3))\n\n<img src=x onerror=alert(4)>",
    )
    for url in (
        reverse("communities:profile", args=[community.slug]),
        reverse("communities:directory"),
        reverse("communities:map"),
        reverse("communities:feed_atom"),
    ):
        body = client.get(url).content.decode()
        assert "<svg onload" not in body and "<script>alert" not in body, url
        assert "onerror=alert" not in body and "javascript:alert" not in body, url


def test_edit_profile_through_the_form_records_the_change(client, community, coordinator):
    client.force_login(coordinator)
    url = reverse("communities:edit", args=[community.slug])
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        name="Ķekavas Ūdri",
        status="active",
        population="200_1000",
        legal_status="biedriba",
        registration_number="12345678901",
        links_text="https://udri.example.lv\n",
    )
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Uzņēmumu reģistra" in html and 'aria-invalid="true"' in html
    community.refresh_from_db()
    assert community.population == ""  # nothing half-saved

    data["registration_number"] = "40003000642"
    response = client.post(url, data)
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.registration_number == "40003000642"
    assert community.links == [{"url": "https://udri.example.lv", "title": ""}]
    change = ProfileChange.objects.filter(community=community, action="update").get()
    assert change.actor == coordinator and "registration_number" in change.changes
    history = client.get(reverse("communities:history", args=[community.slug])).content.decode()
    assert "registration_number" in history and "40003000642" in history


def test_join_and_leave_as_resident(client, community, resident):
    client.force_login(resident)
    client.post(reverse("communities:join", args=[community.slug]))
    assert community.memberships.filter(user=resident, role="member").exists()
    client.post(reverse("communities:leave", args=[community.slug]))
    assert not community.memberships.filter(user=resident).exists()


def test_join_requires_login_and_post(client, community):
    assert client.get(reverse("communities:join", args=[community.slug])).status_code == 405
    response = client.post(reverse("communities:join", args=[community.slug]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert not CommunityMembership.objects.filter(community=community, role="member").exists()


def test_api_lists_communities_paginated_with_filters(client, make_community):
    for n in range(5):
        make_community(f"Ķekavas kopiena {n}", population="lidz_200")
    response = client.get(reverse("api:communities"), {"q": "kekavas", "page_size": 2})
    data = response.json()
    assert data["count"] == 5 and len(data["results"]) == 2 and data["previous"] is None
    assert "page=2" in data["next"]
    assert data["results"][0]["name"] == "Ķekavas kopiena 0"
    assert data["results"][0]["population"] == "lidz_200"
    assert client.get(reverse("api:communities"), {"page": 9}).status_code == 404
    assert client.get(reverse("api:communities"), {"page": "x"}).status_code == 400
    municipalities = client.get(reverse("api:municipalities"), {"page_size": 100}).json()
    assert municipalities["count"] == 43
    assert {"slug": "kekavas_nov", "name": "Ķekavas novads"}.items() <= next(
        m for m in municipalities["results"] if m["slug"] == "kekavas_nov"
    ).items()


def test_openapi_document_describes_every_api_path(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    # Other apps' routers are listed too (tests/api): the registry's are all there.
    assert set(document["paths"]) >= {
        "/api/v1/communities/",
        "/api/v1/communities/{slug}/",
        "/api/v1/municipalities/",
    }
    refs = json.dumps(document).count("#/components/schemas/")
    assert refs >= 3 and set(document["components"]["schemas"]) >= {"Community", "Municipality"}


def test_feeds_list_new_communities(client, make_community):
    make_community("Jāņupe")
    atom = client.get(reverse("communities:feed_atom"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "Jāņupe" in atom.content.decode()
    parsed = feedparser.parse(atom.content)
    assert not parsed.bozo and parsed.version == "atom10"
    assert all(entry.get("updated") for entry in parsed.entries)  # required by RFC 4287
    rss = client.get(reverse("communities:feed_rss"))
    assert "<rss" in rss.content.decode() and "Jāņupe" in rss.content.decode()


def test_overview_shows_indicators_sorts_exports_and_invites(
    client, community, make_community, staff, member
):
    other = make_community(
        "Baloži", founded_year=2015, legal_status="nevajag", start_trigger="talka"
    )
    survey = SurveyFactory(status=Survey.Status.PUBLISHED)
    # An anonymous survey: the response keeps no link, the used invitation shows it.
    Invitation.objects.create(
        survey=survey, community=community, token="t1", used_at=timezone.now()
    )
    Response.objects.create(
        survey=survey, status=Response.Status.COMPLETE, submitted_at=timezone.now()
    )
    client.force_login(staff)
    url = reverse("communities:overview", args=["kekavas_nov"])
    rows = list(client.get(url).context["rows"])
    assert [r.name for r in rows] == ["Baloži", "Ķekavas Ūdri"]
    assert [r.answered_survey for r in rows] == [False, True]
    assert [r.member_count for r in rows] == [0, 2]
    by_members = client.get(url, {"sort": "-members"}).context["rows"]
    assert [r.name for r in by_members] == ["Ķekavas Ūdri", "Baloži"]
    filtered = client.get(url, {"legal_status": "nevajag"}).context["rows"]
    assert [r.name for r in filtered] == ["Baloži"]

    export = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Kopiena" and values[1][0] == "Baloži"
    assert values[1][9] == "talka vai cita kopīga fiziska darbība" and values[2][10] == "jā"

    second = SurveyFactory(status=Survey.Status.PUBLISHED)
    response = client.post(url, {"survey": second.pk, "communities": [community.pk, other.pk]})
    assert response.status_code == 302
    assert Invitation.objects.filter(survey=second).count() == 2


def test_overview_invite_refuses_a_foreign_survey(client, community, staff, olaine):
    foreign = SurveyFactory(municipality=olaine, status=Survey.Status.PUBLISHED)
    client.force_login(staff)
    url = reverse("communities:overview", args=["kekavas_nov"])
    response = client.post(url, {"survey": foreign.pk, "communities": [community.pk]})
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_staff_create_community_for_own_municipality(client, staff, olaine):
    client.force_login(staff)
    url = reverse("communities:create")
    response = client.post(
        url, {"name": "Jaunolaine", "municipality": olaine.pk, "status": "active"}
    )
    assert response.status_code == 200  # Olaine is not a choice for Ķekava's staff
    response = client.post(
        url, {"name": "Baldone", "municipality": staff.staff_of.get().pk, "status": "active"}
    )
    assert response.status_code == 302
    assert Community.objects.filter(name="Baldone", municipality__slug="kekavas_nov").exists()


def test_staff_find_their_overview_from_the_directory(client, staff):
    client.force_login(staff)
    body = client.get(reverse("communities:directory")).content.decode()
    assert reverse("communities:overview", args=["kekavas_nov"]) in body
    assert reverse("communities:create") in body


def test_overview_export_never_writes_a_formula(client, make_community, staff):
    make_community('=HYPERLINK("https://example.com","x")')
    client.force_login(staff)
    url = reverse("communities:overview", args=["kekavas_nov"])
    export = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    cell = sheet["A2"]
    assert cell.value == '=HYPERLINK("https://example.com","x")' and cell.data_type == "s"
