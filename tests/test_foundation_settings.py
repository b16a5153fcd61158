"""Settings come from the environment and refuse bad values with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(DJANGO_SETTINGS_MODULE="viken.settings", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "variable,value",
    [
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "mysql://user@localhost/db"),
        ("REDIS_URL", "http://127.0.0.1:6379/0"),
        ("REDIS_URL", "redis://127.0.0.1:notaport/0"),
        ("DEBUG", "perhaps"),
    ],
)
def test_a_malformed_variable_stops_manage_py_with_one_line_naming_it(variable, value):
    result = run_check(**{variable: value})

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_debug_off_without_secret_key_refuses_to_start_and_says_why():
    result = run_check(DEBUG="false", SECRET_KEY="")

    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY must be set when DEBUG is off (it signs sessions and tokens)."
    ]


def test_development_defaults_pass_the_checks():
    result = run_check()

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_time_zone_and_language():
    assert settings.TIME_ZONE == "Europe/Oslo"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "nb"
    assert [code for code, _ in settings.LANGUAGES] == ["nb", "nn", "en"]


def _site_url(**env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "RUN_SITE_URL", "DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="viken.settings", **env_overrides)
    code = "from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_links_in_e_mails_follow_the_port_make_run_serves():
    """E-mails linked to 127.0.0.1:8000 while `make run PORT=8123` served elsewhere: honcho gives each
    process its own PORT, so the worker writing the e-mails could not know the web port."""
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123", "HOST=0.0.0.0"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert "RUN_SITE_URL=http://127.0.0.1:8123 " in dry_run
    # The worker's own PORT (honcho sets 8223 for the second process) does not matter; SITE_URL wins.
    assert _site_url(RUN_SITE_URL="http://127.0.0.1:8123", PORT="8223") == "http://127.0.0.1:8123"
    assert _site_url(RUN_SITE_URL="http://127.0.0.1:8123", SITE_URL="https://portal.example.no/") == (
        "https://portal.example.no"
    )
