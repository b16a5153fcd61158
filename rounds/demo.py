"""Demo content for `manage.py setup_demo` (DEBUG only): one input round of Østfold, "Innspill til NTP
2029–2040 (eksempel)", to Indre Østfold and one other region of the county; each region's contribution
is written and submitted by the demo user who acts for it (Indre Østfold's leader; the other region has
no demo user, so its contribution waits as a draft). Every text says it is an example. Idempotent."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from regions.models import Appointment, County, Region
from regions.selectors import REGION_SIDE_ROLES, region_list_for_county

from . import services
from .models import Round

TITLE = "Innspill til NTP 2029–2040 (eksempel)"
TEXTS = {
    "indre-ostfold": (
        "Eksempel: Indre Østfold ber om at E18 og rv. 22 prioriteres, og at Østfoldbanens østre linje "
        "får timesavgang. Regionrådet vedtok innspillet i sitt møte."
    ),
}
DEFAULT_TEXT = "Eksempel: regionen ber om bedre kollektivtilbud mellom tettstedene."


def _region_side_user(region):
    posts = Appointment.objects.valid_on(timezone.localdate()).filter(
        role__in=REGION_SIDE_ROLES, region=region, person__user__is_active=True
    )
    return User.objects.filter(pk__in=posts.values("person__user_id")).order_by("username").first()


@transaction.atomic
def load_demo(*, stdout):
    county = County.objects.filter(number="31").order_by("-valid_from").first()
    region = Region.objects.filter(slug="indre-ostfold").first()
    adviser = User.objects.filter(username="radgiver").first() or User.objects.filter(role=User.Role.ADVISER).first()
    if county is None or region is None or adviser is None:
        stdout.write("rounds: no county 31, no region indre-ostfold or no adviser; no demo round.")
        return
    if Round.objects.filter(county=county, title=TITLE).exists():
        return
    regions = [region]
    other = region_list_for_county(county=county, on=timezone.localdate()).exclude(pk=region.pk).first()
    if other is not None:
        regions.append(other)
    round_ = services.round_open(
        actor=adviser,
        county=county,
        title=TITLE,
        public_text=(
            "Eksempel: Fylket samler regionenes innspill til Nasjonal transportplan 2029–2040 i ett felles "
            "dokument til Samferdselsdepartementet."
        ),
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        regions=regions,
    )
    for contribution in round_.contributions.select_related("region"):
        writer = _region_side_user(contribution.region)
        if writer is None:
            continue
        services.contribution_save(
            contribution=contribution, actor=writer, text=TEXTS.get(contribution.region.slug, DEFAULT_TEXT)
        )
        services.contribution_submit(contribution=contribution, actor=writer)
    stdout.write(f"  rounds: demo input round for {county.name} ({len(regions)} regions)")
