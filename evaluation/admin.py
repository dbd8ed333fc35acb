"""Read-only admin: every change goes through the services (and the audit trail)."""

from django.contrib import admin

from purchase_portal.admin_base import ReadOnlyAdmin

from .models import AnnualReport, Evaluation, EvaluationReport, ReportArchive, Template


@admin.register(Template)
class TemplateAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "version", "pass_line", "frozen_at")
    search_fields = ("name", "code")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ("contract", "stage", "status", "due_date", "total_score", "grade")
    list_filter = ("status", "stage", "grade")
    list_select_related = ("contract",)


@admin.register(EvaluationReport)
class EvaluationReportAdmin(ReadOnlyAdmin):
    list_display = ("evaluation", "version", "sha256", "created_at")
    list_select_related = ("evaluation__contract",)
    exclude = ("file",)


@admin.register(ReportArchive)
class ReportArchiveAdmin(ReadOnlyAdmin):
    list_display = ("id", "requested_by", "status", "progress", "report_count", "created_at")
    exclude = ("file",)


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ("year", "status", "progress", "created_at")
    exclude = ("pdf", "xlsx")
