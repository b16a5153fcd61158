"""What other apps do when a meeting's minutes are approved, in the same transaction.

The archive hand-off lives in an app above this one: it registers a listener here (in its
AppConfig.ready()) and minutes_approve calls every listener inside its transaction, so the approval
and what follows it commit together or not at all:

    from meetings.hooks import minutes_approved_listeners
    minutes_approved_listeners.register(archive_plan_for_meeting)

A listener is called as listener(meeting=..., now=...).
"""

from regions.hooks import Listeners


class MinutesApprovedListeners(Listeners):
    def notify(self, *, meeting, now=None):
        self._notify(meeting=meeting, now=now)


minutes_approved_listeners = MinutesApprovedListeners()
