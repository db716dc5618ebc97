"""Sign-up, login, logout and password reset through allauth, as a person would do them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SIGNUP = "/accounts/signup/"
RESET = "/accounts/password/reset/"


def log_in(client, email, password, ip="198.51.100.7", **extra):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip, **extra)


def test_login_page_has_latvian_labels_other_tests_rely_on(client):
    html = client.get(LOGIN).content.decode()
    assert '<html lang="lv">' in html
    assert ">E-pasts" in html and ">Parole" in html
    assert re.search(r"<button[^>]*>\s*Ieiet\s*</button>", html)
    assert "placeholder" not in html


def test_signup_creates_an_e_mail_account_and_logs_in(client):
    response = client.post(
        SIGNUP,
        {
            "email": "Anna@Example.lv",
            "password1": "Kaldabruna-talka-2026",
            "password2": "Kaldabruna-talka-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="anna@example.lv")
    assert user.check_password("Kaldabruna-talka-2026")
    assert client.get("/").context["user"] == user
    # A confirmation e-mail goes out (the console backend prints it in development).
    assert len(mail.outbox) == 1 and "anna@example.lv" in mail.outbox[0].to[0].lower()


def test_login_with_e_mail_and_password(client):
    user = UserFactory()
    response = log_in(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert client.get("/").context["user"] == user


def test_wrong_password_is_refused_with_a_message(client):
    user = UserFactory()
    response = log_in(client, user.email, "nepareiza-parole-123")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not client.get("/").context["user"].is_authenticated


def test_passwords_are_stored_as_argon2id(settings):
    from config import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = UserFactory()
    user.set_password("Kaldabruna-talka-2026")
    user.save()
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert make_password("x").startswith("argon2$argon2id$")


@pytest.mark.parametrize(
    ("password", "code"),
    [("password1234", "password_too_common"), ("Zq8#rT2!mVx", "password_too_short")],
    ids=["common", "11-characters"],
)
def test_weak_passwords_are_refused(client, password, code):
    assert len(password) >= 11
    response = client.post(
        SIGNUP, {"email": "weak@example.lv", "password1": password, "password2": password}
    )
    assert response.status_code == 200
    codes = [error.code for error in response.context["form"].errors.as_data()["password1"]]
    assert code in codes
    assert not User.objects.filter(email="weak@example.lv").exists()


def test_ten_failures_from_one_address_lock_it_out_even_with_the_right_password(client):
    user = UserFactory()
    for _ in range(10):
        assert log_in(client, user.email, "minejums-123456", ip="203.0.113.5").status_code == 200
    response = log_in(client, user.email, PASSWORD, ip="203.0.113.5")
    assert response.status_code == 200
    assert not client.get("/").context["user"].is_authenticated


def error_codes(response) -> list[str]:
    return [e.code for e in response.context["form"].non_field_errors().as_data()]


def test_of_500_guesses_at_most_100_an_hour_are_checked_and_the_owner_can_still_reset(client):
    user = UserFactory()
    # An attacker spreads 500 guesses over fifty addresses, under the per-address limit.
    checked = 0
    for attacker in range(50):
        for _ in range(10):
            response = log_in(client, user.email, "minejums-123456", ip=f"203.0.113.{attacker + 1}")
            assert response.status_code == 200
            if "too_many_login_attempts" not in error_codes(response):
                checked += 1
    assert checked == 100

    # The next try is refused whoever makes it, even the owner with the right password.
    response = log_in(client, user.email, PASSWORD, ip="198.51.100.7")
    assert response.status_code == 200
    assert "too_many_login_attempts" in error_codes(response)
    assert not client.get("/").context["user"].is_authenticated

    # The owner resets the password from their own address and can log in again.
    owner = Client(REMOTE_ADDR="198.51.100.7")
    assert owner.post(RESET, {"email": user.email}).status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/\S*/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_page = owner.get(link, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    new_password = "Jauna-parole-Kazoku-2026"
    done = owner.post(action, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert log_in(owner, user.email, new_password).status_code == 302


def test_session_id_changes_at_login(client):
    user = UserFactory()
    session = client.session
    session["seen_before_login"] = True
    session.save()
    before = session.session_key
    log_in(client, user.email, PASSWORD)
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_ends_the_session(client):
    user = UserFactory()
    log_in(client, user.email, PASSWORD)
    key = client.cookies["sessionid"].value
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the old cookie gives an anonymous visitor.
    replay = Client()
    replay.cookies["sessionid"] = key
    assert not replay.get("/").context["user"].is_authenticated


def test_idle_session_expires_and_activity_extends_it(client, settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    user = UserFactory()
    log_in(client, user.email, PASSWORD)
    key = client.cookies["sessionid"].value
    session = Session.objects.get(session_key=key)
    Session.objects.filter(pk=key).update(
        expire_date=session.expire_date - timezone.timedelta(minutes=10)
    )
    client.get("/")
    assert Session.objects.get(pk=key).expire_date > session.expire_date - timezone.timedelta(
        minutes=1
    )

    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    assert not client.get("/").context["user"].is_authenticated


def test_login_does_not_redirect_to_another_site(client):
    user = UserFactory()
    for target in ["https://elsewhere.example/", "//elsewhere.example/", "https:elsewhere.example"]:
        client.logout()
        response = client.post(
            f"{LOGIN}?next={target}", {"login": user.email, "password": PASSWORD, "next": target}
        )
        assert response.status_code == 302
        assert "elsewhere.example" not in response["Location"]


def test_login_redirects_to_a_local_next_page(client):
    user = UserFactory()
    response = client.post(
        LOGIN, {"login": user.email, "password": PASSWORD, "next": "/privatums/"}
    )
    assert response["Location"] == "/privatums/"
