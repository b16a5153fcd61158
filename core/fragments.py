"""Rendered page fragments kept in the shared cache, for the parts of a page whose cost grows with the
data and whose content changes far more rarely than it is read (the tracking tables, the filter
choices of the case list, the start page's figures).

A fragment's key holds the data's *generation*: a counter in the cache that every change of the
portal's data moves on (`generation_bump`: after every write request, see `GenerationMiddleware`, and
after every save or delete of a model of the data apps, see `bump_on_model_change`). A fragment is
therefore never read after a change that committed before the page began; a fragment made from data
read just before a change is stored under the old generation and never read again. Each fragment also
expires after `FRAGMENT_TIMEOUT` seconds, which bounds what a change the counter could not see leaves
behind (a bulk update from a shell, a bump lost while Redis was down).

Without a shared cache (`settings.FRAGMENT_CACHE` off: the SQLite default, whose cache lives in one
process while the Celery worker writes in another) nothing is kept and every fragment is built. When
the cache fails, the fragment is built and the failure logged: Redis down only costs speed.
"""

import hashlib

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from .shared_cache import cache_add, cache_get, cache_incr, cache_set

GENERATION_KEY = "fragments:generation"


def _enabled() -> bool:
    return bool(getattr(settings, "FRAGMENT_CACHE", False))


def generation() -> int | None:
    """The data's current generation, or None when fragments are off or the cache cannot be read."""
    if not _enabled():
        return None
    value = cache_get(GENERATION_KEY)
    if value is None:  # not there yet (or evicted), or the cache is down: then it stays None
        cache_add(GENERATION_KEY, 1, timeout=None)
        value = cache_get(GENERATION_KEY)
    return int(value) if value is not None else None


def _bump():
    if cache_incr(GENERATION_KEY) is None:  # not there (yet, or evicted), or the cache is down
        cache_add(GENERATION_KEY, 1, timeout=None)


def generation_bump():
    """Move the generation on once the current transaction commits (at once outside one); a transaction
    that saves many rows in a row moves it on once, not once per row."""
    if not _enabled():
        return
    connection = transaction.get_connection()
    pending = connection.run_on_commit
    if connection.in_atomic_block and pending and pending[-1][1] is _bump:
        return
    transaction.on_commit(_bump)


def cached_fragment(name: str, parts, build) -> SafeString:
    """The fragment `name` for these key parts (whatever decides its content besides the data: the
    user's scope, the period, ...), in the active language: from the cache, or `build()` (a rendered
    template, hence safe HTML) stored there."""
    return mark_safe(_fragment(name, parts, build))  # noqa: S308 (rendered by a template)


def filter_fields_fragment(name: str, request, form, template: str, *, context_name="form", parts=()):
    """A filter form's fields drawn from `template` (its choices, every region and the like, are the
    costliest part of a list to draw), kept per question: the form's values asked in the request, and
    `parts` (whatever else the choices depend on, such as the day)."""
    asked = sorted((field, tuple(request.GET.getlist(field))) for field in form.fields if field in request.GET)
    return cached_fragment(name, [*parts, *asked], lambda: render_to_string(template, {context_name: form}, request))


def _fragment(name, parts, build) -> str:
    return kept_value(f"fragment:{name}", [translation.get_language() or "", *parts], build)


def kept_value(name: str, parts, build):
    """Whatever `build()` returns (a count, the bytes of an API answer: anything the cache can pickle and
    that is not None) for these key parts, kept under the data's generation like a fragment."""
    current = generation()
    if current is None:
        return build()
    described = hashlib.sha256(repr(tuple(map(str, parts))).encode()).hexdigest()[:32]
    key = f"{name}:{current}:{described}"
    value = cache_get(key)
    if value is None:
        value = build()
        cache_set(key, value, timeout=settings.FRAGMENT_TIMEOUT)
    return value


class GenerationMiddleware:
    """Every request that may write (not GET, HEAD or OPTIONS) moves the generation on when it is done,
    so a page drawn after any change a person made through the portal shows it."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in self.SAFE:
            generation_bump()
        return response


def bump_on_model_change(sender, **kwargs):
    """post_save / post_delete / m2m_changed receiver: a change of any model of the portal (every app but
    FRAGMENT_QUIET_APPS) made outside a request (a Celery task, Django admin's actions, a management
    command) moves the generation on. Every app: a new app's data is followed without naming it."""
    if sender._meta.app_label not in settings.FRAGMENT_QUIET_APPS:
        generation_bump()
