"""Reads for the people pages: the list with each person's invitation state, computed in the query
(one query per page, filterable), and an invitation found by the token in its link."""

from django.contrib.auth import get_user_model
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Invitation, token_hash


class PersonState:
    """Where a person is on the way in: a value per row of the list, and its filter."""

    NOT_INVITED = "not_invited"
    INVITED = "invited"
    EXPIRED = "expired"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"

    choices = [
        (NOT_INVITED, _("Not invited")),
        (INVITED, _("Invited, waiting")),
        (EXPIRED, _("Invitation expired")),
        (ACTIVE, _("Has signed up")),
        (DEACTIVATED, _("Deactivated")),
    ]


def _open_invitations(now):
    return Invitation.objects.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


def person_list(*, now=None):
    """Every person (user account) with `state` (PersonState) and `invitation_expires_at` (of the open
    invitation) annotated, ordered by name."""
    now = now or timezone.now()
    open_invitations = _open_invitations(now).filter(user=OuterRef("pk"))
    people = (
        get_user_model()
        .objects.annotate(
            has_open=Exists(open_invitations),
            was_invited=Exists(Invitation.objects.filter(user=OuterRef("pk"))),
            invitation_expires_at=Subquery(open_invitations.values("expires_at")[:1]),
        )
        .annotate(
            state=Case(
                When(is_active=False, then=Value(PersonState.DEACTIVATED)),
                When(has_open=True, then=Value(PersonState.INVITED)),
                When(~Q(password="") & ~Q(password__startswith="!"), then=Value(PersonState.ACTIVE)),
                When(was_invited=True, then=Value(PersonState.EXPIRED)),
                default=Value(PersonState.NOT_INVITED),
            )
        )
        .order_by("last_name", "first_name", "username")
    )
    return people


def person_search(queryset, text: str):
    """People whose name, e-mail, user name or organisation contains the text."""
    text = (text or "").strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(first_name__icontains=text)
        | Q(last_name__icontains=text)
        | Q(email__icontains=text)
        | Q(username__icontains=text)
        | Q(organisation__icontains=text)
    )


def person_state(*, person, now=None) -> str:
    """One person's PersonState (the detail page)."""
    return person_list(now=now).filter(pk=person.pk).values_list("state", flat=True).first()


def invitation_list_for_person(*, person):
    """The person's invitations, newest first, with who sent them."""
    return Invitation.objects.filter(user=person).select_related("created_by").order_by("-created_at", "-pk")


def invitation_get_by_token(*, token: str):
    """The invitation whose link carries this token (any state), or None: the token is looked up by its
    hash, as stored."""
    if not token or len(token) > 200:
        return None
    return Invitation.objects.select_related("user").filter(token_hash=token_hash(token)).first()


def invitation_refusal(invitation, *, now) -> str:
    """Why an invitation's link no longer works (a Norwegian message), or "" while it does."""
    state = invitation.state_on(now)
    if state == Invitation.State.USED:
        return _(
            "This invitation has already been used. Log in with your password, or use “Forgot password” on "
            "the login page."
        )
    if state == Invitation.State.REVOKED or not invitation.user.is_active:
        return _(
            "This invitation is no longer valid: a newer one has been sent, or access has been withdrawn. "
            "Use the link in the latest e-mail, or ask the coordination unit."
        )
    if state == Invitation.State.EXPIRED:
        return _("This invitation has expired. Ask the coordination unit to send you a new one.")
    return ""


def registry_person_without_login(*, pk):
    """The registry person with this id who has no login yet, or None (a bad or missing id included)."""
    from regions.models import Person

    try:
        return Person.objects.filter(user__isnull=True).get(pk=int(str(pk)))
    except (Person.DoesNotExist, TypeError, ValueError):
        return None
