"""Two-factor sign-in (accounts.twofactor): required for advisers, council-area staff and administrators,
offered to everyone; after the password a code from the authenticator app or a recovery code; wrong codes
count toward the lockout; the second step expires. These tests log in through the real login form (the
password step), not force_login, which passes the second step for the other suites (tests/twofactor.py)."""

import base64

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.models import User
from tests.factories import UserFactory
from tests.twofactor import code_for, totp_device_for

PASSWORD = "Passord-for-test-1"  # tests.factories.UserFactory's


@pytest.fixture(autouse=True)
def _no_throttle_delay(settings):
    """django-otp waits a second after a wrong code before it checks the next; the tests never sleep."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _password_step(user, next_url="/"):
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _path(response):
    return response["Location"].split("?")[0]


def test_an_adviser_without_a_device_sets_one_up_and_sees_recovery_codes_once(db):
    adviser = UserFactory(username="radgiver", role=User.Role.ADVISER)
    client = _password_step(adviser)

    home = client.get(reverse("portal:home"))
    assert home.status_code == 302 and _path(home) == reverse("twofactor-setup")
    setup = client.get(home["Location"])
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    secret = setup.context["secret"].replace(" ", "")
    assert not TOTPDevice.objects.filter(user=adviser).exists()  # opening the page stores nothing
    app = TOTPDevice(user=adviser, key=base64.b32decode(secret).hex())  # what the app learns from the QR code

    wrong = client.post(reverse("twofactor-setup"), {"token": "000000", "next": "/"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["token"]
    assert client.get(reverse("portal:home")).status_code == 302

    done = client.post(reverse("twofactor-setup"), {"token": _code(app), "next": "/"})
    assert _path(done) == reverse("twofactor-recovery-codes")
    codes = client.get(done["Location"]).context["codes"]
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=adviser).count() == 10
    assert client.get(reverse("twofactor-recovery-codes")).context["codes"] is None  # shown once
    assert client.get(reverse("portal:home")).status_code == 200
    assert TOTPDevice.objects.get(user=adviser).key == app.key


def _code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_a_person_with_a_device_enters_a_code_after_the_password(db):
    staff = UserFactory(username="saksbehandler", role=User.Role.COUNCIL_AREA_STAFF)
    device = totp_device_for(staff)
    client = _password_step(staff, next_url=reverse("cases:index"))

    page = client.get(reverse("cases:index"))
    assert _path(page) == reverse("twofactor-verify")
    wrong = client.post(page["Location"], {"code": "123456"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["code"]
    right = client.post(page["Location"], {"code": code_for(device)})
    assert right.status_code == 302 and right["Location"] == reverse("cases:index")
    assert client.get(reverse("cases:index")).status_code == 200


def test_a_recovery_code_works_once(db):
    adviser = UserFactory(username="radgiver", role=User.Role.ADVISER)
    from accounts import services

    device = totp_device_for(adviser)
    code = services.twofactor_recovery_codes_renew(actor=adviser)[0]
    assert device.confirmed

    first = _password_step(adviser)
    assert _path(first.post(reverse("twofactor-verify"), {"code": code})) == "/"
    assert first.get("/").status_code == 200
    second = _password_step(adviser)
    again = second.post(reverse("twofactor-verify"), {"code": code})
    assert again.status_code == 200 and again.context["form"].errors["code"]


def test_wrong_codes_count_toward_the_lockout(db, settings):
    adviser = UserFactory(username="radgiver", role=User.Role.ADVISER)
    totp_device_for(adviser)
    client = _password_step(adviser)
    responses = [
        client.post(reverse("twofactor-verify"), {"code": "000000"}) for _ in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert responses[-1].status_code == 429
    assert client.get("/").status_code == 302 and _path(client.get("/")) == reverse("login")  # logged out
    locked = Client().post(reverse("login"), {"username": adviser.username, "password": PASSWORD})
    assert locked.status_code == 429  # the password alone does not open it either


def test_the_second_step_expires(db):
    adviser = UserFactory(username="radgiver", role=User.Role.ADVISER)
    device = totp_device_for(adviser)
    client = _password_step(adviser)
    session = client.session
    session[twofactor.SECOND_STEP_STARTED_KEY] -= twofactor.SECOND_STEP_SECONDS + 1
    session.save()

    response = client.post(reverse("twofactor-verify"), {"code": code_for(device)})

    assert _path(response) == reverse("login")
    assert _path(client.get("/")) == reverse("login")


def test_it_is_offered_to_a_region_leader_and_optional_for_them(db):
    leader = UserFactory(username="leder", role=User.Role.REGION_LEADER)
    client = _password_step(leader)
    assert client.get("/").status_code == 200  # no device, not required: the password is enough
    profile = client.get(reverse("password_change")).content.decode()
    assert reverse("twofactor-setup") in profile

    device = totp_device_for(leader)
    later = _password_step(leader)
    assert _path(later.get("/")) == reverse("twofactor-verify")  # a device once set up is always asked for
    later.post(reverse("twofactor-verify"), {"code": code_for(device)})
    later.post(reverse("twofactor-disable"))
    assert not TOTPDevice.objects.filter(user=leader).exists()


def test_those_who_must_have_it_cannot_turn_it_off_nor_replace_it_with_the_password_alone(db):
    adviser = UserFactory(username="radgiver", role=User.Role.ADVISER)
    device = totp_device_for(adviser)
    client = _password_step(adviser)
    assert _path(client.get(reverse("twofactor-setup"))) == reverse("twofactor-verify")
    assert TOTPDevice.objects.filter(user=adviser).count() == 1

    client.post(reverse("twofactor-verify"), {"code": code_for(device)})
    client.post(reverse("twofactor-disable"))
    assert TOTPDevice.objects.filter(user=adviser, confirmed=True).exists()


def test_django_admin_needs_the_second_factor_too(db):
    admin = UserFactory(username="admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    client = _password_step(admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and _path(response) == reverse("twofactor-setup")


def test_single_sign_on_with_multi_factor_at_the_identity_provider_satisfies_it(db):
    adviser = UserFactory(username="radgiver", role=User.Role.ADVISER)
    client = _password_step(adviser)
    session = client.session
    session[twofactor.IDP_SECOND_FACTOR_KEY] = True
    session.save()
    assert client.get("/").status_code == 200


def test_the_code_page_never_sends_anyone_off_site(db):
    adviser = UserFactory(username="radgiver", role=User.Role.ADVISER)
    device = totp_device_for(adviser)
    client = _password_step(adviser)
    response = client.post(reverse("twofactor-verify") + "?next=https://angriper.example/", {"code": code_for(device)})
    assert response["Location"] == reverse("portal:home")


def test_who_must_have_it():
    roles = User.Role
    assert [twofactor.second_factor_required(User(role=role, is_active=True)) for role in roles] == [
        role in (roles.ADVISER, roles.COUNCIL_AREA_STAFF, roles.ADMIN) for role in roles
    ]
    assert twofactor.second_factor_required(User(role=roles.OTHER, is_staff=True, is_active=True))


def test_the_demo_users_who_must_have_it_share_the_known_demo_secret(db, settings):
    import io

    from django.core.management import call_command

    from portal.management.commands.setup_demo import Command

    settings.DEBUG = True
    adviser = UserFactory(username="radgiver", role=User.Role.ADVISER)
    leader = UserFactory(username="leder", role=User.Role.REGION_LEADER)
    Command._second_factor({"radgiver": adviser, "leder": leader})
    out = io.StringIO()
    call_command("demo_code", stdout=out)

    device = TOTPDevice.objects.get(user=adviser)
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert out.getvalue().split() == ["radgiver", code_for(device)]
    client = _password_step(adviser)
    assert client.post(reverse("twofactor-verify"), {"code": code_for(device)})["Location"] == "/"


def test_a_leader_made_an_adviser_during_the_session_is_asked_at_once(db):
    person = UserFactory(username="leder", role=User.Role.REGION_LEADER)
    client = _password_step(person)
    assert client.get("/").status_code == 200

    User.objects.filter(pk=person.pk).update(role=User.Role.ADVISER)

    assert _path(client.get("/")) == reverse("twofactor-setup")
