"""What a report reads about its respondents, whichever way it reads it.

`build_report` (engine.py) decides what is shown (the small-group rule) and how it is
laid out; a `Reader`, made for one group of respondents (everyone who submitted, or
those within the report's filters), reads their counts and their open answers. Two
readers give the same report:

- `fast.FastReader`, what every interface runs: choices counted from the answer bitsets
  with numpy, open answers from the indexes of the texts, serialized to JSON by the
  database and read ahead on other connections (each with the figure that justified it);
- `plain.PlainReader`, the reference: plain ORM queries over the answer table, the same
  on every database, short enough to check by reading.

tests/reports/test_fast_and_plain.py holds the fast reader to the plain one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

Pair = tuple[int, int]  # (question id, choice id)
# Between two open answers in the JSON report: the format's own indentation.
JSON_ANSWER_SEPARATOR = ",\n      "


@dataclass
class Totals:
    """How many respondents of a group chose each choice and answered each question."""

    counts: Mapping[Pair, int]  # per (question id, choice id); 0 for a pair not in it
    answered: Mapping[int, int]  # per question id


@dataclass
class GroupCounts(Totals):
    """A group's totals, and the values its numeric questions were given."""

    # Per question id: (value, respondents who gave it), values ascending, none with 0.
    numbers: dict[int, list[tuple[Decimal, int]]] = field(default_factory=dict)


@dataclass
class TextAnswer:
    text: str
    # Whether the respondent is in the report's segment; None without a segment.
    in_segment: bool | None = None


class TextAnswers(Protocol):
    """A text question's non-empty answers in submission order, read when walked."""

    def __iter__(self) -> Iterator[TextAnswer]: ...

    def texts(self) -> Iterator[str]:
        """The texts alone, without the segment's marks."""
        ...


class Reader(Protocol):
    """The counts and the open answers of one group of respondents."""

    def segment_size(self, segment: Pair) -> int:
        """How many of the group chose the segment's choice."""
        ...

    def read_ahead(self, question_ids: Sequence[int], segment: Pair | None) -> None:
        """Start reading these text questions' answers, to be asked for later."""
        ...

    def counts(
        self, numeric_ids: Sequence[int], segment: Pair | None
    ) -> tuple[GroupCounts, GroupCounts | None]:
        """The group's counts, and those of its members in the segment."""
        ...

    def column(self, choice: Pair) -> tuple[int, Totals]:
        """A cross-tab column: how many chose `choice`, and their totals."""
        ...

    def other_texts(self, question_ids: Iterable[int]) -> dict[int, list[str]]:
        """Answers typed instead of a choice, verbatim, in the order they were given."""
        ...

    def text_answers(self, question_id: int, segment: Pair | None) -> TextAnswers: ...
