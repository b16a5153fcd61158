"""Two-factor sign-in (TOTP with recovery codes, through django-otp): who must have it, and the one
decision every part of the portal asks: is this session's second factor satisfied?

The flow (accounts.middleware.SecondFactorMiddleware and the views in accounts.views): after the
password, a person with a device enters a code from their authenticator app or a recovery code; a
person for whom it is required and who has no device yet sets one up first. The second step expires
(SECOND_STEP_SECONDS after the password) and wrong codes count toward django-axes' lockout like wrong
passwords."""

import time

import qrcode
import qrcode.image.svg
from django.contrib.auth import get_user_model
from django.utils.crypto import salted_hmac
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device

from .permissions import is_admin

# The session key the single sign-on sets when the identity provider asserts multi-factor authentication.
IDP_SECOND_FACTOR_KEY = "second_factor_by_idp"
# When the password step was passed: the second step must follow within SECOND_STEP_SECONDS.
SECOND_STEP_STARTED_KEY = "second_factor_step_started"
SECOND_STEP_SECONDS = 10 * 60
# Cached in the session for a person who needs no second step (not required, no device), so their
# pages do not look for devices on every request: the role it was decided for (not_needed_mark), so a
# person made an adviser during the session is asked at once. Setting up a device verifies the session.
NOT_NEEDED_KEY = "second_factor_not_needed"


def not_needed_mark(user) -> str:
    """What the "not needed" decision depended on, from the user row every request loads anyway."""
    return f"{user.pk}:{user.role}:{int(user.is_staff)}:{int(user.is_superuser)}"


def second_factor_required(user) -> bool:
    """Advisers, administrators (and anyone who may use Django admin) and council-area staff. Staff are
    cross-region by how their scope is decided (regions.selectors.county_scope_for: the cases of every
    region of their council areas' counties, or the national view), as advisers are."""
    if not (user.is_authenticated and user.is_active):
        return False
    roles = get_user_model().Role
    return bool(is_admin(user) or user.is_staff or user.role in (roles.ADVISER, roles.COUNCIL_AREA_STAFF))


def second_factor_satisfied(request) -> bool:
    """True when django-otp has verified this session (its `login(request, device)` records the device in
    the session after a right code), or when the identity provider asserted multi-factor authentication
    at single sign-on.

    Read from the session alone, not by loading the device on every page as django-otp's OTPMiddleware
    does: that query would put the busiest pages over their budget (tests/performance). The session is
    the person's own (Django binds it to their password hash and cycles its key at each step), ends with
    logout, deactivation or after SESSION_COOKIE_AGE; a device removed is asked for again at the next
    sign-in."""
    session = getattr(request, "session", None)
    if session is None or not getattr(request.user, "is_authenticated", False):
        return False
    return bool(session.get(DEVICE_ID_SESSION_KEY) or session.get(IDP_SECOND_FACTOR_KEY))


def has_device(user) -> bool:
    """Whether the person has a confirmed TOTP device or recovery codes."""
    return user_has_device(user, confirmed=True)


def on_login(sender, request, user, **kwargs):
    """At every login (the login form, Django admin's, single sign-on, the invitation link): whether this
    session will need the second step, decided once, and if so the moment its clock starts."""
    if request is None or not hasattr(request, "session"):
        return
    needed = has_device(user) or second_factor_required(user)
    request.session[NOT_NEEDED_KEY] = "" if needed else not_needed_mark(user)
    if needed:
        second_step_start(request)


def second_step_start(request) -> None:
    """Mark the moment the password step was passed (the login view; or the first check of a session
    that has none)."""
    request.session[SECOND_STEP_STARTED_KEY] = int(time.time())


def second_step_expired(request) -> bool:
    """Whether the second step has waited longer than SECOND_STEP_SECONDS since the password."""
    started = request.session.get(SECOND_STEP_STARTED_KEY)
    if not isinstance(started, int):
        second_step_start(request)
        return False
    return time.time() - started > SECOND_STEP_SECONDS


def setup_key_for(request) -> str:
    """The TOTP secret (40 hex digits) offered on the set-up page: derived from SECRET_KEY, the person and
    this session's key, so the page shows the same QR code on every reload and opening it stores nothing
    (nothing is written until a code confirms it). Verification cycles the session key, so moving to a
    new phone later gets a new secret."""
    material = f"{request.user.pk}:{request.session.session_key}"
    return salted_hmac("accounts.twofactor.setup", material, algorithm="sha256").hexdigest()[:40]


def totp_qr_svg(config_url: str) -> str:
    """The otpauth:// address as an SVG QR code (made here, no outside service)."""
    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")
