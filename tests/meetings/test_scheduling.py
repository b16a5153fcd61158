import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingSeries, Participant

from .factories import NOW, oslo


def make_series(adviser, region, **overrides):
    fields = {
        "actor": adviser,
        "title": "Regionrådsmøte Indre Østfold",
        "rrule": "FREQ=MONTHLY;BYDAY=2TU",
        "first_date": datetime.date(2030, 1, 1),
        "start_time": datetime.time(9, 0),
        "duration_minutes": 180,
        "region": region,
    }
    fields.update(overrides)
    return services.series_create(**fields)


def test_weekly_series_keeps_nine_oclock_across_march_and_october_dst_changes(adviser, region):
    series = make_series(adviser, region, rrule="FREQ=WEEKLY;BYDAY=MO")
    meetings = services.series_generate(series=series, now=NOW)
    local_times = {m.start.astimezone(datetime.UTC).utcoffset() for m in meetings}
    assert local_times  # sanity
    assert all(m.start.astimezone(m.start.tzinfo).hour == 9 for m in meetings)
    oslo_hours = {(m.start.astimezone(datetime.UTC) + (m.start.utcoffset())).hour for m in meetings}
    assert oslo_hours == {9}
    # In UTC the meeting is at 08:00 in winter and 07:00 in summer: the local time is what stays fixed.
    by_day = {m.start.date(): m.start.astimezone(datetime.UTC).hour for m in meetings}
    assert by_day[datetime.date(2030, 3, 25)] == 8  # Monday before the change on 31 March
    assert by_day[datetime.date(2030, 4, 1)] == 7  # Monday after it
    assert by_day[datetime.date(2030, 10, 21)] == 7  # before the change on 27 October
    assert by_day[datetime.date(2030, 10, 28)] == 8  # after it


def test_generation_covers_twelve_months_and_running_it_twice_creates_nothing_more(adviser, region):
    series = make_series(adviser, region)
    first = services.series_generate(series=series, now=NOW)
    assert len(first) == 12
    assert first[0].start == oslo(2030, 1, 8, 9)
    assert services.series_generate(series=series, now=NOW) == []
    assert Meeting.objects.filter(series=series).count() == 12


def test_generation_skips_exceptions_and_does_not_recreate_a_moved_or_cancelled_meeting(adviser, region):
    series = make_series(adviser, region, exception_dates=["2030-07-09"])
    meetings = services.series_generate(series=series, now=NOW)
    assert datetime.date(2030, 7, 9) not in {m.start.date() for m in meetings}
    services.meeting_move(
        meeting=meetings[1], actor=adviser, start=oslo(2030, 2, 14, 10), end=oslo(2030, 2, 14, 13), now=NOW
    )
    services.meeting_cancel(meeting=meetings[2], actor=adviser, now=NOW)
    assert services.series_generate(series=series, now=NOW) == []


def test_region_councillor_representatives_and_leader_are_invited_by_default(meeting, councillor, rep, leader):
    invited = {p.person_id: p.side for p in Participant.objects.filter(meeting=meeting)}
    assert invited == {
        councillor.pk: Participant.Side.COUNTY,
        rep.pk: Participant.Side.COUNTY,
        leader.person.pk: Participant.Side.POLITICAL,
    }


@pytest.mark.parametrize("rule", ["FREQ=FORTNIGHTLY", "BYDAY=XX", "FREQ=MONTHLY;BYDAY=2TU;COUNT=x", "", "FREQ=HOURLY"])
def test_invalid_recurrence_rule_is_refused_in_norwegian_and_nothing_is_saved(adviser, region, rule):
    with pytest.raises(ValidationError) as error:
        make_series(adviser, region, rrule=rule)
    assert "gjentakelsesregel" in str(error.value).lower() or "en gang om dagen" in str(error.value).lower()
    assert MeetingSeries.objects.count() == 0


def test_meeting_ending_before_it_starts_is_refused_and_nothing_is_saved(adviser, region):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=adviser, title="Feil", start=oslo(2030, 3, 1, 12), end=oslo(2030, 3, 1, 9), region=region, now=NOW
        )
    assert "slutte etter" in str(error.value)
    assert Meeting.objects.count() == 0


def test_moving_a_meeting_raises_sequence_and_keeps_the_original_start(meeting, adviser):
    before = meeting.sequence
    moved = services.meeting_move(
        meeting=meeting, actor=adviser, start=oslo(2030, 2, 13, 9), end=oslo(2030, 2, 13, 12), now=NOW
    )
    assert moved.sequence == before + 1
    assert moved.moved_from == oslo(2030, 2, 12, 9)


def test_moving_a_cancelled_meeting_is_refused(meeting, adviser):
    services.meeting_cancel(meeting=meeting, actor=adviser, now=NOW)
    with pytest.raises(ValidationError):
        services.meeting_move(
            meeting=meeting, actor=adviser, start=oslo(2030, 2, 13, 9), end=oslo(2030, 2, 13, 12), now=NOW
        )
    meeting.refresh_from_db()
    assert meeting.start == oslo(2030, 2, 12, 9)


def test_the_demo_series_takes_a_summer_break(adviser, region):
    """The demo's July exception lay before the series started, so the demo still met in July."""
    import io

    from django.contrib.auth import get_user_model

    from meetings.demo import load_demo

    region.slug = "indre-ostfold"
    region.save()
    get_user_model().objects.filter(pk=adviser.pk).update(username="radgiver")
    load_demo(stdout=io.StringIO())
    months = {timezone.localtime(m.start).month for m in Meeting.objects.filter(series__isnull=False)}
    assert 7 not in months and len(months) >= 10


def test_a_leader_asking_to_generate_a_series_is_refused_and_nothing_is_made(adviser, leader, region):
    """The page's "generate" acts for a person: only the coordination unit; the nightly task acts for no one."""
    from django.core.exceptions import PermissionDenied

    series = make_series(adviser, region)
    before = Meeting.objects.count()
    with pytest.raises(PermissionDenied):
        services.series_generate(series=series, actor=leader, now=NOW)
    assert Meeting.objects.count() == before
    assert services.series_generate(series=series, actor=adviser, now=NOW)  # the adviser may
