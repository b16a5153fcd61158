"""Whole public pages kept in the shared cache.

A public page is the same for every anonymous visitor in a language, so its rendered response is kept
under the data's generation (core/fragments.py), keyed by path, query string, language and day: any
change of the portal's data moves the generation on and the next visit renders afresh; the page also
expires after FRAGMENT_TIMEOUT seconds (what the day and the clock decide, such as which meetings are
"next", moves on within that). Only anonymous GETs answered 200 are kept, and only without messages
(a bad date's message belongs to that visit). Logged-in people always get a fresh page (it shows
their menu).

The footer's language switch posts a CSRF token, which belongs to one visitor: a page is kept with a
placeholder instead of it, and each visitor gets their own token in its place (and the cookie with it),
so the switch works on a kept page.
"""

import functools
import hashlib
import re

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.html import escape

from core.fragments import generation
from core.shared_cache import cache_get, cache_set

CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00csrf\x00"  # a NUL never occurs in a rendered page (core.middleware refuses them)


def _key(request, current) -> str:
    described = hashlib.sha256(
        repr((request.path, request.META.get("QUERY_STRING", ""), timezone.localdate().isoformat())).encode()
    ).hexdigest()[:32]
    return f"public-page:{translation.get_language() or ''}:{current}:{described}"


def _cacheable_request(request) -> bool:
    return request.method == "GET" and not request.user.is_authenticated and not len(get_messages(request))


def _keep(key, response):
    content = response.content
    if CSRF_PLACEHOLDER in content:
        return
    kept = {"content": CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", content), "headers": list(response.items())}
    cache_set(key, kept, timeout=settings.FRAGMENT_TIMEOUT)


def _serve(request, kept) -> HttpResponse:
    content = kept["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, escape(get_token(request)).encode())
    response = HttpResponse(content)
    for name, value in kept["headers"]:
        response[name] = value
    return response


def cached_public_page(view):
    """Serve an anonymous GET of a public page from the shared cache, or render it and keep it."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        current = generation()
        if current is None:  # fragments off (no shared cache) or the cache is down
            return view(request, *args, **kwargs)
        key = _key(request, current)
        kept = cache_get(key)
        if isinstance(kept, dict):
            return _serve(request, kept)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            _keep(key, response)
        return response

    return wrapper
