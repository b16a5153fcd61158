from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

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
