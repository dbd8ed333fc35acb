from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("evaluations/", views.evaluation_list, name="list"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="detail"),
    path("evaluations/<int:pk>/do/<str:action>/", views.evaluation_action, name="action"),
    path("evaluations/<int:pk>/evidence/", views.evaluation_evidence, name="evidence"),
    path("evaluations/templates/", views.template_list, name="templates"),
    path("evaluations/templates/new/", views.template_edit, name="template-create"),
    path("evaluations/templates/<int:pk>/", views.template_detail, name="template-detail"),
    path("evaluations/templates/<int:pk>/edit/", views.template_edit, name="template-edit"),
    path(
        "evaluations/templates/<int:pk>/choose-round/",
        views.template_choose_round,
        name="template-choose-round",
    ),
    path("evaluations/reports/", views.report_list, name="reports"),
    path("evaluations/reports/<int:pk>/download/", views.report_download, name="report-download"),
    path("evaluations/archives/<int:pk>/", views.archive_detail, name="archive-detail"),
    path(
        "evaluations/archives/<int:pk>/download/", views.archive_download, name="archive-download"
    ),
    path("evaluations/annual/", views.annual_report_list, name="annual"),
    path("evaluations/annual/<int:pk>/", views.annual_report_detail, name="annual-detail"),
    path(
        "evaluations/annual/<int:pk>/<str:kind>/",
        views.annual_report_download,
        name="annual-download",
    ),
    path(
        "evaluations/organizations/<int:organization_id>/",
        views.grade_history,
        name="grade-history",
    ),
    path("evaluations/renewable/", views.renewable_list, name="renewable"),
    path("verify/", views.verify_upload, name="verify-upload"),
    path("verify/<str:sha256>/", views.verify, name="verify"),
]
