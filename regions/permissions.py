"""Access rules for the registry. Leaders act for a region only while their appointment is current."""

from django.http import Http404

from accounts.permissions import is_adviser

from . import selectors
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


# --- objects only the coordination unit may open --------------------------------------------------


def _require_registry_editor(user):
    if not can_edit_registry(user):
        raise Http404


def membership_get_for_edit(*, user, pk):
    """The membership an adviser's form ends or moves. Everyone else gets 404, as for a missing
    one: an edit page of a region's membership is not theirs to find (never 403)."""
    _require_registry_editor(user)
    return selectors.membership_get(pk=pk)


def appointment_get_for_edit(*, user, pk):
    """The appointment an adviser's form ends; 404 for everyone else, as for a missing one."""
    _require_registry_editor(user)
    return selectors.appointment_get(pk=pk)
