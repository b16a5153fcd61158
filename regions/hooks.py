"""What other apps do when an appointment starts or ends, in the same transaction.

Rights follow the *current* appointment: ending one must end, at once, what came with it in apps the
registry does not know (invitations to upcoming meetings, their reminders), and a new appointee must
get them. The registry depends on no app above it, so those apps register a listener here (in their
AppConfig.ready()) and the registry's services call every listener after each change:

    from regions.hooks import appointment_listeners
    appointment_listeners.register(meetings_follow_appointment)

A listener is called as listener(appointment=..., now=...) inside the caller's transaction, so the
change and its consequences commit together or not at all.
"""

from django.utils import timezone

from core.registry import Annotations, Registry


class Listeners(Registry):
    """Listeners other apps register in their AppConfig.ready(); the registry calls each after a change,
    in the caller's transaction, with the change's keyword arguments and `now`."""

    def _notify(self, *, now=None, **change):
        now = now or timezone.now()
        for listener in self:
            listener(now=now, **change)


class AppointmentListeners(Listeners):
    def notify(self, *, appointment, now=None):
        self._notify(appointment=appointment, now=now)


appointment_listeners = AppointmentListeners()


class MembershipListeners(Listeners):
    """What other apps do when a region's membership changes (a municipality joins, leaves or moves,
    through the registry's services, the admin or the reference data loader): called as
    listener(region_ids=..., now=...) in the same transaction. The cases app recounts the anchoring
    strength of those regions' cases, which counts the members of the submission day."""

    def notify(self, *, region_ids, now=None):
        region_ids = {pk for pk in region_ids if pk is not None}
        if region_ids:
            self._notify(region_ids=region_ids, now=now)


membership_listeners = MembershipListeners()


# Values other apps read together with the region on its page (region_get annotates the region).
region_annotations = Annotations()
