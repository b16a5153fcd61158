"""E-mails follow their recipient's own language (issue 13, item 4): in one sweep batch a person who
chose nynorsk gets the reminder in nynorsk, one without a choice in bokmål."""

from django.core import mail

from notifications.sweep import message_sweep

from .factories import oslo


def test_a_reminder_is_written_in_each_recipients_language(meeting, councillor):
    councillor.user.language = "nn"
    councillor.user.save(update_fields=["language"])

    message_sweep(now=oslo(2030, 2, 5, 9, 1))  # the 7-day reminders, all in one batch

    nynorsk = [m for m in mail.outbox if m.to == ["councillor@example.no"]]
    assert [m.subject for m in nynorsk] == ["Påminning: Regionrådsmøte om 7 dagar"]
    assert "Kvar: Rådhuset" in nynorsk[0].body
    bokmal = [m for m in mail.outbox if m.to == ["rep@example.no"]]
    assert [m.subject for m in bokmal] == ["Påminnelse: Regionrådsmøte om 7 dager"]
    assert "Hvor: Rådhuset" in bokmal[0].body
