"""Every write on score sheets: scoring a lot's bids by the rubric, submitting,
signing (password re-entered) and reopening the sheets of a lot."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from purchase_portal import audit
from purchase_portal.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from purchase_portal.middleware import client_ip_var
from purchase_portal.notifications import notify
from purchase_portal.roles import Role, is_officer, users_with_role
from purchase_portal.throttling import confirm_password

from ..models import (
    Bid,
    Lot,
    LotAssignment,
    RubricCriterion,
    Score,
    ScoreSheet,
)
from ..selectors import review as selectors
from ..workflows import SHEET_WORKFLOW

User = get_user_model()
A = LotAssignment.Status
S = ScoreSheet.Status


def _require_officer(user) -> None:
    if not is_officer(user):
        raise PermissionDeniedError()


# Scores -----------------------------------------------------------------------------


def _points(value, criterion: RubricCriterion) -> tuple[Decimal | None, str | None]:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None, _t("Enter a number.")
    if not points.is_finite():
        return None, _t("Enter a number.")
    if points < 0 or points > criterion.max_points:
        return None, _t("Enter a number between 0 and %(max)s.") % {"max": criterion.max_points}
    rounded = points.quantize(Decimal("0.01"))
    if rounded != points:
        return None, _t("Use at most two decimals.")
    return rounded, None


def score_field(bid_id: int, criterion_id: int) -> str:
    """The name of one score's input (pages) and of its error (pages and API)."""
    return f"score_{bid_id}_{criterion_id}"


def _active_sheet(*, assignment: LotAssignment, user) -> ScoreSheet:
    if assignment.expert_id != user.pk:
        raise NotFoundError()
    if assignment.status != A.ACTIVE:
        raise PermissionDeniedError(
            _("Declare that you have no conflict of interest before scoring."), code="not_active"
        )
    lot = assignment.lot
    if lot.status != Lot.Status.IN_REVIEW:
        raise ConflictError(_("This lot is not in review."), code="invalid_state")
    sheet = ScoreSheet.objects.select_for_update().filter(assignment=assignment).first()
    if sheet is None:
        sheet = ScoreSheet.objects.create(assignment=assignment, lot=lot, expert=user)
    if sheet.status != S.DRAFT:
        raise ConflictError(
            _("Your scores for this lot are submitted and can no longer change."),
            code="sheet_locked",
        )
    return sheet


@transaction.atomic
def scores_save(*, assignment: LotAssignment, user, entries: Sequence[dict]) -> ScoreSheet:
    """Save (create or change) draft scores: ``entries`` of ``{"bid", "criterion",
    "points"}`` (ids and a decimal). Out-of-range points, foreign bids or criteria,
    the price criterion and the same bid and criterion twice are refused (400)."""
    sheet = _active_sheet(assignment=assignment, user=user)
    lot = assignment.lot
    bids = {b.pk for b in selectors.ranked_bids(lot=lot).filter(status=Bid.Status.QUALIFIED)}
    criteria = {c.pk: c for c in selectors.round_criteria(round=lot.round)}
    errors: dict[str, str] = {}
    values: dict[tuple[int, int], Decimal] = {}
    for entry in entries:
        bid_id, criterion_id = entry.get("bid"), entry.get("criterion")
        bid_id = getattr(bid_id, "pk", bid_id)
        criterion_id = getattr(criterion_id, "pk", criterion_id)
        name = score_field(bid_id, criterion_id)
        if bid_id not in bids:
            errors[name] = _t("This bid is not scored on this lot.")
            continue
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors[name] = _t("This criterion is not in the rubric of this round.")
            continue
        if criterion.kind == RubricCriterion.Kind.PRICE:
            errors[name] = _t("The price score is computed from the prices; it is not entered.")
            continue
        if (bid_id, criterion_id) in values or name in errors:
            errors[name] = _t("This bid and criterion are scored twice.")
            continue
        points, problem = _points(entry.get("points"), criterion)
        if problem:
            errors[name] = problem
            continue
        values[(bid_id, criterion_id)] = points
    if errors:
        raise ApplicationError(
            _("Please correct the scores below."), code="invalid_scores", fields=errors
        )
    existing = {(s.bid_id, s.criterion_id): s for s in sheet.scores.all()}
    before, after, to_create, to_update = {}, {}, [], []
    for (bid_id, criterion_id), points in values.items():
        key = f"{bid_id}:{criterion_id}"
        current = existing.get((bid_id, criterion_id))
        if current is None:
            to_create.append(
                Score(sheet=sheet, bid_id=bid_id, criterion_id=criterion_id, points=points)
            )
            after[key] = points
        elif current.points != points:
            before[key] = current.points
            current.points = points
            to_update.append(current)
            after[key] = points
    if to_create:
        Score.objects.bulk_create(to_create)
    if to_update:
        Score.objects.bulk_update(to_update, ["points", "updated_at"])
    if after:
        audit.record(actor=user, action="score_sheet.save", obj=sheet, before=before, after=after)
        ScoreSheet.objects.filter(pk=sheet.pk).update(updated_at=timezone.now())
    return sheet


def check_sheet_complete(sheet: ScoreSheet, *, lot: Lot) -> None:
    """Refuse (400, a message per missing score) a sheet that does not score every
    qualified bid on every technical criterion."""
    have = set(sheet.scores.values_list("bid_id", "criterion_id"))
    bids = selectors.ranked_bids(lot=lot).filter(status=Bid.Status.QUALIFIED)
    missing = {
        score_field(b.pk, c.pk): _t("Give a score.")
        for b in bids
        for c in selectors.technical_criteria(round=lot.round)
        if (b.pk, c.pk) not in have
    }
    if missing:
        raise ApplicationError(
            _("Score every bid on every criterion before submitting."),
            code="incomplete",
            fields=missing,
        )


@transaction.atomic
def sheet_submit(*, sheet: ScoreSheet, user) -> ScoreSheet:
    """Submit a complete sheet; it is locked afterwards."""
    # The lot row serializes the last submissions, so exactly one of them sees the
    # panel complete and tells the experts and officers.
    Lot.objects.select_for_update().filter(pk=sheet.lot_id).first()
    assignment = LotAssignment.objects.select_related("lot__round").get(pk=sheet.assignment_id)
    _active_sheet(assignment=assignment, user=user)
    lot = assignment.lot

    def guard(locked: ScoreSheet) -> None:
        check_sheet_complete(locked, lot=lot)

    submitted = SHEET_WORKFLOW.run(
        "submit", obj=sheet, user=user, guard=guard, changes={"submitted_at": timezone.now()}
    )
    progress = selectors.lot_progress(lot=lot)
    if progress.all_submitted:
        experts = User.objects.filter(lot_assignments__lot=lot, lot_assignments__status=A.ACTIVE)
        notify(
            recipients=[*experts, *users_with_role(Role.OFFICER)],
            kind="review.scored",
            title=lambda: (
                _t("All scores of %(lot)s are in: the result is ready to sign") % {"lot": lot}
            ),
            url=reverse("bidding:review-result", args=[lot.pk]),
            obj=lot,
        )
    return submitted


def sheet_sign(*, sheet: ScoreSheet, user, password: str, dissent: str = "") -> ScoreSheet:
    """Sign the lot's result (re-entering the password makes it an authenticated act;
    the time and address are kept on the sheet and in the audit trail). A dissenting
    opinion may be recorded with the signature."""
    if sheet.expert_id != user.pk:
        raise NotFoundError()
    # Before the transaction, throttled and locked out like signing in (django-axes):
    # a wrong password counts towards the lock-out although the signature is refused.
    confirm_password(user=user, password=password)
    return _sheet_sign(sheet=sheet, user=user, dissent=dissent)


@transaction.atomic
def _sheet_sign(*, sheet: ScoreSheet, user, dissent: str) -> ScoreSheet:
    lot = Lot.objects.select_for_update(of=("self",)).select_related("round").get(pk=sheet.lot_id)
    if lot.status != Lot.Status.IN_REVIEW:
        raise ConflictError(_("This lot is not in review."), code="invalid_state")

    def guard(locked: ScoreSheet) -> None:
        if not selectors.lot_progress(lot=lot).all_submitted:
            raise ConflictError(
                _("The result can be signed once every expert of the lot has submitted."),
                code="not_all_submitted",
            )

    signed = SHEET_WORKFLOW.run(
        "sign",
        obj=sheet,
        user=user,
        guard=guard,
        changes={
            "signed_at": timezone.now(),
            "signed_ip": client_ip_var.get() or "",
            "dissent": (dissent or "").strip(),
        },
    )
    if selectors.lot_progress(lot=lot).all_signed:
        notify(
            recipients=users_with_role(Role.OFFICER),
            kind="review.signed",
            title=lambda: _t("The panel has signed the result of %(lot)s") % {"lot": lot},
            body=lambda: _t("Propose the award."),
            url=reverse("bidding:review-result", args=[lot.pk]),
            obj=lot,
        )
    return signed


@transaction.atomic
def sheets_reopen(*, lot: Lot, user) -> int:
    """Send the lot's sheets back to draft for a new review (after an upheld objection)."""
    count = 0
    for sheet in ScoreSheet.objects.filter(lot=lot, status__in=(S.SUBMITTED, S.SIGNED)):
        SHEET_WORKFLOW.run(
            "reopen",
            obj=sheet,
            user=user,
            changes={"submitted_at": None, "signed_at": None, "signed_ip": ""},
        )
        count += 1
    experts = User.objects.filter(lot_assignments__lot=lot, lot_assignments__status=A.ACTIVE)
    notify(
        recipients=experts,
        kind="review.reopened",
        title=lambda: _t("The review of %(lot)s is reopened") % {"lot": lot},
        body=lambda: _t("An objection was upheld. Review your scores, submit and sign again."),
        url=reverse("bidding:review-assignments"),
        obj=lot,
    )
    return count
