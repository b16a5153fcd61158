"""Who may see and change the partnership funds.

A region council leader reads the funds of the regions they lead; advisers of the county read and
change the funds of their county's regions (an adviser with the national view, and administrators,
every county's); council-area staff and everyone else see none of it (404, docs/adr/0004)."""

from django.db.models import Q

from accounts.permissions import is_adviser, is_region_leader
from regions.selectors import county_scope_for, region_ids_led_now


def visible_fund_year_filter(user) -> Q | None:
    """None means "every fund year"; otherwise the Q a FundYear queryset must match (pk__in=[] for none)."""
    if is_adviser(user):
        scope = county_scope_for(user=user)
        return None if scope is None else Q(county_id__in=sorted(scope))
    if is_region_leader(user):
        return Q(region_id__in=sorted(region_ids_led_now(user=user)))
    return Q(pk__in=[])


def can_view_funds_overview(user) -> bool:
    """The county overview (every region of a county side by side) is the advisers'."""
    return is_adviser(user)


def can_manage_funds(user, county=None) -> bool:
    """Advisers of the county record income, allocations, payments and use; a county outside an
    adviser's scope is not theirs."""
    if not is_adviser(user):
        return False
    if county is None:
        return True
    scope = county_scope_for(user=user)
    return scope is None or county.pk in scope


def can_change_fund_year(user, fund_year) -> bool:
    return can_manage_funds(user, fund_year.county)
