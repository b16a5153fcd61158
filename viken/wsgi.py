import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "viken.settings")

application = get_wsgi_application()


def _freeze_what_start_up_loaded():
    """What the process loaded to start (Django, the apps, the URL configuration) lives as long as the
    process. Moved out of the cyclic garbage collector's way (gc.freeze), the collector's oldest
    generation holds only what requests made since: on the national dataset each of its collections
    took 60 ms, every eight or so requests of a list page, a share of the p95 of its own; frozen, 4 ms
    (bench/README.md)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (load the URL configuration now, to freeze it with the rest)
    gc.collect()
    gc.freeze()


_freeze_what_start_up_loaded()
