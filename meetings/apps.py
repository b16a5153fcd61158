from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from core.panels import case_panels, home_panels, region_panels

        from . import renderers  # noqa: F401  (registers the meetings.* outbox renderers)
        from .panels import case_panel, case_reference_panel, home_panel, region_panel

        home_panels.register(home_panel)
        region_panels.register(region_panel)
        case_panels.register(case_panel)
        case_panels.register(case_reference_panel)

        from cases.hooks import case_annotations, timeline_guards

        from .selectors import case_events_withheld, case_reference_input_annotation

        timeline_guards.register(case_events_withheld)
        case_annotations.register(case_reference_input_annotation)

        from regions.hooks import appointment_listeners

        from .services import participants_follow_appointment

        appointment_listeners.register(participants_follow_appointment)
