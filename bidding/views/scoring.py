"""The expert's score sheet of a lot: scoring by the rubric and signing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.confirm import Confirmation, Fact, amount, confirm_page, when
from purchase_portal.pages import load, refusals, run_action
from purchase_portal.parsing import integer

from .. import scoring
from ..forms.review import (
    ScoreSheetForm,
    SignForm,
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
            if entries or sheet is None:
                score_services.scores_save(
                    assignment=assignment, user=request.user, entries=entries
                )
            if submit:
                # Check the answers only when there is nothing left to give.
                assignment.refresh_from_db()
                saved = _sheet_of(assignment)
                if saved is not None:
                    score_services.check_sheet_complete(saved, lot=lot)
        if call.ok:
            if submit:
                return redirect("bidding:review-score-submit", lot.pk)
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


@login_required
def score_submit(request, lot_pk):
    """GET: check your scores before submitting them; POST: submit the sheet."""
    lot, assignment = load(selectors.lot_for_scoring, user=request.user, lot_pk=lot_pk)
    sheet = _sheet_of(assignment)
    if sheet is None or sheet.status != ScoreSheet.Status.DRAFT:
        return redirect("bidding:review-score", lot.pk)
    if request.method == "POST":
        with refusals(request) as call:
            score_services.sheet_submit(sheet=sheet, user=request.user)
        if call.ok:
            messages.success(request, _("Your scores are submitted."))
            return redirect("bidding:review-result", lot.pk)
        return redirect("bidding:review-score", lot.pk)
    bids = list(selectors.ranked_bids(lot=lot).filter(status=Bid.Status.QUALIFIED).order_by("id"))
    criteria = list(selectors.technical_criteria(round=lot.round))
    points: dict[int, list] = {}
    for entry in sheet.scores.all():
        points.setdefault(entry.bid_id, []).append(entry.points)
    maximum = sum((c.max_points for c in criteria), start=0)
    progress = selectors.lot_progress(lot=lot)
    last = progress.submitted + 1 >= progress.active
    return confirm_page(
        request,
        Confirmation(
            title=_("Submit your scores for %(lot)s?") % {"lot": lot.title},
            action=reverse("bidding:review-score-submit", args=[lot.pk]),
            button=_("Submit my scores"),
            back=reverse("bidding:review-score", args=[lot.pk]),
            facts=[
                Fact(_("Lot"), f"{lot.round.code} · {lot.number}. {lot.title}"),
                Fact(
                    _("Your technical totals"),
                    [
                        _("%(org)s: %(points)s of %(max)s points (%(given)s of %(count)s scored)")
                        % {
                            "org": bid.organization.name,
                            "points": sum(points.get(bid.pk, []), start=0),
                            "max": maximum,
                            "given": len(points.get(bid.pk, [])),
                            "count": len(criteria),
                        }
                        for bid in bids
                    ],
                ),
            ],
            consequences=[
                _("Your scores are locked: you can no longer change them."),
                _(
                    "When every expert of the panel has submitted, the result is computed and "
                    "each expert signs it."
                ),
            ],
            recipients=[
                _(
                    "The experts of the panel and the procurement officers, as yours is the last sheet"
                )
            ]
            if last
            else [],
        ),
    )


def sign_context(request, lot, own, form):
    """The signing confirmation of the lot's result, with the password form."""
    result = selectors.lot_result(lot=lot)
    rows = result.rows if result is not None else []
    return Confirmation(
        title=_("Sign the result of %(lot)s?") % {"lot": lot.title},
        action=reverse("bidding:review-sign", args=[lot.pk]),
        button=_("Sign the result"),
        back=reverse("bidding:review-result", args=[lot.pk]),
        form=form,
        facts=[
            Fact(_("Lot"), f"{lot.round.code} · {lot.number}. {lot.title}"),
            Fact(
                _("Ranking you sign"),
                [
                    _("%(rank)s. %(org)s — final score %(score)s, price %(price)s")
                    % {
                        "rank": row.rank,
                        "org": row.organization,
                        "score": row.final_score,
                        "price": amount(row.price),
                    }
                    for row in rows
                ],
            ),
            Fact(_("Your sheet submitted at"), when(own.submitted_at)),
        ],
        consequences=[
            _(
                "Your signature is recorded with the time and your address; it confirms the "
                "result as computed from every expert's scores."
            ),
            _(
                "If you disagree, write your dissenting opinion and its reasons below: it is "
                "kept with your signature; without it you are deemed to agree with the result "
                "(MOF Order No. 87 Art 61)."
            ),
            _("Once the whole panel has signed, the officer may propose the award."),
        ],
        recipients=[_("The procurement officers")],
    )


@login_required
def score_sign(request, lot_pk):
    """GET: the result to sign, with the password form; POST: sign it."""
    lot = load(selectors.lot_for_results, user=request.user, lot_pk=lot_pk)
    sheets = selectors.lot_sheets(lot=lot)
    own = next((s for s in sheets if s.expert_id == request.user.pk), None)
    if own is None or own.status != ScoreSheet.Status.SUBMITTED:
        return redirect("bidding:review-result", lot.pk)
    form = SignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form) as call:
            score_services.sheet_sign(
                sheet=own,
                user=request.user,
                password=form.cleaned_data["password"],
                dissent=form.cleaned_data["dissent"],
            )
        if call.ok:
            messages.success(request, _("You have signed the result."))
            return redirect("bidding:review-result", lot.pk)
    return confirm_page(
        request,
        sign_context(request, lot, own, form),
        status=400 if form.is_bound else 200,
    )
