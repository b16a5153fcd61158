"""Settings for the tests of what is kept in the shared cache (fragments, kept pages, public pages, feeds):
a cache every request of the test shares, emptied before each test by the `kept_cache` fixture
(tests/conftest.py)."""

KEPT = {
    "FRAGMENT_CACHE": True,
    "KEPT_PAGES": True,
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept"}},
}
