"""Demo cases for Indre Østfold in different states. Idempotent: a case whose title exists is skipped."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from regions.models import CouncilArea, Region, RegionMembership

from . import services
from .models import Anchoring, Case, TopicMapping

REGION_SLUG = "indre-ostfold"
# Østfold's body a case can be routed to (the demo region's county from 2024; Viken's areas ended with Viken).
AREA_COUNTY, AREA_SLUG = "31", "fylkesutvalget"


def _user(username):
    return User.objects.filter(username=username).first()


def load_demo(*, stdout):
    region = Region.objects.filter(slug=REGION_SLUG).first()
    leader, adviser, staff = _user("leder"), _user("radgiver"), _user("saksbehandler")
    today = timezone.localdate()
    current = CouncilArea.objects.valid_on(today)
    area = (
        current.filter(county__number=AREA_COUNTY, slug=AREA_SLUG).first() or current.filter(slug="samferdsel").first()
    )
    if not (region and leader and adviser):
        stdout.write("cases: region indre-ostfold or demo users missing; no demo cases.")
        return
    created = 0
    with transaction.atomic():
        if area:
            for topic in (Case.Topic.NTP, Case.Topic.CONCRETE_MATTER, Case.Topic.MEASURE_PACKAGE):
                TopicMapping.objects.get_or_create(topic=topic, defaults={"council_area": area})
        deadline = today + datetime.timedelta(days=30)

        def make(title, topic, description):
            nonlocal created
            if Case.objects.filter(title=title, origin_region=region).exists():
                return None
            created += 1
            return services.case_create(
                actor=leader,
                title=title,
                description=description,
                topic=topic,
                origin_region=region,
                deadline=deadline,
            )

        make(
            "Innspill til regional planstrategi 2028–2032",
            Case.Topic.REGIONAL_PLAN_STRATEGY,
            "Utkast: regionens prioriteringer for planstrategien.",
        )
        case = make(
            "Gang- og sykkelvei langs fylkesvei 120",
            Case.Topic.CONCRETE_MATTER,
            "Skolebarn går langs fylkesveien uten fortau. Regionrådet ber om at strekningen prioriteres.",
        )
        if case:
            services.case_submit(case=case, actor=leader)
            members = RegionMembership.objects.valid_on(today).filter(region=region).select_related("municipality")
            for index, membership in enumerate(members[:3]):
                stance = Anchoring.Stance.SUPPORTS if index < 2 else Anchoring.Stance.NOT_TREATED
                services.anchoring_record(case=case, actor=leader, municipality=membership.municipality, stance=stance)
        case = make(
            "NTP: dobbeltspor på Østfoldbanens østre linje",
            Case.Topic.NTP,
            "Felles innspill fra kommunene til Nasjonal transportplan.",
        )
        if case and area:
            services.case_submit(case=case, actor=leader)
            services.case_receive(case=case, actor=adviser)
            services.case_route(case=case, actor=adviser, council_areas=[area])
        case = make(
            "Tiltakspakke for næringsutvikling i Indre Østfold",
            Case.Topic.MEASURE_PACKAGE,
            "Regionen ber om dialog om fylkets virkemidler for næringsutvikling.",
        )
        if case and area:
            services.case_submit(case=case, actor=leader)
            services.case_route(case=case, actor=adviser, council_areas=[area])
            services.routing_answer(  # given in a meeting, registered by the coordination unit
                routing=case.routings.get(),
                actor=adviser,
                answer="Samferdsel og næring stiller i regionrådet i mai.",
                on_behalf=True,
            )
            services.case_send_answer(
                case=case, actor=adviser, answer="Fylket tar saken opp i regionrådsmøtet i mai, med rådsområdet."
            )
        case = make(
            "Felles ladeinfrastruktur for tunge kjøretøy",
            Case.Topic.CONCRETE_MATTER,
            "Regionen ber fylket samordne plasseringen av ladepunkter for tungtransport.",
        )
        if case and area:  # a closed case: the archive hand-off (archive/) sends it to the archive
            services.case_submit(case=case, actor=leader)
            services.case_route(case=case, actor=adviser, council_areas=[area])
            services.routing_answer(
                routing=case.routings.get(),
                actor=adviser,
                answer="Samferdsel tar ladepunktene inn i handlingsprogrammet.",
                on_behalf=True,
            )
            services.case_send_answer(case=case, actor=adviser, answer="Ladepunktene er med i handlingsprogrammet.")
            services.case_close(case=case, actor=adviser)
        if area and staff and not Case.objects.filter(title="Høring: kollektivstrategi for Østfold").exists():
            created += 1
            case = services.case_create(
                actor=staff,
                title="Høring: kollektivstrategi for Østfold",
                description="Rådsområdet ber regionene om innspill til kollektivstrategien.",
                topic=Case.Topic.REGIONAL_PLAN,
                direction=Case.Direction.COUNTY_TO_REGIONS,
                origin_council_area=area,
                deadline=deadline,
            )
            services.case_submit(case=case, actor=staff)
            services.case_regions_send(case=case, actor=adviser, regions=[region])
    stdout.write(f"cases: {created} demo cases created.")
