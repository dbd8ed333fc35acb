"""Suppliers' recusal requests (回避申请): a supplier that bid on a lot asks that a named
expert of the lot's panel withdraw, with a reason; the officer grants the request (the
expert leaves the lot's panel and a replacement is drawn) or rejects it with a reason.
Both sides are notified; every step is in the audit trail (政府采购法 Art 12;
政府采购法实施条例 Art 9)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from organizations.rules import is_org_admin
from organizations.selectors import organization_members
from purchase_portal import audit
from purchase_portal.errors import ConflictError, NotFoundError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.parsing import require_reason
from purchase_portal.roles import Role, users_with_role

from ..models import Lot, LotAssignment, RecusalRequest
from ..selectors import review as selectors
from ..workflows import ASSIGNMENT_WORKFLOW, RECUSAL_WORKFLOW
from .panels import draw_replacement

RR = RecusalRequest.Status
LIVE_SEATS = (LotAssignment.Status.PENDING, LotAssignment.Status.ACTIVE)

RECUSAL_RULE = _(
    "A supplier that bid on a lot sees the names of the lot's panel from the opening on "
    "and may ask, with a reason, that a named expert withdraw (回避申请). The officer "
    "decides: granted, the expert leaves the lot's panel and a replacement is drawn; "
    "rejected, with a reason. Both sides are notified (政府采购法 Art 12; "
    "政府采购法实施条例 Art 9)."
)


@transaction.atomic
def recusal_request(
    *, assignment: LotAssignment, user, organization: Organization | None, reason: str
) -> RecusalRequest:
    """A bidder's administrator asks that the expert of ``assignment`` withdraw from
    the lot (政府采购法实施条例 Art 9). Only while the lot is under qualification or
    review, and only against a seat the supplier can see (its own lot, after the
    opening); anything else is not found."""
    if organization is None or not is_org_admin(user, organization):
        raise PermissionDeniedError()
    seat = (
        LotAssignment.objects.select_for_update()
        .select_related("lot__round", "expert")
        .filter(pk=assignment.pk)
        .first()
    )
    if seat is None or not selectors.panel_visible_to(
        organization_id=organization.pk, lot=seat.lot
    ):
        raise NotFoundError()
    reason = require_reason(reason)
    if seat.status not in LIVE_SEATS or seat.lot.status not in (
        Lot.Status.OPEN,
        Lot.Status.IN_REVIEW,
    ):
        raise ConflictError(
            _("Recusal is requested while the expert sits on the lot's panel, before the result."),
            code="not_on_panel",
        )
    if RecusalRequest.objects.filter(
        assignment=seat, organization=organization, status=RR.OPEN
    ).exists():
        raise ConflictError(
            _("Your request about this expert is awaiting the officer's decision."),
            code="request_open",
        )
    request = RecusalRequest.objects.create(
        assignment=seat,
        organization=organization,
        requested_by=user,
        reason=reason,
        created_at=timezone.now(),
    )
    audit.record(
        actor=user,
        action="recusal_request.create",
        obj=request,
        after=audit.snapshot(request, ["assignment", "organization", "reason", "status"]),
    )
    notify(
        recipients=users_with_role(Role.OFFICER),
        kind="panel.recusal_requested",
        title=lambda: (
            _t("%(org)s asks that %(expert)s withdraw from %(lot)s")
            % {"org": organization.name, "expert": seat.expert.display_name, "lot": seat.lot}
        ),
        body=reason,
        url=reverse("bidding:review-round", args=[seat.lot.round_id]),
        obj=request,
    )
    return request


@transaction.atomic
def recusal_decide(
    *, request: RecusalRequest, user, grant: bool, reason: str = ""
) -> RecusalRequest:
    """The officer grants (the expert leaves the lot's panel; a replacement is drawn)
    or rejects (with a reason) a recusal request (政府采购法实施条例 Art 9)."""
    reason = (reason or "").strip()
    if not grant and not reason:
        raise invalid({"reason": _t("Give a reason.")})

    def guard(locked: RecusalRequest) -> None:
        seat = LotAssignment.objects.select_related("lot").get(pk=locked.assignment_id)
        if grant and (
            seat.status not in LIVE_SEATS
            or seat.lot.status not in (Lot.Status.OPEN, Lot.Status.IN_REVIEW)
        ):
            raise ConflictError(
                _("The expert no longer sits on the lot's panel."), code="not_on_panel"
            )

    decided = RECUSAL_WORKFLOW.run(
        "grant" if grant else "reject",
        obj=request,
        user=user,
        guard=guard,
        changes={"decided_by": user, "decided_at": timezone.now(), "decision_reason": reason},
    )
    seat = LotAssignment.objects.select_related("lot__round", "expert").get(
        pk=decided.assignment_id
    )
    if grant:
        recused = ASSIGNMENT_WORKFLOW.run(
            "recuse_on_request",
            obj=seat,
            user=user,
            changes={
                "declared_at": timezone.now(),
                "conflict": LotAssignment.Conflict.OTHER,
                "conflict_organization": decided.organization,
                "conflict_details": _t("Recusal requested by %(org)s: %(reason)s")
                % {"org": decided.organization.name, "reason": decided.reason},
            },
        )
        draw_replacement(assignment=recused, user=user)
    notify(
        recipients=organization_members([decided.organization_id]),
        kind="panel.recusal_decided",
        title=lambda: (
            _t("Your recusal request for %(lot)s: %(outcome)s")
            % {"lot": seat.lot, "outcome": decided.get_status_display()}
        ),
        body=reason,
        url=reverse("bidding:lot-panel", args=[seat.lot_id]),
        obj=decided,
    )
    notify(
        recipients=[seat.expert],
        kind="panel.recusal_decided",
        title=lambda: (
            _t("A supplier's recusal request about you on %(lot)s: %(outcome)s")
            % {"lot": seat.lot, "outcome": decided.get_status_display()}
        ),
        body=reason,
        url=reverse("bidding:review-assignments"),
        obj=decided,
    )
    return decided
