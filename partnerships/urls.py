from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("", views.AgreementIndexView.as_view(), name="index"),
    path("ny/", views.AgreementCreateView.as_view(), name="agreement-create"),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("<int:pk>/pdf/", views.AgreementPdfView.as_view(), name="agreement-pdf"),
    path("<int:pk>/forhandling/", views.AgreementNegotiateView.as_view(), name="agreement-negotiate"),
    path("<int:pk>/vedta/", views.AgreementAdoptView.as_view(), name="agreement-adopt"),
    path("<int:pk>/videreforing/", views.AgreementContinueView.as_view(), name="agreement-continue"),
    path(
        "<int:pk>/gjeldende-generell-del/",
        views.AgreementUseCurrentGeneralPartView.as_view(),
        name="agreement-use-current-general-part",
    ),
    path("generell-del/ny/", views.GeneralPartCreateView.as_view(), name="general-part-create"),
    path("generell-del/<int:pk>/", views.GeneralPartDetailView.as_view(), name="general-part-detail"),
    path("generell-del/<int:pk>/rediger/", views.GeneralPartEditView.as_view(), name="general-part-edit"),
    path("generell-del/<int:pk>/ny-versjon/", views.GeneralPartReviseView.as_view(), name="general-part-revise"),
    path("generell-del/<int:pk>/horing/", views.GeneralPartConsultView.as_view(), name="general-part-consult"),
    path("generell-del/<int:pk>/vedta/", views.GeneralPartAdoptView.as_view(), name="general-part-adopt"),
    path("generell-del/<int:pk>/historikk/", views.GeneralPartHistoryView.as_view(), name="general-part-history"),
    path("spesiell-del/<int:pk>/", views.SpecialPartDetailView.as_view(), name="special-part-detail"),
    path("spesiell-del/<int:pk>/rediger/", views.SpecialPartEditView.as_view(), name="special-part-edit"),
    path(
        "spesiell-del/<int:pk>/virkemidler/",
        views.SpecialPartInstrumentsView.as_view(),
        name="special-part-instruments",
    ),
    path(
        "spesiell-del/<int:pk>/kunnskapsgrunnlag/",
        views.SpecialPartKnowledgeView.as_view(),
        name="special-part-knowledge",
    ),
    path("spesiell-del/<int:pk>/ny-versjon/", views.SpecialPartReviseView.as_view(), name="special-part-revise"),
    path("spesiell-del/<int:pk>/historikk/", views.SpecialPartHistoryView.as_view(), name="special-part-history"),
    path(
        "spesiell-del/<int:pk>/forhandling/",
        views.SpecialPartNegotiationView.as_view(),
        name="special-part-negotiation",
    ),
    path("vedlegg/<int:pk>/", views.KnowledgeReferenceDownloadView.as_view(), name="knowledge-download"),
    path("forslag/<int:pk>/godta/", views.ProposalDecideView.as_view(accept=True), name="proposal-accept"),
    path("forslag/<int:pk>/avvis/", views.ProposalDecideView.as_view(accept=False), name="proposal-reject"),
]
