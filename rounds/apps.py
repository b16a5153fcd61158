from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "rounds"
    verbose_name = _("Input rounds")

    def ready(self):
        from . import renderers  # noqa: F401 (registers the outbox renderers)
