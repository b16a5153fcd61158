"""A paginator whose count stops at a cap, for lists that can hold a county's whole history.

Counting every row of a list of 90,000 cases costs the database as much as reading them; a person pages
through the first few pages and narrows the list with its filters. `CappedPaginator` counts at most
`cap` + 1 rows (settings.LIST_COUNT_CAP, 1,000: `SELECT COUNT(*) FROM (SELECT ... LIMIT cap + 1)`,
without the list's order, so the database stops at the cap), pages through the first `cap` rows,
and says whether there are more (`capped`), so the page can say "more than 1 000" and suggest the filters.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap if cap is not None else settings.LIST_COUNT_CAP

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()
        return rows[: self.cap + 1].count() if hasattr(rows, "count") else len(rows[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows than the cap: the count shown is a lower bound."""
        return self._counted > self.cap
