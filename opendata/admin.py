from django.contrib import admin

from purchase_portal.admin_base import ReadOnlyAdmin

from .models import BulkFile, ContractPublication, Release


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ("release_id", "ocid", "date", "tags")
    search_fields = ("release_id", "ocid")
    date_hierarchy = "date"


@admin.register(ContractPublication)
class ContractPublicationAdmin(ReadOnlyAdmin):
    list_display = ("contract", "signed_at", "due_at", "published_at")
    list_select_related = ("contract",)


@admin.register(BulkFile)
class BulkFileAdmin(ReadOnlyAdmin):
    list_display = ("name", "release_count", "size", "built_at", "build_seconds")
