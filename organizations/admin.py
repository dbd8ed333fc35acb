from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from purchase_portal import audit, tokens
from purchase_portal.admin_base import ReadOnlyAdmin

from .models import (
    ControlRelationship,
    Credential,
    Invitation,
    Membership,
    Organization,
    ServiceCategory,
    Street,
    User,
)


def _permissions(user: User | None) -> dict:
    """What a user may do: roles (groups) and the account's flags and permissions."""
    if user is None or user.pk is None:
        return {}
    return {
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "user_permissions": sorted(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        ),
    }


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users are edited here; every change of roles or permissions is audited."""

    fieldsets = (*BaseUserAdmin.fieldsets, (_("Portal"), {"fields": ("name", "phone")}))
    list_display = ("username", "name", "email", "is_active", "is_staff")
    search_fields = ("username", "name", "email")

    def save_model(self, request, obj, form, change):
        form._portal_permissions_before = (
            _permissions(User.objects.filter(pk=obj.pk).first()) if change else {}
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The admin runs the whole change in one transaction; the event joins it.
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            before = getattr(form, "_portal_permissions_before", {})
            after = _permissions(form.instance)
            old, new = audit.changed_fields(before, after)
            if new:
                audit.record(
                    actor=request.user,
                    action="user.permissions",
                    obj=form.instance,
                    before=old or None,
                    after=new,
                )
                reason = (
                    tokens.RevocationReason.DEACTIVATION
                    if new.get("is_active") is False
                    else tokens.RevocationReason.ROLES
                )
                tokens.tokens_revoke_all(user=form.instance, reason=reason, actor=request.user)


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "district")
    search_fields = ("name", "code")


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "sort_order")


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


@admin.register(ControlRelationship)
class ControlRelationshipAdmin(ReadOnlyAdmin):
    list_display = ("controller", "kind", "controlled", "source", "recorded_at")
    list_select_related = ("controller", "controlled")
