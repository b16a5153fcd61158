"""Advisers bring people into the portal without Django admin: create a person (optionally with an
appointment in the registry), invite them by e-mail through the outbox, deactivate and reactivate.
The invitee sets their own password from the link (invitation_accept)."""

import datetime
import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.services import message_cancel, message_enqueue
from regions.models import Person
from regions.services import appointment_start

from .models import Invitation, invitation_token, token_hash
from .permissions import can_change_person, can_give_role, can_manage_people
from .renderers import INVITATION_KIND
from .selectors import invitation_refusal

INVITATION_VALID_FOR = datetime.timedelta(days=14)


def _message_key(invitation):
    return f"people.invitation.{invitation.pk}"


def email_in_use(email: str, *, exclude_pk=None) -> bool:
    """Whether another account has this address, whatever its case."""
    others = get_user_model().objects.filter(email__iexact=email.strip())
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return bool(email.strip()) and others.exists()


def _duplicate_email_error():
    return ValidationError(
        {"email": _("Another person already has this e-mail address. Search the list of people for it.")},
        code="duplicate_email",
    )


def _username_for(email: str) -> str:
    base = email.strip().lower()[:140]
    User = get_user_model()
    username, number = base, 1
    while User.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


@transaction.atomic
def person_create(
    *,
    actor,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    organisation: str = "",
    language: str = "",
    appointment_role: str = "",
    region=None,
    council_area=None,
    county=None,
    valid_from: datetime.date | None = None,
    invite: bool = True,
    registry_person: Person | None = None,
    now: datetime.datetime | None = None,
):
    """Create a person who cannot sign in until they set a password from their invitation (given
    `registry_person`, the login is theirs: someone already in the registry, whose appointments then
    count); with
    `appointment_role` also their appointment in the registry (regions.services.appointment_start, whose
    rules apply); with `invite` the invitation is sent. A used e-mail address (in any case) is refused."""
    if not can_manage_people(actor) or not can_give_role(actor, role):
        raise PermissionDenied
    email = email.strip()
    if not email:
        raise ValidationError({"email": _("Enter the person's e-mail address: the invitation is sent there.")})
    if email_in_use(email):
        raise _duplicate_email_error()
    if registry_person is not None:
        registry_person = Person.objects.select_for_update().get(pk=registry_person.pk)
        if registry_person.user_id is not None:
            raise ValidationError(_("%(name)s already has a login.") % {"name": registry_person.name})
    User = get_user_model()
    user = User(
        username=_username_for(email),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        role=role,
        organisation=organisation.strip(),
        language=language,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    person = registry_person or Person(name=user.get_full_name() or email)
    person.user, person.email = user, person.email or email
    person.full_clean()
    person.save()
    if appointment_role:
        appointment_start(
            actor=actor,
            person=person,
            role=appointment_role,
            region=region,
            council_area=council_area,
            county=county,
            valid_from=valid_from or timezone.localdate(),
        )
    if invite:
        invitation_send(actor=actor, person=user, now=now)
    return user


@transaction.atomic
def invitation_send(*, actor, person, now: datetime.datetime | None = None) -> Invitation:
    """Send (or send again) the person's invitation: a new link valid for 14 days, by e-mail through the
    outbox in the person's language. An earlier open invitation ends (its link no longer works, its
    unsent e-mail is not sent)."""
    if not can_change_person(actor, person):
        raise PermissionDenied
    if not person.is_active:
        raise ValidationError(_("The person is deactivated. Reactivate them before you invite them."))
    if not person.email:
        raise ValidationError(_("The person has no e-mail address to send the invitation to."))
    now = now or timezone.now()
    _revoke_open(person=person, now=now)
    nonce = secrets.token_hex(32)
    invitation = Invitation(
        user=person,
        nonce=nonce,
        token_hash=token_hash(invitation_token(nonce)),
        created_at=now,
        created_by=actor,
        expires_at=now + INVITATION_VALID_FOR,
    )
    invitation.full_clean()
    invitation.save()
    message_enqueue(
        key=_message_key(invitation),
        kind=INVITATION_KIND,
        recipient=person,
        payload={"invitation_id": invitation.pk},
    )
    return invitation


def _revoke_open(*, person, now):
    open_invitations = list(Invitation.objects.select_for_update().filter(user=person, used_at=None, revoked_at=None))
    if open_invitations:
        Invitation.objects.filter(pk__in=[i.pk for i in open_invitations]).update(revoked_at=now)
        message_cancel(keys=[_message_key(i) for i in open_invitations])


@transaction.atomic
def invitation_accept(*, invitation, actor, password: str, now: datetime.datetime | None = None):
    """The invited person sets their password (Django's password validators) and the invitation is
    used: once, before it expires, while the person is active. The view signs them in."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    person = invitation.user
    if actor is None or actor.pk != person.pk:
        raise PermissionDenied
    refusal = invitation_refusal(invitation, now=now)
    if refusal:
        raise ValidationError(refusal, code="invitation_ended")
    validate_password(password, person)
    person.set_password(password)
    person.save(update_fields=["password"])
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    return person


def _end_sessions(person) -> int:
    """End every session of the person in the session store (database and, with Redis, the cache)."""
    engine = import_module(settings.SESSION_ENGINE)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk):
            engine.SessionStore(session_key=session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def person_deactivate(*, actor, person, now: datetime.datetime | None = None) -> int:
    """End the person's access at once: they cannot sign in, their sessions end and their open invitation
    is withdrawn. Nothing is deleted (their cases, comments and appointments stay in the history).
    Returns the number of sessions ended."""
    if not can_change_person(actor, person):
        raise PermissionDenied
    if not person.is_active:
        raise ValidationError(_("The person is already deactivated."))
    person.is_active = False
    person.save(update_fields=["is_active"])
    _revoke_open(person=person, now=now or timezone.now())
    return _end_sessions(person)


@transaction.atomic
def person_reactivate(*, actor, person):
    """Give a deactivated person access again (with the password they had; or send a new invitation)."""
    if not can_change_person(actor, person):
        raise PermissionDenied
    if person.is_active:
        raise ValidationError(_("The person is already active."))
    person.is_active = True
    person.save(update_fields=["is_active"])
    return person
