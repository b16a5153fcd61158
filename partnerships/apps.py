from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from core.panels import county_panels, home_panels, region_panels

        from . import renderers  # noqa: F401  (registers the partnerships.* outbox renderers)
        from .panels import county_panel, home_panel, region_panel

        region_panels.register(region_panel)
        home_panels.register(home_panel)
        county_panels.register(county_panel)
