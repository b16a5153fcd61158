"""Accounts for the shared quality suites (tests/security/extensions.py): the world gets an authenticator
device and recovery codes (django-otp), so the admin pages of those models are requested too."""

from tests.e2e.pages import A11yPage


def _setup(world):
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from tests.twofactor import totp_device_for

    world.objects["totp_device"] = totp_device_for(world.user("admin"))
    recovery = StaticDevice.objects.create(user=world.user("admin"), name="Reservekoder", confirmed=True)
    StaticToken.objects.create(device=recovery, token=StaticToken.random_token())
    world.objects["recovery_device"] = recovery


WORLD_SETUP = [_setup]

URL_KWARGS = {
    "admin:otp_totp_totpdevice_config": lambda w: {"pk": w.totp_device.pk},
    "admin:otp_totp_totpdevice_qrcode": lambda w: {"pk": w.totp_device.pk},
}

# Two-factor sign-in is optional for a region leader: the set-up page (QR code and key) and the
# recovery codes page, as they see them from their account page.
PAGES = [
    A11yPage("twofactor-setup-leader_a", "twofactor-setup", "leader_a"),
    A11yPage("twofactor-recovery-codes-adviser", "twofactor-recovery-codes", "adviser"),
]
