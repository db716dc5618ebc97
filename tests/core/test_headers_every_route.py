"""Every URL without parameters, fetched anonymously, carries the security headers."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db


def plain_routes(patterns=None, prefix="") -> list[str]:
    """Paths of the URL patterns that take no parameters (the embed widget aside)."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = str(pattern.pattern)
        if "<" in route or "(?P" in route or route.startswith("^"):
            continue
        if isinstance(pattern, URLResolver):
            routes += plain_routes(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            routes.append("/" + prefix + route)
    return sorted({r for r in routes if "embed" not in r})


def test_there_are_routes_to_check():
    assert {"/", "/privatums/", "/health/", "/accounts/login/"} <= set(plain_routes())


@pytest.mark.parametrize("path", plain_routes())
def test_route_sends_security_headers(client, path):
    response = client.get(path, secure=True)
    csp = response.get("Content-Security-Policy", "")
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp, path
    assert "frame-ancestors 'none'" in csp, path
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert "max-age=" in response["Strict-Transport-Security"]
