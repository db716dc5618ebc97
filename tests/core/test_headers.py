"""Security headers on every kind of page: a normal page, a form, a missing page."""

import pytest

pytestmark = pytest.mark.django_db

ROUTES = ["/", "/en/", "/accounts/login/", "/privatums/", "/no-such-page/"]


def csp_directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1] if " " in part.strip() else ""
        for part in header.split(";")
        if part.strip()
    }


@pytest.mark.parametrize("url", ROUTES)
def test_every_route_sends_the_security_headers(client, url):
    response = client.get(url, secure=True)
    assert response.status_code in (200, 404)
    csp = csp_directives(response)
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    hsts = response["Strict-Transport-Security"]
    max_age = int(hsts.split("max-age=")[1].split(";")[0])
    assert max_age >= 365 * 24 * 60 * 60
    assert "includeSubDomains" in hsts


def test_missing_page_is_a_latvian_404_in_the_site_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Lapa nav atrasta" in html and 'id="main"' in html


def test_health_check_reports_the_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_privacy_page_is_public(client):
    response = client.get("/privatums/")
    assert response.status_code == 200
    assert "Privātuma politika" in response.content.decode()


STATIC = ["/static/core/kopiena.css", "/static/core/favicon.svg", "/static/vendor/htmx.min.js"]


@pytest.mark.parametrize("path", STATIC)
def test_static_files_carry_the_same_security_headers_as_pages(client, settings, path):
    """WhiteNoise answers static files itself: they must still carry every header."""
    # Production serves the collected files; this test finds them where they are.
    settings.WHITENOISE_USE_FINDERS = True
    response = client.get(path, secure=True)
    assert response.status_code == 200
    page = client.get("/", secure=True)
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Permissions-Policy",
        "Strict-Transport-Security",
    ):
        assert response.get(header) == page[header], header
