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

Public pages (`@kept_public_page`) are the same for every anonymous visitor in a language, so one
copy is kept for all of them, keyed by path, query string, language and day, and expires after
FRAGMENT_TIMEOUT seconds (what the day and the clock decide, such as which meetings are "next",
moves on within that). Only anonymous GETs answered 200 are kept, and only without messages (a bad
date's message belongs to that visit).

Both kinds keep a page with a placeholder for the CSRF token its forms hold (the language switch in
the footer, a search): each visitor gets their own token put back in, and the cookie with it.
"""

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.html import escape

from .fragments import generation
from .shared_cache import cache_get, cache_set

CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00csrf\x00"  # a NUL never occurs in a rendered page (core.middleware refuses them)

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


def _keep(key, response, headers, *, timeout) -> None:
    """Keep the page's content, with a placeholder for the CSRF token, and the headers it is answered with."""
    content = response.content
    if CSRF_PLACEHOLDER in content:
        return
    cache_set(key, (CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", content), headers), timeout=timeout)


def _answer(request, kept) -> HttpResponse | None:
    """The kept page, with this visitor's own CSRF token in it (None for what is not a kept page)."""
    if not (isinstance(kept, tuple) and len(kept) == 2):
        return None
    content, headers = kept
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, escape(get_token(request)).encode())
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response


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
            response = _answer(request, cache_get(key))
            if response is not None:
                response["X-Kept-Page"] = "1"
                return response
        response = self.get_response(request)
        if key is not None and _may_keep(request, response):
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            _keep(key, response, headers, timeout=settings.KEPT_PAGE_TIMEOUT)
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


def _public_key(request, current) -> str:
    described = hashlib.sha256(
        repr((request.path, request.META.get("QUERY_STRING", ""), timezone.localdate().isoformat())).encode()
    ).hexdigest()[:32]
    return f"public-page:{translation.get_language() or ''}:{current}:{described}"


def kept_public_page(view):
    """Serve an anonymous GET of a public page from the shared cache, or draw it and keep it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated or len(get_messages(request)):
            return view(request, *args, **kwargs)  # logged-in people get their menu; a message is one visit's
        current = generation()
        if current is None:  # fragments off (no shared cache) or the cache is down
            return view(request, *args, **kwargs)
        key = _public_key(request, current)
        response = _answer(request, cache_get(key))
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            _keep(key, response, dict(response.items()), timeout=settings.FRAGMENT_TIMEOUT)
        return response

    return wrapper
