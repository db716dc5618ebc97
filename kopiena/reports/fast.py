"""The report's reads as production runs them (reading.py has the plain reference).

Choices and "answered" come from the responses' answer bitsets, counted with numpy
(tally.py: a million responses in about a second, where grouping the answer table took
15 s or more); numbers' histograms and "other" texts from the answer table's indexes;
open answers from the indexes of the texts, serialized to JSON by the database and, for
a JSON report on PostgreSQL, read ahead on other connections (prefetch.py). Each of
these says in its docstring what it measured.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property

from django.db.models import QuerySet

from kopiena.surveys.models import Response, Survey
from kopiena.surveys.questionnaire.schema import QuestionnaireSchema

from . import selectors
from .prefetch import TextAnswerPrefetch
from .reading import JSON_ANSWER_SEPARATOR, GroupCounts, Pair, TextAnswer, Totals
from .tally import Bitsets


class FastReader:
    """The counts and open answers of a group, read through bitsets and indexes."""

    def __init__(
        self,
        survey: Survey,
        schema: QuestionnaireSchema,
        responses: QuerySet[Response] | None = None,
    ):
        self.schema = schema
        self.group = selectors.Respondents(survey, responses)
        self.prefetch: TextAnswerPrefetch | None = None

    @cached_property
    def bitsets(self) -> Bitsets:
        return selectors.answer_bitsets(self.group, self.schema)

    def segment_size(self, segment: Pair) -> int:
        return self.group.segment(*segment).count()

    def read_ahead(self, question_ids: Sequence[int], segment: Pair | None) -> None:
        """Read the answers on other connections while the figures are computed."""
        self.prefetch = TextAnswerPrefetch.start(
            self.group, list(question_ids), segment, JSON_ANSWER_SEPARATOR
        )

    def counts(
        self, numeric_ids: Sequence[int], segment: Pair | None
    ) -> tuple[GroupCounts, GroupCounts | None]:
        """Choices from the answer bitsets; numbers' histograms from the answers, each
        GROUP BY reading the rows once for the group and the segment."""
        bitsets = self.bitsets
        numbers = selectors.number_histograms(self.group, numeric_ids, segment)

        def side(totals: Totals, index: int) -> GroupCounts:
            return GroupCounts(
                counts=totals.counts,
                answered=totals.answered,
                numbers={
                    key: [(value, row[index]) for value, *row in values if row[index]]
                    for key, values in numbers.items()
                },
            )

        everyone = side(bitsets.totals(), 0)
        if segment is None:
            return everyone, None
        return everyone, side(bitsets.subset(bitsets.having(segment)).totals(), 1)

    def column(self, choice: Pair) -> tuple[int, Totals]:
        column = self.bitsets.subset(self.bitsets.having(choice))
        return column.respondents, column.totals()

    def other_texts(self, question_ids: Iterable[int]) -> dict[int, list[str]]:
        return selectors.other_texts(self.group, list(question_ids))

    def text_answers(self, question_id: int, segment: Pair | None) -> _TextAnswers:
        return _TextAnswers(self.group, question_id, segment, self.prefetch)


class _TextAnswers:
    """A text question's answers, read from the database each time they are walked."""

    def __init__(
        self,
        group: selectors.Respondents,
        question_id: int,
        segment: Pair | None,
        prefetch: TextAnswerPrefetch | None,
    ):
        self._args = (group, question_id, segment)
        self._prefetch = prefetch

    def __iter__(self) -> Iterator[TextAnswer]:
        for text, in_segment in selectors.text_answers(*self._args):
            yield TextAnswer(text, in_segment)

    def json_blocks(self) -> Iterator[bytes]:
        """The answers as JSON objects joined by JSON_ANSWER_SEPARATOR, in blocks of bytes,
        for the JSON renderer: read ahead by `prefetch` where it could, else read now."""
        if self._prefetch is not None:
            blocks = self._prefetch.blocks(self._args[1])
            if blocks is not None:
                return blocks
        return selectors.text_answers_json(*self._args, JSON_ANSWER_SEPARATOR)

    def texts(self) -> Iterator[str]:
        """The texts alone, read without the segment's marks (half the time with them)."""
        group, question_id, _ = self._args
        return (text for text, _ in selectors.text_answers(group, question_id, None))
