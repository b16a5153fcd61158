"""Production settings pass Django's deployment checks, and pages carry the security headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="viken.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="regionportalen.example.no",
        CSRF_TRUSTED_ORIGINS="https://regionportalen.example.no",
        SITE_URL="https://regionportalen.example.no",
        # Preloading is a one-way decision for the domain's owner, off by default; production sets it.
        SECURE_HSTS_PRELOAD="true",
        **extra,
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_pages_carry_csp_without_unsafe_inline_and_the_other_security_headers(client, db):
    response = client.get(reverse("login"))

    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_templates_contain_no_inline_script_or_style():
    """The CSP would block them in the browser; this finds them before a user does."""
    import re

    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=\"", text):
            offenders.append(str(path.relative_to(ROOT)))
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{path.relative_to(ROOT)} (event handler attribute)")
    assert not offenders, offenders
