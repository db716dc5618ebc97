"""Answer bitsets: which questions a submitted response answered and which choices it chose.

A report counts every choice of every question for everyone and for a segment. Read
from the answer table (one row per response × question × chosen choice), a survey of
a million responses is some 25 million rows and 20 s or more of grouping. Each
submitted response therefore also keeps its answers as one small bitset
(`Response.answer_bits`, some 16 bytes for the reference questionnaire), and a report
reads those in one pass over the response table and counts the bits with numpy
(`kopiena.reports.tally`).

Bit positions are the survey's `answer_layout`: "question id" (answered at all, a
choice, an "other" text, a number or a text) and "question id:choice id" (chose it).
The layout is append-only: a position, once given, keeps its meaning, so questions and
choices added later only append, and a bitset stored before them is simply shorter
(its missing bits read as zeros: it could not have answered them). Bits are little-endian:
position p is bit p % 8 of byte p // 8, numpy's `unpackbits(bitorder="little")`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .questionnaire.schema import QuestionnaireSchema

Pair = tuple[int, int | None]  # (question id, choice id or None)


def question_key(question_id: int) -> str:
    return str(question_id)


def choice_key(question_id: int, choice_id: int) -> str:
    return f"{question_id}:{choice_id}"


def answer_keys(schema: QuestionnaireSchema) -> list[str]:
    """Every layout key of a questionnaire, archived questions and choices included
    (their answers stay), in the form's order."""
    keys = []
    for item in schema.items:
        if not item.is_answerable:
            continue
        keys.append(question_key(item.id))
        keys.extend(choice_key(item.id, choice.id) for choice in item.choices)
    return keys


def extended_layout(positions: Mapping[str, int], keys: Iterable[str]) -> dict[str, int] | None:
    """The layout with the keys it lacks appended, or None when it has them all."""
    missing = [key for key in keys if key not in positions]
    if not missing:
        return None
    extended = dict(positions)
    for key in missing:
        extended[key] = len(extended)
    return extended


class AnswerLayout:
    """A survey's bit positions, with what encoding and counting need from them."""

    def __init__(self, positions: Mapping[str, int]):
        self.width = (len(positions) + 7) // 8  # bytes of a full bitset
        question_bits: dict[int, int] = {}
        choice_bits: dict[Pair, int] = {}
        for key, position in positions.items():
            question, _sep, choice = key.partition(":")
            if choice:
                choice_bits[(int(question), int(choice))] = position
            else:
                question_bits[int(question)] = position
        self.question_bits = question_bits
        self.choice_bits = choice_bits
        # One mask per (question, choice) pair: the question's bit and the choice's.
        self._masks: dict[Pair, int] = {
            (question, None): 1 << position for question, position in question_bits.items()
        }
        for (question, choice), position in choice_bits.items():
            self._masks[(question, choice)] = (1 << question_bits[question]) | (1 << position)

    def encode(self, pairs: Iterable[Pair]) -> bytes:
        """The bitset of one response's answers, as (question id, choice id) pairs.

        A pair the layout lacks (an answer whose choice left the question's list) still
        marks its question answered; a question it lacks is not counted at all.
        """
        bits = 0
        masks = self._masks
        for question, choice in pairs:
            mask = masks.get((question, choice))
            if mask is None:
                mask = masks.get((question, None), 0)
            bits |= mask
        return bits.to_bytes((bits.bit_length() + 7) // 8, "little")
