"""Latvian by default, English on request; the switch keeps the visitor on the same page."""

import pytest

pytestmark = pytest.mark.django_db


def test_latvian_is_the_default(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="lv">' in html
    assert "Pāriet uz saturu" in html
    assert 'lang="en">English</button>' in html


def test_english_pages_are_translated(client):
    html = client.get("/en/privatums/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html and "Privacy policy" in html
    assert 'lang="lv">Latviešu</button>' in html


@pytest.mark.parametrize(
    ("language", "page", "expected"),
    [("en", "/privatums/", "/en/privatums/"), ("lv", "/en/privatums/", "/privatums/")],
)
def test_switching_language_stays_on_the_same_page(client, language, page, expected):
    html = client.get(page).content.decode()
    assert f'<input name="next" type="hidden" value="{expected}">' in html
    response = client.post("/i18n/setlang/", {"language": language, "next": expected})
    assert response["Location"] == expected
    assert f'<html lang="{language}">' in client.get(expected).content.decode()


def test_dates_use_the_latvian_format(client):
    import datetime

    from django.utils import formats, translation

    with translation.override("lv"):
        assert formats.date_format(datetime.date(2026, 3, 7), "SHORT_DATE_FORMAT") == "07.03.2026"
