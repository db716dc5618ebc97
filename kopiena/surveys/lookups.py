"""Lookups of the answer table."""

from django.db.models import Lookup


class NonEmpty(Lookup):
    """`text__nonempty=True`: the text is not empty, written `text <> ''` with the empty
    string in the SQL itself. SQLite uses a partial index only for a query whose WHERE
    repeats the index's condition literally, and Django's `exclude(text="")` passes the
    empty string as a parameter (migration surveys.0009)."""

    lookup_name = "nonempty"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if self.rhs is not True:
            raise ValueError("text__nonempty takes True")
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} <> ''", params
