"""The public API as its clients meet it: every router documented, one page shape, errors as
problem+json, conditional GET, only public data, a throttle for anonymous floods."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from kopiena.communities import services as communities
from kopiena.communities.models import Community, ProfileChange
from kopiena.core import api
from kopiena.core.extensions import ApiRouter, contributions
from kopiena.network import services as network
from kopiena.reports import services as reports
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LISTS = ["communities", "municipalities", "reports", "practices", "news"]
PROBLEM = "application/problem+json"


def _problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == "about:blank" and body["status"] == status
    assert body["title"] and body["detail"]
    return body


def _details(everything_made: dict) -> dict[str, str]:
    """The address of one public item of every kind."""
    return {
        "community": reverse("api:community", args=["kekavas-udri"]),
        "report": reverse("api:report", args=[everything_made["report"].uuid]),
        "practice": reverse("api:practice", args=[everything_made["case"].slug]),
        "news_post": reverse("api:news_post", args=[everything_made["post"].pk]),
    }


@pytest.fixture
def made(everything, cases, posts, published_reports):
    return {
        "case": cases["published"],
        "post": posts["visible"],
        "report": published_reports["public"],
    }


def test_every_contributed_router_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    prefixes = {contribution.prefix for contribution in contributions(ApiRouter)}
    assert prefixes == set(LISTS)
    for prefix in prefixes:
        assert f"/api/v1/{prefix}/" in document["paths"]
    assert document["info"]["title"] == "Kopiena" and document["info"]["version"] == "1"
    problem_ref = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in document["paths"].values():
        for operation in operations.values():
            for status in ("400", "404", "429"):
                assert operation["responses"][status]["content"] == problem_ref


@pytest.mark.parametrize("name", LISTS)
def test_every_list_pages_alike(client, everything, name):
    url = reverse(f"api:{name}")
    first = client.get(url, {"page_size": 1}).json()
    assert list(first) == ["count", "next", "previous", "results"]
    assert first["count"] >= 1 and len(first["results"]) == 1 and first["previous"] is None
    assert (first["next"] is None) == (first["count"] == 1)
    last = client.get(url, {"page_size": 1, "page": first["count"]}).json()
    assert last["next"] is None
    if first["count"] > 1:
        assert f"page={first['count'] - 1}" in last["previous"]
    assert client.get(url).json()["count"] == first["count"]  # 50 a page by default
    _problem(client.get(url, {"page_size": 1, "page": first["count"] + 1}), 404)
    _problem(client.get(url, {"page": 10**30}), 404)


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    "query",
    [
        {"page": "x"},
        {"page": "\x00"},
        {"page": "0"},
        {"page": "-1"},
        {"page": "1.5"},
        {"page": ""},
        {"page_size": "0"},
        {"page_size": "-5"},
        {"page_size": "201"},
        {"page_size": str(10**30)},
        {"page_size": "\x00"},
    ],
)
def test_bad_page_parameters_are_a_400(client, name, query):
    body = _problem(client.get(reverse(f"api:{name}"), query), 400)
    assert [error["name"] for error in body["errors"]] == list(query)


@pytest.mark.parametrize(
    "name, query",
    [
        ("communities", {"q": "a\x00b"}),
        ("communities", {"q": "x" * 101}),
        ("communities", {"population": "daudz"}),
        ("communities", {"municipality": "nav/slugs"}),
        ("practices", {"topic": "\x00"}),
        ("news", {"community": "\x00"}),
        ("reports", {"survey": "%00"}),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(client, name, query):
    body = _problem(client.get(reverse(f"api:{name}"), query), 400)
    assert body["errors"][0]["location"] == "query"
    assert body["errors"][0]["name"] == next(iter(query))
    assert next(iter(query)) in body["detail"]


def test_unknown_items_and_addresses_are_problems(client, db):
    missing = _problem(client.get(reverse("api:community", args=["nav-tadas"])), 404)
    assert "Community" not in missing["detail"]  # not Django's message naming the model
    _problem(client.get(reverse("api:news_post", args=[2**63])), 400)
    _problem(client.get("/api/v1/reports/nav-uuid/"), 400)
    _problem(client.get("/api/v1/nav-tada-saraksta/"), 404)
    _problem(client.get("/api/v1/communities/a/b/"), 404)
    _problem(client.get("/api/v1/nav-tada-saraksta", follow=True), 404)


@pytest.mark.parametrize("name", LISTS)
def test_a_repeated_request_with_the_etag_is_not_modified(client, everything, name):
    url = reverse(f"api:{name}")
    first = client.get(url)
    assert first["Cache-Control"] == "no-cache"
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    assert client.get(url, {"page_size": 1}).status_code == 200  # another page, another tag


def test_details_answer_conditional_requests_too(client, made):
    for url in _details(made).values():
        first = client.get(url)
        assert first.status_code == 200
        assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_the_etag_changes_when_a_post_is_hidden(client, posts, staff):
    url = reverse("api:news")
    before = client.get(url)
    network.content_moderate(content=posts["visible"], moderator=staff, hide=True)
    after = client.get(url, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200 and after.json()["count"] == 0


def test_communities_are_modified_since_their_last_change(client, community):
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    Community.objects.update(updated_at=an_hour_ago)
    ProfileChange.objects.update(created_at=an_hour_ago)
    url = reverse("api:communities")
    first = client.get(url)
    since = first["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": since}).status_code == 304
    communities.community_update(community=community, actor=None, neighbourhood="Centrs")
    changed = client.get(url, headers={"If-Modified-Since": since})
    assert changed.status_code == 200 and changed.json()["results"][0]["neighbourhood"] == "Centrs"


def test_a_change_within_the_current_second_is_not_dated(client, community):
    """An HTTP date counts whole seconds: a time still in its second would hide a second
    change in that second from If-Modified-Since, so it is not sent."""
    assert "Last-Modified" not in client.get(reverse("api:communities"))
    assert "ETag" in client.get(reverse("api:communities"))


def test_practices_are_dated_and_lists_without_a_change_time_are_not(client, cases):
    from kopiena.practices.models import PracticeCase

    PracticeCase.objects.update(updated_at=timezone.now() - dt.timedelta(hours=1))
    response = client.get(reverse("api:practices"))
    assert response["Last-Modified"] == http_date(
        int(PracticeCase.objects.get(pk=cases["published"].pk).updated_at.timestamp())
    )
    for name in ("municipalities", "reports", "news"):
        assert "Last-Modified" not in client.get(reverse(f"api:{name}"))


def test_hidden_news_unpublished_reports_and_draft_cases_never_appear(
    client, cases, posts, published_reports
):
    news = client.get(reverse("api:news")).json()
    assert [post["title"] for post in news["results"]] == ["Talka sestdien"]
    _problem(client.get(reverse("api:news_post", args=[posts["hidden"].pk])), 404)

    listed = client.get(reverse("api:reports")).json()["results"]
    assert [report["uuid"] for report in listed] == [str(published_reports["public"].uuid)]
    _problem(client.get(reverse("api:report", args=[published_reports["private"].uuid])), 404)

    library = client.get(reverse("api:practices")).content.decode()
    assert "Talka Ūdru parkā" in library and "Melnraksts" not in library
    _problem(client.get(reverse("api:practice", args=[cases["draft"].slug])), 404)


def test_a_report_made_private_leaves_the_api(client, published_reports):
    public = published_reports["public"]
    reports.published_report_set_public(published=public, is_public=False)
    assert client.get(reverse("api:reports")).json()["count"] == 0
    _problem(client.get(reverse("api:report", args=[public.uuid])), 404)


def test_items_carry_their_public_fields_and_no_personal_data(client, made, community):
    case = client.get(_details(made)["practice"]).json()
    assert case["instruments"] == ["telpas"] and case["community"] == community.slug
    assert case["story"] == "Mēs **sakopām** parku." and case["url"].endswith(
        f"/practices/{made['case'].slug}/"
    )
    post = client.get(_details(made)["news_post"]).json()
    assert post["publisher"] == "Ķekavas Ūdri" and post["municipality"] == "kekavas_nov"
    report = client.get(_details(made)["report"]).json()
    assert {download["format"] for download in report["downloads"]} == {
        "json",
        "html",
        "pdf",
        "docx",
        "xlsx",
    }
    assert client.get(urlsplit(report["downloads"][0]["url"]).path).status_code == 200
    everything = "".join(
        client.get(reverse(f"api:{name}")).content.decode() for name in LISTS
    ) + "".join(client.get(url).content.decode() for url in _details(made).values())
    for private in ("privats@example.lv", "20000000", "anna@example.lv", "koordinators@"):
        assert private not in everything


def test_bodies_do_not_depend_on_the_clients_language(client, community):
    latvian = client.get(reverse("api:communities"), headers={"Accept-Language": "lv"})
    english = client.get(reverse("api:communities"), headers={"Accept-Language": "en"})
    assert latvian.content == english.content and latvian["ETag"] == english["ETag"]


def test_anonymous_floods_are_throttled_with_a_problem(client, monkeypatch, db):
    monkeypatch.setattr(api, "ANONYMOUS_REQUESTS", 2)
    url = reverse("api:municipalities")
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    throttled = client.get(url)
    _problem(throttled, 429)
    assert int(throttled["Retry-After"]) > 0
    client.force_login(UserFactory())
    assert client.get(url).status_code == 200


def test_docs_page_runs_no_inline_code_under_the_sites_csp(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    html = response.content.decode()
    scripts = html.split("<script")[1:]
    assert all(' src="/static/' in s or 'type="application/json"' in s for s in scripts)
    assert "cdn" not in html.lower() and "<style" not in html and "style=" not in html
    assert client.get("/api/v1/").url == "/api/v1/docs"
