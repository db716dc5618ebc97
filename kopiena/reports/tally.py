"""Counting answer bitsets (kopiena/surveys/answer_bits.py) with numpy.

A group of respondents is a matrix of bytes, one row per response and one column per
byte of the layout; a segment or a cross-tab column is a boolean mask over its rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kopiena.surveys.answer_bits import AnswerLayout, Pair

# Unpacking makes a byte per bit: a pass over this many rows at a time keeps the
# temporary array near 16 MB for the reference questionnaire's 16-byte bitsets.
ROWS_PER_PASS = 131_072


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
        """How many rows have each bit: every choice's count and every question's answered."""
        counts = np.zeros(self.matrix.shape[1] * 8, dtype=np.int64)
        for start in range(0, len(self.matrix), ROWS_PER_PASS):
            bits = np.unpackbits(
                self.matrix[start : start + ROWS_PER_PASS], axis=1, bitorder="little"
            )
            counts += bits.sum(axis=0, dtype=np.int64)
        found = counts.tolist()
        return Totals(
            counts={pair: found[position] for pair, position in self.layout.choice_bits.items()},
            answered={
                question: found[position]
                for question, position in self.layout.question_bits.items()
            },
        )


@dataclass
class Totals:
    counts: dict[Pair, int]  # respondents per (question id, choice id)
    answered: dict[int, int]  # respondents with any answer, per question id
