"""Refresh and compile the bokmål and nynorsk catalogues.

    python scripts/messages.py                 # every catalogue: makemessages, then compile
    python scripts/messages.py regions cases   # only these apps (each has <app>/locale/)
    python scripts/messages.py --compile-only  # compile every .po to .mo (no gettext tools needed)

Source strings are English; each app keeps its own catalogues in <app>/locale/nb/ (bokmål) and
<app>/locale/nn/ (nynorsk), the templates/ folder and viken/ use locale/nb/ and locale/nn/.
Compiling uses polib, so a machine without GNU gettext can compile; makemessages needs xgettext
(GNU gettext).
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGS = ["nb", "nn"]
APPS = [
    "accounts",
    "core",
    "notifications",
    "regions",
    "partnerships",
    "meetings",
    "cases",
    "archive",
    "oparl",
    "publicsite",
    "people",
    "funds",
    "rounds",
    "themes",
    "reports",
    "portal",
]
IGNORE = [".venv", "var", "static", "staticfiles", "tests", "bench", "scripts", "test-artifacts", *APPS]


def catalogues():
    found = (p for lang in LANGS for p in ROOT.glob(f"**/locale/{lang}/LC_MESSAGES/django.po"))
    return sorted(p for p in found if ".venv" not in p.parts)


def make(apps):
    # manage.py by absolute path: the app folder is the working directory (makemessages walks it),
    # but must not be on sys.path, where its selectors.py would shadow the standard library's.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "viken.settings"}
    django_admin = [
        sys.executable,
        str(ROOT / "manage.py"),
        "makemessages",
        *[f"-l={lang}" for lang in LANGS],
        "--no-obsolete",
    ]
    for app in apps:
        if app == "project":
            args = [*django_admin, *[f"--ignore={name}" for name in IGNORE]]
            subprocess.run(args, cwd=ROOT, env=env, check=True)
        else:
            subprocess.run(django_admin, cwd=ROOT / app, env=env, check=True)


def compile_all():
    for po_path in catalogues():
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        untranslated = len(po.untranslated_entries()) + len(po.fuzzy_entries())
        note = f" ({untranslated} untranslated or fuzzy)" if untranslated else ""
        print(f"compiled {po_path.relative_to(ROOT)}{note}")


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--compile-only" not in args:
        make(args or ["project", *APPS])
    compile_all()
