from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("create-missing/", views.contract_create_missing, name="create-missing"),
    path("payments/", views.payment_list, name="payments"),
    path("reports/", views.report_list, name="reports"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/edit/", views.contract_edit, name="edit"),
    path("<int:pk>/pdf/", views.contract_pdf, name="pdf"),
    path("<int:pk>/draft.pdf", views.contract_draft_pdf, name="draft-pdf"),
    path("amendments/<int:pk>/draft.pdf", views.amendment_draft_pdf, name="amendment-draft-pdf"),
    path("<int:pk>/export/payments.xlsx", views.contract_export_payments, name="export-payments"),
    path("<int:pk>/export/reports.xlsx", views.contract_export_reports, name="export-reports"),
    path("<int:pk>/amendments/new/", views.amendment_create, name="amendment-create"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit-create"),
    path("<int:pk>/do/<str:action>/", views.contract_action, name="action"),
    path("amendments/<int:pk>/<str:action>/", views.amendment_action, name="amendment-action"),
    path("tranches/<int:pk>/<str:action>/", views.tranche_action, name="tranche-action"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/do/<str:action>/", views.report_action, name="report-action"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification-detail"),
    path(
        "rectifications/<int:pk>/do/<str:action>/",
        views.rectification_action,
        name="rectification-action",
    ),
    path("rectification-files/<int:pk>/", views.rectification_file, name="rectification-file"),
]
