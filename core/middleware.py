from django.conf import settings
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
