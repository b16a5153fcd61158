"""The web process moves what it loaded at start-up out of the garbage collector's way (viken/wsgi.py):
without it, every few requests of a list page paid a 60 ms collection that walked all of Django
(bench/README.md, fifth round)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_web_process_freezes_what_it_loaded_at_start_up():
    script = (
        "import gc, viken.wsgi;"
        "from django.urls import get_resolver;"
        "print(gc.get_freeze_count(), len(gc.get_objects(generation=2)))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "viken.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    frozen, oldest = map(int, result.stdout.split()[-2:])
    # Django, the apps and the URL configuration are frozen; the oldest generation the collector walks is
    # nearly empty.
    assert frozen > 50_000 and oldest < frozen // 10, (frozen, oldest)
