from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from . import oidc
from .forms import (
    PortalAuthenticationForm,
    PortalPasswordChangeForm,
    PortalPasswordResetForm,
    PortalSetPasswordForm,
    UserLanguageForm,
)
from .services import user_set_language


@login_not_required  # the language switch works before login too (a cookie)
def language_view(request):
    """The footer's language switch: Django's set_language (the cookie), and for a logged-in person
    also their own setting, so e-mails and the other browsers they use follow the choice."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_set_language(actor=request.user, language=language)
    return response


class PortalLoginView(auth_views.LoginView):
    form_class = PortalAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {"sso_providers": oidc.provider_list(), **super().get_context_data(**kwargs)}


class PortalLogoutView(auth_views.LogoutView):
    """Ends the portal's session; a person who came through single sign-on is then sent on to end their
    session at the provider too (RP-initiated logout), if the provider offers an end_session_endpoint."""

    def post(self, request, *args, **kwargs):
        provider_logout_url = oidc.sign_out_url(
            request, post_logout_redirect_uri=request.build_absolute_uri(reverse("login"))
        )
        response = super().post(request, *args, **kwargs)
        if not provider_logout_url:
            return response
        # A page with a link (followed by static/js/accounts.js) rather than a redirect: the CSP's
        # form-action would stop a logout form's redirect to another site.
        return render(request, "registration/logged_out_sso.html", {"provider_logout_url": provider_logout_url})


def _sso_refused(request, refused, provider=None):
    return render(
        request,
        "registration/sso_refused.html",
        {"message": refused.message, "provider": provider},
        status=refused.status,
    )


@login_not_required
@require_GET
@never_cache
def sso_login_view(request, provider):
    """The login page's "Log in with ..." button: off to the provider, back to the callback."""
    provider = oidc.provider_get(provider)
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        request.session[oidc.SESSION_NEXT] = next_url
    else:
        request.session.pop(oidc.SESSION_NEXT, None)
    callback = request.build_absolute_uri(reverse("sso_callback", kwargs={"provider": provider.slug}))
    try:
        return oidc.sign_in_redirect(request, provider, redirect_uri=callback)
    except oidc.SignInRefused as refused:
        return _sso_refused(request, refused, provider)


@login_not_required
@require_GET
@never_cache
def sso_callback_view(request, provider):
    """The provider's answer: the matching person is signed in and sent to their start page."""
    provider = oidc.provider_get(provider)
    next_url = request.session.get(oidc.SESSION_NEXT, "")
    try:
        oidc.sign_in_complete(request, provider)
    except oidc.SignInRefused as refused:
        return _sso_refused(request, refused, provider)
    request.session.pop(oidc.SESSION_NEXT, None)
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


class PortalPasswordChangeView(auth_views.PasswordChangeView):
    """The person's own account page (the header's link on their name): password and language."""

    form_class = PortalPasswordChangeForm

    def get_context_data(self, **kwargs):
        return {"language_form": UserLanguageForm(instance=self.request.user), **super().get_context_data(**kwargs)}


@require_POST
def user_language_view(request):
    """Save the person's own language ("" for the portal's default) and show the next page in it."""
    form = UserLanguageForm(request.POST, instance=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose bokmål, nynorsk, English or the portal's default."))
        return redirect("password_change")
    language = form.cleaned_data["language"]
    user_set_language(actor=request.user, language=language)
    translation.activate(language or settings.LANGUAGE_CODE)
    messages.success(request, _("Your language is saved."))
    response = redirect("password_change")
    if language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, **_cookie_options())
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH)
    return response


def _cookie_options():
    return {
        "max_age": settings.LANGUAGE_COOKIE_AGE,
        "path": settings.LANGUAGE_COOKIE_PATH,
        "domain": settings.LANGUAGE_COOKIE_DOMAIN,
        "secure": settings.LANGUAGE_COOKIE_SECURE,
        "httponly": settings.LANGUAGE_COOKIE_HTTPONLY,
        "samesite": settings.LANGUAGE_COOKIE_SAMESITE,
    }


class PortalPasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = PortalSetPasswordForm
