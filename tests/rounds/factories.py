"""Builders for input-round tests."""

import datetime

from django.utils import timezone

from rounds import services
from tests.factories import an_adviser

# "Now" in round tests: the round opens on 1 March 2026, the deadline is 1 May 2026.
OPENED = timezone.make_aware(datetime.datetime(2026, 3, 1, 10, 0))
DEADLINE = datetime.date(2026, 5, 1)


def open_round(regions, *, adviser=None, county=None, title="Innspill til NTP 2029-2040", council_areas=(), now=None):
    adviser = an_adviser(adviser)
    return services.round_open(
        actor=adviser,
        county=county or regions[0].host_county,
        title=title,
        public_text="Fylket samler regionenes innspill til Nasjonal transportplan.",
        deadline=DEADLINE,
        regions=regions,
        council_areas=council_areas,
        now=now or OPENED,
    )
