"""Lookups of the answer table."""

from django.db.models import Lookup

# PostgreSQL's index of the texts (migration surveys.0010) holds texts of at most this many
# bytes: a B-tree entry may not exceed about 2.7 kB, so longer ones have an index of their own.
INDEXED_TEXT_BYTES = 2000


class _LiteralCondition(Lookup):
    """`text__<name>=True`: a condition written out in the SQL itself, constants included.
    A database uses a partial index only for a query whose WHERE implies the index's
    condition, and it can prove that only from literals, not from parameters."""

    prepare_rhs = False
    condition = ""

    def as_sql(self, compiler, connection):
        if self.rhs is not True:
            raise ValueError(f"text__{self.lookup_name} takes True")
        lhs, params = self.process_lhs(compiler, connection)
        return self.condition.format(text=lhs), params


class NonEmpty(_LiteralCondition):
    """`text__nonempty=True`: the text is not empty (SQLite's index of the texts,
    migration surveys.0009; Django's `exclude(text="")` passes the empty string as a
    parameter)."""

    lookup_name = "nonempty"
    condition = "{text} <> ''"


class IndexedText(_LiteralCondition):
    """`text__indexed=True`: a non-empty text short enough for PostgreSQL's index of the
    texts (migration surveys.0010)."""

    lookup_name = "indexed"
    condition = f"{{text}} <> '' AND octet_length({{text}}) <= {INDEXED_TEXT_BYTES}"


class LongText(_LiteralCondition):
    """`text__long=True`: a text too long for that index, found through its own index."""

    lookup_name = "long"
    condition = f"octet_length({{text}}) > {INDEXED_TEXT_BYTES}"
