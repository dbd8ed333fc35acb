"""Every write on awards: the proposal from a lot's ranking, the approver's
confirmation, and reopening a lot's review (an upheld objection)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from purchase_portal import audit
from purchase_portal.duties import require_other_person
from purchase_portal.errors import ApplicationError, ConflictError, PermissionDeniedError
from purchase_portal.notifications import notify
from purchase_portal.roles import Role, is_approver, is_officer, users_with_role

from ..models import Award, Bid, Lot, Round
from ..selectors import review as review_selectors
from ..workflows import (
    AWARD_WORKFLOW,
    BID_WORKFLOW,
    LOT_WORKFLOW,
    ROUND_WORKFLOW,
)
from .scores import sheets_reopen

PARTICIPANT_BID_STATUSES = review_selectors.OPENED_BID_STATUSES
LIVE_AWARD = (Award.Status.PROPOSED, Award.Status.CONFIRMED)
CLOSED_LOT = (Lot.Status.AWARDED, Lot.Status.FAILED, Lot.Status.CANCELLED, Lot.Status.FINAL)


# Proposals and confirmation -----------------------------------------------------------


@transaction.atomic
def award_propose(*, lot: Lot, user) -> list[Award]:
    """Propose the award of a lot whose result the panel has signed: the first-ranked
    bid (bidding), or the top ``lot.max_awards`` (venture); amount = bid price."""
    if not is_officer(user):
        raise PermissionDeniedError()
    lot = Lot.objects.select_for_update().select_related("round").get(pk=lot.pk)
    if lot.status != Lot.Status.IN_REVIEW:
        raise ConflictError(_("Only a lot in review can be awarded."), code="invalid_state")
    if Award.objects.filter(lot=lot, status__in=LIVE_AWARD).exists():
        raise ConflictError(_("This lot already has a proposed award."), code="already_proposed")
    if not review_selectors.lot_progress(lot=lot).all_signed:
        raise ConflictError(
            _("Every expert of the panel must sign the result first."), code="not_signed"
        )
    result = review_selectors.compute_lot_result(lot=lot)
    count = 1 if lot.round.is_bidding else max(1, lot.max_awards)
    if result.unresolved_within(count):
        raise ConflictError(
            _(
                "Bids are tied on final score, price and technical score for the award: "
                "record the draw that decides their order first (MOF Order No. 87 Art 55)."
            ),
            code="tie_undecided",
        )
    winners = result.rows[:count]
    if not winners:
        raise ConflictError(_("No bid is left to award on this lot."), code="nothing_to_award")
    bids = {b.pk: b for b in Bid.objects.filter(pk__in=[r.bid_id for r in winners])}
    if any(bids[r.bid_id].price is None for r in winners):
        raise ConflictError(_("A winning bid has no price to award."), code="no_price")
    awards = []
    for row in winners:
        bid = bids[row.bid_id]
        award = Award.objects.create(
            lot=lot,
            bid=bid,
            organization_id=bid.organization_id,
            amount=bid.price,
            rank=row.rank,
            score=row.final_score,
            proposed_by=user,
        )
        audit.record(actor=user, action="award.propose", obj=award, after=audit.snapshot(award))
        awards.append(award)
    notify(
        recipients=users_with_role(Role.APPROVER),
        kind="award.proposed",
        title=lambda: _t("Award of %(lot)s proposed: confirm it") % {"lot": lot},
        url=reverse("bidding:review-result", args=[lot.pk]),
        obj=lot,
    )
    return awards


@transaction.atomic
def lot_record_draw(*, lot: Lot, user, order: list[int], record: str) -> Lot:
    """Record the draw that orders bids tied on final score, price and technical
    score (MOF Order No. 87 Art 55 ranks by score, then price; fully equal bids are
    decided by the rule the call states: a recorded draw). ``order`` lists every tied
    bid of the lot, first-drawn first; ``record`` says how and before whom it was drawn."""
    if not is_officer(user):
        raise PermissionDeniedError()
    lot = Lot.objects.select_for_update().select_related("round").get(pk=lot.pk)
    if lot.status != Lot.Status.IN_REVIEW:
        raise ConflictError(_("Only a lot in review can be awarded."), code="invalid_state")
    if Award.objects.filter(lot=lot, status__in=LIVE_AWARD).exists():
        raise ConflictError(_("This lot already has a proposed award."), code="already_proposed")
    if not review_selectors.lot_progress(lot=lot).all_signed:
        raise ConflictError(
            _("Every expert of the panel must sign the result first."), code="not_signed"
        )
    lot.tie_draw = []
    result = review_selectors.compute_lot_result(lot=lot)
    tied = sorted(bid for group in result.unresolved_ties for bid in group)
    errors = {}
    if not tied:
        raise ConflictError(_("No bids of this lot are tied."), code="no_tie")
    try:
        order = [int(bid) for bid in order or []]
    except (TypeError, ValueError):
        order = []
    if sorted(order) != tied:
        errors["order"] = _t("List every tied bid exactly once, in the order drawn.")
    record = (record or "").strip()
    if not record:
        errors["record"] = _t("Describe the draw: how, when and before whom it was made.")
    if errors:
        raise ApplicationError(_("Please correct the errors below."), fields=errors)
    before = {"tie_draw": lot.tie_draw}
    lot.tie_draw = order
    lot.tie_draw_record = record
    lot.tie_draw_at = timezone.now()
    lot.tie_draw_by = user
    lot.save(update_fields=["tie_draw", "tie_draw_record", "tie_draw_at", "tie_draw_by"])
    audit.record(
        actor=user,
        action="lot.tie_draw",
        obj=lot,
        before=before,
        after={"tie_draw": order, "record": record},
    )
    return lot


@transaction.atomic
def lot_confirm(*, lot: Lot, user) -> list[Award]:
    """The approver confirms the proposed award(s) of a lot (never the person who
    proposed them: separation of duties, 财会〔2012〕21号 Art 12): awards confirmed, the
    lot awarded, the winning bids won and the other bids lost. When every lot of
    the round is decided, the round is awarded."""
    if not is_approver(user):
        raise PermissionDeniedError()
    lot = Lot.objects.select_for_update().select_related("round").get(pk=lot.pk)
    proposed = list(Award.objects.filter(lot=lot, status=Award.Status.PROPOSED).order_by("rank"))
    if not proposed:
        raise ConflictError(
            _("This lot has no proposed award to confirm."), code="nothing_proposed"
        )
    require_other_person(
        user,
        *(a.proposed_by_id for a in proposed),
        message=_("You proposed this award; another approver must confirm it."),
    )
    now = timezone.now()
    awards = [
        AWARD_WORKFLOW.run(
            "confirm", obj=award, user=user, changes={"confirmed_at": now, "confirmed_by": user}
        )
        for award in proposed
    ]
    winning = {a.bid_id for a in awards}
    for bid in Bid.objects.filter(lot=lot, status=Bid.Status.QUALIFIED).order_by("id"):
        BID_WORKFLOW.run("win" if bid.pk in winning else "lose", obj=bid, user=user)
    LOT_WORKFLOW.run("award", obj=lot, user=user, changes={"status_reason": ""})
    round = Round.objects.select_for_update().get(pk=lot.round_id)
    open_lots = Lot.objects.filter(round=round).exclude(status__in=CLOSED_LOT)
    if round.status == Round.Status.IN_REVIEW and not open_lots.exists():
        ROUND_WORKFLOW.run(
            "award",
            obj=round,
            user=user,
            notify=lambda r: notify(
                recipients=users_with_role(Role.OFFICER),
                kind="round.awarded",
                title=lambda: (
                    _t("Every award of %(round)s is confirmed: publish the notice")
                    % {"round": r.code}
                ),
                url=reverse("bidding:review-round", args=[r.pk]),
                obj=r,
            ),
        )
    return awards


def lot_reopen_review(*, lot: Lot, user, reason: str) -> Lot:
    """Return an awarded lot to review: its awards revoked, its bids qualified again,
    the experts' sheets reopened, and the round back in review."""
    lot = Lot.objects.select_for_update().select_related("round").get(pk=lot.pk)
    if lot.status == Lot.Status.AWARDED:
        for award in Award.objects.filter(lot=lot, status__in=LIVE_AWARD):
            AWARD_WORKFLOW.run("revoke", obj=award, user=user, changes={"status_reason": reason})
        for bid in Bid.objects.filter(
            lot=lot, status__in=(Bid.Status.AWARDED, Bid.Status.NOT_AWARDED)
        ).order_by("id"):
            BID_WORKFLOW.run("reopen", obj=bid, user=user)
        lot = LOT_WORKFLOW.run(
            "reopen_review", obj=lot, user=user, changes={"status_reason": reason}
        )
        sheets_reopen(lot=lot, user=user)
    round = Round.objects.get(pk=lot.round_id)
    if round.status in (Round.Status.AWARDED, Round.Status.NOTICE):
        ROUND_WORKFLOW.run("reopen_review", obj=round, user=user, changes={"status_reason": reason})
    return lot
