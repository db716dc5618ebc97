"""Attached documents (evidence on a ledger item, a meeting's papers, a council's rules):
checked by their content, stored privately under generated names, served by a view that
checks permission.

The kind is decided from the bytes, never from the name or the browser's content type:
a PDF by its header and trailer (and refused if it carries scripts or launch actions), a
picture by Pillow (decoded and encoded anew, so EXIF and any payload riding along are
dropped), an office document by its ZIP container's declared type (ODF's `mimetype`
entry, OOXML's main part), refused with macros or when it would unpack to far more than
its size (a ZIP bomb). The original file name is kept only as a label.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from .images import image_reencode

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# An office document rarely unpacks to more than a few times its size; far more is a bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS ", b"/JS(", b"/Launch", b"/EmbeddedFile")

ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": ("odt", "document"),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods", "spreadsheet"),
    "application/vnd.oasis.opendocument.presentation": ("odp", "document"),
}
OOXML_PARTS = {
    "word/document.xml": (
        "docx",
        "document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xl/workbook.xml": (
        "xlsx",
        "spreadsheet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "ppt/presentation.xml": (
        "pptx",
        "document",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}


@dataclass(frozen=True)
class StoredAttachment:
    name: str  # path in the private storage
    label: str  # the uploaded file's name, cleaned, for showing only
    content_type: str
    size: int
    kind: str  # "pdf", "image", "document", "spreadsheet"


def private_storage() -> FileSystemStorage:
    """Files no web server serves directly: only views that check permission read them."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


def attachment_label(name: str) -> str:
    """A file name fit to show: no folders, control characters or markup-significant
    characters, at most 120 characters."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name).strip(" .")
    return name[-120:] or _("pielikums")


def _too_large() -> ValidationError:
    return ValidationError(
        _("Fails ir par lielu: ne vairāk kā %(mb)d MB.") % {"mb": MAX_ATTACHMENT_BYTES // 2**20}
    )


def _pdf(content: bytes) -> tuple[str, str, str]:
    if b"%%EOF" not in content[-2048:]:
        raise ValidationError(_("PDF fails ir bojāts vai nepilnīgs."))
    if any(marker in content for marker in PDF_ACTIVE_CONTENT):
        raise ValidationError(_("PDF failā ir skripti vai iegulti faili; tādu pievienot nevar."))
    return "pdf", "pdf", "application/pdf"


def _office(upload) -> tuple[str, str, str]:
    refused = ValidationError(
        _("Atļauti PDF, attēli (JPEG, PNG, WebP, GIF) un biroja dokumenti (ODT, ODS, DOCX, XLSX).")
    )
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise refused
            if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                raise ValidationError(_("Dokuments ir bojāts vai pārāk liels, to atverot."))
            names = {entry.filename for entry in entries}
            if any(name.lower().endswith(("vbaproject.bin", ".bin")) for name in names):
                raise ValidationError(_("Dokumentā ir makrokomandas; tādu pievienot nevar."))
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in ODF_TYPES:
                    extension, kind = ODF_TYPES[declared]
                    return extension, kind, declared
            if "[Content_Types].xml" in names:
                for part, (extension, kind, content_type) in OOXML_PARTS.items():
                    if part in names:
                        return extension, kind, content_type
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as exc:
        raise refused from exc
    raise refused


def attachment_store(*, upload, folder: str) -> StoredAttachment:
    """Check an uploaded file by its content and store it (a picture re-encoded) in the
    private storage; ValidationError naming what is wrong otherwise."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_ATTACHMENT_BYTES:
        raise _too_large()
    label = attachment_label(getattr(upload, "name", ""))
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(b"%PDF-"):
        upload.seek(0)
        content = upload.read(MAX_ATTACHMENT_BYTES + 1)
        extension, kind, content_type = _pdf(content)
    elif head.startswith(b"PK\x03\x04"):
        extension, kind, content_type = _office(upload)
        upload.seek(0)
        content = upload.read(MAX_ATTACHMENT_BYTES + 1)
    else:
        encoded = image_reencode(upload=upload)
        content, extension, kind = encoded.content, encoded.extension, "image"
        content_type = "image/png" if extension == "png" else "image/jpeg"
        label = label.rsplit(".", 1)[0] + "." + extension
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise _too_large()
    name = private_storage().save(f"{folder}/{uuid.uuid4().hex}.{extension}", ContentFile(content))
    return StoredAttachment(
        name=name, label=label, content_type=content_type, size=len(content), kind=kind
    )


def attachment_delete(name: str) -> None:
    if name:
        private_storage().delete(name)


def attachment_response(*, name: str, label: str, content_type: str) -> FileResponse:
    """The stored file for a view that has checked permission: a picture or a PDF shown in
    the browser, anything else downloaded; never sniffed, never able to run script."""
    storage = private_storage()
    if not name or not storage.exists(name):
        raise Http404
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    response = FileResponse(
        storage.open(name, "rb"),
        as_attachment=not inline,
        filename=label,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
