from django.utils import translation
from django.utils.translation import check_for_language


class UserLanguageMiddleware:
    """A logged-in person's own language (User.language) wins over the footer's cookie, so pages and
    PDFs follow the person on every browser; blank leaves the cookie's choice or bokmål
    (core.middleware.PortalLocaleMiddleware). Runs after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        language = user.language if user.is_authenticated else ""
        if language and check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
