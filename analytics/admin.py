"""The summary tables are derived data: readable in the admin, never edited there."""

from django.contrib import admin

from .models import SummaryState


@admin.register(SummaryState)
class SummaryStateAdmin(admin.ModelAdmin):
    list_display = ["refreshed_at", "duration_ms"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
