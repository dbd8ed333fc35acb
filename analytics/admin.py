"""The summary tables are derived data: readable in the admin, never edited there."""

from django.contrib import admin

from purchase_portal.admin_base import ReadOnlyAdmin

from .models import SummaryState


@admin.register(SummaryState)
class SummaryStateAdmin(ReadOnlyAdmin):
    list_display = ["refreshed_at", "duration_ms"]
