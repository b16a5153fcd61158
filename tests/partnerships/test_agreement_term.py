"""An agreement's term and revision date, and the reminders that follow them through the outbox."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import Message
from notifications.sweep import message_sweep
from partnerships import services
from partnerships.renderers import AGREEMENT_EXPIRES, AGREEMENT_REVISION_DUE

from .factories import adopted_agreement, adopted_general_part

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.UTC)
START, END, REVISION = datetime.date(2026, 1, 1), datetime.date(2029, 12, 31), datetime.date(2028, 6, 30)


@pytest.fixture
def agreement(region, adviser, leader):
    adopted_general_part(region.host_county, adviser=adviser)
    return adopted_agreement(region, adviser=adviser)


def _set(agreement, adviser, **dates):
    values = {"term_starts_on": START, "term_ends_on": END, "revision_on": REVISION, **dates}
    return services.agreement_set_term(agreement=agreement, actor=adviser, now=NOW, **values)


def _pending(kind=None):
    qs = Message.objects.filter(state=Message.State.PENDING)
    return qs.filter(kind=kind) if kind else qs


def test_setting_the_term_plans_reminders_to_the_adviser_and_the_leader(agreement, adviser, leader):
    _set(agreement, adviser)
    expiry = _pending(AGREEMENT_EXPIRES)
    assert set(expiry.values_list("recipient", flat=True)) == {adviser.pk, leader.pk}
    due = sorted({timezone.localdate(m.due_at) for m in expiry})
    assert due == [END - datetime.timedelta(days=90), END - datetime.timedelta(days=30)]
    assert _pending(AGREEMENT_REVISION_DUE).count() == 4


def test_changing_a_date_cancels_the_old_reminders_and_plans_new_ones(agreement, adviser, leader):
    _set(agreement, adviser)
    later = datetime.date(2030, 6, 30)
    _set(agreement, adviser, term_ends_on=later)
    assert {timezone.localdate(m.due_at) for m in _pending(AGREEMENT_EXPIRES)} == {
        later - datetime.timedelta(days=90),
        later - datetime.timedelta(days=30),
    }
    assert Message.objects.filter(kind=AGREEMENT_EXPIRES, state=Message.State.CANCELLED).count() == 4
    assert _pending(AGREEMENT_REVISION_DUE).count() == 4  # the unchanged revision date keeps its reminders


def test_clearing_the_dates_cancels_every_reminder(agreement, adviser):
    _set(agreement, adviser)
    _set(agreement, adviser, term_ends_on=None, revision_on=None)
    assert not _pending().filter(kind__in=[AGREEMENT_EXPIRES, AGREEMENT_REVISION_DUE]).exists()


def test_a_reminder_is_sent_with_the_region_and_the_date(agreement, adviser, leader):
    _set(agreement, adviser)
    message_sweep(now=datetime.datetime(2029, 10, 3, 7, 0, tzinfo=datetime.UTC))
    sent = Message.objects.filter(kind=AGREEMENT_EXPIRES, state=Message.State.SENT, recipient=leader)
    assert sent.count() == 1
    from notifications.models import Notification

    # The term's end is one of the leader's reminders (the revision date may be another, sent with it).
    titles = list(Notification.objects.filter(user=leader).values_list("title", flat=True))
    assert any(agreement.region.name in title and "31.12.2029" in title for title in titles), titles


def test_the_term_must_end_after_it_starts_and_nothing_is_planned(agreement, adviser):
    with pytest.raises(ValidationError):
        _set(agreement, adviser, term_ends_on=START)
    with pytest.raises(ValidationError):
        _set(agreement, adviser, revision_on=datetime.date(2030, 1, 1))
    agreement.refresh_from_db()
    assert agreement.term_ends_on is None
    assert not _pending().filter(kind=AGREEMENT_EXPIRES).exists()


def test_only_advisers_set_the_term(agreement, leader):
    with pytest.raises(PermissionDenied):
        _set(agreement, leader)


def test_the_adviser_sets_the_term_on_the_page_and_the_agreement_shows_it(client, agreement, adviser, leader):
    client.force_login(adviser)
    url = reverse("partnerships:agreement-term", args=[agreement.pk])
    response = client.post(url, {"term_starts_on": "2026-01-01", "term_ends_on": "2029-12-31", "revision_on": ""})
    assert response.status_code == 302
    client.force_login(leader)
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert "31. desember 2029" in html
    assert client.get(url).status_code == 403


def test_a_bad_term_on_the_page_gives_a_norwegian_message(client, agreement, adviser):
    client.force_login(adviser)
    url = reverse("partnerships:agreement-term", args=[agreement.pk])
    response = client.post(url, {"term_starts_on": "2026-01-01", "term_ends_on": "2025-12-31"})
    assert response.status_code == 400
    assert "Perioden må slutte etter at den begynner" in response.content.decode()
