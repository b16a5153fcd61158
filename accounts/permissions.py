"""Coarse roles. Which region or council area a user acts for comes from the registry's current
appointments (regions.selectors); these functions only answer "what kind of user is this"."""

from .models import User


def is_admin(user) -> bool:
    """Administrators: Django superusers or users with the admin role."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role == User.Role.ADMIN))


def is_adviser(user) -> bool:
    """Advisers of the coordination unit see and do everything in the portal (one door in, one door out)."""
    return bool(user.is_authenticated and user.is_active and (user.role == User.Role.ADVISER or is_admin(user)))


def is_region_leader(user) -> bool:
    """The portal role of the region side (council leaders and secretariats): it only chooses what the
    start page says when the user acts for no region. Which regions they act for, and every right that
    follows, comes from a current leader or secretariat appointment (regions.selectors.REGION_SIDE_ROLES)."""
    return bool(user.is_authenticated and user.is_active and user.role == User.Role.REGION_LEADER)


def is_council_area_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == User.Role.COUNCIL_AREA_STAFF)
