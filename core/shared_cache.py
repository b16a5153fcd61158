"""The shared cache (Redis in production) as the portal uses it: for speed only, never as the record. Every
call that fails (Redis down, a timeout) is logged and answered as a miss, so an outage costs speed and
never a page; the database stays the record. Code of the portal reads and writes the cache through these
functions, not through django.core.cache directly (tests/test_shared_cache_use.py holds it), except the
session store (core/sessions.py), which has the same rule built into Django's cached_db engine."""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def cache_get(key, default=None):
    try:
        return cache.get(key, default)
    except Exception:
        logger.exception("Shared cache unreachable; reading %s from the database", key)
        return default


def cache_set(key, value, timeout=None) -> bool:
    try:
        cache.set(key, value, timeout)
        return True
    except Exception:
        logger.exception("Shared cache unreachable; %s is not kept", key)
        return False


def cache_add(key, value, timeout=None) -> bool:
    try:
        return cache.add(key, value, timeout)
    except Exception:
        logger.exception("Shared cache unreachable; %s is not kept", key)
        return False


def cache_delete(key) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.exception("Shared cache unreachable; %s expires on its own", key)


def cache_incr(key) -> int | None:
    """The key's value plus one; None when it is not there (ValueError in Django) or the cache is down."""
    try:
        return cache.incr(key)
    except ValueError:
        return None
    except Exception:
        logger.exception("Shared cache unreachable; %s not counted", key)
        return None
