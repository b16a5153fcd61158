"""Demo content for `manage.py setup_demo` (DEBUG only): the theme group "Samferdsel og
kollektivtransport" across Indre Østfold and another region of Østfold, led by Indre Østfold, with a
case or two of the regions and the next meeting of Indre Østfold. Every text says it is an example.
Idempotent: a second run changes nothing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases import services as case_services
from cases.models import Anchoring, Case, Topic
from meetings.models import Meeting
from regions.models import County, Municipality, Region, RegionMembership
from regions.selectors import region_list_for_county

from . import services
from .models import ThemeGroup

NAME = "Samferdsel og kollektivtransport"


def _member_anchoring(cases, member, adviser):
    """The other member region's first municipality supports the group's first case from Indre Østfold
    (recorded by the adviser for it), so the group page shows a member region's own anchoring."""
    municipality = (
        Municipality.objects.filter(
            pk__in=RegionMembership.objects.valid_on(timezone.localdate()).filter(region=member).values("municipality")
        )
        .order_by("number")
        .first()
    )
    case = next((case for case in cases if case.origin_region_id != member.pk and case.is_from_region), None)
    if municipality is None or case is None:
        return
    try:
        case_services.anchoring_record(
            case=case,
            actor=adviser,
            municipality=municipality,
            body=Anchoring.Body.COUNCIL,
            stance=Anchoring.Stance.SUPPORTS,
            reference="Eksempel: kommunestyrevedtak",
        )
    except (ValidationError, PermissionDenied):
        return  # a case not open for anchoring: the demo goes on without it


@transaction.atomic
def load_demo(*, stdout):
    county = County.objects.filter(number="31").order_by("-valid_from").first()
    region = Region.objects.filter(slug="indre-ostfold").first()
    adviser = User.objects.filter(username="radgiver").first() or User.objects.filter(role=User.Role.ADVISER).first()
    if county is None or region is None or adviser is None:
        stdout.write("themes: no county 31, no region indre-ostfold or no adviser; no demo theme group.")
        return
    if ThemeGroup.objects.filter(county=county, name=NAME).exists():
        return
    other = region_list_for_county(county=county, on=timezone.localdate()).exclude(pk=region.pk).first()
    regions = [region] + ([other] if other is not None else [])
    try:
        group = services.theme_group_create(
            county=county,
            name=NAME,
            description=(
                "Eksempel: regionene samarbeider om fylkesveier, busstilbud og kollektivknutepunkter "
                "på tvers av regiongrensene."
            ),
            lead_region=region,
            regions=regions,
            topic=Topic.objects.filter(code=Case.Topic.NTP).first(),
            actor=adviser,
        )
    except ValidationError as error:
        stdout.write(f"  themes: no demo theme group: {' '.join(error.messages)}")
        return
    cases = (
        Case.objects.filter(origin_region__in=regions)
        .exclude(status__in=[Case.Status.DRAFT, Case.Status.WITHDRAWN])
        .order_by("reference", "pk")[:2]
    )
    for case in cases:
        services.theme_case_add(group=group, case=case, actor=adviser)
    if other is not None:
        _member_anchoring(cases, other, adviser)
    meeting = Meeting.objects.filter(region=region, end__gte=timezone.now()).order_by("start").first()
    if meeting is not None:
        services.theme_meeting_add(group=group, meeting=meeting, actor=adviser)
    stdout.write(f"  themes: demo theme group {NAME} ({', '.join(r.name for r in regions)})")
