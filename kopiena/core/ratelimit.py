"""A fixed-window counter in the cache: enough to stop a script flooding posts or flags."""

from django.core.cache import cache


class RateLimited(Exception):
    """Too many actions of one kind by one actor in the window."""


def rate_limit_hit(*, action: str, actor: str, limit: int, window_seconds: int) -> None:
    """Count one action; raises RateLimited once `limit` is exceeded within the window."""
    key = f"ratelimit:{action}:{actor}"
    if cache.add(key, 1, timeout=window_seconds):
        return
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return
    if count > limit:
        raise RateLimited(action)
