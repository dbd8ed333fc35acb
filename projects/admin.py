from django.contrib import admin

from purchase_portal.admin_base import ReadOnlyAdmin, ReadOnlyInline

from .models import CatalogueItem, ProjectTarget, PurchaseProject


@admin.register(CatalogueItem)
class CatalogueItemAdmin(ReadOnlyAdmin):
    """Catalogue items are kept by officers on the portal's catalogue pages (audited)."""

    list_display = ("year", "code", "name", "category", "budget", "is_active")
    list_filter = ("year", "category", "is_active")
    search_fields = ("code", "name")
    list_select_related = ("category",)


class ProjectTargetInline(ReadOnlyInline):
    model = ProjectTarget
    fields = ("kind", "indicator", "target_value", "unit")


@admin.register(PurchaseProject)
class PurchaseProjectAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "year", "category", "budget_ceiling", "status")
    list_filter = ("status", "year", "category")
    search_fields = ("code", "title")
    list_select_related = ("category",)
    inlines = [ProjectTargetInline]
