"""LimeSurvey response exports (CSV, UTF-8 with a byte-order mark, `;`-separated).

Headers are question codes. LimeSurvey codes hold letters and digits only, so a code
matches a question whose name is the same without underscores (`supportreceived` is
`support_received`). Multiple choice is one `CODE[SQ]` column per choice, `Y` or
empty; a typed "other" answer is `CODE[other]` (and a list question's value `-oth-`).
`id` is the response's id there, `submitdate` its submission time.
"""

import re

from django.utils.translation import gettext_lazy as _

from ..questionnaire.schema import QuestionSpec, QuestionType, normalize_header
from .columns import Column, ImportFormat, Role, Vocabulary, plain

SUBQUESTION = re.compile(r"^\s*([^\[\]]+)\[([^\[\]]+)\]\s*$")


class LimeSurvey(ImportFormat):
    name = "limesurvey"
    label = _("LimeSurvey")
    timestamp_headers = frozenset({"submitdate"})
    external_id_headers = frozenset({"id"})
    system_headers = frozenset(
        {"lastpage", "startlanguage", "seed", "startdate", "datestamp", "ipaddr", "refurl", "token"}
    )

    def detect(self, headers: list[str]) -> int:
        keys = {normalize_header(header) for header in headers}
        score = 10 if keys & {"submitdate", "startlanguage", "lastpage"} else 0
        if any(SUBQUESTION.match(header) for header in headers):
            score += 5
        return score

    def match(self, index: int, header: str, vocabulary: Vocabulary) -> Column:
        parts = SUBQUESTION.match(header)
        if parts is None:
            return super().match(index, header, vocabulary)
        question = self.match_question(parts.group(1), vocabulary)
        if question is None or not question.is_choice:
            return Column(index, header, Role.UNKNOWN)
        code = parts.group(2)
        if plain(code) == "other":
            return Column(index, header, Role.OTHER_TEXT, question)
        choice = vocabulary.choice(question, code)
        if choice is None or question.type != QuestionType.SELECT_MULTIPLE:
            return Column(index, header, Role.UNKNOWN)
        return Column(index, header, Role.FLAG, question, choice)

    def match_question(self, header: str, vocabulary: Vocabulary) -> QuestionSpec | None:
        return vocabulary.question(header) or vocabulary.by_plain_name.get(plain(header))
