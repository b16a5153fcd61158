"""People without Django admin: an adviser creates and invites a person, the invitation e-mail (through
the outbox) leads to choosing a password, and deactivation ends access at once."""

import datetime
import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from notifications.models import Message
from notifications.sweep import message_sweep
from people import services
from people.models import Invitation
from people.selectors import PersonState, person_list
from regions.models import Appointment
from regions.selectors import region_ids_led_now
from tests.factories import UserFactory

GOOD_PASSWORD = "Fjordhest-og-kanel-42"


def _new_person(client, **fields):
    data = {
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": "kari.nordmann@example.no",
        "organisation": "Sarpsborg kommune",
        "role": User.Role.REGION_LEADER,
        "language": "",
        "invite": "on",
        **fields,
    }
    return client.post(reverse("people:person-create"), data)


def _sent_link(email_address):
    """Send what is due and read the invitation link out of the person's e-mail."""
    message_sweep(now=timezone.now() + datetime.timedelta(seconds=1))
    sent = [email for email in mail.outbox if email.to == [email_address]]
    assert sent, "no e-mail to the person"
    match = re.search(r"https?://[^/\s]+(/personer/invitasjon/[^/\s]+/)", sent[-1].body)
    assert match, sent[-1].body
    return sent[-1], match.group(1)


def _without_password(**fields):
    user = UserFactory(**fields)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


def test_invited_person_chooses_a_password_from_the_email_and_is_logged_in(adviser_client, client, region):
    response = _new_person(
        adviser_client,
        appointment_role=Appointment.Role.REGION_COUNCIL_LEADER,
        region=region.pk,
        valid_from=timezone.localdate().isoformat(),
    )
    person = User.objects.get(email="kari.nordmann@example.no")
    assert response.status_code == 302
    assert not person.has_usable_password()
    assert region.pk in region_ids_led_now(user=person)  # the appointment through the registry's service

    email, link = _sent_link(person.email)
    with translation.override("nb"):
        assert email.subject == translation.gettext("Invitation to Regionportalen")
    assert Invitation.objects.get(user=person).token_hash not in email.body  # the stored hash is not the key

    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and person.username in page.content.decode()
    weak = client.post(link, {"new_password1": "12345", "new_password2": "12345"})
    assert weak.status_code == 200 and not User.objects.get(pk=person.pk).has_usable_password()

    done = client.post(link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("portal:home")
    assert client.session["_auth_user_id"] == str(person.pk)
    assert client.get(reverse("portal:home")).status_code == 200
    assert User.objects.get(pk=person.pk).check_password(GOOD_PASSWORD)

    again = client.post(link, {"new_password1": "Et-annet-passord-99", "new_password2": "Et-annet-passord-99"})
    with translation.override("nb"):
        used = translation.gettext(
            "This invitation has already been used. Log in with your password, or use “Forgot password” on "
            "the login page."
        )
    assert again.status_code == 200 and used in again.content.decode()
    assert User.objects.get(pk=person.pk).check_password(GOOD_PASSWORD)


def test_the_invitation_is_written_in_the_persons_language(adviser_client):
    _new_person(adviser_client, email="nynorsk@example.no", language="nn")
    email, _link = _sent_link("nynorsk@example.no")
    with translation.override("nn"):
        assert email.subject == translation.gettext("Invitation to Regionportalen")
        assert translation.gettext("The link works once, until %(expires)s.").split("%")[0] in email.body


def test_an_expired_invitation_is_refused_with_a_message(adviser, client):
    from people.models import invitation_token

    person = _without_password(username="sen", email="sen@example.no")
    invitation = services.invitation_send(
        actor=adviser, person=person, now=timezone.now() - datetime.timedelta(days=15)
    )
    message_sweep(now=timezone.now())
    assert not [email for email in mail.outbox if email.to == [person.email]]  # expired before it left: not sent

    link = reverse("people:invitation-accept", kwargs={"token": invitation_token(invitation.nonce)})
    response = client.post(link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 200
    with translation.override("nb"):
        expected = translation.gettext("This invitation has expired. Ask the coordination unit to send you a new one.")
    assert expected in response.content.decode()
    person.refresh_from_db()
    assert not person.check_password(GOOD_PASSWORD)
    assert client.get(reverse("people:invitation-accept", kwargs={"token": "feil"})).status_code == 404


def test_sending_again_ends_the_old_link_and_its_unsent_email(adviser, client):
    person = UserFactory(username="ny", email="ny@example.no")
    first = services.invitation_send(actor=adviser, person=person)
    second = services.invitation_send(actor=adviser, person=person)
    assert Message.objects.get(key=f"people.invitation.{first.pk}").state == Message.State.CANCELLED
    _email, link = _sent_link(person.email)
    first.refresh_from_db()
    assert first.revoked_at is not None and second.state_on(timezone.now()) == Invitation.State.OPEN
    assert len([e for e in mail.outbox if e.to == [person.email]]) == 1


def test_a_used_email_address_is_refused_whatever_its_case(adviser_client, adviser):
    UserFactory(username="kari", email="Kari.Nordmann@Example.no")
    response = _new_person(adviser_client, email="kari.nordmann@EXAMPLE.no")
    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["email"][0]
        .startswith(str(services._duplicate_email_error().message_dict["email"][0])[:30])
    )
    assert User.objects.filter(email__iexact="kari.nordmann@example.no").count() == 1
    with pytest.raises(services.ValidationError):
        services.person_create(
            actor=adviser, first_name="K", last_name="N", email="KARI.nordmann@example.no", role=User.Role.OTHER
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="direkte", email="kari.NORDMANN@example.no")


def test_deactivating_ends_the_persons_sessions_and_invitation_and_keeps_them(adviser_client, adviser, client):
    from django.test import Client

    person = UserFactory(username="borte", email="borte@example.no", role=User.Role.REGION_LEADER)
    their_browser = Client()
    their_browser.force_login(person)
    assert their_browser.get(reverse("portal:home")).status_code == 200
    invitation = services.invitation_send(actor=adviser, person=person)

    response = adviser_client.post(reverse("people:person-deactivate", kwargs={"pk": person.pk}))

    assert response.status_code == 302
    assert their_browser.get(reverse("portal:home")).status_code == 302  # back to the login page
    person.refresh_from_db()
    invitation.refresh_from_db()
    assert not person.is_active and invitation.revoked_at is not None
    assert person_list().get(pk=person.pk).state == PersonState.DEACTIVATED

    adviser_client.post(reverse("people:person-reactivate", kwargs={"pk": person.pk}))
    person.refresh_from_db()
    assert person.is_active
    their_browser.force_login(person)
    assert their_browser.get(reverse("portal:home")).status_code == 200


@pytest.mark.parametrize("role", [User.Role.REGION_LEADER, User.Role.COUNCIL_AREA_STAFF, User.Role.OTHER])
def test_the_people_pages_do_not_exist_for_others(client, adviser, role):
    someone = UserFactory(username="noen", role=role)
    client.force_login(someone)
    for url in [
        reverse("people:person-list"),
        reverse("people:person-create"),
        reverse("people:person-detail", kwargs={"pk": adviser.pk}),
    ]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("people:person-deactivate", kwargs={"pk": adviser.pk})).status_code == 404
    adviser.refresh_from_db()
    assert adviser.is_active


def test_an_adviser_cannot_deactivate_an_administrator_or_themselves(adviser_client, adviser, admin_user):
    assert adviser_client.post(reverse("people:person-deactivate", kwargs={"pk": admin_user.pk})).status_code == 403
    assert adviser_client.post(reverse("people:person-deactivate", kwargs={"pk": adviser.pk})).status_code == 403
    admin_user.refresh_from_db()
    adviser.refresh_from_db()
    assert admin_user.is_active and adviser.is_active
    response = _new_person(adviser_client, role=User.Role.ADMIN)
    assert response.status_code == 200 and not User.objects.filter(email="kari.nordmann@example.no").exists()


def test_the_list_shows_and_filters_invitation_states(adviser_client, adviser, django_assert_max_num_queries):
    waiting = _without_password(username="venter", role=User.Role.REGION_LEADER)
    services.invitation_send(actor=adviser, person=waiting)
    expired = _without_password(username="utlopt", role=User.Role.REGION_LEADER)
    services.invitation_send(actor=adviser, person=expired, now=timezone.now() - datetime.timedelta(days=20))
    for number in range(60):
        UserFactory(username=f"fyll{number}", role=User.Role.OTHER)

    invited = adviser_client.get(reverse("people:person-list"), {"state": PersonState.INVITED})
    assert [p.username for p in invited.context["page_obj"]] == ["venter"]
    gone = adviser_client.get(reverse("people:person-list"), {"state": PersonState.EXPIRED, "role": "region_leader"})
    assert [p.username for p in gone.context["page_obj"]] == ["utlopt"]
    with django_assert_max_num_queries(12):
        full = adviser_client.get(reverse("people:person-list"))
    assert len(full.context["page_obj"].object_list) == 50 and full.context["page_obj"].has_next()
    bad = adviser_client.get(reverse("people:person-list"), {"state": "ugyldig", "page": "x"})
    assert bad.status_code == 200


def test_an_invited_adviser_sets_up_two_factor_sign_in_right_after_the_password(db, client):
    person = _without_password(username="ny_radgiver", email="ny.radgiver@example.no", role=User.Role.ADVISER)
    services.invitation_send(actor=UserFactory(username="admin", role=User.Role.ADMIN), person=person)
    _email, link = _sent_link(person.email)

    client.post(link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    response = client.get(reverse("portal:home"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("twofactor-setup"))


def test_a_person_recorded_in_the_registry_is_given_a_login_and_their_appointment_counts(
    adviser_client, client, region
):
    """Issue 14's chain: the adviser records someone in the registry (as in an election term), then gives
    them a login from their registry page; the invitee signs in and acts for the region of their
    appointment, with no second registry person made."""
    from regions.models import Person

    recorded = Person.objects.create(name="Siri Berg", email="siri.berg@example.no")
    Appointment.objects.create(
        person=recorded,
        role=Appointment.Role.REGION_SECRETARIAT,
        region=region,
        valid_from=timezone.localdate() - datetime.timedelta(days=30),
    )
    page = adviser_client.get(reverse("regions:person-detail", args=[recorded.pk])).content.decode()
    start = reverse("people:person-create") + f"?person={recorded.pk}"
    assert start in page
    form = adviser_client.get(start).content.decode()
    assert 'value="Siri"' in form and 'value="siri.berg@example.no"' in form

    response = _new_person(
        adviser_client,
        first_name="Siri",
        last_name="Berg",
        email="siri.berg@example.no",
        registry_person=recorded.pk,
    )
    assert response.status_code == 302
    user = User.objects.get(email="siri.berg@example.no")
    assert Person.objects.filter(name="Siri Berg").count() == 1
    assert Person.objects.get(pk=recorded.pk).user == user
    assert region.pk in region_ids_led_now(user=user)  # the secretariat's appointment acts for the region

    _email, link = _sent_link(user.email)
    client.logout()
    client.post(link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)
    # Asked again for the same registry person, the page starts empty: they have a login now.
    assert 'value="siri.berg@example.no"' not in adviser_client.get(start).content.decode()
