"""Settings for the load benchmark only (bench/load.py serves the portal with them): the portal's own
settings, read from the environment as in production, plus a bare-Django baseline page (bench/urls.py)
and a query counter (bench/middleware.py). The portal never uses this module."""

from viken.settings import *  # noqa: F403
from viken.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# Outermost, so the count includes what sessions and authentication cost.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
