"""Benchmark: the outbox sweep over 100,000 due meeting reminders with Django's in-memory e-mail backend.

    .venv/bin/python bench/meetings_sweep.py [count] [--processes N]

Uses a temporary SQLite database (or DATABASE_URL). Prints the throughput and the peak RSS. The
locmem backend keeps every sent e-mail in django.core.mail.outbox, which by itself grows with the
count; the benchmark empties that list after each batch (the batches of message_sweep), so the
figure shows the sweep's own memory.
"""

import argparse
import atexit
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="bench-meetings-")
atexit.register(shutil.rmtree, TMP, True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "viken.settings")
os.environ.setdefault("VAR_DIR", TMP)
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ["EMAIL_URL"] = ""
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(count, *, processes=1):
    from accounts.models import User
    from meetings.models import Meeting
    from meetings.services import _iso, message_key
    from notifications.models import Message
    from notifications.sweep import message_sweep
    from regions.models import County, Person, Region

    call_command("migrate", verbosity=0)
    Message.objects.all().delete()
    county, _ = County.objects.get_or_create(number="30", name="Viken")
    region, _ = Region.objects.get_or_create(slug="bench", defaults={"name": "Bench", "host_county": county})
    now = timezone.now()
    meetings = [
        Meeting.objects.create(
            title=f"Regionrådsmøte {i}",
            region=region,
            start=now + timezone.timedelta(days=2 + i),
            end=now + timezone.timedelta(days=2 + i, hours=3),
            location="Rådhuset",
        )
        for i in range(100)
    ]
    users = User.objects.bulk_create(
        [User(username=f"bench{i}", email=f"bench{i}@example.no") for i in range(1000)], ignore_conflicts=True
    )
    users = list(User.objects.filter(username__startswith="bench").order_by("pk"))
    Person.objects.bulk_create([Person(name=u.username, user=u, email=u.email) for u in users], ignore_conflicts=True)

    def reminder(n):
        meeting = meetings[n % len(meetings)]
        user = users[(n // len(meetings)) % len(users)]
        lead = n // (len(meetings) * len(users))
        return Message(
            key=message_key(meeting, "reminder", f"u{user.pk}", meeting.start, lead),
            kind="meetings.reminder",
            recipient=user,
            email=user.email,
            payload={"meeting_id": meeting.pk, "planned_start": _iso(meeting.start), "lead_days": 1},
            due_at=now,
            available_at=now,
        )

    # Written in chunks, so that the benchmark's own set-up does not set the peak RSS.
    for chunk in range(0, count, 5000):
        Message.objects.bulk_create([reminder(n) for n in range(chunk, min(chunk + 5000, count))], batch_size=2500)
    print(f"database: {connection.vendor}; {count} due reminders for {len(meetings)} meetings and {len(users)} users")

    # Empty the in-memory outbox after each send so the figure is the sweep's memory, not locmem's list.
    from django.core.mail.backends import locmem

    original = locmem.EmailBackend.send_messages

    def send_and_forget(self, messages):
        sent = original(self, messages)
        mail.outbox.clear()
        return sent

    locmem.EmailBackend.send_messages = send_and_forget
    due = now + timezone.timedelta(seconds=1)
    # A running worker has loaded the URL configuration long before (about a second, once).
    from django.urls import reverse

    reverse("portal:home")
    if processes == 1:
        rss_before = peak_rss_mb()
        cpu_before = cpu_seconds()
        started = time.perf_counter()
        counts = message_sweep(now=due)
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_before
        print(f"sweep: {counts}")
        print(f"{counts['sent']} sent in {elapsed:.1f} s = {counts['sent'] / elapsed:,.0f} per second")
        print(f"CPU time of the sweep process: {cpu:.1f} s = {counts['sent'] / cpu:,.0f} per CPU second")
        print(f"peak RSS: {peak_rss_mb():.0f} MB (before the sweep: {rss_before:.0f} MB)")
        return

    # Several sweeps at once, as the worker processes run them when a backlog is fanned out
    # (notifications.tasks.message_sweep_task): each is a forked process with its own connection.
    connection.close()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start = context.Event()

    def sweep_process():
        start.wait()
        before = peak_rss_mb()
        counts = message_sweep(now=due)
        results.put((counts, before, peak_rss_mb()))

    children = [context.Process(target=sweep_process) for _ in range(processes)]
    for child in children:
        child.start()
    started = time.perf_counter()
    start.set()
    outcomes = [results.get() for _ in children]
    elapsed = time.perf_counter() - started
    for child in children:
        child.join()
    sent = sum(counts["sent"] for counts, _before, _peak in outcomes)
    print(f"sweeps: {[counts for counts, _before, _peak in outcomes]}")
    print(f"{sent} sent by {processes} processes in {elapsed:.1f} s = {sent / elapsed:,.0f} per second")
    for number, (counts, before, peak) in enumerate(outcomes, start=1):
        print(f"process {number}: {counts['sent']} sent, peak RSS {peak:.0f} MB (before the sweep: {before:.0f} MB)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=100_000, help="due reminders (default 100,000)")
    parser.add_argument("--processes", type=int, default=1, help="sweeps running at once (default 1)")
    arguments = parser.parse_args()
    main(arguments.count, processes=arguments.processes)
