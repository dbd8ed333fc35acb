from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Credential, Invitation, Membership, Organization, ServiceCategory, Street, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Portal"), {"fields": ("name", "phone")}))
    list_display = ("username", "name", "email", "is_active", "is_staff")
    search_fields = ("username", "name", "email")


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "district")
    search_fields = ("name", "code")


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "sort_order")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Business records change only through the portal's services (audited); the
    admin site shows them read-only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("name", "credit_code", "category", "status", "rating")
    list_filter = ("status", "category", "legal_form")
    search_fields = ("name", "credit_code")
    list_select_related = ("street",)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("organization", "user", "role")
    list_select_related = ("organization", "user")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "organization", "role", "created_at", "accepted_at", "revoked_at")
    list_select_related = ("organization",)
    exclude = ("token_hash",)


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = ("organization", "kind", "year", "issued_on", "expires_on")
    list_select_related = ("organization",)
    exclude = ("file",)
