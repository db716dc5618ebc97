"""Google Forms responses, downloaded from the form or its Google Sheet (CSV or XLSX).

Headers are the questions' texts after a `Timestamp` column; answers are the choices'
labels. Checkbox answers are joined with ", " although labels themselves contain
commas, so a cell is split by finding the known labels in it, longest first; what no
label matches is the respondent's "Other" text, written inline among the labels.
Timestamps are in the exporting spreadsheet's locale (24.11.2026 14:03:05 in Latvian).
"""

from django.utils.translation import gettext_lazy as _

from ..questionnaire.schema import QuestionSpec, normalize_header
from .columns import ImportFormat, Vocabulary

SEPARATOR = ", "


class GoogleForms(ImportFormat):
    name = "google-forms"
    label = _("Google Forms")
    timestamp_headers = frozenset(
        {"timestamp", "laikspiedols", "laika zīmogs", "zeitstempel", "horodateur", "marca temporal"}
    )
    system_headers = frozenset(
        {"email address", "e-pasta adrese", "e-pasts", "score", "punkti", "rezultāts"}
    )

    def detect(self, headers: list[str]) -> int:
        return 10 if headers and normalize_header(headers[0]) in self.timestamp_headers else 0

    def match_question(self, header: str, vocabulary: Vocabulary) -> QuestionSpec | None:
        key = normalize_header(header)
        return vocabulary.by_label.get(key) or vocabulary.by_name.get(key)

    def split_multiple(
        self, question: QuestionSpec, text: str, vocabulary: Vocabulary
    ) -> list[str]:
        spellings = vocabulary.derived.get(("labels", question.id))
        if spellings is None:
            words = vocabulary.choice_words(question)
            spellings = sorted(
                (word for word in words if word == normalize_header(word)), key=len, reverse=True
            )
            vocabulary.derived[("labels", question.id)] = spellings
        return split_labels(" ".join(text.split()), spellings)


def split_labels(text: str, spellings: list[str]) -> list[str]:
    """Parts of "A, B, typed text, C": known spellings (case-folded, longest first) or text."""
    folded = text.casefold()
    if len(folded) != len(text):  # a few letters change length when folded; rare
        text = folded
    parts: list[str] = []
    position, end, typed_from = 0, len(folded), None
    while position < end:
        spelling = next(
            (
                spelling
                for spelling in spellings
                if folded.startswith(spelling, position)
                and (
                    position + len(spelling) == end
                    or folded.startswith(SEPARATOR, position + len(spelling))
                )
            ),
            None,
        )
        if spelling is not None:
            if typed_from is not None:
                parts.append(text[typed_from : position - len(SEPARATOR)])
                typed_from = None
            parts.append(text[position : position + len(spelling)])
            position += len(spelling) + len(SEPARATOR)
            continue
        if typed_from is None:
            typed_from = position
        following = folded.find(SEPARATOR, position)
        if following < 0:
            break
        position = following + len(SEPARATOR)
    if typed_from is not None:
        parts.append(text[typed_from:])
    return parts
