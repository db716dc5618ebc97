"""Renderers: each turns a `Report` into bytes of one format, written to a file-like object."""

from collections.abc import Callable
from typing import IO

from ..engine import Report


def _json(report: Report, out: IO[bytes]) -> None:
    from .json import write_json

    write_json(report, out)


def _html(report: Report, out: IO[bytes]) -> None:
    from .html import write_html

    write_html(report, out)


def _pdf(report: Report, out: IO[bytes]) -> None:
    from .pdf import write_pdf

    write_pdf(report, out)


def _docx(report: Report, out: IO[bytes]) -> None:
    from .docx import write_docx

    write_docx(report, out)


def _xlsx(report: Report, out: IO[bytes]) -> None:
    from .xlsx import write_xlsx

    write_xlsx(report, out)


# Imported lazily: WeasyPrint, python-docx and openpyxl are heavy and a JSON report needs none.
RENDERERS: dict[str, Callable[[Report, IO[bytes]], None]] = {
    "json": _json,
    "html": _html,
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx,
}
CONTENT_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
