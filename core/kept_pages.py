"""Whole pages kept for the person who asked for them, under the data's generation (core/fragments.py).

A signed-in person goes back to the same pages all day: the start page, the case list, the region
page. Drawing one costs 10-40 ms of templates on top of its queries, however little changed since the
last time. `KeptPageMiddleware` keeps the HTML a page answered (200, text/html) in the shared cache,
keyed by the data's generation, the day, the language, the person, their session and CSRF cookie and
the full path with its query; the next visit to the same address in the same session is answered from
it, as long as nothing changed.

Nothing changed means: no write request anywhere (`GenerationMiddleware`), no model of the portal
saved or deleted (`bump_on_model_change`, every app of the project), the same day (appointments and
deadlines turn on the date), and at most `KEPT_PAGE_TIMEOUT` seconds (60: what time alone changes on a
page, such as "starts in an hour", or a change the counter could not see, such as a bulk update in a
Celery task, shows within a minute).

A page is never kept when it had a message to show or queued one, changed the session, set a cookie,
or when the request carried no CSRF cookie (the kept page's forms hold a token of that cookie); never
for anyone not signed in (the public pages keep their own), and not in Django admin. A view opts out
with `@never_kept`. With fragments off (`FRAGMENT_CACHE`, the SQLite default) or `KEPT_PAGES` off,
every page is drawn; a cache that is down costs speed, never a page.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation

from .fragments import generation
from .shared_cache import cache_get, cache_set

# Headers a kept page is answered with again (the middleware outside this one adds the rest).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Vary", "X-Robots-Tag")


def never_kept(view):
    """This view's pages are drawn on every visit (they show something the generation does not follow)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.never_kept = True
        return view(request, *args, **kwargs)

    return wrapper


def _enabled() -> bool:
    return bool(getattr(settings, "KEPT_PAGES", False)) and bool(getattr(settings, "FRAGMENT_CACHE", False))


def _pending_messages(request) -> int:
    """Messages waiting to be shown (counting them does not mark them shown)."""
    storage = getattr(request, "_messages", None)
    return len(storage) if storage is not None else 0


def _key(request, current) -> str | None:
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    session = getattr(request, "session", None)
    session_key = session.session_key if session is not None else None
    if not csrf or not session_key:
        return None
    who = hashlib.sha256(f"{request.user.pk}\0{session_key}\0{csrf}".encode()).hexdigest()[:32]
    where = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    day = timezone.localdate().isoformat()
    return f"page:{current}:{day}:{translation.get_language() or ''}:{who}:{where}"


def _may_keep(request, response) -> bool:
    storage = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not getattr(request, "never_kept", False)
        # The page's forms hold a token of the CSRF cookie the request came with, not of a new one.
        and request.META.get("CSRF_COOKIE") == request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        and not getattr(request.session, "modified", False)
        and not getattr(storage, "_queued_messages", None)
    )


class KeptPageMiddleware:
    """Answers a signed-in person's GET from the page kept for them, or keeps the page drawn."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self._key_for(request)
        if key is not None:
            kept = cache_get(key)
            if kept is not None:
                content, headers = kept
                response = HttpResponse(content)
                for name, value in headers.items():
                    response[name] = value
                response["X-Kept-Page"] = "1"
                return response
        response = self.get_response(request)
        if key is not None and _may_keep(request, response):
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            cache_set(key, (response.content, headers), timeout=settings.KEPT_PAGE_TIMEOUT)
        return response

    @staticmethod
    def _key_for(request) -> str | None:
        if request.method != "GET" or not _enabled():
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if any(request.path.startswith(prefix) for prefix in settings.KEPT_PAGES_EXCLUDED):
            return None
        if _pending_messages(request):
            return None
        current = generation()
        if current is None:
            return None
        return _key(request, current)
