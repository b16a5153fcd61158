"""Access rules for the registry. Leaders act for a region only while their appointment is current."""

from accounts.permissions import is_adviser

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
