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


class SecondFactorMiddleware:
    """After the password, the second factor (accounts.twofactor): a session that is not satisfied is sent
    to the code page if the person has a device, to the set-up page if it is required and they have
    none; the pages that need no login, the two-factor pages themselves and logging out stay open. Runs
    after LoginRequiredMiddleware; covers Django admin too."""

    OPEN_URL_NAMES = {"twofactor-verify", "twofactor-setup", "logout", "set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.contrib import messages
        from django.contrib.auth import logout
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils.http import urlencode
        from django.utils.translation import gettext as _

        from . import twofactor

        user = request.user
        if not user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in self.OPEN_URL_NAMES and not match.namespace:
            return None
        # Decided at login (accounts.twofactor.on_login); a session from before is decided here once.
        not_needed = request.session.get(twofactor.NOT_NEEDED_KEY) == twofactor.not_needed_mark(user)
        if not_needed or twofactor.second_factor_satisfied(request):
            return None
        if twofactor.has_device(user):
            target = "twofactor-verify"
        elif twofactor.second_factor_required(user):
            target = "twofactor-setup"
        else:
            request.session[twofactor.NOT_NEEDED_KEY] = twofactor.not_needed_mark(user)
            return None
        if twofactor.second_step_expired(request):
            logout(request)
            messages.error(request, _("The sign-in took too long. Log in again."))
            return redirect("login")
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
