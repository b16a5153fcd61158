"""The load benchmark: the portal served by gunicorn with production settings, driven from this
separate process at 1, 8 and 32 concurrent users on every main page, as the role that uses it,
beside a bare-Django baseline served by the same gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rp_bench REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/load.py [--quick] [--levels 1,8,32] [--duration 20] [--timeout 30] \\
        [--pages inbox,tracking] [--workers 2] [--port 8765] [--out bench/results/NAME] \\
        [--compare bench/results/before.json]

The database must hold the national dataset (bench/national_data.py): its known logins radgiver,
leder and saksbehandler act as adviser, region council leader and council-area staff.

The server: gunicorn with DEBUG=false, a fresh SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, the given
DATABASE_URL and REDIS_URL, static files collected into a temporary directory, and bench/settings.py:
the portal's settings plus the baseline page (bench/urls.py) and a middleware that reports each
request's SQL statements in an X-Query-Count header (bench/middleware.py). The client sends
X-Forwarded-Proto: https (as the HTTPS proxy in front of production does), logs in through the login
form with its CSRF token like a browser, and keeps one session per simulated user.

Each page is requested, per concurrency level, by that many users in a loop for --duration seconds
(each user starts no new request after that). A request that takes longer than --timeout (60 s for
the exports) is an error; the server is then restarted, as gunicorn would still be working on the
abandoned requests, and the higher levels of that page are skipped. So a run takes bounded time:
about pages x levels x (duration + timeout) at worst; --quick takes a few minutes.

Output: a Markdown table (printed, and written to --out .md) and the same figures as JSON (--out
.json) for comparisons (--compare adds the other run's p95 and requests per second).
"""

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "Benk-passord-2026"  # bench/national_data.py's PASSWORD (not imported: that module needs Django set up)
LOGINS = {"adviser": "radgiver", "leader": "leder", "staff": "saksbehandler", "writer": "leder"}
ROLE_LABELS = {"adviser": "adviser", "leader": "leader", "staff": "staff", "anonymous": "none (token)"}


@dataclass
class Page:
    key: str
    label: str
    role: str
    urls: list
    timeout: float | None = None  # None: --timeout
    content_type: str = "text/html"


@dataclass
class Result:
    page: str
    label: str
    role: str
    users: int
    url: str
    requests: int = 0
    errors: int = 0
    error_kinds: dict = field(default_factory=dict)
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    rps: float = 0.0
    ratio: float | None = None
    queries: float | None = None
    kib: float | None = None
    seconds: float = 0.0
    limit: float | None = None  # the timeout that applied
    note: str = ""

    @property
    def typical(self):
        """p50, or "over the timeout" when no request finished in time."""
        if self.p50 is None and self.error_kinds.get("timeout"):
            return f"> {self.limit:g} s"
        return _ms(self.p50)


# --- the server -----------------------------------------------------------------------------


class Server:
    """gunicorn with production settings on a spare port; restartable."""

    def __init__(self, *, port, workers, timeout, env, log):
        self.port, self.workers, self.timeout, self.env, self.log = port, workers, timeout, env, log
        self.process = None
        self.restarts = 0

    def start(self):
        command = [
            PYTHON,
            "-m",
            "gunicorn",
            "viken.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            # Past the client's timeout, so a slow page is reported by the client; the benchmark
            # restarts the server after a timeout instead of letting abandoned requests run on.
            "--timeout",
            str(int(self.timeout) + 15),
            "--graceful-timeout",
            "3",
            "--error-logfile",
            str(self.log),
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start-up; see {self.log}")
            try:
                status, _body, _headers = fetch(self.port, "/konto/logg-inn/", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within 90 s; see {self.log}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # gunicorn's master and its workers: our own group
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.cancel_queries()

    def cancel_queries(self):
        """PostgreSQL finishes a statement whose client has gone: cancel what this server's workers left
        running (their connections carry this run's application_name, see bench/settings.py)."""
        url = self.env.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            return
        import psycopg2

        conn = psycopg2.connect(url)
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    cursor.execute(
                        "SELECT pid, pg_cancel_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = %s AND state = 'active' AND pid <> pg_backend_pid()",
                        [self.env["BENCH_APPLICATION_NAME"]],
                    )
                    if not cursor.fetchall():
                        return
                    time.sleep(0.5)
        finally:
            conn.close()

    def restart(self):
        self.stop()
        self.restarts += 1
        self.start()


# --- the client -----------------------------------------------------------------------------


SECOND_FACTOR_CODES: dict = {}  # username -> recovery codes made for this run (discover)


def fetch(port, path, *, timeout, method="GET", body=None, headers=None, connection=None):
    """One request as a browser behind the HTTPS proxy sends it; returns (status, body, headers)."""
    own = connection is None
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        all_headers = {"X-Forwarded-Proto": "https", "Accept-Language": "nb", **(headers or {})}
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, data, response.msg
    finally:
        if own:
            conn.close()


class Timeout(Exception):
    pass


class Session:
    """One simulated user: its own cookies (sessionid, csrftoken) and connection."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def _headers(self, extra=None):
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep(self, message):
        # The cookies are Secure (production settings): a cookie jar would not send them over this
        # plain connection to the proxy's side, so they are kept here by hand.
        for header in message.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value

    def login(self, username, password, timeout):
        status, body, message = fetch(self.port, "/konto/logg-inn/", timeout=timeout, connection=self.conn)
        self._keep(message)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not found:
            raise SystemExit(f"The login page answered {status} without a CSRF token.")
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": found.group(1).decode()}
        )
        status, _body, message = fetch(
            self.port,
            "/konto/logg-inn/",
            timeout=timeout,
            method="POST",
            body=form,
            connection=self.conn,
            headers=self._headers(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"https://127.0.0.1:{self.port}/konto/logg-inn/",
                }
            ),
        )
        self._keep(message)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(
                f"Logging in as {username} failed (HTTP {status}). Is the national dataset loaded "
                f"(bench/national_data.py)? Five failures lock the login for 15 minutes (django-axes)."
            )
        # Advisers and staff are then asked for their second factor (by the login's redirect, or by the
        # first page they open).
        location = message.get("Location") or ""
        if "/konto/tofaktor/" not in location:
            status, _body, message = fetch(
                self.port, "/", timeout=timeout, connection=self.conn, headers=self._headers()
            )
            self._keep(message)
            location = (message.get("Location") or "") if status == 302 else ""
        if "/konto/tofaktor/" in location:
            self.second_factor(username, timeout)

    def second_factor(self, username, timeout):
        """The second step for those who must have it (advisers, staff): one of the recovery codes made
        for this run (discover), each good once, as a person would type one."""
        codes = SECOND_FACTOR_CODES.get(username)
        if not codes:
            raise SystemExit(f"{username} must give a second factor and no recovery code is left for this run.")
        path = "/konto/tofaktor/"
        status, body, message = fetch(self.port, path, timeout=timeout, connection=self.conn, headers=self._headers())
        self._keep(message)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not found:
            raise SystemExit(f"The two-factor page answered {status} without a CSRF token.")
        form = urllib.parse.urlencode({"code": codes.pop(), "csrfmiddlewaretoken": found.group(1).decode()})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1:{self.port}{path}",
        }
        status, _body, message = fetch(
            self.port,
            path,
            timeout=timeout,
            method="POST",
            body=form,
            connection=self.conn,
            headers=self._headers(headers),
        )
        self._keep(message)
        if status != 302 or "/konto/tofaktor/" in (message.get("Location") or ""):
            raise SystemExit(f"The second step for {username} failed (HTTP {status}).")

    def write(self, timeout):
        """One write request, as harmless as any: the footer's language switch (to bokmål, as it was).
        Like every request that may write, it moves the data's generation on: every kept page and
        fragment is drawn afresh after it, as after any change a colleague makes."""
        form = urllib.parse.urlencode(
            {"language": "nb", "next": "/", "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1:{self.port}/",
        }
        status, _body, message = fetch(
            self.port, "/i18n/setlang/", timeout=timeout, method="POST", body=form, connection=self.conn,
            headers=self._headers(headers),
        )  # fmt: skip
        self._keep(message)
        return status

    def get(self, path, timeout):
        """(seconds, status, bytes, X-Query-Count, content type); raises Timeout past `timeout`."""
        started = time.perf_counter()
        try:
            self.conn.timeout = timeout
            if self.conn.sock is not None:
                self.conn.sock.settimeout(timeout)
            self.conn.request("GET", path, headers=self._headers({"X-Forwarded-Proto": "https"}))
            response = self.conn.getresponse()
            size = 0
            while True:
                chunk = response.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if time.perf_counter() - started > timeout:
                    raise Timeout
            elapsed = time.perf_counter() - started
            if elapsed > timeout:
                raise Timeout
            return (
                elapsed,
                response.status,
                size,
                response.getheader("X-Query-Count"),
                response.getheader("Content-Type", ""),
            )
        except (TimeoutError, Timeout):
            self.conn.close()
            raise Timeout from None
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise


# --- the run --------------------------------------------------------------------------------


class Benchmark:
    def __init__(self, args, server, pages, env):
        self.args, self.server, self.pages, self.env = args, server, pages, env
        self.sessions = {"anonymous": []}
        self.baseline = {}
        self.results = []
        self.query_log = Path(env["BENCH_QUERY_LOG"])

    def ensure_sessions(self, role, count):
        pool = self.sessions.setdefault(role, [])
        if role == "anonymous":
            while len(pool) < count:
                pool.append(Session(self.args.port))
            return pool[:count]
        missing = count - len(pool)
        if missing > 0:
            new = [Session(self.args.port) for _i in range(missing)]
            threads = [threading.Thread(target=s.login, args=(LOGINS[role], PASSWORD, 60), daemon=True) for s in new]
            # PBKDF2 makes a login cost a third of a second of a worker: a few at a time.
            for index in range(0, len(threads), 4):
                batch = threads[index : index + 4]
                for t in batch:
                    t.start()
                for t in batch:
                    t.join()
            pool.extend(new)
        return pool[:count]

    def timeout_for(self, page):
        return page.timeout or self.args.timeout

    def warm_up(self, page):
        """One request per worker (template and code caches), not counted; None, or the error it gave."""
        sessions = self.ensure_sessions(page.role, self.args.workers)
        errors = []

        def one(session, url):
            try:
                session.get(url, self.timeout_for(page))
            except Timeout:
                errors.append("timeout")
            except (OSError, http.client.HTTPException) as error:
                errors.append(type(error).__name__)

        threads = [
            threading.Thread(target=one, args=(s, page.urls[i % len(page.urls)]), daemon=True)
            for i, s in enumerate(sessions)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return errors[0] if errors else None

    def level(self, page, users):
        """`users` sessions request the page's URLs in turn for --duration seconds."""
        sessions = self.ensure_sessions(page.role, users)
        timeout = self.timeout_for(page)
        duration, cap = self.args.duration, self.args.max_requests
        samples, errors, lock = [], {}, threading.Lock()
        start = time.perf_counter()
        stop_at = start + duration
        last_end = [start]

        def user(index, session):
            done = 0
            while time.perf_counter() < stop_at and (cap is None or done < cap):
                url = page.urls[(index + done) % len(page.urls)]
                done += 1
                try:
                    elapsed, status, size, queries, content_type = session.get(url, timeout)
                    kind = None
                    if status != 200:
                        kind = f"HTTP {status}"
                    elif not content_type.startswith(page.content_type):
                        kind = f"type {content_type.split(';')[0]}"
                except Timeout:
                    elapsed, size, queries, kind = timeout, 0, None, "timeout"
                except (OSError, http.client.HTTPException) as error:
                    elapsed, size, queries, kind = time.perf_counter() - start, 0, None, type(error).__name__
                with lock:
                    last_end[0] = max(last_end[0], time.perf_counter())
                    if kind:
                        errors[kind] = errors.get(kind, 0) + 1
                    else:
                        samples.append((elapsed, size, queries, url))

        threads = [threading.Thread(target=user, args=(i, s), daemon=True) for i, s in enumerate(sessions)]
        writes = []
        if self.args.churn and page.key != "baseline":
            threads.append(threading.Thread(target=self.churn, args=(stop_at, writes), daemon=True))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if writes and any(status != 302 for status in writes):
            raise SystemExit(f"A write request of --churn failed: {sorted(set(writes))}")
        return self.result(page, users, samples, errors, max(last_end[0] - start, 1e-9), timeout)

    def result(self, page, users, samples, errors, wall, timeout):
        """The figures of one level: its timings, throughput, errors, size and queries."""
        result = Result(page=page.key, label=page.label, role=page.role, users=users, url=page.urls[0])
        result.limit = timeout
        result.seconds = round(wall, 1)
        result.requests = len(samples) + sum(errors.values())
        result.errors = sum(errors.values())
        result.error_kinds = errors
        result.rps = round(len(samples) / wall, 2)
        if samples:
            times = sorted(s[0] * 1000 for s in samples)
            result.p50 = round(_percentile(times, 50), 1)
            result.p95 = round(_percentile(times, 95), 1)
            result.p99 = round(_percentile(times, 99), 1)
            result.kib = round(statistics.mean(s[1] for s in samples) / 1024, 1)
            counts = [int(s[2]) for s in samples if s[2] and s[2].isdigit()]
            if not counts:
                counts = self.streamed_counts({s[3] for s in samples})
            result.queries = statistics.median(counts) if counts else None
        return result

    def churn(self, stop_at, statuses):
        """--churn: another person's write request every 1/churn seconds while the level runs."""
        writer = self.ensure_sessions("writer", 1)[0]
        interval = 1.0 / self.args.churn
        next_at = time.perf_counter()
        while next_at < stop_at:
            time.sleep(max(0.0, next_at - time.perf_counter()))
            statuses.append(writer.write(self.args.timeout))
            next_at += interval

    def streamed_counts(self, urls):
        if not self.query_log.exists():
            return []
        counts = []
        for line in self.query_log.read_text(encoding="utf-8").splitlines():
            path, _tab, count = line.rpartition("\t")
            if path in urls and count.isdigit():
                counts.append(int(count))
        return counts

    def run_page(self, page, levels):
        self.say(f"{page.label} ({ROLE_LABELS[page.role]}): {page.urls[0]}")
        failed = self.warm_up(page) if not self.args.no_warm_up else None
        if failed is not None:
            result = Result(page=page.key, label=page.label, role=page.role, users=levels[0], url=page.urls[0])
            result.requests = result.errors = 1
            result.error_kinds = {failed: 1}
            result.limit = self.timeout_for(page)
            result.seconds = self.timeout_for(page)
            result.note = f"{failed} on the first request"
            self.record(result)
            for users in levels[1:]:
                self.record(self.skipped(page, users, f"skipped: {failed} at {levels[0]} user"))
            if failed == "timeout":
                self.server.restart()
            return
        for index, users in enumerate(levels):
            result = self.level(page, users)
            self.record(result)
            if result.error_kinds.get("timeout"):
                self.server.restart()
                for rest in levels[index + 1 :]:
                    self.record(self.skipped(page, rest, f"skipped: timeouts at {users} users"))
                return

    def skipped(self, page, users, note):
        return Result(page=page.key, label=page.label, role=page.role, users=users, url=page.urls[0], note=note)

    def record(self, result):
        base = self.baseline.get(result.users)
        if base and result.rps and result.page != "baseline":
            result.ratio = round(result.rps / base, 3)
        self.results.append(result)
        if result.note.startswith("skipped"):
            self.say(f"  {result.users:>3} users: {result.note}")
            return
        errors = f", {result.errors} errors {result.error_kinds}" if result.errors else ""
        timing = f"p50 {result.typical} p95 {_ms(result.p95)}"
        self.say(
            f"  {result.users:>3} users: {timing}, {result.rps} req/s, {result.requests} requests{errors}, "
            f"{_num(result.queries)} queries, {_num(result.kib)} KiB"
        )

    def measure_baseline(self, levels, label):
        page = self.pages[0]
        self.say(f"Baseline ({label}): {page.urls[0]}")
        if not self.args.no_warm_up:
            self.warm_up(page)
        rows = []
        for users in levels:
            result = self.level(page, users)
            result.note = label
            rows.append(result)
            self.record(result)
        return rows

    def say(self, text):
        print(text, flush=True)

    def run(self, levels):
        first = self.measure_baseline(levels, "before the pages")
        self.baseline = {r.users: r.rps for r in first}
        for page in self.pages[1:]:
            self.run_page(page, levels)
        last = self.measure_baseline(levels, "after the pages")
        # The machine is shared: the ratio is to the mean of the two baseline runs.
        self.baseline = {a.users: (a.rps + b.rps) / 2 for a, b in zip(first, last, strict=True)}
        for result in self.results:
            base = self.baseline.get(result.users)
            if result.page != "baseline" and base and result.rps:
                result.ratio = round(result.rps / base, 3)


def _percentile(sorted_values, percent):
    if len(sorted_values) == 1:
        return sorted_values[0]
    rank = (len(sorted_values) - 1) * percent / 100
    low = int(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def _ms(value):
    if value is None:
        return "–"
    return f"{value / 1000:.1f} s" if value >= 1000 else f"{value:.0f} ms"


def _num(value):
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 10 else f"{value:g}"


# --- what to request ------------------------------------------------------------------------


def discover(env):
    """The URLs of the pages, found in the database as the server will see it (a subprocess with the
    server's settings, so this process stays a plain HTTP client)."""
    script = r"""
import json
from django.db.models import Q
from django.utils import timezone
from accounts.models import User
from cases.models import Case
from meetings.models import CalendarFeed, Meeting
from partnerships.models import Agreement
from regions.selectors import region_list_led_by

missing = [u for u in ("radgiver", "leder", "saksbehandler") if not User.objects.filter(username=u).exists()]
if missing:
    print(json.dumps({"error": "missing logins " + ", ".join(missing)}))
    raise SystemExit
leader = User.objects.get(username="leder")
region = region_list_led_by(user=leader).first()
now = timezone.now()
# Cases the adviser may open (their county's), across the years.
from cases.selectors import case_list_visible_to
visible = case_list_visible_to(user=User.objects.get(username="radgiver")).exclude(status="draft").order_by("pk")
ids = list(visible.values_list("pk", flat=True))
ids = ids[:: max(1, len(ids) // 20)][:20]
agreement = (
    Agreement.objects.filter(region=region, status="adopted").order_by("-valid_from").first()
    or Agreement.objects.filter(region=region).order_by("-pk").first()
)
ahead = Meeting.objects.filter(region=region, start__gte=now).order_by("start")
held = Meeting.objects.filter(region=region, end__lt=now, status="held").order_by("-start")
meetings = list(ahead.values_list("pk", flat=True)[:3]) + list(held.values_list("pk", flat=True)[:7])
feed = CalendarFeed.objects.filter(owner=leader, region=region, revoked_at=None).first()
# A region of the adviser's own county (what an adviser filters by), and a priority with tagged cases.
from regions.selectors import scope_target_ids
targets = scope_target_ids(user=User.objects.get(username="radgiver"))
own_region = min(targets[0]) if targets and targets[0] else None
from partnerships.models import Priority
tagged = Priority.objects.filter(special_part__region=region, cases__isnull=False).order_by("pk").first()
# The public pages (anonymous): the region's public cases across the years, by reference.
from cases.selectors import public_cases
public = public_cases().filter(origin_region=region).order_by("pk")
public_refs = list(public.values_list("reference", flat=True))
public_refs = public_refs[:: max(1, len(public_refs) // 10)][:10]
# Recovery codes for this run's logins of those who must give a second factor (each code is good once).
import secrets
from accounts.twofactor import second_factor_required
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
codes = {}
for name in ("radgiver", "saksbehandler"):
    person = User.objects.get(username=name)
    if not second_factor_required(person):
        continue
    device, _created = StaticDevice.objects.get_or_create(user=person, name="bench-load")
    device.token_set.all().delete()
    codes[name] = [secrets.token_hex(6) for _ in range(300)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes[name])
from django.db import connection
counts = {}
with connection.cursor() as cursor:
    for table in ("cases_case", "cases_caseevent", "cases_routing", "meetings_meeting", "meetings_agendaitem",
                  "notifications_message", "accounts_user", "regions_region"):
        cursor.execute(f"SELECT count(*) FROM {table}")
        counts[table] = cursor.fetchone()[0]
print(json.dumps({
    "region": region.pk, "slug": region.slug, "region_name": region.name, "cases": ids,
    "agreement": agreement.pk if agreement else None, "meetings": meetings,
    "feed": feed.token if feed else None, "counts": counts, "vendor": connection.vendor, "codes": codes,
    "county": region.host_county_id, "public_cases": public_refs,
    "own_region": own_region, "priority": str(tagged.lineage) if tagged else None,
}))
"""
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    lines = [line for line in output.stdout.splitlines() if line.startswith("{")]
    if output.returncode != 0 or not lines:
        raise SystemExit(f"Could not read the database:\n{output.stderr[-2000:]}")
    found = json.loads(lines[-1])
    if "error" in found:
        raise SystemExit(f"{found['error']}: load the national dataset first (bench/national_data.py).")
    return found


def build_pages(found, export_timeout):
    slug, region = found["slug"], found["region"]
    pages = [
        Page("baseline", "Bare Django (one trivial query)", "adviser", ["/bench/baseline/"], content_type="text/plain"),
        Page("start-adviser", "Start page", "adviser", ["/"]),
        Page("start-leader", "Start page", "leader", ["/"]),
        Page("start-staff", "Start page", "staff", ["/"]),
        Page("inbox", "Inbox", "adviser", ["/saker/innboks/"]),
        Page("case-list", "Case list", "adviser", ["/saker/"]),
        Page("case-list-region", "Case list, filtered by region", "adviser", [f"/saker/?region={region}"]),
    ]
    if found.get("own_region"):
        label = "Case list, filtered by a region of the adviser's county"
        pages.append(Page("case-list-own-region", label, "adviser", [f"/saker/?region={found['own_region']}"]))
    if found.get("priority"):
        label = "Case list, filtered by an agreement priority"
        pages.append(Page("case-list-priority", label, "leader", [f"/saker/?priority={found['priority']}"]))
    pages += [
        Page("case-list-status", "Case list, filtered by status", "adviser", ["/saker/?status=routed"]),
        Page("case-search", "Case list, text search", "adviser", ["/saker/?q=sykkelvei"]),
        Page("case-list-leader", "Case list", "leader", ["/saker/"]),
        Page("case-page", "Case page (20 cases in turn)", "adviser", [f"/saker/{pk}/" for pk in found["cases"]]),
        Page("tracking", "Tracking", "adviser", ["/saker/sporing/"]),
        Page("region-page", "Region page", "leader", [f"/register/regioner/{slug}/"]),
        Page("county-map", "County overview with map", "adviser", ["/register/"]),
    ]
    if found["agreement"]:
        pages.append(Page("agreement", "Agreement", "leader", [f"/avtaler/{found['agreement']}/"]))
    pages += [
        Page("meetings", "Meetings list", "adviser", ["/moter/"]),
        Page("calendar", "Calendar (this month)", "adviser", ["/moter/kalender/"]),
    ]
    if found["meetings"]:
        label = f"Meeting page ({len(found['meetings'])} meetings in turn)"
        pages.append(Page("meeting-page", label, "leader", [f"/moter/{pk}/" for pk in found["meetings"]]))
    if found["feed"]:
        feed = Page("region-feed", "Region calendar feed", "anonymous", [f"/moter/kalender/{found['feed']}.ics"])
        feed.content_type = "text/calendar"
        pages.append(feed)
    pages += public_pages(found)
    pages += [
        Page("notifications", "Notifications", "leader", ["/varsler/"]),
        Page(
            "export-csv",
            "Case export, CSV (every case)",
            "adviser",
            ["/saker/eksport/csv/"],
            export_timeout,
            "text/csv",
        ),
        Page(
            "export-xlsx",
            "Case export, Excel (every case)",
            "adviser",
            ["/saker/eksport/xlsx/"],
            export_timeout,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ]
    return pages


def public_pages(found):
    """What anyone may read without signing in (issue 15): the public pages and the open API."""
    slug, county = found["slug"], found.get("county")
    pages = [
        Page("public-region", "Public region page", "anonymous", [f"/offentlig/region/{slug}/"]),
        Page("public-search", "Public search", "anonymous", ["/offentlig/sok/?q=sykkelvei"]),
    ]
    if found.get("public_cases"):
        label = f"Public case page ({len(found['public_cases'])} cases in turn)"
        urls = [f"/offentlig/sak/{urllib.parse.quote(ref)}/" for ref in found["public_cases"]]
        pages.append(Page("public-case", label, "anonymous", urls))
    if county:
        for what, label in (("paper", "OParl papers (first page)"), ("meeting", "OParl meetings (first page)")):
            page = Page(f"oparl-{what}", label, "anonymous", [f"/oparl/v1/body/{county}/{what}"])
            page.content_type = "application/json"
            pages.append(page)
    return pages


# --- the report -----------------------------------------------------------------------------


def machine():
    info = {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def busy_processes(own):
    """What else used the CPUs: the busiest processes that are not this benchmark's."""
    try:
        output = subprocess.run(
            ["ps", "-eo", "pid,pgid,pcpu,etime,args", "--sort=-pcpu"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    rows = []
    for line in output.splitlines()[1:]:
        parts = line.split(None, 4)
        if len(parts) < 5 or int(parts[1]) in own or int(parts[0]) in own:
            continue
        if float(parts[2]) < 5:
            break
        rows.append(f"{parts[2]}% {parts[4][:100]}")
    return rows[:8]


def markdown(meta, results, compare):
    lines = [
        f"Load benchmark, {meta['started']} ({meta['duration_min']} min): {meta['command']}",
        "",
        f"Machine: {meta['machine'].get('cpus')} CPUs ({meta['machine'].get('cpu', '?')}), "
        f"{meta['machine'].get('memory_gib', '?')} GiB; load average before {meta['load_before']}, "
        f"after {meta['load_after']}. Server: gunicorn, {meta['workers']} sync workers, production settings, "
        f"{meta['database']} and Redis on the same machine; restarts after timeouts: {meta['restarts']}.",
        f"Data: {meta['counts'].get('cases_case', 0):,} cases, {meta['counts'].get('cases_caseevent', 0):,} events, "
        f"{meta['counts'].get('cases_routing', 0):,} routings, {meta['counts'].get('meetings_meeting', 0):,} meetings, "
        f"{meta['counts'].get('meetings_agendaitem', 0):,} agenda items, "
        f"{meta['counts'].get('notifications_message', 0):,} outbox messages.",
        f"Each level: {meta['duration']} s of requests per page (a request over {meta['timeout']} s, "
        f"{meta['export_timeout']} s for the exports, is a timeout error).",
    ]
    if meta.get("churn"):
        lines.append(
            f"Writes: another signed-in person sends {meta['churn']:g} write requests per second while each page "
            "runs (--churn), and each moves the data's generation on: kept pages and fragments are drawn afresh."
        )
    lines += [
        "",
    ]
    header = "| page | as | users | p50 | p95 | p99 | req/s | errors | % of baseline | queries | KiB |"
    rule = "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    if compare:
        header += " p95 before | req/s before |"
        rule += "---:|---:|"
    lines += [header, rule]
    for r in results:
        if r.note.startswith("skipped"):
            cells = [r.label, ROLE_LABELS[r.role], str(r.users), r.note, "", "", "", "", "", "", ""]
        else:
            errors = str(r.errors) if not r.errors else f"**{r.errors}** ({', '.join(r.error_kinds)})"
            label = r.label if r.page != "baseline" else f"{r.label}, {r.note}"
            cells = [
                label,
                ROLE_LABELS[r.role],
                str(r.users),
                r.typical,
                _ms(r.p95),
                _ms(r.p99),
                f"{r.rps:g}",
                errors,
                f"{100 * r.ratio:.1f}%" if r.ratio is not None else "–",
                _num(r.queries),
                _num(r.kib),
            ]
        if compare:
            other = compare.get((r.page, r.users, r.note if r.page == "baseline" else ""))
            cells += [_ms(other["p95"]) if other else "–", f"{other['rps']:g}" if other else "–"]
        lines.append("| " + " | ".join(cells) + " |")
    if meta.get("busy"):
        lines += ["", "Other processes using the CPUs when the run started:", ""]
        lines += [f"- {row}" for row in meta["busy"]]
    return "\n".join(lines) + "\n"


def slowest(results, count=5):
    """The pages slowest for one user (timeouts first), with their query counts."""
    ones = [r for r in results if r.page != "baseline" and r.users == min(x.users for x in results)]

    def cost(r):
        return (1 if r.error_kinds.get("timeout") else 0, r.p50 or 0)

    return sorted(ones, key=cost, reverse=True)[:count]


# --- main -----------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 and 8 users, 4 s per level, 15 requests per user")
    parser.add_argument("--levels", default=None, help="concurrent users per level (default 1,8,32)")
    parser.add_argument("--duration", type=float, default=None, help="seconds of requests per page and level")
    parser.add_argument("--max-requests", type=int, default=None, help="per user and level")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a request counts as an error")
    parser.add_argument("--export-timeout", type=float, default=60.0, help="the same for the exports")
    parser.add_argument("--pages", default="", help="only these pages (keys, comma separated)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2: one per CPU)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", default=None, help="path without suffix for the .md and .json results")
    parser.add_argument("--compare", default=None, help="the .json of an earlier run")
    parser.add_argument("--no-warm-up", action="store_true")
    parser.add_argument(
        "--churn", type=float, default=0.0,
        help="write requests per second by another signed-in person while each page runs (0: none)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.quick:
        args.levels = args.levels or "1,8"
        args.duration = args.duration or 4.0
        args.max_requests = args.max_requests or 15
    levels = [int(x) for x in (args.levels or "1,8,32").split(",")]
    args.duration = args.duration or 20.0

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        print("Note: DATABASE_URL is not PostgreSQL; the figures will not be comparable.", file=sys.stderr)
    if not os.environ.get("REDIS_URL"):
        print("Note: REDIS_URL is not set; the cache is per worker (production uses Redis).", file=sys.stderr)
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "VAR_DIR": str(tmp / "var"),
        "STATIC_ROOT": str(tmp / "static"),
        "LOG_LEVEL": "WARNING",
        "BENCH_QUERY_LOG": str(tmp / "queries.log"),
        "BENCH_APPLICATION_NAME": f"bench-load-{os.getpid()}",
        "PYTHONPATH": str(ROOT),
    }
    (tmp / "var").mkdir()
    started = datetime.now()
    found = discover(env)
    SECOND_FACTOR_CODES.update(found.get("codes") or {})
    print(f"Collecting static files into {tmp / 'static'} ...", flush=True)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    pages = build_pages(found, args.export_timeout)
    if args.pages:
        keep = {k.strip() for k in args.pages.split(",")}
        unknown = keep - {p.key for p in pages}
        if unknown:
            raise SystemExit(f"Unknown pages: {', '.join(sorted(unknown))}. Known: {', '.join(p.key for p in pages)}")
        pages = [pages[0]] + [p for p in pages[1:] if p.key in keep]
    server = Server(port=args.port, workers=args.workers, timeout=max(args.timeout, args.export_timeout), env=env,
                    log=tmp / "gunicorn.log")  # fmt: skip
    load_before = os.getloadavg()
    busy = busy_processes({os.getpid(), os.getpgid(0)})
    print(f"Serving on 127.0.0.1:{args.port} with {args.workers} workers ...", flush=True)
    server.start()
    bench = Benchmark(args, server, pages, env)
    try:
        bench.run(levels)
    finally:
        server.stop()
    meta = {
        "started": started.strftime("%Y-%m-%d %H:%M"),
        "duration_min": round((datetime.now() - started).total_seconds() / 60, 1),
        "command": "bench/load.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "load_before": " ".join(f"{x:.2f}" for x in load_before),
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "busy": busy,
        "workers": args.workers,
        "database": "PostgreSQL" if found["vendor"] == "postgresql" else found["vendor"],
        "counts": found["counts"],
        "levels": levels,
        "duration": args.duration,
        "timeout": args.timeout,
        "export_timeout": args.export_timeout,
        "restarts": server.restarts,
        "baseline_rps": bench.baseline,
        "churn": args.churn,
    }
    compare = None
    if args.compare:
        other = json.loads(Path(args.compare).read_text(encoding="utf-8"))
        compare = {(r["page"], r["users"], r["note"] if r["page"] == "baseline" else ""): r for r in other["results"]}
    text = markdown(meta, bench.results, compare)
    print()
    print(text)
    print("Slowest for one user:")
    for r in slowest(bench.results):
        print(f"  {r.label} ({ROLE_LABELS[r.role]}): p50 {r.typical}, {_num(r.queries)} queries {r.note}".rstrip())
    out = Path(args.out) if args.out else ROOT / "bench" / "results" / f"load-{started:%Y%m%d-%H%M}"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".md").write_text(text, encoding="utf-8")
    out.with_suffix(".json").write_text(
        json.dumps({"meta": meta, "results": [asdict(r) for r in bench.results]}, indent=1, ensure_ascii=False),
        encoding="utf-8",
    )
    print(f"Written: {out.with_suffix('.md')} and .json")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
