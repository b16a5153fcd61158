"""Input rounds through the services and access functions, on a real database."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation

from notifications.models import Message
from rounds import services
from rounds.models import Contribution, ContributionAnchoring, Round
from rounds.renderers import DEADLINE_KIND
from rounds.selectors import contribution_get_for_user, contribution_list_for_round, round_get_for_user
from tests.factories import AppointmentFactory, MembershipFactory, MunicipalityFactory, PersonFactory, UserFactory

from .factories import DEADLINE, OPENED, open_round

pytestmark = pytest.mark.django_db
LATER = OPENED + datetime.timedelta(days=10)


@pytest.fixture
def round_(region, other_region, adviser, leader, other_leader):
    return open_round([region, other_region], adviser=adviser)


def _contribution(round_, region):
    return Contribution.objects.get(round=round_, region=region)


def _pending_reminders(region=None):
    qs = Message.objects.filter(kind=DEADLINE_KIND, state=Message.State.PENDING)
    return qs if region is None else qs.filter(payload__region_id=region.pk)


def test_opening_a_round_plans_reminders_before_the_deadline_for_each_regions_leader(round_, leader, other_leader):
    reminders = _pending_reminders()
    assert {m.recipient for m in reminders} == {leader, other_leader}
    assert sorted({timezone.localdate(m.due_at) for m in reminders}) == [
        DEADLINE - datetime.timedelta(days=14),
        DEADLINE - datetime.timedelta(days=3),
    ]
    assert round_.contributions.count() == 2


def test_the_secretariat_is_reminded_and_writes_for_the_region_as_the_leader_does(region, adviser, leader):
    secretary = UserFactory(username="sekretariat", role="region_leader")
    AppointmentFactory(person=PersonFactory(user=secretary), region=region, role="region_secretariat")
    round_ = open_round([region], adviser=adviser)
    assert secretary in {m.recipient for m in _pending_reminders(region)}
    contribution = _contribution(round_, region)
    services.contribution_save(contribution=contribution, actor=secretary, text="Vi prioriterer E18.", now=LATER)
    contribution.refresh_from_db()
    assert contribution.text == "Vi prioriterer E18."


def test_submitting_cancels_only_that_regions_reminders(round_, region, other_region, leader):
    contribution = _contribution(round_, region)
    services.contribution_save(contribution=contribution, actor=leader, text="Rv. 22 først.", now=LATER)
    services.contribution_submit(contribution=contribution, actor=leader, now=LATER)
    assert not _pending_reminders(region).exists()
    assert _pending_reminders(other_region).count() == 2
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.SUBMITTED and contribution.submitted_by == leader


def test_closing_the_round_cancels_every_reminder_and_stops_writing(round_, region, adviser, leader):
    services.round_close(round_=round_, actor=adviser, now=LATER)
    assert not _pending_reminders().exists()
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        services.contribution_save(contribution=_contribution(round_, region), actor=leader, text="Sent.", now=LATER)
    assert "Innspillsrunden er lukket." in refused.value.messages
    assert _contribution(round_, region).text == ""


def test_an_empty_contribution_cannot_be_submitted(round_, region, leader):
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        services.contribution_submit(contribution=_contribution(round_, region), actor=leader, now=LATER)
    assert "Skriv innspillet før du sender det inn." in refused.value.messages
    assert _contribution(round_, region).status == Contribution.Status.DRAFT


def test_a_region_cannot_write_another_regions_contribution(round_, other_region, leader):
    with pytest.raises(PermissionDenied):
        services.contribution_save(contribution=_contribution(round_, other_region), actor=leader, text="x")
    assert _contribution(round_, other_region).text == ""


def test_a_region_sees_its_own_contribution_and_not_the_others(round_, region, other_region, leader):
    assert round_get_for_user(user=leader, pk=round_.pk) == round_
    assert list(contribution_list_for_round(user=leader, round_=round_)) == [_contribution(round_, region)]
    with pytest.raises(Http404):
        contribution_get_for_user(user=leader, pk=_contribution(round_, other_region).pk)


def test_a_round_not_addressed_to_the_region_is_a_404(region, other_region, adviser, other_leader):
    round_ = open_round([region], adviser=adviser)
    with pytest.raises(Http404):
        round_get_for_user(user=other_leader, pk=round_.pk)


def test_only_advisers_open_rounds(region, leader):
    with pytest.raises(PermissionDenied):
        open_round([region], adviser=leader)
    assert not Round.objects.exists()


def test_a_deadline_in_the_past_is_refused_and_nothing_is_planned(region, adviser, leader):
    with translation.override("nb"), pytest.raises(ValidationError):
        open_round([region], adviser=adviser, now=timezone.make_aware(datetime.datetime(2026, 6, 1)))
    assert not Round.objects.exists() and not Message.objects.exists()


def test_anchoring_counts_only_member_municipalities(round_, region, leader):
    member = MembershipFactory(region=region, municipality=MunicipalityFactory()).municipality
    outsider = MunicipalityFactory()
    contribution = _contribution(round_, region)
    services.anchoring_record(
        contribution=contribution, actor=leader, municipality=member, stance="supports", now=LATER
    )
    with pytest.raises(ValidationError):
        services.anchoring_record(contribution=contribution, actor=leader, municipality=outsider, now=LATER)
    assert list(ContributionAnchoring.objects.values_list("municipality", "stance")) == [(member.pk, "supports")]


def test_what_was_sent_to_the_state_is_recorded_after_closing(round_, adviser):
    with pytest.raises(ValidationError):
        services.round_record_sent(round_=round_, actor=adviser, sent_on=datetime.date(2026, 5, 2), sent_to="SVV")
    services.round_close(round_=round_, actor=adviser, now=LATER)
    services.round_record_sent(
        round_=round_, actor=adviser, sent_on=datetime.date(2026, 3, 11), sent_to="Samferdselsdepartementet"
    )
    round_.refresh_from_db()
    assert (round_.sent_on, round_.sent_to, round_.sent_recorded_by) == (
        datetime.date(2026, 3, 11),
        "Samferdselsdepartementet",
        adviser,
    )


FIRST_REMINDER_SENT = datetime.datetime(2026, 4, 17, 7, 0, tzinfo=datetime.UTC)  # 14 days before, not yet 3


def test_the_first_reminder_reaches_the_leader_with_the_round_and_the_deadline(round_, region, leader):
    from notifications.models import Notification
    from notifications.sweep import message_sweep

    message_sweep(now=FIRST_REMINDER_SENT)
    title = Notification.objects.filter(user=leader).values_list("title", flat=True).get()
    assert round_.title in title and "01.05.2026" in title
    assert _pending_reminders(region).filter(recipient=leader).count() == 1  # the one 3 days before


def test_a_reminder_due_after_the_region_submitted_outside_the_service_is_not_sent(round_, region, leader):
    """The renderer checks again at send time: a contribution submitted by a path that did not cancel
    the reminders (an admin's edit) is not reminded of."""
    from notifications.models import Notification
    from notifications.sweep import message_sweep

    Contribution.objects.filter(round=round_, region=region).update(status=Contribution.Status.SUBMITTED)
    message_sweep(now=FIRST_REMINDER_SENT)
    assert not Notification.objects.filter(user=leader).exists()
