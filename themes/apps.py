from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Theme groups")

    def ready(self):
        from cases.hooks import case_annotations, case_extra_regions
        from core.panels import case_panels, region_panels
        from regions.hooks import region_annotations

        from . import panels, selectors

        region_panels.register(panels.region_panel)
        region_annotations.register(selectors.region_theme_annotation)
        case_annotations.register(selectors.case_theme_annotation)
        case_panels.register(panels.case_panel)
        case_extra_regions.register(selectors.case_theme_region_ids)
