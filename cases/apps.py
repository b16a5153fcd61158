from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from core.panels import home_panels, region_panels

        from . import panels, renderers  # noqa: F401  (registers the outbox renderers)

        home_panels.register(panels.home_panel)
        region_panels.register(panels.region_panel)

        from partnerships.hooks import priority_cases

        from .selectors import case_lists_by_priority

        priority_cases.register(case_lists_by_priority)

        from regions.hooks import membership_listeners

        from .services import cases_follow_memberships

        membership_listeners.register(cases_follow_memberships)
