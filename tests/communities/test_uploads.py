"""Pictures: the type comes from the content, the size is capped before reading, the
stored copy is re-encoded without EXIF under a generated name."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from kopiena.communities import services
from kopiena.communities.models import CommunityPhoto
from kopiena.core.images import MAX_IMAGE_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def jpeg_with_gps(name: str = "foto.jpg") -> SimpleUploadedFile:
    picture = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "Kamera"  # Make
    exif[0x8825] = {2: (56.0, 49.0, 37.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_photo_is_reencoded_without_exif_under_a_generated_name(community, coordinator, media):
    upload = jpeg_with_gps("../../etc/passwd\x00.png")
    assert Image.open(io.BytesIO(upload.read())).getexif()  # the original carries EXIF
    photo = services.community_photo_add(community=community, upload=upload, actor=coordinator)
    assert photo.file.startswith("communities/photos/") and photo.file.endswith(".jpg")
    assert "passwd" not in photo.file and ".." not in photo.file
    stored = media / photo.file
    assert stored.is_file() and stored.resolve().is_relative_to(media)
    with Image.open(stored) as clean:
        assert clean.format == "JPEG" and not clean.getexif()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.png", b"<html><script>alert(1)</script></html>"),
        ("logo.jpg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("dokuments.pdf.png", b"%PDF-1.4\n1 0 obj<<>>endobj\n"),
        ("tukss.png", b""),
    ],
)
def test_not_a_picture_is_refused_whatever_its_name(community, coordinator, name, content):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    with pytest.raises(ValidationError):
        services.community_logo_set(community=community, upload=upload, actor=coordinator)
    community.refresh_from_db()
    assert community.logo == ""
    logos = "communities/logos"
    assert not default_storage.exists(logos) or not default_storage.listdir(logos)[1]


def test_polyglot_keeps_only_the_picture(community, coordinator, media):
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, format="PNG")
    polyglot = out.getvalue() + b"<script>alert(1)</script>"
    upload = SimpleUploadedFile("x.png", polyglot, content_type="image/png")
    services.community_logo_set(community=community, upload=upload, actor=coordinator)
    community.refresh_from_db()
    assert b"<script>" not in (media / community.logo).read_bytes()


def test_oversized_picture_refused_by_its_size(community, coordinator):
    upload = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * MAX_IMAGE_BYTES, "image/jpeg")
    with pytest.raises(ValidationError, match="par lielu"):
        services.community_photo_add(community=community, upload=upload, actor=coordinator)


def test_oversized_body_refused_before_it_is_read(community, coordinator):
    # CSRF checks on, as in production: that check must not get to read the body first.
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    url = reverse("communities:edit", args=[community.slug])
    # The declared length alone decides: Django never parses the (absent) body.
    response = client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(1024**3),
    )
    assert response.status_code == 413
    assert "par lielu" in response.content.decode()


def test_profile_post_without_csrf_token_is_refused(community, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    url = reverse("communities:edit", args=[community.slug])
    response = client.post(url, {"name": "Pārņemta", "status": "active"})
    assert response.status_code == 403
    community.refresh_from_db()
    assert community.name == "Ķekavas Ūdri"


def test_upload_through_the_form_shows_the_error_on_the_field(client, community, coordinator):
    client.force_login(coordinator)
    url = reverse("communities:edit", args=[community.slug])
    disguised = SimpleUploadedFile("foto.jpg", b"GIF89a<script>", content_type="image/jpeg")
    response = client.post(
        url,
        {"name": community.name, "status": "dormant", "photo_upload": disguised},
    )
    assert response.status_code == 200
    assert "nav atpazīstams attēls" in response.content.decode()
    assert not community.changes.filter(action="update").exists()  # nothing half-saved
    assert not CommunityPhoto.objects.exists()
    community.refresh_from_db()
    assert community.logo == ""


def test_picture_through_the_form_appears_on_the_profile(client, community, coordinator):
    client.force_login(coordinator)
    url = reverse("communities:edit", args=[community.slug])
    response = client.post(
        url,
        {
            "name": community.name,
            "status": "active",
            "latitude": "56.82700",
            "longitude": "24.23100",
            "photo_upload": jpeg_with_gps(),
        },
    )
    assert response.status_code == 302
    photo = CommunityPhoto.objects.get()
    profile = client.get(reverse("communities:profile", args=[community.slug])).content.decode()
    assert photo.file in profile
