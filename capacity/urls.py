from django.urls import path

from . import views

app_name = "capacity"

urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path(
        "sessions/<int:pk>/register/<int:org_pk>/",
        views.session_register,
        name="session-register",
    ),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session-attendance"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session-cancel"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration-cancel"),
    path("registrations/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("certificates/verify/", views.certificate_verify, name="certificate-verify"),
    path("incubations/", views.incubation_list, name="incubations"),
    path("incubations/new/", views.incubation_create, name="incubation-create"),
    path("incubations/<int:pk>/", views.incubation_detail, name="incubation-detail"),
    path("incubations/<int:pk>/support/", views.incubation_support, name="incubation-support"),
    path("incubations/<int:pk>/logs/", views.mentoring_log_create, name="mentoring-log-create"),
    path("incubations/<int:pk>/do/<str:action>/", views.incubation_end, name="incubation-end"),
    path("milestones/<int:pk>/achieve/", views.milestone_achieve, name="milestone-achieve"),
    path("organizations/<int:org_pk>/", views.organization_record, name="organization-record"),
    path(
        "organizations/<int:org_pk>/qualifications/",
        views.qualifications,
        name="qualifications",
    ),
    path("rounds/<int:round_pk>/staff-minimum/", views.round_minimum, name="round-minimum"),
]
