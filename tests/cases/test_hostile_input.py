"""The defects of issue 11, items 4-6, as a user (or a script posting forms) met them on the case pages.

4. Control characters in a draft's title made /saker/eksport/xlsx/ answer 500, for the leader and for
   the adviser's whole list. Now the form refuses them with a Norwegian message, and the export
   survives such a title already stored.
5. A 2 MB description was accepted. Now every text has a limit, said in the message.
6. Out-of-range ids (priorities=99999999999999999999 on /saker/ny/, instruments, case edit, routing,
   send to regions) raised OverflowError on SQLite. Now every id answers with a form error.
In each case nothing is changed.
"""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from cases import services
from cases.models import Case, CaseEvent
from tests.partnerships.factories import adopted_general_part, draft_agreement, instrument

from .conftest import NOW

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
# Negative numbers, floats, strings and foreign ids were already form errors here; the property test
# (tests/reliability/test_fuzz_forms.py) posts them to every form.
OUT_OF_RANGE = [HUGE, "-" + HUGE]


def _new_case(region, **fields):
    return {
        "title": "Ny sak",
        "description": "",
        "topic": Case.Topic.OTHER,
        "urgency": Case.Urgency.NORMAL,
        "visibility": Case.Visibility.INTERNAL,
        "direction": Case.Direction.REGION_TO_COUNTY,
        "origin_region": region.pk,
        **fields,
    }


def _form_errors(response):
    return {name: " ".join(errors) for name, errors in response.context["form"].errors.items()}


@pytest.fixture
def tags(region, adviser):
    """An agreement priority of the leader's region and a policy instrument, so the form offers both."""
    adopted_general_part(region.host_county, adviser=adviser)
    agreement = draft_agreement(region, adviser=adviser)
    return agreement.special_part.priorities.first(), instrument()


@pytest.mark.parametrize("title", ["\x01\x0b\x1b", "Fylkesvei\x1b[31m 120", "Fylkesvei\x7f"])
def test_a_title_with_control_characters_is_refused_in_norwegian(client, leader, region, members, title):
    client.force_login(leader)
    response = client.post(reverse("cases:case-create"), _new_case(region, title=title))
    assert response.status_code == 200
    assert "Fjern det usynlige kontrolltegnet" in _form_errors(response)["title"]
    assert not Case.objects.exists()


def test_a_title_with_a_line_break_is_refused(client, leader, region, members):
    """A browser's one-line input sends no line break; a script did, and it reached e-mail subjects."""
    client.force_login(leader)
    response = client.post(reverse("cases:case-create"), _new_case(region, title="Første linje\nBcc: x@y.no"))
    assert _form_errors(response)["title"] == "Skriv dette på én linje, uten linjeskift."
    assert not Case.objects.exists()


def test_a_description_keeps_its_line_breaks_and_tabs(client, leader, region, members):
    client.force_login(leader)
    text = "Bakgrunn:\r\n\tTrafikksikkerhet for skolebarn.\r\n\r\nForslag: gang- og sykkelvei."
    response = client.post(reverse("cases:case-create"), _new_case(region, description=text))
    assert response.status_code == 302
    assert Case.objects.get().description == text


def test_the_excel_export_survives_control_characters_already_stored(client, leader, adviser, draft, submitted):
    """The draft from the issue, stored before the rule existed (or by an import): both lists export."""
    Case.objects.filter(pk=draft.pk).update(title="\x01\x0b\x1bUtkast\ttittel")
    for user, expected in ((leader, 1), (adviser, 1)):
        client.force_login(user)
        response = client.get(reverse("cases:export", args=["xlsx"]))
        assert response.status_code == 200
        titles = [
            row[1]
            for row in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
                min_row=2, values_only=True
            )
        ]
        assert [title.strip() for title in titles].count("Utkast tittel") == expected


def test_a_two_megabyte_description_is_refused_with_the_limit(client, leader, region, members):
    client.force_login(leader)
    response = client.post(reverse("cases:case-create"), _new_case(region, description="x" * 2_000_000))
    assert _form_errors(response)["description"] == "Skriv høyst 10\xa0000 tegn (teksten har 2\xa0000\xa0000)."
    assert not Case.objects.exists()


def test_a_description_at_the_limit_is_accepted_and_the_form_says_the_limit(client, leader, region, members):
    client.force_login(leader)
    page = client.get(reverse("cases:case-create")).content.decode()
    assert 'maxlength="10000"' in page and 'maxlength="255"' in page
    response = client.post(reverse("cases:case-create"), _new_case(region, description="x" * 10_000))
    assert response.status_code == 302


def test_a_long_answer_is_refused_with_the_limit_not_a_request_to_fill_it_in(client, adviser, submitted):
    """The steps' forms used to answer every problem with "fill in the text field"."""
    client.force_login(adviser)
    response = client.post(reverse("cases:case-step", args=[submitted.pk, "return"]), {"text": "x" * 10_001})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Skriv høyst 10\xa0000 tegn (teksten har 10\xa0001)."
    ]
    submitted.refresh_from_db()
    assert submitted.status == Case.Status.SUBMITTED
    client.get(submitted.get_absolute_url())  # shows (and so uses up) the message
    response = client.post(reverse("cases:case-step", args=[submitted.pk, "return"]), {"text": ""})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Fyll ut tekstfeltet."]


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("field", ["priorities", "instruments"])
def test_out_of_range_tag_ids_on_a_new_case_are_form_errors(client, leader, region, members, tags, field, value):
    client.force_login(leader)
    response = client.post(reverse("cases:case-create"), _new_case(region, **{field: value}))
    assert response.status_code == 200
    assert _form_errors(response)[field]
    assert not Case.objects.exists()


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_out_of_range_tag_ids_on_a_case_edit_are_form_errors(client, leader, region, draft, tags, value):
    client.force_login(leader)
    data = {**_new_case(region, title="Endret tittel"), "priorities": [tags[0].pk, value]}
    response = client.post(reverse("cases:case-update", args=[draft.pk]), data)
    assert response.status_code == 200
    assert _form_errors(response)["priorities"]
    draft.refresh_from_db()
    assert draft.title != "Endret tittel"


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "1.5", "abc"])
def test_out_of_range_council_areas_when_routing_are_refused(client, adviser, submitted, council_area, value):
    services.case_receive(case=submitted, actor=adviser, now=NOW)
    client.force_login(adviser)
    response = client.post(
        reverse("cases:case-step", args=[submitted.pk, "route"]), {"council_areas": [council_area.pk, value]}
    )
    assert response.status_code == 302
    assert "gyldig" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert not submitted.routings.exists()


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "abc"])
def test_out_of_range_regions_when_sending_to_regions_are_refused(client, adviser, staff, council_area, region, value):
    case = services.case_create(
        actor=staff,
        title="Innspill til regional plan",
        direction=Case.Direction.COUNTY_TO_REGIONS,
        origin_council_area=council_area,
        now=NOW,
    )
    services.case_submit(case=case, actor=staff, now=NOW)
    client.force_login(adviser)
    response = client.post(
        reverse("cases:case-step", args=[case.pk, "send-to-regions"]), {"regions": [region.pk, value]}
    )
    assert response.status_code == 302
    assert "gyldig" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert not case.region_requests.exists()
    assert not CaseEvent.objects.filter(case=case, action=CaseEvent.Action.SENT_TO_REGIONS).exists()


@pytest.fixture
def meeting(region):
    from django.utils import timezone

    from meetings.models import Meeting

    start = timezone.now() + datetime.timedelta(days=30)
    return Meeting.objects.create(
        region=region, title="Regionrådsmøte", start=start, end=start + datetime.timedelta(hours=3)
    )


@pytest.mark.parametrize("where", ["case page", "agenda builder"])
def test_a_case_with_a_title_at_the_limit_can_be_put_on_an_agenda(client, adviser, submitted, meeting, where):
    """The agenda item's title was the reference and the case's title: 265 characters for an agenda item
    that holds 255, refused with a length message the adviser could do nothing about. It is now the
    case's title alone (the agenda shows the reference beside it)."""
    Case.objects.filter(pk=submitted.pk).update(title="T" * 255)
    client.force_login(adviser)
    if where == "case page":
        client.post(reverse("cases:case-agenda-add", args=[submitted.pk]), {"meeting": meeting.pk, "lane": "planned"})
    else:
        client.post(reverse("meetings:agenda-case-add", args=[meeting.pk]), {"case": submitted.pk, "lane": "planned"})
    item = submitted.agenda_items.get()
    assert item.title == "T" * 255
