"""A state-changing POST without the CSRF token, or with someone else's, is refused."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_signup_without_token_is_refused_and_creates_nothing():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/signup/",
        {
            "email": "csrf@example.lv",
            "password1": "Kaldabruna-talka-2026",
            "password2": "Kaldabruna-talka-2026",
        },
    )
    assert response.status_code == 403
    assert "Veidlapa novecojusi" in response.content.decode()
    assert not User.objects.filter(email="csrf@example.lv").exists()


def test_logout_with_a_foreign_token_is_refused_and_the_session_stays():
    user = UserFactory()
    victim = Client(enforce_csrf_checks=True)
    victim.force_login(user)
    victim.get("/accounts/logout/")
    attacker = Client(enforce_csrf_checks=True)
    attacker.get("/accounts/login/")
    foreign_token = attacker.cookies["csrftoken"].value
    response = victim.post("/accounts/logout/", {"csrfmiddlewaretoken": foreign_token})
    assert response.status_code == 403
    assert victim.get("/").context["user"] == user


def test_login_with_the_right_token_works():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
