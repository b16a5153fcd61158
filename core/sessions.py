"""Sessions read from the shared cache (Redis) and written through to the database, so a page does not
read its session row from the database on every request, and a Redis outage only costs speed.

Django's cached_db engine already falls back to the database when reading from the cache fails, but not
when it fills the cache after such a read, checks a new key or forgets a session at logout: those
would turn a Redis outage into a 500 on every page. Here each cache call that fails is logged and
skipped, and the database stays the record (SESSION_ENGINE = "core.sessions" when REDIS_URL is set;
every instance shares the cache, so a session ends everywhere at logout)."""

import logging

from django.contrib.sessions.backends import cached_db, db

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(cached_db.SessionStore):
    def _cache_call(self, method, *args):
        try:
            return method(*args)
        except Exception:
            logger.exception("Session cache unreachable (%s); using the database", self._cache)
            return None

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        self._cache_call(self._cache.set, self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def exists(self, session_key):
        if session_key and self._cache_call(self._cache.has_key, self.cache_key_prefix + session_key):
            return True
        return db.SessionStore.exists(self, session_key)

    def delete(self, session_key=None):
        db.SessionStore.delete(self, session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self._cache_call(self._cache.delete, self.cache_key_prefix + session_key)
