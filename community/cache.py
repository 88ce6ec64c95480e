"""The shared Redis cache, tolerant of Redis being away.

Everything the cache holds can be rebuilt from PostgreSQL (pages, fragments, settings,
counters' tags, rate-limit windows), so an unreachable Redis must cost speed, not pages:
a read is a miss, a write is dropped, ``add`` succeeds, and one warning a minute is logged.
Consequences accepted on purpose (SECURITY.md says so): while Redis is away the sign-in and
sign-up limits are not counted, a double-clicked form may post twice rather than a post be
lost (``community.submissions`` claims its nonce with ``add``), and a page cached before
the outage is refreshed when its tags change again or its time runs out.
"""
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
AWAY = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = [0.0]


def _away(operation: str, error: Exception) -> None:
    now = time.monotonic()
    if now - _last_warning[0] > 60:
        _last_warning[0] = now
        log.warning("Cache unreachable (%s: %s); serving without it", operation, error)


class _TolerantClient(RedisCacheClient):
    def add(self, key, value, timeout):
        try:
            return super().add(key, value, timeout)
        except AWAY as error:
            _away("add", error)
            return True  # nobody holds the key, as far as anyone can tell

    def get(self, key, default):
        try:
            return super().get(key, default)
        except AWAY as error:
            _away("get", error)
            return default

    def set(self, key, value, timeout):
        try:
            super().set(key, value, timeout)
        except AWAY as error:
            _away("set", error)

    def touch(self, key, timeout):
        try:
            return super().touch(key, timeout)
        except AWAY as error:
            _away("touch", error)
            return False

    def delete(self, key):
        try:
            return super().delete(key)
        except AWAY as error:
            _away("delete", error)
            return False

    def get_many(self, keys):
        try:
            return super().get_many(keys)
        except AWAY as error:
            _away("get_many", error)
            return {}

    def has_key(self, key):
        try:
            return super().has_key(key)
        except AWAY as error:
            _away("has_key", error)
            return False

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except AWAY as error:
            _away("incr", error)
            raise ValueError("the cache is unreachable") from error

    def set_many(self, data, timeout):
        try:
            super().set_many(data, timeout)
        except AWAY as error:
            _away("set_many", error)

    def delete_many(self, keys):
        try:
            super().delete_many(keys)
        except AWAY as error:
            _away("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except AWAY as error:
            _away("clear", error)
            return False


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _TolerantClient
