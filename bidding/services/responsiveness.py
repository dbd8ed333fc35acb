"""The review's compliance check (符合性审查): an expert of a lot's panel finds that a
bid does not respond to the call's substantive requirements, with a reason; the
officer confirms or rejects the finding. A confirmed bid is excluded from the ranking
like a disqualified one (政府采购货物和服务招标投标管理办法, 财政部令第87号, Art 50 and
63: 投标文件未对招标文件的实质性要求和条件作出响应的，投标无效), and its bidder learns why
when the result is published."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.selectors import organization_members
from purchase_portal import audit
from purchase_portal.errors import ConflictError, NotFoundError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.parsing import require_reason
from purchase_portal.roles import Role, users_with_role

from ..models import Bid, Lot, LotAssignment, ResponsivenessFinding
from ..workflows import BID_WORKFLOW, RESPONSIVENESS_WORKFLOW

RF = ResponsivenessFinding.Status

RESPONSIVENESS_RULE = _(
    "An expert may find that a bid does not respond to the call's substantive "
    "requirements (符合性审查), with a reason; the officer confirms or rejects the finding. "
    "A confirmed bid is invalid and excluded from the ranking; its bidder sees why once "
    "the result is published (政府采购货物和服务招标投标管理办法, 财政部令第87号, Art 50 and 63)."
)


def _own_active_seat(*, bid: Bid, user) -> LotAssignment:
    seat = (
        LotAssignment.objects.select_related("lot__round")
        .filter(lot_id=bid.lot_id, expert_id=getattr(user, "pk", None))
        .first()
    )
    if seat is None:
        raise NotFoundError()
    if seat.status != LotAssignment.Status.ACTIVE:
        raise PermissionDeniedError(
            _("Declare that you have no conflict of interest before reviewing the bids."),
            code="not_active",
        )
    return seat


@transaction.atomic
def finding_create(*, bid: Bid, user, reason: str) -> ResponsivenessFinding:
    """An expert of the lot's panel marks a qualified bid non-responsive, with a reason
    (财政部令第87号 Art 50 and 63). The officers are asked to decide."""
    seat = _own_active_seat(bid=bid, user=user)
    reason = require_reason(reason)
    locked = Bid.objects.select_for_update().get(pk=bid.pk)
    if seat.lot.status != Lot.Status.IN_REVIEW or locked.status != Bid.Status.QUALIFIED:
        raise ConflictError(
            _("Bids are checked for responsiveness during the review only."),
            code="not_in_review",
        )
    if ResponsivenessFinding.objects.filter(bid=locked, assignment=seat).exists():
        raise ConflictError(
            _("You have already marked this bid non-responsive."), code="already_found"
        )
    finding = ResponsivenessFinding.objects.create(
        bid=locked, assignment=seat, reason=reason, created_at=timezone.now()
    )
    audit.record(
        actor=user,
        action="responsiveness_finding.create",
        obj=finding,
        after=audit.snapshot(finding, ["bid", "assignment", "reason", "status"]),
    )
    notify(
        recipients=users_with_role(Role.OFFICER),
        kind="bid.non_responsive_found",
        title=lambda: _t("A bid of %(lot)s was marked non-responsive") % {"lot": seat.lot},
        body=reason,
        url=reverse("bidding:review-round", args=[seat.lot.round_id]),
        obj=finding,
    )
    return finding


@transaction.atomic
def finding_decide(
    *, finding: ResponsivenessFinding, user, confirm: bool, reason: str = ""
) -> ResponsivenessFinding:
    """The officer confirms a finding (the bid is disqualified, with the expert's reason,
    and leaves the ranking) or rejects it with a reason (the bid stays). Only during
    the review (财政部令第87号 Art 50 and 63)."""
    reason = (reason or "").strip()
    if not confirm and not reason:
        raise invalid({"reason": _t("Give a reason.")})

    def guard(locked: ResponsivenessFinding) -> None:
        lot = Lot.objects.get(pk=locked.bid.lot_id)
        if lot.status != Lot.Status.IN_REVIEW:
            raise ConflictError(
                _("Findings are decided during the review only."), code="not_in_review"
            )

    decided = RESPONSIVENESS_WORKFLOW.run(
        "confirm" if confirm else "reject",
        obj=finding,
        user=user,
        guard=guard,
        changes={"decided_by": user, "decided_at": timezone.now(), "decision_reason": reason},
    )
    bid = Bid.objects.get(pk=decided.bid_id)
    if confirm and bid.status == Bid.Status.QUALIFIED:
        # Stored and shown to the bidder: in the portal's language.
        with translation.override(settings.LANGUAGE_CODE):
            stated = _t("Non-responsive (符合性审查): %(reason)s") % {"reason": decided.reason}
        BID_WORKFLOW.run(
            "disqualify", obj=bid, user=user, changes={"disqualification_reason": stated}
        )
    notify(
        recipients=[decided.assignment.expert],
        kind="bid.non_responsive_decided",
        title=lambda: (
            _t("Your non-responsiveness finding was %(decision)s")
            % {"decision": decided.get_status_display()}
        ),
        body=reason or decided.reason,
        url=reverse("bidding:review-score", args=[bid.lot_id]),
        obj=decided,
    )
    return decided


def notify_non_responsive_bidders(*, round_id: int) -> None:
    """When the result is published, tell each bidder whose bid was found
    non-responsive why (called by the notice publication)."""
    findings = (
        ResponsivenessFinding.objects.filter(bid__lot__round_id=round_id, status=RF.CONFIRMED)
        .select_related("bid__lot")
        .order_by("bid_id")
    )
    seen: set[int] = set()
    for finding in findings:
        if finding.bid_id in seen:
            continue
        seen.add(finding.bid_id)
        notify(
            recipients=organization_members([finding.bid.organization_id]),
            kind="bid.non_responsive",
            title=lambda: (
                _t("Your bid for %(lot)s was found non-responsive") % {"lot": finding.bid.lot}
            ),
            body=finding.bid.disqualification_reason,
            url=reverse("bidding:bid-detail", args=[finding.bid_id]),
            obj=finding.bid,
        )
