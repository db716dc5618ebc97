"""The report as one self-contained HTML document (styles inside, charts as inline SVG)."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.template.loader import render_to_string
from django.utils import translation

from ..engine import Report
from .common import report_view

STATIC = Path(__file__).resolve().parents[2] / "static" / "reports"


def stylesheet(*names: str) -> str:
    return "\n".join((STATIC / name).read_text(encoding="utf-8") for name in names)


def render_html(report: Report, *, print_css: bool = False) -> str:
    """The whole document; with `print_css` also the page rules the PDF uses."""
    css = ("report.css", "report-print.css") if print_css else ("report.css",)
    with translation.override(report.language):
        return render_to_string(
            "reports/report_document.html", {"view": report_view(report), "css": stylesheet(*css)}
        )


def write_html(report: Report, out: IO[bytes]) -> None:
    out.write(render_html(report).encode("utf-8"))
