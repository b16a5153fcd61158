"""Two-factor sign-in in the tests, in one place.

- `Client.force_login` skips the password by design; for a person who must have two-factor sign-in
  (accounts.twofactor.second_factor_required) it now also gives them a confirmed TOTP device and records
  in the session that it was verified, exactly what django-otp's own `login(request, device)` stores after
  a right code. So every suite that logs in with force_login (the shared world, the permission matrix,
  the pages of each app, the browser tests' session cookies) meets the portal as a person who passed
  both steps. The two-factor tests themselves log in through the real login form instead.
- `code_for(device)` computes the code an authenticator app would show, from the device's key, for the
  first time step the device has not used yet (a TOTP code works once), for tests that enter a real code.
"""

import time

from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.twofactor import second_factor_required


def totp_device_for(user) -> TOTPDevice:
    """The person's confirmed authenticator device (made if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test", confirmed=True)


def code_for(device: TOTPDevice) -> str:
    """The six digits the app shows now, or for the next step when this one's code was used already."""
    device.refresh_from_db()
    now_t = int((time.time() - device.t0) // device.step) + device.drift
    step = max(now_t, device.last_t + 1)
    assert step <= now_t + device.tolerance, "the device has used every code it accepts now"
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def passing_the_second_factor(original_login):
    def _login(self, user, backend=None):
        original_login(self, user, backend)
        user = get_user_model().objects.get(pk=user.pk)
        if second_factor_required(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = totp_device_for(user).persistent_id
            session.save()

    return _login
