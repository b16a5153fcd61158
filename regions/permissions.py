"""Access rules for the registry. Leaders act for a region only while their appointment is current."""

from django.http import Http404

from accounts.permissions import is_adviser

from . import selectors
from .models import Appointment, ElectionTerm, Person, RegionMembership
from .selectors import region_ids_led_now, region_list_led_by


def can_view_registry(user) -> bool:
    """Every logged-in user may read the registry (it is public information)."""
    return bool(user.is_authenticated and user.is_active)


def can_edit_registry(user) -> bool:
    """Only the coordination unit edits memberships and appointments."""
    return is_adviser(user)


def can_act_for_region(user, region, *, on=None) -> bool:
    """Advisers act for every region; a leader only for the regions they lead on the date."""
    if is_adviser(user):
        return True
    if on is None:
        return region.pk in region_ids_led_now(user=user)
    return region_list_led_by(user=user, on=on).filter(pk=region.pk).exists()


# --- one access function per object type (docs/adr/0004-404-not-403.md) ---------------------------


def _require_registry_reader(user):
    if not can_view_registry(user):
        raise Http404


def membership_get_for_user(*, user, pk) -> RegionMembership:
    """A membership, for anyone who may read the registry (it is public information); 404 when
    there is none. Ending or moving it is for the coordination unit only: the others get 403."""
    _require_registry_reader(user)
    return selectors.membership_get(pk=pk)


def appointment_get_for_user(*, user, pk) -> Appointment:
    """An appointment, for anyone who may read the registry; 404 when there is none."""
    _require_registry_reader(user)
    return selectors.appointment_get(pk=pk)


def term_get_for_user(*, user, pk) -> ElectionTerm:
    """An election term, for anyone who may read the registry; 404 when there is none."""
    _require_registry_reader(user)
    return selectors.term_get(pk=pk)


def person_get_for_user(*, user, pk) -> Person:
    """A person of the registry, for anyone who may read it; 404 when there is none."""
    _require_registry_reader(user)
    return selectors.person_get(pk=pk)
