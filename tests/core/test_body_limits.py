"""Request bodies are refused from their declared size before they are read (issue 13, item 8).

Every form may send settings.KOPIENA_MAX_FORM_BYTES; the upload routes named in
settings.KOPIENA_MAX_UPLOAD_BYTES their files on top. A body without a length (chunked)
is read only up to the same limit.
"""

import io
import random

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from PIL import Image

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class CountingBody:
    """A request body produced on demand, counting how much of it the server read.

    By default a multipart form whose one file goes on for `size` bytes, the way a
    browser would send a large upload."""

    PREFIX = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n"
    )

    def __init__(self, size: int, content: bytes | None = None):
        self.size, self.consumed = size, 0
        self.content = content if content is not None else self.PREFIX

    def read(self, size: int = -1) -> bytes:
        left = self.size - self.consumed
        wanted = left if size is None or size < 0 else min(size, left)
        start = min(self.consumed, len(self.content))
        data = self.content[start : start + wanted]
        data += b"x" * (wanted - len(data))
        self.consumed += len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def post_body(client, path, body: CountingBody, *, declared: bool, **extra):
    environ = {"wsgi.input": body, "CONTENT_TYPE": "multipart/form-data; boundary=x", **extra}
    if declared:
        environ["CONTENT_LENGTH"] = str(body.size)
    else:
        environ |= {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True}
    return client.generic("POST", path, b"", **environ)


@pytest.mark.parametrize("csrf", [False, True], ids=["client", "csrf-checked"])
def test_300_mb_to_the_login_page_is_refused_unread(csrf):
    client = Client(enforce_csrf_checks=csrf)
    client.get("/accounts/login/")  # a CSRF cookie, as a browser or a script would have
    body = CountingBody(300 * MB)
    response = post_body(client, "/accounts/login/", body, declared=True)
    assert body.consumed == 0
    assert response.status_code == 413
    html = response.content.decode()
    assert "par lielu" in html and 'id="main"' in html  # Latvian, in the site's layout
    assert "1 MB" in html


def test_the_refusal_speaks_english_on_english_pages():
    body = CountingBody(300 * MB)
    response = post_body(Client(), "/en/accounts/login/", body, declared=True)
    assert response.status_code == 413 and body.consumed == 0
    assert "too large" in response.content.decode()


def test_a_chunked_body_is_read_only_up_to_the_limit():
    body = CountingBody(300 * MB)
    response = post_body(Client(), "/accounts/login/", body, declared=False)
    assert body.consumed <= 1 * MB + 1
    assert response.status_code == 413


def test_a_chunked_form_within_the_limit_is_read_whole(client):
    form = b"login=anna%40example.lv&password=nepareiza-parole-123"
    body = CountingBody(len(form), content=form)
    response = post_body(
        client,
        "/accounts/login/",
        body,
        declared=False,
        CONTENT_TYPE="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert response.context["form"].data["login"] == "anna@example.lv"


def test_an_upload_route_takes_its_own_limit_and_no_more(client):
    coordinator = UserFactory()
    from kopiena.communities import services
    from tests.factories import municipality

    community = services.community_create(
        name="Ūdri", municipality=municipality("kekavas_nov"), actor=None, coordinator=coordinator
    )
    url = reverse("communities:edit", args=[community.slug])
    limit = settings.KOPIENA_MAX_UPLOAD_BYTES["communities:edit"] + settings.KOPIENA_MAX_FORM_BYTES
    client.force_login(coordinator)
    over = CountingBody(limit + 1)
    assert post_body(client, url, over, declared=True).status_code == 413
    assert over.consumed == 0


def noise_png(side: int) -> io.BytesIO:
    """A picture that does not compress: its file is about side² × 3 bytes."""
    rng = random.Random(13)
    picture = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    out.name = "logo.png"
    out.seek(0)
    return out


def test_an_upload_larger_than_a_form_but_within_its_route_limit_works(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    coordinator = UserFactory()
    from kopiena.communities import services
    from tests.factories import municipality

    community = services.community_create(
        name="Ūdri", municipality=municipality("kekavas_nov"), actor=None, coordinator=coordinator
    )
    logo = noise_png(800)
    assert 1.5 * MB < len(logo.getvalue()) < 5 * MB
    client.force_login(coordinator)
    response = client.post(
        reverse("communities:edit", args=[community.slug]),
        {"name": community.name, "status": "active", "logo_upload": logo},
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.logo and (tmp_path / community.logo).is_file()


def url_names(patterns=None, namespace="") -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_upload_route_in_the_settings_exists():
    """A renamed route would silently fall back to the small limit of forms."""
    assert set(settings.KOPIENA_MAX_UPLOAD_BYTES) <= url_names()
    with pytest.raises(NoReverseMatch):
        reverse("no-such-route")
