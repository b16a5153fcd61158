from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from core.health import health_checks

        from .health import outbox_check

        health_checks.register("outbox", outbox_check)
