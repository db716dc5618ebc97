"""Checking and re-encoding uploaded pictures (logos, photos).

The type is decided by Pillow from the content, never by the name or the browser's
content type; the picture is decoded and encoded anew, which drops EXIF and any
payload riding along (polyglots), and stored under a generated name.
"""

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
# A small file may still decode to a huge bitmap (a decompression bomb).
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


@dataclass(frozen=True)
class StoredImage:
    name: str  # path in the default storage
    width: int
    height: int


@dataclass(frozen=True)
class EncodedImage:
    content: bytes
    extension: str  # "png" or "jpg"
    width: int
    height: int


def image_reencode(*, upload, max_side: int = MAX_SIDE) -> EncodedImage:
    """Validate an uploaded picture by its content and encode a clean copy: PNG where it
    has transparency, else JPEG. ValidationError for anything that is not a picture."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("Attēls ir par lielu: ne vairāk kā %(mb)d MB.") % {"mb": MAX_IMAGE_BYTES // 2**20}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Atļauti tikai JPEG, PNG, WebP vai GIF attēli."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("Attēla izmēri ir par lielu."))
            probe.load()
            picture = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise ValidationError(_("Fails nav atpazīstams attēls.")) from exc

    picture.thumbnail((max_side, max_side))
    has_alpha = picture.mode in ("RGBA", "LA", "P") and (
        picture.mode != "P" or "transparency" in picture.info
    )
    out = io.BytesIO()
    if has_alpha:
        picture.convert("RGBA").save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        picture.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return EncodedImage(out.getvalue(), extension, picture.width, picture.height)


def image_store(*, upload, folder: str, max_side: int = MAX_SIDE) -> StoredImage:
    """Validate an uploaded picture by its content and store a clean re-encoded copy."""
    encoded = image_reencode(upload=upload, max_side=max_side)
    name = default_storage.save(
        f"{folder}/{uuid.uuid4().hex}.{encoded.extension}", ContentFile(encoded.content)
    )
    return StoredImage(name=name, width=encoded.width, height=encoded.height)


def image_delete(name: str) -> None:
    if name:
        default_storage.delete(name)
