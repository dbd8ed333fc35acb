"""Read-only admin: every change goes through the services (and the audit trail)."""

from django.contrib import admin

from purchase_portal.admin_base import ReadOnlyAdmin

from .models import (
    Incubation,
    MentoringLog,
    Registration,
    RoundStaffMinimum,
    StaffQualification,
    TrainingProgramme,
    TrainingSession,
)


@admin.register(TrainingProgramme)
class TrainingProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["title", "audience", "year"]
    list_filter = ["audience", "year"]
    search_fields = ["title"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ["topic", "programme", "starts_at", "capacity", "hours", "status"]
    list_filter = ["status"]
    list_select_related = ["programme"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["session", "organization", "participant", "status", "certificate_number"]
    list_filter = ["status"]
    list_select_related = ["session", "organization", "participant"]


@admin.register(Incubation)
class IncubationAdmin(ReadOnlyAdmin):
    list_display = ["organization", "started_on", "planned_end_on", "ended_on", "status"]
    list_filter = ["status"]
    list_select_related = ["organization"]


@admin.register(MentoringLog)
class MentoringLogAdmin(ReadOnlyAdmin):
    list_display = ["incubation", "held_on", "hours", "topic", "author"]
    list_select_related = ["incubation__organization", "author"]


@admin.register(StaffQualification)
class StaffQualificationAdmin(ReadOnlyAdmin):
    list_display = [
        "organization",
        "year",
        "assistant_social_workers",
        "social_workers",
        "senior_social_workers",
        "other_certificates",
    ]
    list_filter = ["year"]
    list_select_related = ["organization"]


@admin.register(RoundStaffMinimum)
class RoundStaffMinimumAdmin(ReadOnlyAdmin):
    list_display = ["round", "min_certified", "min_social_workers_or_above", "min_senior"]
    list_select_related = ["round"]
