from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .twofactor import second_factor_required


@transaction.atomic
def user_set_language(*, actor: User, language: str) -> User:
    """Remember the language the person chose for themselves ("" for the portal's default): their
    pages, e-mails and PDFs follow it from now on. Only the person's own setting: `actor` is them."""
    user = actor
    user.language = language
    user.clean_fields(exclude=[field.name for field in User._meta.concrete_fields if field.name != "language"])
    user.save(update_fields=["language"])
    return user


# --- two-factor sign-in (accounts.twofactor) ------------------------------------------------------

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Autentiseringsapp"
RECOVERY_DEVICE_NAME = "Reservekoder"


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def twofactor_setup_confirm(*, actor: User, key: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm a new authenticator device with a code from it: it replaces any earlier one, and the person
    gets new recovery codes (returned to be shown once, with the device)."""
    device = TOTPDevice(user=actor, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    code = (token or "").replace(" ", "")
    if not (code.isascii() and code.isdigit() and totp.verify(int(code), tolerance=device.tolerance)):
        raise ValidationError(
            {
                "token": _(
                    "The code is not right. Enter the six digits the app shows now (they change every 30 seconds)."
                )
            }
        )
    TOTPDevice.objects.filter(user=actor).delete()
    device.last_t = totp.t()  # this code has been used: it does not also pass the next sign-in
    device.full_clean()
    device.save()
    return device, _recovery_codes_replace(actor)


@transaction.atomic
def twofactor_recovery_codes_renew(*, actor: User) -> list[str]:
    """New recovery codes for a person with an authenticator device; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise ValidationError(_("Set up two-factor sign-in first."))
    return _recovery_codes_replace(actor)


@transaction.atomic
def twofactor_disable(*, actor: User) -> None:
    """Turn two-factor sign-in off for a person for whom it is optional (never for those who must have it)."""
    if second_factor_required(actor):
        raise ValidationError(_("Two-factor sign-in is required for your role and cannot be turned off."))
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
