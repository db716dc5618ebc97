"""The municipality's overview as an XLSX workbook (an engine: views and commands stream it)."""

import io

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import ActiveCore, LegalStatus, Population, StartTrigger, YearsActive
from .selectors import years_active_of


def _append_as_data(sheet, values) -> None:
    """Append a row where no text is ever taken for a formula (names are user input)."""
    sheet.append([str(v) if isinstance(v, Promise) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _indicator_value(value):
    if isinstance(value, bool):
        return _("jā") if value else _("nē")
    return value


def overview_xlsx(rows, indicators) -> io.BytesIO:
    """One row per community with the indicators other apps contribute; labels, not codes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Kopienas")[:31]
    headers = [
        _("Kopiena"),
        _("Apkaime"),
        _("Statuss"),
        _("Iedzīvotāju skaits"),
        _("Dibināta"),
        _("Darbības ilgums"),
        _("Juridiskā forma"),
        _("Reģistrācijas numurs"),
        _("Aktīvie dalībnieki"),
        _("Darbības sākums"),
        *(indicator.label for indicator in indicators),
        _("Dalībnieki platformā"),
        _("Pēdējā aktivitāte"),
    ]
    _append_as_data(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    today = timezone.localdate()
    for c in rows:
        last = c.last_activity
        _append_as_data(
            sheet,
            [
                c.name,
                c.neighbourhood,
                c.get_status_display(),
                Population(c.population).label if c.population else "",
                c.founded_year,
                YearsActive(years_active_of(c, today)).label,
                LegalStatus(c.legal_status).label if c.legal_status else "",
                c.registration_number,
                ActiveCore(c.active_core).label if c.active_core else "",
                StartTrigger(c.start_trigger).label if c.start_trigger else "",
                *(_indicator_value(getattr(c, i.key)) for i in indicators),
                c.member_count,
                timezone.localtime(last).replace(tzinfo=None) if last else None,
            ],
        )
    widths = (34, 24, 12, 26, 10, 20, 36, 16, 24, 30, *(12 for _i in indicators), 12, 18)
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out
