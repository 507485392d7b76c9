"""The shared cache degrades, never fails: with Redis down, a cached page is built again on
every request (slower) instead of answering 500."""

from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache

log = logging.getLogger("congress.cache")


class ForgivingRedisCache(RedisCache):
    """Django's Redis cache whose reads miss and whose writes are dropped while Redis cannot
    be reached. Only connection and timeout errors are forgiven: anything else is a bug."""

    def _forgive(self, what: str, default=None, *args, **kwargs):
        import redis

        try:
            return getattr(super(), what)(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            log.warning("cache %s skipped: %s", what, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._forgive("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._forgive("get_many", {}, keys, version)

    def set(self, key, value, timeout=None, version=None):  # noqa: A003
        return self._forgive("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return self._forgive("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._forgive("set_many", list(data), data, timeout, version)

    def delete(self, key, version=None):
        return self._forgive("delete", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._forgive("incr", None, key, delta, version)

    def clear(self):
        return self._forgive("clear", False)
