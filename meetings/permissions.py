"""Who may see and change meetings.

Advisers (the coordination unit) see and manage every meeting. Everyone else sees the meetings of
the regions they lead, meetings they are invited to, and county-wide meetings (no region: reference
group and dialogue meetings). A leader proposes agenda items for their region's meetings before the
cut-off; after it only the coordination unit adds (urgent) items.
"""

from django.db.models import Q
from django.utils import timezone

from accounts.permissions import is_adviser
from regions.permissions import can_act_for_region
from regions.selectors import person_id_of, region_list_led_by

from .models import Meeting, Participant


def participations_of(user, *, on=None):
    """The user's invitations that still count on the day: as a guest, or through an appointment that
    has not ended (an ended appointment's invitations open nothing, see ParticipantQuerySet.entitled)."""
    return Participant.objects.filter(person_id=person_id_of(user=user)).entitled(on or timezone.localdate())


def meeting_visibility_filter(user) -> Q | None:
    """A Q for the meetings the user may see (None: all of them): county-wide meetings, the meetings of
    the regions they lead today, and the meetings they are invited to through a current appointment."""
    if is_adviser(user):
        return None
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    return (
        Q(region__isnull=True)
        | Q(region__in=region_list_led_by(user=user).values("pk"))
        | Q(pk__in=participations_of(user).values("meeting_id"))
    )


def can_follow_region_meetings(user, region) -> bool:
    """Who may subscribe to (and keep reading) a region's calendar feed: advisers, the region's leader
    today, and people invited to its meetings through a current appointment."""
    if is_adviser(user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    if can_act_for_region(user, region, on=timezone.localdate()):
        return True
    return participations_of(user).filter(meeting__region=region).exists()


def can_manage_meetings(user) -> bool:
    """Only the coordination unit creates series and meetings, builds agendas and writes minutes."""
    return is_adviser(user)


def can_propose_agenda_item(user, meeting, *, now=None) -> bool:
    """A leader of the meeting's region, before the agenda cut-off, while the meeting is still ahead."""
    now = now or timezone.now()
    if is_adviser(user) or meeting.region_id is None:
        return False
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.PUBLISHED) or now >= meeting.cutoff_at:
        return False
    return can_act_for_region(user, meeting.region, on=timezone.localdate(now))


def can_act_for_meeting_region(user, meeting, *, now=None) -> bool:
    """Advisers always; a leader only for a meeting of the region they lead today."""
    if is_adviser(user):
        return True
    if meeting.region_id is None:
        return False
    return can_act_for_region(user, meeting.region, on=timezone.localdate(now or timezone.now()))
