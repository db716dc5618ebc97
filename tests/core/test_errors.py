"""Error pages speak Latvian, sit in the site's layout and lead back home."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_server_error_page_needs_nothing_but_the_template():
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Servera kļūda" in html and 'href="/"' in html


def test_forbidden_page(rf):
    request = rf.get("/kaut-kas/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Piekļuve liegta" in response.content.decode()


def test_too_many_requests_page_from_allauth(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    for _ in range(2):
        client.post("/accounts/login/", {"login": "a@example.lv", "password": "x"})
    response = client.post("/accounts/login/", {"login": "a@example.lv", "password": "x"})
    assert response.status_code == 429
    assert "Pārāk daudz mēģinājumu" in response.content.decode()
