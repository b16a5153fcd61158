from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Archive")

    def ready(self):
        from cases.hooks import case_annotations, case_closed_listeners
        from core.panels import case_panels

        from . import panels, selectors, services

        case_closed_listeners.register(services.archive_plan_for_case)
        case_annotations.register(selectors.case_archive_rows_annotation)

        from partnerships.hooks import agreement_adopted_listeners

        agreement_adopted_listeners.register(services.archive_plan_for_agreement)

        from meetings.hooks import minutes_approved_listeners

        minutes_approved_listeners.register(services.archive_plan_for_meeting)
        case_panels.register(panels.case_panel)
