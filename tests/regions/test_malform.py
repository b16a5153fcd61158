"""Issue 13, item 4: each municipality and region records its official language form (målform), and
what the county sends to a nynorsk region is written in nynorsk for people without their own choice."""

import datetime
from zoneinfo import ZoneInfo

from django.core import mail

from cases import services as case_services
from cases.models import Case
from meetings import services as meeting_services
from notifications.models import Message
from notifications.sweep import message_sweep
from regions.models import Appointment, Malform, Municipality, Region
from regions.selectors import region_malform_from_members
from tests.factories import AppointmentFactory, MembershipFactory, MunicipalityFactory, PersonFactory

OSLO = ZoneInfo("Europe/Oslo")
D = datetime.date


def test_municipalities_record_their_language_form_with_source_and_confidence(reference):
    for number in ("3041", "3324"):  # Gol, 2020 and 2024 numbers
        gol = Municipality.objects.get(number=number)
        assert gol.malform == Malform.NYNORSK and "wikipedia" in gol.malform_source
        assert gol.malform_confidence == "medium"
    assert Municipality.objects.get(number="3330").malform == Malform.NEUTRAL  # Hol
    assert Municipality.objects.get(number="3454").malform_confidence == "high"  # Vang
    assert Municipality.objects.get(number="3101").malform == ""  # Halden: not recorded
    assert Municipality.objects.get(number="3312").malform == ""  # Lier: one of eight, not identified


def test_a_regions_language_form_follows_its_members_by_the_written_rule(reference):
    valdres = Region.objects.get(slug="valdres")
    assert valdres.malform == Malform.NEUTRAL  # three nynorsk and three neutral members
    assert "Regel:" in valdres.malform_source
    assert Region.objects.get(slug="follo").malform == ""  # no member records one
    hallingdal = Region.objects.get(slug="hallingdal")
    day = D(2026, 11, 30)
    Municipality.objects.filter(number__in=["3320", "3322", "3330"]).update(malform="")
    assert region_malform_from_members(region=hallingdal, on=day) == Malform.NYNORSK
    Municipality.objects.filter(number="3320").update(malform=Malform.BOKMAL)
    assert region_malform_from_members(region=hallingdal, on=day) == Malform.NEUTRAL


def test_an_admins_language_form_survives_a_reload(reference):
    from regions.reference import reference_data_load

    Region.objects.filter(slug="valdres").update(malform=Malform.NYNORSK, malform_source="Regionrådets vedtak.")
    reference_data_load()
    assert Region.objects.get(slug="valdres").malform == Malform.NYNORSK


def test_municipality_and_region_pages_show_the_language_form(client, adviser, reference):
    client.force_login(adviser)
    gol = client.get(Municipality.objects.get(number="3324").get_absolute_url()).content.decode()
    assert "Offisiell målform" in gol and "Nynorsk" in gol and "wikipedia" in gol
    halden = client.get(Municipality.objects.get(number="3101").get_absolute_url()).content.decode()
    assert "Ikke registrert" in halden
    valdres = client.get(Region.objects.get(slug="valdres").get_absolute_url()).content.decode()
    assert "Nøytral" in valdres and "Regel:" in valdres


def _nynorsk_region_meeting(adviser, region):
    region.malform = Malform.NYNORSK
    region.save(update_fields=["malform"])
    return meeting_services.meeting_create(
        actor=adviser,
        title="Regionrådsmøte",
        start=datetime.datetime(2030, 2, 12, 9, tzinfo=OSLO),
        end=datetime.datetime(2030, 2, 12, 12, tzinfo=OSLO),
        region=region,
        location="Rådhuset",
        now=datetime.datetime(2030, 1, 2, 9, tzinfo=OSLO),
    )


def _appoint(region, role, name, language=None):
    from accounts.models import User

    user = User.objects.create_user(username=name, email=f"{name}@example.no", language=language or "")
    person = PersonFactory(name=name, user=user, email=f"{name}@example.no")
    AppointmentFactory(person=person, role=role, region=region)
    return user


def test_a_nynorsk_regions_meeting_reminder_is_in_nynorsk_unless_the_person_chose(settings, adviser, region):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _appoint(region, Appointment.Role.REGION_COUNCIL_LEADER, "leiar")
    _appoint(region, Appointment.Role.COUNTY_COUNCILLOR, "bokmaal", language="nb")
    _nynorsk_region_meeting(adviser, region)
    message_sweep(now=datetime.datetime(2030, 2, 5, 9, 1, tzinfo=OSLO))
    subjects = {m.to[0]: m.subject for m in mail.outbox if "Påmin" in m.subject}
    assert subjects["leiar@example.no"] == "Påminning: Regionrådsmøte om 7 dagar"
    assert subjects["bokmaal@example.no"] == "Påminnelse: Regionrådsmøte om 7 dager"


def test_a_region_without_nynorsk_gets_the_portals_language(settings, adviser, region):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _appoint(region, Appointment.Role.REGION_COUNCIL_LEADER, "leiar")
    region.malform = Malform.NEUTRAL
    region.save(update_fields=["malform"])
    meeting_services.meeting_create(
        actor=adviser,
        title="Regionrådsmøte",
        start=datetime.datetime(2030, 2, 12, 9, tzinfo=OSLO),
        end=datetime.datetime(2030, 2, 12, 12, tzinfo=OSLO),
        region=region,
        location="Rådhuset",
        now=datetime.datetime(2030, 1, 2, 9, tzinfo=OSLO),
    )
    message_sweep(now=datetime.datetime(2030, 2, 5, 9, 1, tzinfo=OSLO))
    subjects = {m.to[0]: m.subject for m in mail.outbox if "Påmin" in m.subject}
    assert subjects["leiar@example.no"] == "Påminnelse: Regionrådsmøte om 7 dager"


def test_the_answer_to_a_nynorsk_regions_case_is_in_nynorsk(settings, adviser, region):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    region.malform = Malform.NYNORSK
    region.save(update_fields=["malform"])
    MembershipFactory(region=region, municipality=MunicipalityFactory(number="3041", name="Gol"))
    leader = _appoint(region, Appointment.Role.REGION_COUNCIL_LEADER, "leiar")
    chose = _appoint(region, Appointment.Role.REGION_SECRETARIAT, "sekretar", language="nb")
    now = datetime.datetime(2030, 3, 4, 10, tzinfo=OSLO)
    case = case_services.case_create(
        actor=leader,
        title="Fylkesvei 7",
        description="Trafikksikkerhet.",
        topic=Case.Topic.CONCRETE_MATTER,
        origin_region=region,
        now=now,
    )
    case_services.case_submit(case=case, actor=leader, now=now)
    case_services.case_receive(case=case, actor=adviser, now=now)
    to_leader = Message.objects.get(recipient=leader, key__startswith="cases.event.")
    assert to_leader.payload["fallback_language"] == "nn"
    assert not Message.objects.filter(recipient=chose, payload__has_key="fallback_language").exists()
    assert not Message.objects.filter(recipient=adviser, payload__has_key="fallback_language").exists()


def test_a_hearing_sent_to_a_nynorsk_region_and_its_deadline_reminders_are_in_nynorsk(
    staff, council_area, adviser, region, other_region, leader, other_leader
):
    region.malform = Malform.NYNORSK
    region.save(update_fields=["malform"])
    now = datetime.datetime(2030, 3, 4, 10, tzinfo=OSLO)
    case = case_services.case_create(
        actor=staff,
        title="Høring: regional plan for samferdsel",
        direction=Case.Direction.COUNTY_TO_REGIONS,
        origin_council_area=council_area,
        topic=Case.Topic.REGIONAL_PLAN,
        deadline=datetime.date(2030, 4, 1),
        now=now,
    )
    case_services.case_submit(case=case, actor=staff, now=now)
    case_services.case_regions_send(case=case, actor=adviser, regions=[region, other_region], now=now)
    to_leader = Message.objects.filter(recipient=leader, key__startswith="cases.")
    assert {m.kind for m in to_leader} >= {"cases.event", "cases.deadline"}
    assert all(m.payload.get("fallback_language") == "nn" for m in to_leader)
    to_other = Message.objects.filter(recipient=other_leader, key__startswith="cases.")
    assert to_other.exists() and not any("fallback_language" in m.payload for m in to_other)
