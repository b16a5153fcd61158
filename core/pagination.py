"""A paginator whose count stops at a cap, for lists that can hold a county's whole history.

Counting every row of a list of 90,000 cases costs the database as much as reading them; a person pages
through the first few pages and narrows the list with its filters. `CappedPaginator` counts at most
`cap` + 1 rows (settings.LIST_COUNT_CAP, 1,000: `SELECT COUNT(*) FROM (SELECT ... LIMIT cap + 1)`,
without the list's order, so the database stops at the cap), pages through the first `cap` rows,
and says whether there are more (`capped`), so the page can say "more than 1 000" and suggest the filters.
The count of a query is kept under the data's generation (core/fragments.py) until anything changes.
"""

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .fragments import kept_value


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap if cap is not None else settings.LIST_COUNT_CAP

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()
        capped = rows[: self.cap + 1]
        if hasattr(capped, "query"):
            # Kept under the data's generation like a fragment (core/fragments.py), by the query itself:
            # its SQL and values hold who may see what, the filters and the day, so a list opened again
            # before anything changed is not counted again.
            try:
                described = repr(capped.query.sql_with_params())
            except EmptyResultSet:  # a filter that can match nothing (no posts, no such choice)
                return 0
            return kept_value("list-count", [described], capped.count)
        return capped.count() if hasattr(capped, "count") else len(capped)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows than the cap: the count shown is a lower bound."""
        return self._counted > self.cap
