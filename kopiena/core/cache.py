"""Production's default cache: Django's database cache that never drops a live entry.

allauth keeps the login throttle (100 failed logins an hour per account) in the default
cache. Django's file cache keeps 300 entries and its database cache, past MAX_ENTRIES,
deletes live entries in key order, so a flood of other keys (one failed login from each
of a thousand addresses) pushed the account's counter out: 498 of 1,000 guesses were
checked instead of 100. Here culling deletes only expired entries, like Redis's
`noeviction` policy: a counter lasts its whole window however much else is stored.
MAX_ENTRIES is the row count past which expired rows are cleared out; the live rows are
at most what requests can create within the longest window (an hour).

Its table, `kopiena_cache`, is made by kopiena/core/migrations (`kopiena migrate`).
`_cull` is Django's internal hook (Django 5.2, pinned in pyproject.toml).
"""

from django.core.cache.backends.db import DatabaseCache
from django.db import connections


class NoEvictionDatabaseCache(DatabaseCache):
    def _cull(self, db, cursor, now, num):
        connection = connections[db]
        cursor.execute(
            "DELETE FROM {} WHERE {} < %s".format(  # noqa: S608 - quoted names, no user input
                connection.ops.quote_name(self._table), connection.ops.quote_name("expires")
            ),
            [connection.ops.adapt_datetimefield_value(now)],
        )
