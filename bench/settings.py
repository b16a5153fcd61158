"""Settings for the load benchmark only (bench/load.py serves the portal with them): the portal's own
settings, read from the environment as in production, plus a bare-Django baseline page (bench/urls.py)
and a query counter (bench/middleware.py). The portal never uses this module."""

import os

from viken.settings import *  # noqa: F403
from viken.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# Outermost, so the count includes what sessions and authentication cost.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # bench/load.py cancels this server's queries by this name when it restarts it after a timeout
    # (PostgreSQL would otherwise finish the statements of the killed workers).
    DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = os.environ.get(  # noqa: F405
        "BENCH_APPLICATION_NAME", "bench-load"
    )
