"""Attached documents: accepted by what they are, refused by what they are, whatever the name."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kopiena.core import attachments
from kopiena.core.attachments import attachment_label, attachment_response, attachment_store


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _zip(entries: dict[str, bytes], name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for entry, content in entries.items():
            archive.writestr(entry, content)
    return SimpleUploadedFile(name, out.getvalue())


def test_pdf_odt_docx_and_pictures_are_accepted_and_stored_under_generated_names():
    pdf = SimpleUploadedFile("akts.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")
    odt = _zip(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}, "p.odt"
    )
    docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}, "p.docx")
    picture = io.BytesIO()
    Image.new("RGBA", (10, 10)).save(picture, format="PNG")
    png = SimpleUploadedFile("foto.gif", picture.getvalue())
    kinds = [attachment_store(upload=f, folder="t") for f in (pdf, odt, docx, png)]
    assert [k.kind for k in kinds] == ["pdf", "document", "document", "image"]
    assert [k.name.rsplit(".", 1)[1] for k in kinds] == ["pdf", "odt", "docx", "png"]
    assert kinds[3].label == "foto.png"
    assert all(k.name.startswith("t/") and "akts" not in k.name for k in kinds)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("lapa.pdf", b"<html><script>alert(1)</script>"),
        SimpleUploadedFile("x.pdf", b"%PDF-1.4\n/OpenAction<</S/JavaScript/JS(alert(1))>>\n%%EOF"),
        SimpleUploadedFile("x.pdf", b"%PDF-1.4\n1 0 obj truncated"),
        SimpleUploadedFile("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        _zip(
            {"[Content_Types].xml": b"<x/>", "word/document.xml": b"", "word/vbaProject.bin": b""},
            "m.docm",
        ),
        _zip({"a.txt": b"hello"}, "x.docx"),
        _zip(
            {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"0" * (101 * 2**20)}, "bomb.xlsx"
        ),
    ],
    ids=["html-as-pdf", "pdf-script", "truncated-pdf", "svg", "macros", "plain-zip", "zip-bomb"],
)
def test_what_is_not_a_safe_document_is_refused(upload):
    with pytest.raises(ValidationError):
        attachment_store(upload=upload, folder="t")


def test_size_is_capped_before_reading(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 10)
    with pytest.raises(ValidationError, match="par lielu"):
        attachment_store(upload=SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 20), folder="t")


def test_a_file_name_is_only_a_label():
    assert attachment_label("../../etc/passwd") == "passwd"
    assert attachment_label("C:\\docs\\<b>akts\x00.pdf") == "_b_akts.pdf"
    assert attachment_label("") == "pielikums"


def test_the_file_is_served_without_sniffing_or_scripts():
    stored = attachment_store(
        upload=SimpleUploadedFile("akts.pdf", b"%PDF-1.7\n%%EOF\n"), folder="t"
    )
    response = attachment_response(
        name=stored.name, label=stored.label, content_type=stored.content_type
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert 'filename="akts.pdf"' in response["Content-Disposition"]
