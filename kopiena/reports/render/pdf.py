"""The report as PDF: WeasyPrint prints the same HTML with the print stylesheet."""

from __future__ import annotations

from typing import IO

from ..engine import Report
from .html import render_html


def write_pdf(report: Report, out: IO[bytes]) -> None:
    from weasyprint import HTML

    HTML(string=render_html(report, print_css=True)).write_pdf(out)
