"""What other apps do when a case is closed, in the same transaction.

The archive hand-off lives in an app above this one: it registers a listener here (in its
AppConfig.ready()) and case_close calls every listener after the case is closed, inside the same
transaction, so the closing and what follows it commit together or not at all:

    from cases.hooks import case_closed_listeners
    case_closed_listeners.register(archive_plan_for_case)

A listener is called as listener(case=..., now=...).
"""

from regions.hooks import Listeners


class CaseClosedListeners(Listeners):
    def notify(self, *, case, now=None):
        self._notify(case=case, now=now)


case_closed_listeners = CaseClosedListeners()
