from django.contrib import admin
from django.db import transaction

from . import audit
from .admin_base import ReadOnlyAdmin
from .audit import unsealed
from .models import AuditEvent, CalendarDay, CalendarYear, Notification, OutboxMessage


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("seq", "created_at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("object_id", "actor_label", "action")
    show_full_result_count = False

    def get_queryset(self, request):
        # Sealed events (bids before opening) are hidden here too, even from superusers.
        return unsealed(super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "title", "created_at", "read_at")
    list_select_related = ("recipient",)
    readonly_fields = [f.name for f in Notification._meta.fields]
    show_full_result_count = False

    def get_queryset(self, request):
        # Sealed like the audit trail: "X submitted its bid" stays hidden until the opening.
        return unsealed(super().get_queryset(request))

    def has_add_permission(self, request):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Which years' holiday arrangements are confirmed (State Council notice loaded);
    periods reaching an unconfirmed year are flagged to the officer."""

    list_display = ("year", "confirmed", "source")
    list_filter = ("confirmed",)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = audit.snapshot(CalendarYear.objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            audit.record(
                actor=request.user,
                action="calendar_year.update" if change else "calendar_year.create",
                obj=obj,
                before=before,
                after=audit.snapshot(obj),
            )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The working-day calendar: public holidays and make-up workdays (调休)."""

    list_display = ("date", "name", "is_workday")
    list_filter = ("is_workday",)
    search_fields = ("name",)
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = audit.snapshot(CalendarDay.objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            audit.record(
                actor=request.user,
                action="calendar_day.update" if change else "calendar_day.create",
                obj=obj,
                before=before,
                after=audit.snapshot(obj),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(
                actor=request.user,
                action="calendar_day.delete",
                obj=obj,
                before=audit.snapshot(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Background tasks waiting for the broker (sent_at empty) and recently sent.
    Arguments are not shown: some carry what an e-mail needs, such as an invitation link."""

    list_display = ("id", "task", "created_at", "sent_at", "attempts", "last_error")
    list_filter = (("sent_at", admin.EmptyFieldListFilter), "task")
    fields = readonly_fields = (
        "task",
        "task_id",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    )
    show_full_result_count = False
