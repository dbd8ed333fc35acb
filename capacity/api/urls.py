"""API routes of this app, included under /api/v1/ by the root URLconf."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    IncubationViewSet,
    MentoringLogViewSet,
    RegistrationViewSet,
    RoundStaffMinimumViewSet,
    StaffQualificationViewSet,
    TrainingHoursView,
    TrainingProgrammeViewSet,
    TrainingSessionViewSet,
)

router = SimpleRouter()
router.register("training-programmes", TrainingProgrammeViewSet, basename="training-programme")
router.register("training-sessions", TrainingSessionViewSet, basename="training-session")
router.register("training-registrations", RegistrationViewSet, basename="training-registration")
router.register("incubations", IncubationViewSet, basename="incubation")
router.register("mentoring-logs", MentoringLogViewSet, basename="mentoring-log")
router.register("staff-qualifications", StaffQualificationViewSet, basename="staff-qualification")
router.register("round-staff-minimums", RoundStaffMinimumViewSet, basename="round-staff-minimum")

urlpatterns = [
    *router.urls,
    path("training-hours/", TrainingHoursView.as_view(), name="training-hours"),
]
