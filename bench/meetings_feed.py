"""Benchmark: render a region's iCalendar feed with 500 meetings (target: at most 100 ms).

    .venv/bin/python bench/meetings_feed.py [meetings]

Uses a temporary SQLite database (or DATABASE_URL); times the whole feed view through the test client
(token check, query, iCalendar serialisation), best and median of 20 runs.
"""

import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "viken.settings")
TMP = tempfile.mkdtemp(prefix="bench-meetings-feed-")
atexit.register(shutil.rmtree, TMP, True)
os.environ.setdefault("VAR_DIR", TMP)
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402


def main(count):
    from accounts.models import User
    from meetings.models import Meeting
    from meetings.services import feed_get_or_create
    from regions.models import County, Region

    call_command("migrate", verbosity=0)
    county, _ = County.objects.get_or_create(number="30", name="Viken")
    region, _ = Region.objects.get_or_create(slug="bench-feed", defaults={"name": "Bench", "host_county": county})
    Meeting.objects.filter(region=region).delete()
    now = timezone.now()
    Meeting.objects.bulk_create(
        [
            Meeting(
                title=f"Regionrådsmøte {i}",
                region=region,
                start=now + timezone.timedelta(days=i),
                end=now + timezone.timedelta(days=i, hours=3),
                location="Rådhuset, møterom 1",
                status=Meeting.Status.CANCELLED if i % 20 == 0 else Meeting.Status.PLANNED,
                sequence=i % 3,
            )
            for i in range(count)
        ]
    )
    adviser, _ = User.objects.get_or_create(username="bench-adviser", defaults={"role": User.Role.ADVISER})
    feed = feed_get_or_create(actor=adviser, region=region)
    client = Client()
    url = feed.get_absolute_url()
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        response = client.get(url, secure=True)  # DEBUG off redirects plain HTTP
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    events = response.content.count(b"BEGIN:VEVENT")
    print(f"database: {connection.vendor}; feed with {events} meetings, {len(response.content) / 1024:.0f} KiB")
    print(f"best {min(timings):.0f} ms, median {statistics.median(timings):.0f} ms (target <= 100 ms)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
