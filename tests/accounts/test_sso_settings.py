"""Single sign-on is configured by environment variables only (README "Single sign-on")."""

import json
import os
import subprocess
import sys

from tests.test_foundation_settings import ROOT, run_check

ENTRA_AND_IDPORTEN = {
    "OIDC_PROVIDERS": "entra,idporten",
    "OIDC_ENTRA_ISSUER": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0/",
    "OIDC_ENTRA_CLIENT_ID": "portal-client",
    "OIDC_ENTRA_CLIENT_SECRET": "secret",
    "OIDC_ENTRA_NAME": "fylkets konto",
    "OIDC_IDPORTEN_DISCOVERY_URL": "https://idporten.no/.well-known/openid-configuration",
    "OIDC_IDPORTEN_CLIENT_ID": "idporten-client",
    "OIDC_IDPORTEN_CLIENT_SECRET": "secret",
    "OIDC_IDPORTEN_NAME": "ID-porten",
    "OIDC_IDPORTEN_SCOPES": "openid profile",
    "OIDC_IDPORTEN_MATCH_CLAIM": "pid",
    "OIDC_IDPORTEN_MFA_ACR_VALUES": "idporten-loa-substantial,idporten-loa-high",
}


def test_two_providers_are_read_from_the_environment_in_order():
    script = "import json; from django.conf import settings; print(json.dumps(settings.OIDC_PROVIDERS))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env={**_base_env(), **ENTRA_AND_IDPORTEN},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    entra, idporten = json.loads(result.stdout.strip().splitlines()[-1])
    assert entra["discovery_url"] == (
        "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration"
    )
    assert (entra["name"], entra["match_claim"], entra["scopes"]) == ("fylkets konto", "email", "openid email profile")
    assert (idporten["slug"], idporten["match_claim"]) == ("idporten", "pid")
    assert idporten["mfa_acr_values"] == ["idporten-loa-substantial", "idporten-loa-high"]


def test_a_provider_without_a_client_id_stops_start_up_with_one_line():
    result = run_check(OIDC_PROVIDERS="entra", OIDC_ENTRA_ISSUER="https://login.example.no")

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "OIDC_ENTRA_CLIENT_ID" in lines[0], result.stderr


def _base_env():
    return {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    } | {"DJANGO_SETTINGS_MODULE": "viken.settings"}
