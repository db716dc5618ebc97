"""The per-account login limit holds in production's own cache (issue 13, item 9).

allauth counts failed logins in the default cache. A cache that drops entries under
pressure (Django's file cache keeps 300) forgets the account's counter once an attacker
has spread guesses over enough addresses. These tests run with the cache the production
settings choose, not the test settings' local memory.
"""

import json
import subprocess
import sys
from uuid import uuid4

import pytest
from django.core.cache import cache
from django.db import connection

from tests.factories import UserFactory
from tests.test_deploy import ROOT, production_env

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
REDIS_URL = "redis://127.0.0.1:6379/15"


def production_caches(tmp_path, **environment) -> dict:
    """settings.CACHES as the production settings compute them."""
    env = production_env(tmp_path, **environment)
    if "CACHE_URL" not in environment:
        env.pop("CACHE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [
            sys.executable,
            "-c",
            "import json; from config import settings as s; print(json.dumps(s.CACHES))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture
def production_cache(settings, tmp_path):
    """Switch the test to the default cache of the production settings (no CACHE_URL)."""
    settings.CACHES = production_caches(tmp_path)
    assert "locmem" not in settings.CACHES["default"]["BACKEND"]
    cache.clear()
    yield settings.CACHES["default"]
    cache.clear()


def with_max_entries(cache_settings: dict, max_entries: int) -> dict:
    options = cache_settings.get("OPTIONS", {}) | {"MAX_ENTRIES": max_entries}
    return {"default": cache_settings | {"OPTIONS": options}}


def checked_guesses(client, email: str, addresses: int) -> int:
    """One wrong password from each of `addresses` addresses; how many were checked."""
    checked = 0
    for n in range(addresses):
        response = client.post(
            LOGIN,
            {"login": email, "password": "minejums-123456"},
            REMOTE_ADDR=f"198.18.{n // 250}.{n % 250 + 1}",
        )
        assert response.status_code == 200
        codes = [e.code for e in response.context["form"].non_field_errors().as_data()]
        checked += "too_many_login_attempts" not in codes
    return checked


def test_a_thousand_addresses_get_at_most_100_guesses_at_one_account(client, production_cache):
    user = UserFactory()
    assert checked_guesses(client, user.email, 1000) == 100


def test_the_account_counter_outlives_any_number_of_other_keys(client, settings, production_cache):
    """Past MAX_ENTRIES the cache may clear out expired entries, never a live counter."""
    settings.CACHES = with_max_entries(production_cache, 20)
    user = UserFactory()
    assert checked_guesses(client, user.email, 60) == 60
    # Keys that sort before allauth's, many more than the cache's limit.
    cache.set_many({f"a-{n:04}": n for n in range(200)}, timeout=3600)
    assert checked_guesses(client, user.email, 300) == 40
    assert cache.get("a-0000") == 0 and cache.get("a-0199") == 199


def test_expired_entries_are_cleared_out_past_the_limit(settings, production_cache):
    settings.CACHES = with_max_entries(production_cache, 20)
    cache.set_many({f"old-{n}": n for n in range(30)}, timeout=-1)  # already expired
    cache.set_many({f"live-{n}": n for n in range(30)}, timeout=3600)
    table = connection.ops.quote_name(production_cache["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {table}")  # noqa: S608 - a quoted table name
        keys = [key for (key,) in cursor.fetchall()]
    assert not [key for key in keys if "old-" in key]
    assert len([key for key in keys if "live-" in key]) == 30


def redis_answers() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_answers(), reason=f"no Redis server at {REDIS_URL}")
def test_with_redis_named_by_cache_url_the_limit_holds_too(client, settings, tmp_path):
    redis_cache = production_caches(tmp_path, CACHE_URL=REDIS_URL)["default"]
    assert redis_cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    # A key prefix of this test's own: the server may be shared, so nothing is flushed.
    settings.CACHES = {"default": redis_cache | {"KEY_PREFIX": uuid4().hex}}
    user = UserFactory()
    assert checked_guesses(client, user.email, 1000) == 100
