"""Can the test suite use the PostgreSQL server at URL? Used by scripts/test.sh.

    python scripts/postgres_check.py postgres://user:password@host:5432/name

Exit 0 when the server accepts a connection (to its `postgres` database: pytest-django
creates test_<name> itself). Otherwise print the server's or the driver's own words
(a wrong password or a missing role is not an unreachable server) and exit 1.
"""

import sys

import environ
import psycopg


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    config = environ.Env.db_url_config(url)
    if not config.get("PASSWORD"):
        return url
    return url.replace(":" + config["PASSWORD"] + "@", ":***@", 1)


def main(url: str) -> int:
    try:
        config = environ.Env.db_url_config(url)
        psycopg.connect(
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except Exception as error:  # whatever went wrong, the person running the tests reads it
        message = " ".join(str(error).split()) or type(error).__name__
        print(f"!! PostgreSQL at {shown(url)}: {message}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
