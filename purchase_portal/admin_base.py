"""Base classes of the admin site. Business records change only through the
portal's services (audited); the admin shows them read-only."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A model's records, listed and shown but never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Related rows shown on a read-only record's page."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
