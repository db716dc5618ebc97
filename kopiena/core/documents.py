"""Published documents as accessible PDF: every app's PDF (a report, a commission's
protocol, a ceļa karte) goes through here.

A public body must publish accessible documents (EN 301 549, clause 10): WeasyPrint
writes a tagged PDF/UA-1 document, with the language from the HTML's `lang` and the
title from its `<title>`; headings become the bookmarks' outline.
"""

from __future__ import annotations

from typing import IO


def write_pdf(html: str, out: IO[bytes], *, base_url: str | None = None) -> None:
    from weasyprint import HTML  # imported here: loading Pango is slow and most requests
    # never print

    HTML(string=html, base_url=base_url).write_pdf(out, pdf_variant="pdf/ua-1", pdf_tags=True)
