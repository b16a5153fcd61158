from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from .forms import PortalAuthenticationForm, PortalPasswordChangeForm, PortalPasswordResetForm, PortalSetPasswordForm


class PortalLoginView(auth_views.LoginView):
    form_class = PortalAuthenticationForm
    redirect_authenticated_user = True


class PortalPasswordChangeView(auth_views.PasswordChangeView):
    form_class = PortalPasswordChangeForm


class PortalPasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = PortalSetPasswordForm
