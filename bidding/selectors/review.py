"""Reads of the review (panels, declarations, scores, results), scoped to the user.

Visibility: federation staff see every panel and every *submitted* score
sheet; an expert sees their own assignments and sheets, and the other experts'
sheets of a lot only once their own sheet for that lot is submitted. Objects a
user may not see answer 404; an expert's own lot they may not read (recused,
or others' scores before submitting) answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from organizations.models import Organization, User
from organizations.rules import memberships_of
from purchase_portal.errors import PermissionDeniedError
from purchase_portal.roles import Role, has_role, is_federation_staff

from .. import scoring
from ..models import (
    Bid,
    ExpertProfile,
    Lot,
    LotAssignment,
    PanelDraw,
    RecusalRequest,
    ResponsivenessFinding,
    Round,
    RubricCriterion,
    Score,
    ScoreSheet,
)

A = LotAssignment.Status
S = ScoreSheet.Status
DONE = (S.SUBMITTED, S.SIGNED)
#: Bids that take part in the ranking (qualified, and kept so after the award).
RANKED_BID_STATUSES = (Bid.Status.QUALIFIED, Bid.Status.AWARDED, Bid.Status.NOT_AWARDED)
#: Bids whose bidder's name an expert sees when declaring conflicts.
OPENED_BID_STATUSES = (
    Bid.Status.SUBMITTED,
    Bid.Status.QUALIFIED,
    Bid.Status.DISQUALIFIED,
    Bid.Status.AWARDED,
    Bid.Status.NOT_AWARDED,
)


def _404():
    return Http404()


# Expert pool -------------------------------------------------------------------


def expert_pool(*, user) -> QuerySet[ExpertProfile]:
    if not is_federation_staff(user):
        return ExpertProfile.objects.none()
    return (
        ExpertProfile.objects.select_related("user")
        .prefetch_related("specialities")
        .order_by("user__name", "user__username", "id")
    )


def expert_get(*, user, pk) -> ExpertProfile:
    try:
        return expert_pool(user=user).get(pk=pk)
    except (ExpertProfile.DoesNotExist, ValueError, TypeError):
        raise _404() from None


# Draws and assignments ---------------------------------------------------------


def draw_list(*, user) -> QuerySet[PanelDraw]:
    if not is_federation_staff(user):
        return PanelDraw.objects.none()
    return PanelDraw.objects.select_related("round", "lot", "drawn_by", "replaces__expert")


def assignment_list(*, user) -> QuerySet[LotAssignment]:
    """Staff: every assignment; experts: their own."""
    qs = LotAssignment.objects.select_related(
        "lot__round", "expert", "conflict_organization", "replaced_by__expert", "sheet"
    )
    if is_federation_staff(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(expert=user)


def assignment_get(*, user, pk) -> LotAssignment:
    try:
        return assignment_list(user=user).get(pk=pk)
    except (LotAssignment.DoesNotExist, ValueError, TypeError):
        raise _404() from None


def own_assignment(*, user, lot: Lot) -> LotAssignment | None:
    if not user.is_authenticated:
        return None
    return LotAssignment.objects.select_related("sheet").filter(lot=lot, expert=user).first()


def lot_bidders(*, lot: Lot) -> QuerySet[Organization]:
    """The organizations that bid on the lot: the names an expert declares against
    (names only; no sealed content)."""
    return Organization.objects.filter(
        bids__lot=lot, bids__status__in=OPENED_BID_STATUSES
    ).order_by("name", "id")


def panel_bidder_list(*, user: User) -> QuerySet[Organization]:
    """The organizations that bid on any lot whose panel the user sits on: those an
    expert may name in a declaration (the lot's own bidders are checked by the service)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(
        pk__in=Bid.objects.filter(
            lot__assignments__expert=user, status__in=OPENED_BID_STATUSES
        ).values("organization_id")
    )


def round_bidder_user_ids(*, round: Round) -> set[int]:
    """Users who are members of an organization that bid in the round (never drawn)."""
    from organizations.models import Membership

    return set(
        Membership.objects.filter(
            organization__bids__lot__round=round,
            organization__bids__status__in=OPENED_BID_STATUSES,
        ).values_list("user_id", flat=True)
    )


def conflicted_expert_ids(*, lot: Lot) -> set[int]:
    """Experts who declared a conflict, anywhere in the lot's round, with an
    organization that bid on this lot: they never sit on this lot's panel."""
    return set(
        LotAssignment.objects.filter(
            lot__round_id=lot.round_id,
            status=LotAssignment.Status.RECUSED,
            conflict_organization__in=lot_bidders(lot=lot).values("pk"),
        ).values_list("expert_id", flat=True)
    )


def assignments_sharing_bidder(
    *, expert, round_id: int, organization_id: int, exclude_lot_id: int
) -> QuerySet[LotAssignment]:
    """The expert's live seats, in the round, on other lots where the organization bid."""
    return LotAssignment.objects.filter(
        expert=expert,
        lot__round_id=round_id,
        status__in=(LotAssignment.Status.PENDING, LotAssignment.Status.ACTIVE),
        lot__bids__organization_id=organization_id,
        lot__bids__status__in=OPENED_BID_STATUSES,
    ).exclude(lot_id=exclude_lot_id)


# Reading a lot for scoring -------------------------------------------------------


def lot_for_scoring(*, user, lot_pk) -> tuple[Lot, LotAssignment]:
    """The lot and the expert's active assignment; 404 if not assigned, 403 if recused
    or not yet declared."""
    lot = (
        Lot.objects.select_related("round", "category").filter(pk=lot_pk).first()
        if str(lot_pk).isdigit()
        else None
    )
    if lot is None:
        raise _404()
    assignment = own_assignment(user=user, lot=lot)
    if assignment is None:
        raise _404()
    if assignment.status != A.ACTIVE:
        raise PermissionDeniedError(
            code="not_active",
            message=_not_active_message(assignment),
        )
    return lot, assignment


def _not_active_message(assignment: LotAssignment) -> str:
    from django.utils.translation import gettext as _

    if assignment.status == A.RECUSED:
        return _("You declared a conflict of interest on this lot and may not read its bids.")
    return _("Declare your conflicts of interest before reading the bids.")


def ranked_bids(*, lot: Lot) -> QuerySet[Bid]:
    return (
        Bid.objects.filter(lot=lot, status__in=RANKED_BID_STATUSES)
        .select_related("organization")
        .order_by("id")
    )


def round_criteria(*, round: Round) -> list[RubricCriterion]:
    return list(RubricCriterion.objects.filter(round=round).order_by("order", "id"))


def technical_criteria(*, round: Round) -> list[RubricCriterion]:
    return [c for c in round_criteria(round=round) if c.kind == RubricCriterion.Kind.TECHNICAL]


# Score sheets ---------------------------------------------------------------------


def _sheet_qs() -> QuerySet[ScoreSheet]:
    return ScoreSheet.objects.select_related("lot__round", "expert", "assignment").prefetch_related(
        Prefetch("scores", queryset=Score.objects.order_by("bid_id", "criterion_id"))
    )


def sheet_list(*, user) -> QuerySet[ScoreSheet]:
    """Own sheets; other experts' sheets of lots where the user's own sheet is
    submitted; for staff, every submitted sheet."""
    qs = _sheet_qs()
    if is_federation_staff(user):
        return qs.filter(status__in=DONE)
    if not user.is_authenticated:
        return qs.none()
    done_lots = ScoreSheet.objects.filter(expert=user, status__in=DONE).values("lot_id")
    return qs.filter(Q(expert=user) | Q(lot_id__in=done_lots, status__in=DONE))


def sheet_get(*, user, pk) -> ScoreSheet:
    try:
        return sheet_list(user=user).get(pk=pk)
    except (ScoreSheet.DoesNotExist, ValueError, TypeError):
        pass
    # A fellow panel member asking for a sheet they may not read yet: 403.
    sheet = ScoreSheet.objects.filter(pk=pk).only("lot_id").first() if str(pk).isdigit() else None
    if (
        sheet is not None
        and user.is_authenticated
        and LotAssignment.objects.filter(lot_id=sheet.lot_id, expert=user).exists()
    ):
        raise PermissionDeniedError(
            code="scores_hidden",
            message=_hidden_message(),
        )
    raise _404()


def _hidden_message() -> str:
    from django.utils.translation import gettext as _

    return _("Other experts' scores are shown once you have submitted your own.")


def can_read_results(*, user, lot: Lot) -> bool:
    """Staff, or an expert of the lot whose own sheet is submitted."""
    if is_federation_staff(user):
        return True
    return ScoreSheet.objects.filter(
        lot=lot, expert=user, status__in=DONE, assignment__status=A.ACTIVE
    ).exists()


def lot_for_results(*, user, lot_pk) -> Lot:
    """The lot whose results the user asks for: 404 when not staff and not on its panel,
    403 for a panel member who has not submitted (or is recused)."""
    lot = (
        Lot.objects.select_related("round", "category").filter(pk=lot_pk).first()
        if str(lot_pk).isdigit()
        else None
    )
    if lot is None or lot.round.opened_at is None:
        raise _404()
    if is_federation_staff(user):
        return lot
    assignment = own_assignment(user=user, lot=lot)
    if assignment is None:
        raise _404()
    if assignment.status != A.ACTIVE:
        raise PermissionDeniedError(code="not_active", message=_not_active_message(assignment))
    if not can_read_results(user=user, lot=lot):
        raise PermissionDeniedError(code="scores_hidden", message=_hidden_message())
    return lot


# Progress and results ----------------------------------------------------------------


@dataclass
class LotProgress:
    lot: Lot
    assigned: int
    pending: int
    active: int
    recused: int
    unreplaced: int
    submitted: int
    signed: int
    panel_size: int

    @property
    def panel_complete(self) -> bool:
        return self.pending == 0 and self.active >= self.panel_size

    @property
    def all_submitted(self) -> bool:
        return self.panel_complete and self.submitted == self.active

    @property
    def all_signed(self) -> bool:
        return self.panel_complete and self.signed == self.active


def lot_progress(*, lot: Lot, assignments: list[LotAssignment] | None = None) -> LotProgress:
    """Where the lot's panel stands. Pass the lot's assignments (with their sheets)
    when they are already loaded, to save the query."""
    if assignments is None:
        rows = list(
            LotAssignment.objects.filter(lot=lot).values_list(
                "status", "sheet__status", "replaced_by_id"
            )
        )
    else:
        rows = [(a.status, _sheet_status(a), a.replaced_by_id) for a in assignments]
    active_sheets = [sheet for status, sheet, _r in rows if status == A.ACTIVE]
    return LotProgress(
        lot=lot,
        assigned=len(rows),
        pending=sum(1 for status, _s, _r in rows if status == A.PENDING),
        active=len(active_sheets),
        recused=sum(1 for status, _s, _r in rows if status == A.RECUSED),
        unreplaced=sum(1 for status, _s, r in rows if status == A.RECUSED and r is None),
        submitted=sum(1 for sheet in active_sheets if sheet in DONE),
        signed=sum(1 for sheet in active_sheets if sheet == S.SIGNED),
        panel_size=lot.round.panel_size,
    )


def _sheet_status(assignment: LotAssignment) -> str | None:
    try:
        return assignment.sheet.status
    except ScoreSheet.DoesNotExist:
        return None


def lot_result(*, lot: Lot) -> scoring.LotResult | None:
    """The aggregate of the lot once every active expert has submitted; else None."""
    progress = lot_progress(lot=lot)
    if not progress.all_submitted:
        return None
    return compute_lot_result(lot=lot)


def compute_lot_result(*, lot: Lot) -> scoring.LotResult:
    criteria = [
        scoring.CriterionInput(
            id=c.pk,
            name=c.name,
            max_points=c.max_points,
            is_price=c.kind == RubricCriterion.Kind.PRICE,
        )
        for c in round_criteria(round=lot.round)
    ]
    bids = [
        scoring.BidInput(
            id=b.pk,
            organization=b.organization.name,
            price=b.price,
            submitted_at=b.submitted_at,
            is_welfare_unit=b.welfare_unit,
            price_deduction=b.price_deduction,
        )
        for b in ranked_bids(lot=lot)
    ]
    bid_ids = {b.id for b in bids}
    sheets = (
        ScoreSheet.objects.filter(lot=lot, status__in=DONE, assignment__status=A.ACTIVE)
        .select_related("expert", "assignment__expert")
        .prefetch_related("scores")
        .order_by("expert_id")
    )
    inputs = [
        scoring.SheetInput(
            expert_id=sheet.expert_id,
            expert_name=sheet.expert.display_name,
            points={
                (s.bid_id, s.criterion_id): s.points
                for s in sheet.scores.all()
                if s.bid_id in bid_ids
            },
        )
        for sheet in sheets
    ]
    return scoring.compute(criteria=criteria, bids=bids, sheets=inputs, draw=lot.tie_draw)


def lot_sheets(*, lot: Lot) -> list[ScoreSheet]:
    """Submitted sheets of the lot's active experts (for the result page and Excel)."""
    return list(
        ScoreSheet.objects.filter(lot=lot, status__in=DONE, assignment__status=A.ACTIVE)
        .select_related("expert", "assignment__expert")
        .prefetch_related("scores")
        .order_by("expert_id")
    )


def review_lots(*, round: Round) -> list[Lot]:
    return list(
        Lot.objects.filter(round=round)
        .select_related("round", "category")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=LotAssignment.objects.select_related(
                    "expert", "conflict_organization", "replaced_by__expert", "sheet"
                ).order_by("id"),
            )
        )
        .order_by("number")
    )


def is_expert(user) -> bool:
    return has_role(user, Role.EXPERT)


def round_draws(*, round: Round) -> list[PanelDraw]:
    """The panel draws of a round, in order (the caller has checked the user is staff).
    Each draw carries ``drawn_experts``: the names of the experts it drew, in order."""
    draws = list(
        PanelDraw.objects.filter(round=round).select_related("lot", "drawn_by").order_by("id")
    )
    ids = {pk for draw in draws for pk in draw.result}
    users = User.objects.filter(pk__in=ids) if ids else []
    names = {user.pk: user.display_name for user in users}
    for draw in draws:
        draw.drawn_experts = [names.get(pk, f"#{pk}") for pk in draw.result]
    return draws


def buyer_staff_users() -> QuerySet:
    """The federation's own staff: holders of the officer, approver or finance role and
    members of the federation organization (never independent experts; only they sit
    in the buyer's representative seat, 财政部令第87号 Art 47)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=(Role.OFFICER, Role.APPROVER, Role.FINANCE))
            | Q(memberships__organization__category=Organization.Category.FEDERATION)
        )
        .distinct()
    )


def representative_candidates() -> QuerySet:
    """Who may be named the buyer's representative: the federation's active staff."""
    return buyer_staff_users().filter(is_active=True).order_by("name", "username")


def own_findings(*, assignment) -> QuerySet:
    """The non-responsiveness findings made from this seat."""
    if assignment is None:
        return ResponsivenessFinding.objects.none()
    return ResponsivenessFinding.objects.filter(assignment=assignment)


def finding_list(*, user) -> QuerySet:
    """Staff: every finding; experts: those made from their own seats."""
    qs = ResponsivenessFinding.objects.select_related(
        "bid__organization", "bid__lot", "assignment__expert", "decided_by"
    )
    if is_federation_staff(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(assignment__expert=user)


def finding_get(*, user, pk):
    try:
        return finding_list(user=user).get(pk=pk)
    except (ResponsivenessFinding.DoesNotExist, ValueError, TypeError, OverflowError):
        raise _404() from None


def round_findings(*, round: Round) -> list:
    return list(
        ResponsivenessFinding.objects.filter(bid__lot__round=round)
        .select_related("bid__organization", "bid__lot", "assignment__expert", "decided_by")
        .order_by("bid__lot__number", "bid_id", "id")
    )


def bid_for_finding(*, user, pk) -> Bid:
    """A bid of a lot where the user holds an active seat, during the review (404
    for anyone else: the bid's existence is not revealed)."""
    try:
        return Bid.objects.select_related("lot").get(
            pk=pk,
            lot__assignments__expert_id=getattr(user, "pk", None),
            lot__assignments__status=A.ACTIVE,
            lot__round__opened_at__isnull=False,
        )
    except (Bid.DoesNotExist, ValueError, TypeError, OverflowError):
        raise _404() from None


# Recusal requests (回避申请) ----------------------------------------------------------


def panel_visible_to(*, organization_id: int, lot: Lot) -> bool:
    """A supplier sees the names on a lot's panel from the opening on, and only for a
    lot where it has a bid that was opened (never before the opening: nothing sealed)."""
    if lot.round.opened_at is None or lot.failed_unopened:
        return False
    return Bid.objects.filter(
        lot=lot, organization_id=organization_id, status__in=OPENED_BID_STATUSES
    ).exists()


def bidder_organizations(*, user, lot: Lot) -> list[Organization]:
    """The user's organizations that may see the lot's panel."""
    ids = list(memberships_of(user))
    if not ids or lot.round.opened_at is None or lot.failed_unopened:
        return []
    return list(
        Organization.objects.filter(pk__in=ids, bids__lot=lot, bids__status__in=OPENED_BID_STATUSES)
        .distinct()
        .order_by("name")
    )


def lot_panel_for_bidder(*, user, lot: Lot) -> list[LotAssignment]:
    """The lot's sitting panel (names and seats, nothing else) for a supplier that bid
    on it, from the opening on; 404 for anyone else."""
    if not bidder_organizations(user=user, lot=lot):
        raise _404()
    return list(
        LotAssignment.objects.filter(lot=lot, status__in=(A.PENDING, A.ACTIVE))
        .select_related("expert")
        .order_by("seat", "expert__name", "pk")
    )


def recusal_list(*, user) -> QuerySet[RecusalRequest]:
    """Staff: every request; suppliers: their organizations' requests; others none."""
    qs = RecusalRequest.objects.select_related(
        "assignment__expert", "assignment__lot__round", "organization", "decided_by"
    )
    if is_federation_staff(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(organization_id__in=list(memberships_of(user)))


def recusal_get(*, user, pk) -> RecusalRequest:
    try:
        return recusal_list(user=user).get(pk=pk)
    except (RecusalRequest.DoesNotExist, ValueError, TypeError, OverflowError):
        raise _404() from None


def round_recusals(*, round: Round) -> list[RecusalRequest]:
    return list(
        RecusalRequest.objects.filter(assignment__lot__round=round)
        .select_related("assignment__expert", "assignment__lot", "organization", "decided_by")
        .order_by("assignment__lot__number", "pk")
    )
