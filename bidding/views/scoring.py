"""The expert's score sheet of a lot: scoring by the rubric and signing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from purchase_portal.pages import load, refusals

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
        },
    )
