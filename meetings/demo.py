"""Demo content: a monthly region council meeting series for Indre Østfold with its meetings generated
and the next meeting's agenda published. Idempotent: running it twice adds nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from regions.models import Region

from . import services
from .models import AgendaItem, Meeting, MeetingSeries

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
    stdout.write(f"meetings: series '{series.title}', {len(created)} new meetings.")
