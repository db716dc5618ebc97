"""The report's reads done plainly: the reference the fast reader is held to.

Everything is counted straight from the answer table with the ORM, one row per
(response, question, chosen choice): no bitsets, no raw SQL, no read-ahead, no index
chosen on purpose; the same queries on SQLite and PostgreSQL. A respondent counts once
per question or choice however many rows they have. Slow on a large survey (a million
responses: tens of seconds), which is why fast.py exists; correct by reading, which is
why this does (tests/reports/test_fast_and_plain.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, QuerySet

from kopiena.surveys.models import Answer, Response, Survey
from kopiena.surveys.questionnaire.schema import QuestionnaireSchema

from .reading import GroupCounts, Pair, TextAnswer, Totals
from .selectors import report_responses


def _chose(choice: Pair) -> QuerySet[Answer]:
    question_id, choice_id = choice
    return Answer.objects.filter(question_id=question_id, choice_id=choice_id)


class PlainReader:
    """The counts and open answers of a group (all submitted responses, or `responses`)."""

    def __init__(
        self,
        survey: Survey,
        schema: QuestionnaireSchema,
        responses: QuerySet[Response] | None = None,
    ):
        self.responses = responses if responses is not None else report_responses(survey)

    def _members(self, segment: Pair | None) -> QuerySet[Response]:
        if segment is None:
            return self.responses
        return self.responses.filter(id__in=_chose(segment).values("response_id"))

    def segment_size(self, segment: Pair) -> int:
        return self._members(segment).count()

    def read_ahead(self, question_ids: Sequence[int], segment: Pair | None) -> None:
        """Nothing is read ahead: the answers are read when walked."""

    def _totals(self, members: QuerySet[Response]) -> Totals:
        answers = Answer.objects.filter(response__in=members).order_by()
        respondents = Count("response_id", distinct=True)
        chosen = (
            answers.filter(choice__isnull=False)
            .values_list("question_id", "choice_id")
            .annotate(respondents=respondents)
        )
        answered = answers.values_list("question_id").annotate(respondents=respondents)
        return Totals(
            counts=Counter({(question, choice): count for question, choice, count in chosen}),
            answered=Counter(dict(answered)),
        )

    def _numbers(
        self, members: QuerySet[Response], numeric_ids: Sequence[int]
    ) -> dict[int, list[tuple[Decimal, int]]]:
        values = (
            Answer.objects.filter(
                response__in=members, question_id__in=numeric_ids, number__isnull=False
            )
            .values_list("question_id", "number")
            .annotate(respondents=Count("response_id", distinct=True))
            .order_by("question_id", "number")
        )
        found: dict[int, list[tuple[Decimal, int]]] = {}
        for question_id, number, count in values:
            found.setdefault(question_id, []).append((Decimal(number), count))
        return found

    def _group_counts(self, members: QuerySet[Response], numeric_ids) -> GroupCounts:
        totals = self._totals(members)
        return GroupCounts(totals.counts, totals.answered, self._numbers(members, numeric_ids))

    def counts(
        self, numeric_ids: Sequence[int], segment: Pair | None
    ) -> tuple[GroupCounts, GroupCounts | None]:
        everyone = self._group_counts(self.responses, numeric_ids)
        if segment is None:
            return everyone, None
        return everyone, self._group_counts(self._members(segment), numeric_ids)

    def column(self, choice: Pair) -> tuple[int, Totals]:
        members = self._members(choice)
        return members.count(), self._totals(members)

    def other_texts(self, question_ids: Iterable[int]) -> dict[int, list[str]]:
        rows = (
            Answer.objects.filter(
                response__in=self.responses,
                question_id__in=list(question_ids),
                choice__isnull=True,
                is_other=True,
            )
            .exclude(text="")
            .order_by("question_id", "response_id", "id")
            .values_list("question_id", "text")
        )
        found: dict[int, list[str]] = {}
        for question_id, text in rows:
            found.setdefault(question_id, []).append(text)
        return found

    def text_answers(self, question_id: int, segment: Pair | None) -> _TextAnswers:
        return _TextAnswers(self.responses, question_id, segment)


class _TextAnswers:
    """A text question's non-empty answers by response, each marked whether its respondent
    chose the segment's choice (with a segment)."""

    def __init__(self, responses: QuerySet[Response], question_id: int, segment: Pair | None):
        self._responses = responses
        self._question_id = question_id
        self._segment = segment

    def _rows(self) -> QuerySet[Answer]:
        return (
            Answer.objects.filter(response__in=self._responses, question_id=self._question_id)
            .exclude(text="")
            .order_by("response_id", "id")
        )

    def __iter__(self) -> Iterator[TextAnswer]:
        if self._segment is None:
            for text in self._rows().values_list("text", flat=True):
                yield TextAnswer(text, None)
            return
        chose = _chose(self._segment).filter(response_id=OuterRef("response_id"))
        rows = self._rows().annotate(in_segment=Exists(chose))
        for text, in_segment in rows.values_list("text", "in_segment"):
            yield TextAnswer(text, bool(in_segment))

    def texts(self) -> Iterator[str]:
        return iter(self._rows().values_list("text", flat=True))
