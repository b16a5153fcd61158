from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The shell: the start page, the navigation, the health endpoint and the demo setup, composed
    from the apps below it. It may import every app; no app imports it."""

    name = "portal"
    verbose_name = _("Start page")
