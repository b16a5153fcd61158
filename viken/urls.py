from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from portal import views as portal_views

urlpatterns = [
    path("healthz", portal_views.healthz_view, name="healthz"),
    path("i18n/setlang/", account_views.language_view, name="set_language"),
    path("konto/logg-inn/", account_views.PortalLoginView.as_view(), name="login"),
    path("konto/logg-ut/", account_views.PortalLogoutView.as_view(), name="logout"),
    path("konto/sso/<slug:provider>/", account_views.sso_login_view, name="sso_login"),
    path("konto/sso/<slug:provider>/svar/", account_views.sso_callback_view, name="sso_callback"),
    path("konto/passord/", account_views.PortalPasswordChangeView.as_view(), name="password_change"),
    path("konto/sprak/", account_views.user_language_view, name="user_language"),
    path("konto/tofaktor/", account_views.twofactor_verify_view, name="twofactor-verify"),
    path("konto/tofaktor/oppsett/", account_views.twofactor_setup_view, name="twofactor-setup"),
    path("konto/tofaktor/reservekoder/", account_views.twofactor_recovery_codes_view, name="twofactor-recovery-codes"),
    path("konto/tofaktor/av/", account_views.twofactor_disable_view, name="twofactor-disable"),
    path(
        "konto/passord/endret/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("konto/glemt-passord/", account_views.PortalPasswordResetView.as_view(), name="password_reset"),
    path(
        "konto/glemt-passord/sendt/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/nytt-passord/<uidb64>/<token>/",
        account_views.PortalPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/nytt-passord/ferdig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("varsler/", include("notifications.urls")),
    path("register/", include("regions.urls")),
    path("avtaler/", include("partnerships.urls")),
    path("moter/", include("meetings.urls")),
    path("saker/", include("cases.urls")),
    path("arkiv/", include("archive.urls")),
    path("oparl/", include("oparl.urls")),  # the API under v1/, its OpenAPI description beside it
    path("offentlig/", include("publicsite.urls")),
    path("personer/", include("people.urls")),
    path("midler/", include("funds.urls")),
    path("innspill/", include("rounds.urls")),
    path("temagrupper/", include("themes.urls")),
    path("arsrapport/", include("reports.urls")),
    path("", include("portal.urls")),
]

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"

admin.site.site_header = "Regionportalen"
admin.site.site_title = "Regionportalen"
