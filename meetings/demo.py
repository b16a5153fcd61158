"""Demo content: a monthly region council meeting series for Indre Østfold with its meetings generated
and the next meeting's agenda published; a past meeting that decided on one of the demo cases and a
reference group meeting that gave its input on it (issue 16, item 4: the outcome reaches the case).
Idempotent: running it twice adds nothing. Runs after the cases' demo (portal's setup_demo)."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from regions.models import Region

from . import services
from .models import AgendaItem, Meeting, MeetingKind, MeetingSeries

HELD_TITLE = "Regionrådsmøte Indre Østfold (eksempel på vedtak)"
REFERENCE_TITLE = "Referansegruppen for regionrådene (eksempel)"
DECIDED_CASE = "NTP: dobbeltspor på Østfoldbanens østre linje"

SERIES_TITLE = "Regionrådsmøte Indre Østfold"


def load_demo(*, stdout):
    region = Region.objects.filter(slug="indre-ostfold").first()
    adviser = User.objects.filter(username="radgiver").first() or User.objects.filter(role=User.Role.ADVISER).first()
    if region is None or adviser is None:
        stdout.write("meetings: no region indre-ostfold or no adviser; no demo meetings.")
        return
    with transaction.atomic():
        series = MeetingSeries.objects.filter(title=SERIES_TITLE, region=region).first()
        if series is None:
            series = services.series_create(
                actor=adviser,
                title=SERIES_TITLE,
                region=region,
                # The second Tuesday of every month but July: region councils take a summer break.
                rrule="FREQ=MONTHLY;BYDAY=2TU;BYMONTH=1,2,3,4,5,6,8,9,10,11,12",
                first_date=timezone.localdate().replace(day=1),
                start_time=datetime.time(9, 0),
                duration_minutes=180,
                location="Indre Østfold rådhus, møterom 1",
            )
        created = services.series_generate(series=series, actor=adviser)
    meeting = Meeting.objects.filter(series=series, start__gte=timezone.now()).order_by("start").first()
    if meeting is not None and not AgendaItem.objects.filter(meeting=meeting).exists():
        with transaction.atomic():
            for title, lane in [
                ("Regional planstrategi: innspill fra regionen", AgendaItem.Lane.PLANNED),
                ("Nasjonal transportplan: felles prioriteringer", AgendaItem.Lane.PLANNED),
                ("Flom på fylkesvei 120", AgendaItem.Lane.URGENT),
            ]:
                reason = "Akutt situasjon etter uværet" if timezone.now() >= meeting.cutoff_at else ""
                if lane == AgendaItem.Lane.PLANNED and reason:
                    lane = AgendaItem.Lane.URGENT
                services.agenda_item_add(meeting=meeting, actor=adviser, title=title, lane=lane, reason=reason)
            if meeting.status == Meeting.Status.PLANNED:
                services.agenda_publish(meeting=meeting, actor=adviser)
    _load_outcome_demo(region=region, adviser=adviser)
    stdout.write(f"meetings: series '{series.title}', {len(created)} new meetings.")


def _past(days, hour):
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@transaction.atomic
def _load_outcome_demo(*, region, adviser):
    """A held meeting whose decision on the demo NTP case is on the case's timeline, and the reference
    group's input on the same case (once: skipped when the meeting exists or the case does not)."""
    from cases.models import Case

    case = Case.objects.filter(title=DECIDED_CASE, origin_region=region).first()
    if case is None or Meeting.objects.filter(title=HELD_TITLE, region=region).exists():
        return
    start = _past(30, 9)
    planned = start - datetime.timedelta(days=14)
    held = services.meeting_create(
        actor=adviser,
        title=HELD_TITLE,
        start=start,
        end=start + datetime.timedelta(hours=3),
        region=region,
        location="Indre Østfold rådhus, møterom 1",
        now=planned,
    )
    item = services.agenda_item_add(
        meeting=held, actor=adviser, title=case.title, lane=AgendaItem.Lane.PLANNED, case=case, now=planned
    )
    services.meeting_mark_held(meeting=held, actor=adviser)
    services.minutes_save(
        item=item,
        actor=adviser,
        outcome="decision",
        text="Regionrådet slutter seg til innspillet og ber fylket prioritere dobbeltsporet i NTP.",
    )
    start = _past(40, 13)
    reference = services.meeting_create(
        actor=adviser,
        title=REFERENCE_TITLE,
        start=start,
        end=start + datetime.timedelta(hours=2),
        kind=MeetingKind.REFERENCE_GROUP,
        body="Referansegruppen for regionrådene",
        now=start - datetime.timedelta(days=14),
    )
    services.meeting_mark_held(meeting=reference, actor=adviser)
    services.reference_input_add(
        meeting=reference,
        actor=adviser,
        case=case,
        text="Referansegruppen anbefaler at dobbeltsporet ses sammen med godsterminalen.",
    )
