"""Start and stop the test OpenID Connect provider (tests/sso_provider) in its own process.

The `sso_provider` fixture (tests/conftest.py) runs one per test session on a spare port: a fresh
SQLite file and RSA key, the people of PEOPLE with their claims, and one confidential client for the
portal. Waiting for the process is the one place this polls (processes.wait_until).
"""

import contextlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.reliability.processes import port_open, spare_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "regionportalen"
CLIENT_SECRET = "regionportalen-test-secret-long-enough-for-hs256"
PASSWORD = "provider-password"
# The test client's portal; a browser test adds its live server's addresses (Provider.allow_portal).
CALLBACK = "http://testserver/konto/sso/test/svar/"
AFTER_LOGOUT = "http://testserver/konto/logg-inn/"

# The provider's people and the claims it asserts about them in the ID token.
PEOPLE = [
    {"username": "leader", "claims": {"email": "Leder@Example.no", "email_verified": True, "amr": ["pwd"]}},
    {"username": "adviser", "claims": {"email": "adviser@example.no", "email_verified": True, "amr": ["pwd", "otp"]}},
    {"username": "stranger", "claims": {"email": "stranger@example.no", "email_verified": True}},
    {"username": "unverified", "claims": {"email": "leder@example.no", "email_verified": False}},
    {"username": "citizen", "claims": {"pid": "24079012345", "acr": "idporten-loa-high"}},
]


@dataclass
class Provider:
    url: str
    env: dict

    @property
    def discovery_url(self):
        return f"{self.url}/o/.well-known/openid-configuration"

    def settings(self, **overrides):
        """The portal's OIDC_PROVIDERS for this provider, as OIDC_PROVIDERS=test and OIDC_TEST_* give it."""
        return [
            {
                "slug": "test",
                "name": "Testleverandør",
                "discovery_url": self.discovery_url,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "scopes": "openid email profile",
                "match_claim": "email",
                "mfa_acr_values": ["idporten-loa-substantial", "idporten-loa-high"],
                **overrides,
            }
        ]

    def allow_portal(self, base_url):
        """Register another portal address (a live server's) as callback and post-logout address."""
        self._manage("add", f"{base_url}/konto/sso/test/svar/", f"{base_url}/konto/logg-inn/")

    def _manage(self, *args):
        subprocess.run(
            [sys.executable, "-m", "tests.sso_provider.setup_provider", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=120,
        )


@contextlib.contextmanager
def running_provider(state: Path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (state / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (state / "people.json").write_text(json.dumps([{**person, "password": PASSWORD} for person in PEOPLE]))
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_URL", "REDIS_URL", "DJANGO_", "PYTEST"))
    }
    env.update(SSO_PROVIDER_DIR=str(state), DJANGO_SETTINGS_MODULE="tests.sso_provider.settings", PYTHONPATH=str(ROOT))
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = spare_port()
    provider = Provider(url=f"http://127.0.0.1:{port}", env=env)
    provider._manage("create", CLIENT_ID, CLIENT_SECRET, CALLBACK, AFTER_LOGOUT)
    with open(state / "server.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: port_open(port) or process.poll() is not None, timeout=60, what="the OIDC provider")
        assert process.poll() is None, (state / "server.log").read_text()
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)
