from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .twofactor import on_login

        # Whether the new session needs the second step, decided once (accounts.twofactor).
        user_logged_in.connect(on_login, dispatch_uid="accounts.twofactor.on_login")
