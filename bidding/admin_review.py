"""Admin pages of the review part: the expert pool is managed here (through the
same service as the page); panels, draws, score sheets, awards, notices and
objections are shown read-only (they change only through the portal's
services). Score sheets show points, never bid content."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied

from organizations.admin import ReadOnlyAdmin
from purchase_portal.errors import ApplicationError

from .models import Award, ExpertProfile, LotAssignment, Notice, Objection, PanelDraw, ScoreSheet
from .services.review import expert_save


class ExpertProfileForm(forms.ModelForm):
    class Meta:
        model = ExpertProfile
        fields = ["user", "employer", "specialities", "active"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    form = ExpertProfileForm
    list_display = ("user", "employer", "active")
    list_filter = ("active", "specialities")
    search_fields = ("user__username", "user__name", "employer")
    list_select_related = ("user",)
    filter_horizontal = ("specialities",)
    autocomplete_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            saved = expert_save(
                user=request.user,
                expert_user=form.cleaned_data.get("user") or obj.user,
                employer=form.cleaned_data.get("employer", ""),
                specialities=form.cleaned_data.get("specialities", []),
                active=form.cleaned_data.get("active", True),
            )
        except ApplicationError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        # The service has set the specialities.
        pass


@admin.register(PanelDraw)
class PanelDrawAdmin(ReadOnlyAdmin):
    list_display = ("round", "kind", "lot", "seed", "size", "drawn_by", "drawn_at")
    list_filter = ("kind",)
    list_select_related = ("round", "lot__round", "drawn_by")


@admin.register(LotAssignment)
class LotAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("lot", "expert", "status", "conflict", "declared_at")
    list_filter = ("status", "conflict")
    list_select_related = ("lot__round", "expert")


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdmin):
    list_display = ("lot", "expert", "status", "submitted_at", "signed_at")
    list_filter = ("status",)
    list_select_related = ("lot__round", "expert")


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("lot", "organization", "amount", "rank", "score", "status")
    list_filter = ("status",)
    list_select_related = ("lot__round", "organization")


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("round", "published_at", "ends_at", "status")
    list_filter = ("status",)
    list_select_related = ("round",)


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("lot", "organization", "filed_at", "answer_due", "status")
    list_filter = ("status",)
    list_select_related = ("lot__round", "organization")
