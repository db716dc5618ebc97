"""XLSForm-named tables: headers are question names, select_multiple names space-separated.

The convention of ODK and of `kopienu-aptauja-atbildes.csv`; ODK Central's export adds
group paths (`group-question`) and its own bookkeeping columns.
"""

from django.utils.translation import gettext_lazy as _

from ..questionnaire.schema import QuestionSpec
from .columns import ImportFormat, Vocabulary


class XLSFormCSV(ImportFormat):
    name = "xlsform-csv"
    label = _("XLSForm tabula (kolonnas nosauktas kā jautājumi)")
    timestamp_headers = frozenset({"submitted_at", "submissiondate", "submission_date"})
    external_id_headers = frozenset({"instanceid", "meta/instanceid", "meta-instanceid", "key"})
    system_headers = frozenset(
        {"start", "end", "today", "deviceid", "submitterid", "submittername"}
    )

    def detect(self, headers: list[str]) -> int:
        # The fallback: any file whose headers are names is one of these.
        return 1

    def match_question(self, header: str, vocabulary: Vocabulary) -> QuestionSpec | None:
        found = vocabulary.question(header)
        if found is None:
            # ODK Central joins group and question names with "-", other tools with "/".
            for separator in ("/", "-"):
                if separator in header:
                    found = vocabulary.question(header.rsplit(separator, 1)[1], labels=False)
                    if found is not None:
                        break
        return found
