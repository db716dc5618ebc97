"""KoboToolbox exports (CSV or XLSX).

CSV is `;`-separated with every field quoted; headers are labels or XML names, with
group paths (`group/question`) if the user chose so. A select_multiple has a summary
column plus one `Question/Choice` column per choice holding 1 or 0; the 1/0 columns are
read, the summary is not. System columns start with "_" (`_id`, `_uuid`,
`_submission_time` in UTC, …) or are metadata questions (start, end, deviceid).
"""

from django.utils.translation import gettext_lazy as _

from ..questionnaire.schema import ChoiceSpec, QuestionSpec, QuestionType, normalize_header
from .columns import Column, ImportFormat, Role, Vocabulary


class Kobo(ImportFormat):
    name = "kobo"
    label = _("KoboToolbox")
    timestamp_headers = frozenset({"_submission_time"})
    external_id_headers = frozenset({"_uuid"})
    system_headers = frozenset(
        {
            "start",
            "end",
            "today",
            "deviceid",
            "username",
            "phonenumber",
            "simserial",
            "subscriberid",
            "audit",
            "meta/instanceid",
            "meta/rootuuid",
            "meta/deprecatedid",
        }
    )
    naive_timestamps_in_utc = True

    def detect(self, headers: list[str]) -> int:
        keys = {normalize_header(header) for header in headers}
        if keys & {"_uuid", "_submission_time", "_validation_status"}:
            return 10
        return 3 if "_id" in keys else 0

    def match(self, index: int, header: str, vocabulary: Vocabulary) -> Column:
        flags = _flag_columns(vocabulary)
        for suffix in _path_suffixes(header):
            found = flags.get(normalize_header(suffix))
            if found is not None:
                return Column(index, header, Role.FLAG, *found)
        column = super().match(index, header, vocabulary)
        if column.role == Role.UNKNOWN and header.strip().startswith("_"):
            return Column(index, header, Role.SYSTEM)
        return column

    def match_question(self, header: str, vocabulary: Vocabulary) -> QuestionSpec | None:
        for suffix in _path_suffixes(header):
            found = vocabulary.question(suffix)
            if found is not None:
                return found
        return None


def _path_suffixes(header: str) -> list[str]:
    """Headers with and without group paths: "g/q/c" → ["g/q/c", "q/c", "c"]."""
    parts = header.split("/")
    return ["/".join(parts[start:]) for start in range(len(parts))]


def _flag_columns(vocabulary: Vocabulary) -> dict[str, tuple[QuestionSpec, ChoiceSpec]]:
    """Question/choice headers, in names or labels of any language → question and choice."""
    found = vocabulary.derived.get("kobo_flags")
    if found is None:
        found = {}
        for question in vocabulary.schema.questions:
            if question.type != QuestionType.SELECT_MULTIPLE:
                continue
            question_words = [question.name, *question.label.values()]
            for choice in question.choices:
                for question_word in filter(None, question_words):
                    for choice_word in filter(None, [choice.name, *choice.label.values()]):
                        key = normalize_header(f"{question_word}/{choice_word}")
                        found.setdefault(key, (question, choice))
        vocabulary.derived["kobo_flags"] = found
    return found  # type: ignore[return-value]
