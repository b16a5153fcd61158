"""The web tier keeps no local state: two gunicorn instances and two Celery workers on one PostgreSQL and
one Redis serve one user as if they were one. A session begun on one instance is valid on the other (and
ends on both when the user logs out), a file uploaded through one is downloaded through the other, and
what one instance plans in the outbox is sent exactly once by the two workers together."""

import re
import subprocess
import sys
import uuid
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from cases.models import Case
from notifications.models import Message
from notifications.sweep import message_sweep
from tests.cases.factories import WORLD_PDF
from tests.conftest import require_postgres
from tests.security.world import PASSWORD, build_world

from .processes import ROOT, CeleryWorker, port_open, shared_database_url, spare_port, wait_until

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SECRET = "two-instances-" + "x" * 50


class WebInstance:
    """gunicorn with production settings (DEBUG off) on a spare port, sharing database, Redis and uploads."""

    def __init__(self, *, redis_url, media_root, static_root, var_dir, email_url):
        self.port = spare_port()
        self.var_dir = Path(var_dir)
        self.env = {
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "viken.settings",
            "DEBUG": "false",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": shared_database_url(),
            "CONN_MAX_AGE": "0",
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(media_root),
            "STATIC_ROOT": str(static_root),
            "VAR_DIR": str(self.var_dir),
            "EMAIL_URL": email_url,
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
        }
        self.process = None

    def start(self):
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(self.var_dir / "web.log", "ab")  # noqa: SIM115 (open for the process's lifetime)
        self.process = subprocess.Popen(
            [GUNICORN, "viken.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(lambda: self._alive() and port_open(self.port), timeout=60, what=f"gunicorn on {self.port}")
        return self

    def _alive(self):
        if self.process.poll() is not None:
            raise AssertionError((self.var_dir / "web.log").read_text(errors="replace")[-3000:])
        return True

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.log.close()


class Browser:
    """One user's cookies, sent to whichever instance is asked (as a load balancer would)."""

    def __init__(self):
        self.cookies = {}

    def request(self, instance, method, path, *, body=None, content_type=None):
        connection_ = HTTPConnection("127.0.0.1", instance.port, timeout=30)
        origin = f"https://127.0.0.1:{instance.port}"
        headers = {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        connection_.request(method, path, body=body, headers=headers)
        response = connection_.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, response.headers, data

    def csrf(self, instance, path):
        status, _headers, data = self.request(instance, "GET", path)
        assert status == 200, (path, status)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', data).group(1).decode()

    def post(self, instance, path, fields, files=None, *, form_page=None):
        fields = {"csrfmiddlewaretoken": self.csrf(instance, form_page or path), **fields}
        if not files:
            body = urlencode(fields).encode()
            return self.request(instance, "POST", path, body=body, content_type="application/x-www-form-urlencoded")
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/pdf\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(instance, "POST", path, body=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_two_web_instances_and_two_workers_serve_one_user_as_one(transactional_db, redis_server, smtp_sink, tmp_path):
    require_postgres(connection)
    world = build_world()
    # The instances check passwords with production's hasher, not the suite's fast one.
    leader_user = world.user("leader_a")
    leader_user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    leader_user.save(update_fields=["password"])
    message_sweep()  # what building the world planned is delivered before the instances start
    sink = smtp_sink()
    media, static = tmp_path / "media", tmp_path / "static"
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "viken.settings",
            "DEBUG": "false",  # the manifest storage production serves from
            "SECRET_KEY": SECRET,
            "STATIC_ROOT": str(static),
        },
        check=True,
    )
    instances = [
        WebInstance(
            redis_url=redis_server.url,
            media_root=media,
            static_root=static,
            var_dir=tmp_path / f"web{n}",
            email_url=sink.url,
        )
        for n in (1, 2)
    ]
    workers = [
        CeleryWorker(broker_url=redis_server.url, email_url=sink.url, var_dir=tmp_path / f"worker{n}") for n in (1, 2)
    ]
    first, second = instances
    try:
        for process in [*instances, *workers]:
            process.start()
        leader = Browser()
        status, headers, _ = leader.post(
            first, "/konto/logg-inn/", {"username": leader_user.username, "password": PASSWORD}
        )
        assert status == 302, "logged in on the first instance"

        # The session begun on the first instance is valid on the second.
        status, _headers, page = leader.request(second, "GET", "/saker/ny/")
        assert status == 200 and b"Fra Indre \xc3\x98stfold" in page

        # A case with its PDF sent through the second instance, downloaded through the first.
        fields = {
            "title": "To instanser, én sak",
            "topic": Case.Topic.OTHER,
            "urgency": Case.Urgency.NORMAL,
            "visibility": Case.Visibility.INTERNAL,
            "direction": Case.Direction.REGION_TO_COUNTY,
            "origin_region": world.region_a.pk,
            "action": "submit",
        }
        status, headers, _ = leader.post(second, "/saker/ny/", fields, files={"attachment": ("notat.pdf", WORLD_PDF)})
        assert status == 302, "sent through the second instance"
        case = Case.objects.get(title="To instanser, én sak")
        attachment = case.attachments.get()
        status, _headers, data = leader.request(first, "GET", attachment.get_absolute_url())
        assert status == 200 and data == WORLD_PDF

        # The submission's notices, planned by the second instance, are sent once by the two workers.
        planned = set(Message.objects.filter(payload__case_id=case.pk).values_list("key", flat=True))
        assert planned, "the submission notifies the coordination unit"
        wait_until(
            lambda: (
                set(Message.objects.filter(key__in=planned, state=Message.State.SENT).values_list("key", flat=True))
                == planned
            ),
            timeout=60,
            what="the workers to send the submission's notices",
        )
        delivered = sink.counts_by_key()
        assert {key: delivered.get(key) for key in planned} == dict.fromkeys(planned, 1)

        # Logging out on the first instance ends the session on the second as well.
        status, _headers, _ = leader.post(first, "/konto/logg-ut/", {}, form_page="/")
        assert status in (200, 302)
        status, headers, _ = leader.request(second, "GET", "/saker/ny/")
        assert status == 302 and "/konto/logg-inn/" in headers["Location"]
    finally:
        for process in [*instances, *workers]:
            process.stop()
