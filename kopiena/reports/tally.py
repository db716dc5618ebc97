"""Counting answer bitsets (kopiena/surveys/answer_bits.py) with numpy.

A group of respondents is a matrix of bytes, one row per response and one column per
byte of the layout; a segment or a cross-tab column is a boolean mask over its rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kopiena.surveys.answer_bits import AnswerLayout, Pair

from .reading import Totals

# BYTE_BITS[value, bit]: whether a byte of this value has this bit (little-endian, as
# answer_bits.py numbers them).
BYTE_BITS = (np.arange(256)[:, None] >> np.arange(8)) & 1


@dataclass
class Bitsets:
    layout: AnswerLayout
    matrix: np.ndarray  # uint8, responses × bytes (at least layout.width)

    @property
    def respondents(self) -> int:
        return len(self.matrix)

    def having(self, pair: Pair) -> np.ndarray:
        """A mask of the rows that chose (question id, choice id)."""
        position = self.layout.choice_bits[pair]
        return ((self.matrix[:, position >> 3] >> (position & 7)) & 1).astype(bool)

    def subset(self, mask: np.ndarray) -> Bitsets:
        return Bitsets(self.layout, self.matrix[mask])

    def totals(self) -> Totals:
        """How many rows have each bit: every choice's count and every question's answered.

        Each byte column's histogram of values, times the bits of each value: a fourth of
        the time of unpacking every bit into a byte and summing those (a million rows:
        0.04 s against 0.15 s), with no array of a byte per bit."""
        found = [
            count
            for column in range(self.matrix.shape[1])
            for count in (np.bincount(self.matrix[:, column], minlength=256) @ BYTE_BITS).tolist()
        ]
        return Totals(
            counts={pair: found[position] for pair, position in self.layout.choice_bits.items()},
            answered={
                question: found[position]
                for question, position in self.layout.question_bits.items()
            },
        )
