"""Who manages people: the coordination unit (advisers) and administrators. For anyone else the
people pages do not exist (404, docs/adr/0004): the list of accounts is not theirs to know."""

from django.http import Http404

from accounts.models import User
from accounts.permissions import is_admin, is_adviser
from core.forms import posted_id


def can_manage_people(user) -> bool:
    """Advisers and administrators create, invite, deactivate and reactivate people."""
    return is_adviser(user)


def can_change_person(user, person) -> bool:
    """An adviser changes anyone but themselves and the administrators; an administrator anyone but
    themselves (nobody locks themselves out)."""
    if not can_manage_people(user) or person.pk == user.pk:
        return False
    return is_admin(user) or not (person.is_superuser or person.role == User.Role.ADMIN)


def can_give_role(user, role) -> bool:
    """Only an administrator makes another administrator."""
    return can_manage_people(user) and (role != User.Role.ADMIN or is_admin(user))


def person_get_for_user(*, user, pk) -> User:
    """A person (user account) for someone who manages people; 404 for everyone else and for a missing
    or malformed id."""
    number = posted_id(pk)
    if number is None or not can_manage_people(user):
        raise Http404
    person = User.objects.filter(pk=number).first()
    if person is None:
        raise Http404
    return person
