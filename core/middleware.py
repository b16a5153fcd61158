from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import check_for_language


class PortalLocaleMiddleware(LocaleMiddleware):
    """Bokmål unless the user chose another language with the footer switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a public servant with
    an English browser would get English by surprise; the portal speaks bokmål by default."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language or not check_for_language(language):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class NullCharacterInRequest(SuspiciousOperation):
    """A NUL character in the address, the query string or the form data."""


class RefuseNullCharacterMiddleware:
    """Answer 400 (the portal's "bad request" page) to a request whose address, query string or form
    data holds a NUL character.

    No text in the portal holds one and the forms refuse it, but PostgreSQL can neither store nor
    compare one: psycopg raises ValueError, a 500, wherever a raw value of the request reaches a
    query (a slug from ?region=, the token in a calendar feed's address). Refusing the request here
    covers every such place, present and future. (gunicorn already refuses NUL in headers.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_null(request.GET) or _has_null(request.POST):
            raise NullCharacterInRequest("NUL character in the request")
        return self.get_response(request)


def _has_null(query_dict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())
