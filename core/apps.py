from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal")

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            lookups,
        )

        lookups.register()

        from django.apps import apps

        from . import choices

        choices.install(choices.project_models(apps.get_models()))

        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .fragments import bump_on_model_change

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(bump_on_model_change, dispatch_uid=f"fragments-{id(signal)}")
