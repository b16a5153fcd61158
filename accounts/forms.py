from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm, PortalFormMixin, PortalModelForm

from .models import User


class _CrispyMixin:
    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class PortalAuthenticationForm(_CrispyMixin, PortalFormMixin, auth_forms.AuthenticationForm):
    submit_label = _("Log in")


class PortalPasswordChangeForm(_CrispyMixin, PortalFormMixin, auth_forms.PasswordChangeForm):
    submit_label = _("Change password")


class PortalPasswordResetForm(_CrispyMixin, PortalFormMixin, auth_forms.PasswordResetForm):
    submit_label = _("Send reset link")


class PortalSetPasswordForm(_CrispyMixin, PortalFormMixin, auth_forms.SetPasswordForm):
    submit_label = _("Set new password")


class UserLanguageForm(_CrispyMixin, PortalModelForm):
    """The person's own language, on their account page beside the password."""

    class Meta:
        model = User
        fields = ["language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("The portal's default (bokmål)")), *User.Language.choices]
        self.helper.form_action = reverse_lazy("user_language")
        self.helper.inputs = [Submit("save-language", _("Save"))]  # its own id beside the password form's button


class TwoFactorVerifyForm(_CrispyMixin, PortalForm):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""

    submit_label = _("Confirm")
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class TwoFactorSetupForm(_CrispyMixin, PortalForm):
    submit_label = _("Turn on two-factor sign-in")
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
