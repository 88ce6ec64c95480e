"""Counters of how often something was asked for, kept in the shared cache: a fixed window
per key (the first request starts it). For the few places a person or an address may only
ask so often that are not API calls (the API's own limits are ``community.api.throttles``)."""
from django.core.cache import cache


def over(key: str, limit: int, seconds: int) -> bool:
    """Count one more request under ``key``: True once more than ``limit`` were made within
    the ``seconds`` since the first."""
    key = f"rate:{key}"
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return False
