"""Who may read and write the yearly report: advisers of the county (an adviser with the national view,
and administrators, every county's). Everyone else gets 404: the report names internal figures."""

from accounts.permissions import is_adviser
from regions.selectors import county_scope_for


def can_view_report(user, county) -> bool:
    if not is_adviser(user):
        return False
    scope = county_scope_for(user=user)
    return scope is None or county.pk in scope


def can_edit_report(user, county) -> bool:
    return can_view_report(user, county)
