"""Administrators see who uses an authenticator app and may remove a lost one.

Replaces django-otp's device admin, which shows and edits the secret keys:
here devices are read-only and removing one goes through the audited service.
"""

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__name", "user__email")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count")
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.device_reset(user=obj.user, actor=request.user)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            services.device_reset(user=device.user, actor=request.user)
