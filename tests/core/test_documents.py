"""Published PDFs are tagged PDF/UA documents with their language and title."""

import io

import pypdf

from kopiena.core.documents import write_pdf


def test_pdf_is_tagged_with_language_title_and_outline():
    out = io.BytesIO()
    write_pdf(
        '<html lang="lv"><head><title>Kopienu aptauja</title></head>'
        "<body><h1>Ievads</h1><p>Ķekavas novads</p><h2>Secinājumi</h2></body></html>",
        out,
    )
    pdf = pypdf.PdfReader(io.BytesIO(out.getvalue()))
    root = pdf.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root and root["/Lang"] == "lv"
    assert pdf.metadata.title == "Kopienu aptauja"
    assert pdf.outline[0].title == "Ievads"  # h2 nests under it
