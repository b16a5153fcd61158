"""Real services the quality suites start and stop themselves: Redis, a Celery worker, an SMTP sink.

Each binds to a spare loopback port, so the suites never touch a developer's running services and
can stop a service in the middle of a test. Waiting for a real process is the one place these tests
poll (short intervals with a deadline); nothing here sleeps to pass time.
"""

import asyncio
import contextlib
import email
import email.policy
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.db import connection, transaction

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
CELERY = str(Path(sys.executable).with_name("celery"))
MESSAGE_HEADER = "X-Regionportalen-Message"


def spare_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout=30.0, interval=0.05, what="condition"):
    """Poll a real process's observable state until it holds; fail loudly at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
        return True
    return False


class RedisServer:
    """A throw-away redis-server on a spare port: no persistence, stoppable and restartable."""

    def __init__(self, port=None):
        self.port = port or spare_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: port_open(self.port), timeout=10, what=f"redis-server on port {self.port}")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
        wait_until(lambda: not port_open(self.port), timeout=10, what=f"redis port {self.port} to close")


@contextlib.contextmanager
def celery_broker(url: str):
    """Point the Celery app of this process at another broker; restore the original afterwards."""
    from viken import celery_app

    def reset_pools():
        for pool in (celery_app._pool, celery_app.amqp._producer_pool):
            if pool is not None:
                with contextlib.suppress(Exception):
                    pool.force_close_all()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    saved = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    reset_pools()
    celery_app.conf.broker_url = url
    celery_app.conf.broker_transport_options = {"socket_connect_timeout": 1, "socket_timeout": 2}
    try:
        yield celery_app
    finally:
        reset_pools()
        celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved


def plan_during_outage(keys, recipient):
    """Plan one plain message per key while the broker is unreachable, as after an outage: no task
    is queued for them, so only a sweep will send them."""
    from notifications.services import message_enqueue
    from tests.outbox import TEST_KIND

    with celery_broker(f"redis://127.0.0.1:{spare_port()}/0"), transaction.atomic():
        for key in keys:
            message_enqueue(key=key, kind=TEST_KIND, recipient=recipient, payload={"subject": key})


def shared_database_url() -> str:
    """The DATABASE_URL of the database this test process uses (the test database, on PostgreSQL)."""
    data = connection.settings_dict
    if connection.vendor != "postgresql":
        raise RuntimeError("a worker subprocess can share only a PostgreSQL test database")
    user = data.get("USER") or "postgres"
    password = f":{data['PASSWORD']}" if data.get("PASSWORD") else ""
    host = data.get("HOST") or "127.0.0.1"
    port = data.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{data['NAME']}"


class CeleryWorker:
    """`celery -A viken worker --pool=solo` (or prefork with `concurrency` processes) as a subprocess
    on the test database and a given broker."""

    def __init__(self, *, broker_url: str, email_url: str = "", var_dir: Path | None = None, concurrency: int = 1):
        self.concurrency = concurrency
        self.broker_url = broker_url
        self.email_url = email_url
        self.var_dir = Path(var_dir or tempfile.mkdtemp(prefix="rp-worker-"))
        self.log_path = self.var_dir / "worker.log"
        self.process = None
        self._log = None

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    def environment(self) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "viken.settings",
            "DATABASE_URL": shared_database_url(),
            "CONN_MAX_AGE": "0",
            "REDIS_URL": self.broker_url,
            "VAR_DIR": str(self.var_dir),
            "DEBUG": "true",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("SECRET_KEY", None)
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for Playwright in this process only
        if self.email_url:
            env["EMAIL_URL"] = self.email_url
        else:
            env.pop("EMAIL_URL", None)
        return env

    def start(self, *, timeout=60):
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (kept open for the process's lifetime)
        self.process = subprocess.Popen(
            [CELERY, "-A", "viken", "worker", "-I", "tests.outbox", *self._pool(), "--loglevel=INFO"]
            + ["--without-heartbeat"]
            + ["--without-gossip", "--without-mingle", "-n", f"quality-{os.getpid()}-{time.monotonic_ns()}@%h"],
            cwd=ROOT,
            env=self.environment(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(self._ready, timeout=timeout, interval=0.1, what="the Celery worker to be ready")
        return self

    def _pool(self):
        return ["--pool=solo"] if self.concurrency == 1 else ["--pool=prefork", f"--concurrency={self.concurrency}"]

    def _ready(self):
        if self.process.poll() is not None:
            raise AssertionError(f"Celery worker exited early:\n{self.log()}")
        return b"ready." in self.log_path.read_bytes()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def task_results(self, task_name: str) -> list[str]:
        """What each succeeded run of the task returned, as the worker logged it."""
        lines = self.log_path.read_text(errors="replace").splitlines() if self.log_path.exists() else []
        found = (re.search(r" succeeded in [0-9.]+s: (.*)$", line) for line in lines if f"{task_name}[" in line)
        return [match.group(1) for match in found if match]

    def tasks_succeeded(self, task_name: str) -> int:
        """How many runs of the task the worker has logged as succeeded."""
        lines = self.log_path.read_text(errors="replace").splitlines() if self.log_path.exists() else []
        return sum(1 for line in lines if f"{task_name}[" in line and " succeeded in " in line)

    def kill(self):
        """SIGKILL: no chance to finish, acknowledge or clean up (a crash or an OOM kill)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._log:
            self._log.close()
            self._log = None

    def mail_messages(self) -> list:
        """Every e-mail the file backend wrote, parsed."""
        return [
            parse_mail(part)
            for path in sorted(self.mail_dir.glob("*.log"))
            for part in split_mail_log(path.read_bytes())
        ]

    def mail_files_by_key(self) -> dict[str, int]:
        """How many e-mails the file backend wrote per outbox key."""
        return count_by_key(self.mail_messages())


def parse_mail(data: bytes):
    """An e-mail as a receiving program reads it: folded headers unfolded (RFC 5322 section 2.2.3).

    A long X-Regionportalen-Message key is folded onto a second line when written; read with
    Python's legacy policy the value would keep the fold and no longer match its key (callers
    still strip the whitespace the fold leaves in front of it).
    """
    return email.message_from_bytes(data, policy=email.policy.default)


def split_mail_log(data: bytes):
    """Django's file backend writes messages one after another, separated by a line of 79 dashes."""
    separator = b"\n" + b"-" * 79 + b"\n"
    return [chunk.strip(b"\n") for chunk in data.split(separator) if chunk.strip()]


def message_key(message) -> str:
    """The outbox key an e-mail carries (without the whitespace a folded header leaves)."""
    return str(message.get(MESSAGE_HEADER, "")).strip()


def count_by_key(messages) -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in messages:
        key = message_key(message)
        counts[key] = counts.get(key, 0) + 1
    return counts


class SmtpSink:
    """An aiosmtpd server in a thread that records what it accepts.

    `refuse` holds SMTP replies to give instead of accepting, one per DATA (e.g. "451 4.3.0 try
    later"); `pause_at_mail` makes the n-th MAIL FROM wait until `release()`: nothing of that
    message has been delivered yet, so a client killed there leaves a clean state to reason about.
    """

    def __init__(self, *, refuse=(), pause_at_mail=None, delay=0.0):
        from aiosmtpd.controller import Controller

        self.refuse = list(refuse)
        self.pause_at_mail = pause_at_mail
        self.delay = delay
        self.accepted = []
        self.refused = 0
        self.mail_count = 0
        self.paused = threading.Event()
        self._release = threading.Event()
        self._lock = threading.Lock()
        self.port = spare_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self._release.set()
        self.controller.stop()

    def release(self):
        self._release.set()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self._lock:
            self.mail_count += 1
            number = self.mail_count
        if self.pause_at_mail is not None and number == self.pause_at_mail:
            self.paused.set()
            while not self._release.is_set():
                await asyncio.sleep(0.02)
            return "421 4.3.0 closing"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            if self.refuse:
                self.refused += 1
                return self.refuse.pop(0)
            self.accepted.append(parse_mail(envelope.content))
        return "250 OK"

    def counts_by_key(self) -> dict[str, int]:
        with self._lock:
            return count_by_key(list(self.accepted))


def smtp_settings(sink: SmtpSink) -> dict:
    """override_settings() arguments that send this process's mail to the sink."""
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": sink.port,
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_TIMEOUT": 5,
    }
