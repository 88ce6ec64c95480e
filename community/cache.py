"""The shared Redis cache, tolerant of Redis being away.

Everything the cache holds can be rebuilt from PostgreSQL (pages, fragments, settings,
counters' tags, rate-limit windows), so an unreachable Redis must cost speed, not pages:
a read is a miss, a write is dropped, ``add`` succeeds, and one warning a minute is logged.
Consequences accepted on purpose (SECURITY.md says so): while Redis is away the sign-in and
sign-up limits are not counted, a double-clicked form may post twice rather than a post be
lost (``community.submissions`` claims its nonce with ``add``), and a page cached before
the outage is refreshed when its tags change again or its time runs out.
"""
import functools
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


def _tolerant(method, fallback):
    """``method`` of the Redis client, answering ``fallback(*args)`` when Redis is away."""

    @functools.wraps(method)
    def call(self, *args):
        try:
            return method(self, *args)
        except AWAY as error:
            _away(method.__name__, error)
            return fallback(*args)

    return call


def _incr_refused(*args):
    raise ValueError("the cache is unreachable")  # what incr says of a missing key


class _TolerantClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        """One redis-py client per connection pool, made once. Django makes a new one for
        every command, and redis-py builds its table of ~170 reply handlers each time: about
        a millisecond of every member's page went there."""
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(pool)
        if client is None:
            client = clients[pool] = self._client(connection_pool=pool)
        return client

    get = _tolerant(RedisCacheClient.get, lambda key, default: default)
    get_many = _tolerant(RedisCacheClient.get_many, lambda *_: {})
    has_key = _tolerant(RedisCacheClient.has_key, lambda *_: False)
    set = _tolerant(RedisCacheClient.set, lambda *_: None)
    set_many = _tolerant(RedisCacheClient.set_many, lambda *_: [])
    touch = _tolerant(RedisCacheClient.touch, lambda *_: False)
    delete = _tolerant(RedisCacheClient.delete, lambda *_: False)
    delete_many = _tolerant(RedisCacheClient.delete_many, lambda *_: None)
    clear = _tolerant(RedisCacheClient.clear, lambda *_: False)
    # Nobody holds the key, as far as anyone can tell: a form's nonce claim succeeds.
    add = _tolerant(RedisCacheClient.add, lambda *_: True)
    incr = _tolerant(RedisCacheClient.incr, _incr_refused)


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _TolerantClient
