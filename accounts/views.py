import base64

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language
from django_otp import DEVICE_ID_SESSION_KEY, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.forms import call_service, call_service_messages, message_service_errors

from . import oidc, services, twofactor
from .forms import (
    PortalAuthenticationForm,
    PortalPasswordChangeForm,
    PortalPasswordResetForm,
    PortalSetPasswordForm,
    TwoFactorSetupForm,
    TwoFactorVerifyForm,
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
        user = self.request.user
        return {
            "language_form": UserLanguageForm(instance=user),
            "twofactor_on": twofactor.has_device(user),
            "twofactor_required": twofactor.second_factor_required(user),
            **super().get_context_data(**kwargs),
        }


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


# --- two-factor sign-in (accounts.twofactor) ------------------------------------------------------

RECOVERY_CODES_ONCE_KEY = "twofactor_recovery_codes_once"


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _second_step_timed_out(request):
    logout(request)
    messages.error(request, _("The sign-in took too long. Log in again."))
    return redirect("login")


def _verified(request, device):
    """django-otp's record that this session passed the second step, in a new session key."""
    otp_login(request, device)
    request.session.cycle_key()
    request.session.pop(twofactor.SECOND_STEP_STARTED_KEY, None)


@require_http_methods(["GET", "POST"])
def twofactor_verify_view(request):
    """The second step: a code from the authenticator app or a recovery code. A wrong code counts toward
    the lockout (django-axes) like a wrong password; the step expires."""
    user = request.user
    next_url = _next_url(request)
    if twofactor.second_factor_satisfied(request):
        return redirect(next_url)
    if not twofactor.has_device(user):
        return redirect(f"{reverse('twofactor-setup')}?{urlencode({'next': next_url})}")
    if twofactor.second_step_expired(request):
        return _second_step_timed_out(request)
    form = TwoFactorVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            _verified(request, device)
            return redirect(next_url)
        credentials = {"username": user.get_username()}
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            logout(request)
            return render(request, "registration/locked_out.html", status=429)
        form.add_error("code", _("The code is not right. Try again with the code the app shows now."))
    return render(request, "accounts/twofactor_verify.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def twofactor_setup_view(request):
    """Set up the authenticator app: a QR code and the secret as text, confirmed with a code from the app;
    then the recovery codes are shown once."""
    user = request.user
    next_url = _next_url(request)
    satisfied = twofactor.second_factor_satisfied(request)
    if not satisfied and twofactor.has_device(user):
        # Whoever has only the password must not replace the device: the code first.
        return redirect(f"{reverse('twofactor-verify')}?{urlencode({'next': next_url})}")
    if not satisfied and twofactor.second_factor_required(user) and twofactor.second_step_expired(request):
        return _second_step_timed_out(request)
    key = twofactor.setup_key_for(request)
    form = TwoFactorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = {}

        def call():
            result["device"], result["codes"] = services.twofactor_setup_confirm(
                actor=user, key=key, token=form.cleaned_data["token"]
            )

        if call_service(form, call):
            _verified(request, result["device"])
            request.session[RECOVERY_CODES_ONCE_KEY] = result["codes"]
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect(f"{reverse('twofactor-recovery-codes')}?{urlencode({'next': next_url})}")
    device = TOTPDevice(user=user, key=key, name=services.TOTP_DEVICE_NAME)  # not saved: for the QR code
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": mark_safe(twofactor.totp_qr_svg(device.config_url)),  # noqa: S308 (made here from our own data)
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": twofactor.second_factor_required(user),
    }
    return render(request, "accounts/twofactor_setup.html", context)


@require_http_methods(["GET", "POST"])
def twofactor_recovery_codes_view(request):
    """The recovery codes, shown once after they are made; a POST makes new ones (the old stop working)."""
    if request.method == "POST":
        try:
            codes = services.twofactor_recovery_codes_renew(actor=request.user)
        except ValidationError as error:
            message_service_errors(request, error)
            return redirect("password_change")
        request.session[RECOVERY_CODES_ONCE_KEY] = codes
        return redirect("twofactor-recovery-codes")
    codes = request.session.pop(RECOVERY_CODES_ONCE_KEY, None)
    return render(request, "accounts/twofactor_recovery_codes.html", {"codes": codes, "next": _next_url(request)})


@require_POST
def twofactor_disable_view(request):
    """Turn two-factor sign-in off (only where it is optional)."""
    if call_service_messages(request, lambda: services.twofactor_disable(actor=request.user)):
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("password_change")
