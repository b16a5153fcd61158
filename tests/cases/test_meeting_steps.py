"""The case side of what a meeting did with a case (cases.services.case_meeting_step_record): only the
coordination unit records it, once per change, and the timeline says it in the reader's language."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from cases import services
from cases.models import CaseEvent

pytestmark = pytest.mark.django_db

A = CaseEvent.Action


def _case(leader, region):
    return services.case_create(actor=leader, title="Ny bussrute", origin_region=region)


def _record(case, actor, *, text="Vedtatt.", outcome="decision", label="Regionrådsmøte 12.02.2030 09:00"):
    return services.case_meeting_step_record(
        case=case,
        actor=actor,
        action=A.MEETING_OUTCOME,
        key="meetings.minutes.1",
        detail={"meeting": 1, "meeting_label": label, "agenda_item": 1, "outcome": outcome},
        text=text,
    )


def test_a_region_leader_cannot_record_a_meeting_step(leader, region):
    case = _case(leader, region)
    with pytest.raises(PermissionDenied):
        _record(case, leader)
    assert not CaseEvent.objects.filter(action=A.MEETING_OUTCOME).exists()


def test_the_same_step_again_adds_nothing_a_renamed_meeting_neither_a_new_outcome_does(adviser, leader, region):
    case = _case(leader, region)
    assert _record(case, adviser) is not None
    assert _record(case, adviser) is None
    assert _record(case, adviser, label="Regionrådet (nytt navn) 12.02.2030 09:00") is None
    assert _record(case, adviser, outcome="information") is not None
    assert CaseEvent.objects.filter(action=A.MEETING_OUTCOME).count() == 2


def test_the_step_reads_in_bokmal_and_nynorsk(adviser, leader, region):
    event = _record(_case(leader, region), adviser)
    with translation.override("nb"):
        assert event.heading_display == "Vedtatt i Regionrådsmøte 12.02.2030 09:00"
    with translation.override("nn"):
        assert event.heading_display == "Vedteke i Regionrådsmøte 12.02.2030 09:00"
