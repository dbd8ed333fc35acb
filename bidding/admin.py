"""Admin pages of rounds and bids: read-only, and sealed like every other channel.

Bids, receipts and qualification checks of a round appear only once the round
is opened; a bid's change page is refused before that, and its sealed fields
(``bidding.sealing.sealed_fields``), the canonical content of receipts, budget
lines, targets and attachments are never shown here at all. No lookup or
ordering by sealed fields is accepted.
"""

from importlib import import_module
from importlib.util import find_spec

from django.contrib import admin
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404

from organizations.admin import ReadOnlyAdmin

from . import sealing
from .models import (
    Bid,
    BidSubmission,
    Clarification,
    Lot,
    OpeningRecord,
    QualificationCheck,
    Round,
    RubricCriterion,
    TranchePlanItem,
)

#: Names that must never be looked up, searched or ordered by in the admin.
SEALED_LOOKUPS = frozenset(
    {*sealing.sealed_fields(), "budget_lines", "targets", "attachments", "submissions", "canonical"}
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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


# The review part of the app (experts, panels, scores, awards) keeps its admin
# pages in its own module.
if find_spec("bidding.admin_review") is not None:
    import_module("bidding.admin_review")
