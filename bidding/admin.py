"""Admin pages of rounds and bids: read-only, and sealed like every other channel.

Bids, receipts and qualification checks of a round appear only once the round
is opened; a bid's change page is refused before that, and its sealed fields
(``bidding.sealing.sealed_fields``), the canonical content of receipts, budget
lines, targets and attachments are never shown here at all. No lookup or
ordering by sealed fields is accepted.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404

from purchase_portal.admin_base import ReadOnlyAdmin, ReadOnlyInline
from purchase_portal.errors import ApplicationError

from . import sealing
from .models import (
    Award,
    Bid,
    BidSubmission,
    Clarification,
    ExpertProfile,
    Lot,
    LotAssignment,
    Notice,
    Objection,
    OpeningRecord,
    PanelDraw,
    QualificationCheck,
    Round,
    RubricCriterion,
    ScoreSheet,
    TranchePlanItem,
)
from .services.panels import expert_save

#: Names that must never be looked up, searched or ordered by in the admin.
SEALED_LOOKUPS = frozenset(
    {*sealing.sealed_fields(), "budget_lines", "targets", "attachments", "submissions", "canonical"}
)


class LotInline(ReadOnlyInline):
    model = Lot
    fields = ("number", "title", "project", "category", "cap", "max_awards", "status")


class CriterionInline(ReadOnlyInline):
    model = RubricCriterion
    fields = ("order", "name", "kind", "max_points", "guidance")


class TrancheInline(ReadOnlyInline):
    model = TranchePlanItem
    fields = ("order", "share", "condition")


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "kind", "status", "published_at", "submission_deadline")
    list_filter = ("kind", "status", "year")
    search_fields = ("code", "title")
    inlines = [LotInline, CriterionInline, TrancheInline]


@admin.register(Clarification)
class ClarificationAdmin(ReadOnlyAdmin):
    list_display = ("round", "organization", "asked_at", "answered_at")
    list_select_related = ("round", "organization")


class SealedAdminMixin:
    """Rows of rounds that are not opened yet do not exist here; no sealed lookups."""

    round_path = "lot__round"

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(**{f"{self.round_path}__opened_at__isnull": False})
        )

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split(LOOKUP_SEP)[0] in SEALED_LOOKUPS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request):
        return [f for f in super().get_search_fields(request) if f not in SEALED_LOOKUPS]

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # A sealed row and a missing one get the same answer, so ids reveal nothing.
        raise Http404


@admin.register(Bid)
class BidAdmin(SealedAdminMixin, ReadOnlyAdmin):
    list_display = ("id", "lot", "organization", "status", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("lot__round", "organization")
    search_fields = ("organization__name", "lot__round__code")
    exclude = sealing.sealed_fields()
    show_full_result_count = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        bid = Bid.objects.select_related("lot__round").filter(pk=object_id).first()
        if bid is not None and not sealing.can_read_bid_content(request.user, bid):
            raise Http404
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(BidSubmission)
class BidSubmissionAdmin(SealedAdminMixin, ReadOnlyAdmin):
    round_path = "bid__lot__round"
    list_display = ("receipt_number", "bid", "submitted_at", "is_current")
    list_select_related = ("bid__lot__round", "bid__organization")
    exclude = ("canonical", "digest")


@admin.register(QualificationCheck)
class QualificationCheckAdmin(SealedAdminMixin, ReadOnlyAdmin):
    round_path = "bid__lot__round"
    list_display = ("bid", "qualified", "checked_by", "checked_at")
    list_select_related = ("bid__lot__round", "bid__organization", "checked_by")


@admin.register(OpeningRecord)
class OpeningRecordAdmin(ReadOnlyAdmin):
    list_display = ("round", "opened_at", "opened_by", "all_digests_ok")
    list_select_related = ("round", "opened_by")


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
