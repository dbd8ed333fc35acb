from django.contrib import admin

from purchase_portal.admin_base import ReadOnlyAdmin

from .models import (
    Contract,
    ContractAmendment,
    ContractSignature,
    PaymentTranche,
    ProgressReport,
    Rectification,
    SiteVisit,
)


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "organization", "amount", "status")
    list_filter = ("status",)
    search_fields = ("number", "title")
    list_select_related = ("organization",)
    exclude = ("pdf",)


@admin.register(ContractAmendment)
class AmendmentAdmin(ReadOnlyAdmin):
    list_display = ("contract", "number", "status", "created_at")
    list_select_related = ("contract",)


@admin.register(ContractSignature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ("contract", "amendment", "side", "user", "signed_at", "ip")
    list_select_related = ("contract", "amendment", "user")


@admin.register(PaymentTranche)
class TrancheAdmin(ReadOnlyAdmin):
    list_display = ("contract", "order", "share", "amount", "condition", "status")
    list_filter = ("status", "condition")
    list_select_related = ("contract",)


@admin.register(ProgressReport)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("contract", "number", "due_date", "status")
    list_filter = ("status",)
    list_select_related = ("contract",)


@admin.register(SiteVisit)
class SiteVisitAdmin(ReadOnlyAdmin):
    list_display = ("contract", "visit_date", "inspector", "rating")
    list_select_related = ("contract", "inspector")


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ("contract", "deadline", "status")
    list_select_related = ("contract",)
