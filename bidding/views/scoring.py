"""The expert's score sheet of a lot: scoring by the rubric and signing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.pages import load, refusals, run_action
from purchase_portal.parsing import integer

from .. import scoring
from ..forms.review import (
    ScoreSheetForm,
)
from ..models import (
    Bid,
    Lot,
    RubricCriterion,
    ScoreSheet,
)
from ..selectors import review as selectors
from ..services import responsiveness
from ..services import scores as score_services


def _sheet_of(assignment) -> ScoreSheet | None:
    try:
        return assignment.sheet
    except ScoreSheet.DoesNotExist:
        return None


@login_required
def score(request, lot_pk):
    lot, assignment = load(selectors.lot_for_scoring, user=request.user, lot_pk=lot_pk)
    sheet = _sheet_of(assignment)
    bids = list(selectors.ranked_bids(lot=lot).filter(status=Bid.Status.QUALIFIED).order_by("id"))
    criteria = selectors.technical_criteria(round=lot.round)
    price_criterion = next(
        (
            c
            for c in selectors.round_criteria(round=lot.round)
            if c.kind == RubricCriterion.Kind.PRICE
        ),
        None,
    )
    existing = {(s.bid_id, s.criterion_id): s.points for s in sheet.scores.all()} if sheet else {}
    locked = sheet is not None and sheet.status != ScoreSheet.Status.DRAFT
    in_review = lot.status == Lot.Status.IN_REVIEW
    form = ScoreSheetForm(
        request.POST if request.method == "POST" and not locked else None,
        bids=bids,
        criteria=criteria,
        initial_scores=existing,
        locked=locked or not in_review,
    )
    if request.method == "POST" and not locked and in_review and form.is_valid():
        submit = "submit" in request.POST
        with refusals(
            request,
            form=form,
        ) as call:
            entries = form.entries()
            saved = sheet
            if entries or sheet is None:
                saved = score_services.scores_save(
                    assignment=assignment, user=request.user, entries=entries
                )
            if submit:
                score_services.sheet_submit(sheet=saved, user=request.user)
        if call.ok:
            if submit:
                messages.success(request, _("Your scores are submitted."))
                return redirect("bidding:review-result", lot.pk)
            messages.success(request, _("Your draft scores are saved."))
            return redirect("bidding:review-score", lot.pk)
    own_findings = {f.bid_id: f for f in selectors.own_findings(assignment=assignment)}
    return render(
        request,
        "bidding/review/score.html",
        {
            "lot": lot,
            "round": lot.round,
            "assignment": assignment,
            "sheet": sheet,
            "form": form,
            "groups": form.grouped(),
            "criteria": criteria,
            "price_criterion": price_criterion,
            "locked": locked,
            "in_review": in_review,
            "scoring_rule": scoring.scoring_rule(priced=price_criterion is not None),
            "compliance_rows": [(bid, own_findings.get(bid.pk)) for bid in bids],
            "responsiveness_rule": responsiveness.RESPONSIVENESS_RULE,
        },
    )


# The compliance check (符合性审查) -----------------------------------------------------


@login_required
@require_POST
def mark_non_responsive(request, lot_pk):
    """An expert of the lot's panel marks a bid non-responsive, with a reason
    (财政部令第87号 Art 50 and 63)."""
    lot, _assignment = load(selectors.lot_for_scoring, user=request.user, lot_pk=lot_pk)
    bid = selectors.ranked_bids(lot=lot).filter(pk=integer(request.POST.get("bid"))).first()
    if bid is None:
        messages.error(request, _("Choose a bid of this lot."))
    else:
        run_action(
            request,
            lambda: responsiveness.finding_create(
                bid=bid, user=request.user, reason=request.POST.get("reason", "")
            ),
            _("The finding is sent to the officer."),
        )
    return redirect("bidding:review-score", lot.pk)


@login_required
@require_POST
def decide_non_responsive(request, pk):
    """The officer confirms or rejects a finding (财政部令第87号 Art 50 and 63)."""
    finding = selectors.finding_get(user=request.user, pk=pk)
    confirm = request.POST.get("decision") == "confirm"
    run_action(
        request,
        lambda: responsiveness.finding_decide(
            finding=finding,
            user=request.user,
            confirm=confirm,
            reason=request.POST.get("reason", ""),
        ),
        _("The finding is confirmed; the bid leaves the ranking.")
        if confirm
        else _("The finding is rejected; the bid stays in the review."),
    )
    return redirect("bidding:review-round", finding.bid.lot.round_id)
