"""Importing responses collected with other tools: one module per tool's export format.

`detect_format` picks the format from a file's headers; `Plan` (in `columns`) maps the
headers to questions and reads rows the same way for every format.
"""

from django.utils.translation import gettext_lazy as _

from .columns import ImportFormat, Plan, Problem
from .google_forms import GoogleForms
from .kobo import Kobo
from .limesurvey import LimeSurvey
from .reading import TableError, open_table
from .xlsform_csv import XLSFormCSV

AUTO = "auto"
FORMATS: dict[str, ImportFormat] = {
    import_format.name: import_format
    for import_format in (XLSFormCSV(), GoogleForms(), Kobo(), LimeSurvey())
}
FORMAT_CHOICES = [
    (AUTO, _("noteikt automātiski")),
    *((import_format.name, import_format.label) for import_format in FORMATS.values()),
]


def detect_format(headers: list[str]) -> ImportFormat:
    """The tool whose export these headers look most like; XLSForm names by default."""
    return max(FORMATS.values(), key=lambda import_format: import_format.detect(headers))


__all__ = [
    "AUTO",
    "FORMATS",
    "FORMAT_CHOICES",
    "ImportFormat",
    "Plan",
    "Problem",
    "TableError",
    "detect_format",
    "open_table",
]
