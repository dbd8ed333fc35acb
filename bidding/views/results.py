"""Results of a lot's review (with the Excel export) and the award proposal
and confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.pages import load, refusals, run_action
from purchase_portal.roles import is_approver, is_officer

from .. import scoring
from ..exports import result_workbook_response
from ..forms.review import (
    SignForm,
)
from ..models import (
    Award,
    Lot,
    ScoreSheet,
)
from ..selectors import award as award_selectors
from ..selectors import charts as chart_selectors
from ..selectors import review as selectors
from ..services import award as award_services
from ..services import scores as score_services

# Results, signatures and awards ---------------------------------------------------------


def _result_context(request, lot):
    result = selectors.lot_result(lot=lot)
    sheets = selectors.lot_sheets(lot=lot)
    own = next((s for s in sheets if s.expert_id == request.user.pk), None)
    progress = selectors.lot_progress(lot=lot)
    awards = list(award_selectors.lot_awards(lot=lot))
    live = [a for a in awards if a.status != Award.Status.REVOKED]
    experts = [(s.expert_id, s.assignment.panel_name) for s in sheets]
    rows = []
    criteria_tables = []
    if result is not None:
        names = {c.id: c.name for c in result.criteria}
        for row in result.rows:
            rows.append(
                {
                    "row": row,
                    "flagged": [names[c] for c in row.flagged],
                    "experts": [
                        {
                            "technical": row.technical_by_expert.get(pk),
                            "total": row.total_by_expert.get(pk),
                            "dropped": pk in row.dropped,
                        }
                        for pk, _name in experts
                    ],
                }
            )
        points = {
            (s.expert_id, score.bid_id, score.criterion_id): score.points
            for s in sheets
            for score in s.scores.all()
        }
        for criterion in result.technical_criteria:
            criteria_tables.append(
                {
                    "criterion": criterion,
                    "rows": [
                        {
                            "organization": row.organization,
                            "points": [
                                points.get((pk, row.bid_id, criterion.id)) for pk, _n in experts
                            ],
                            "mean": row.criterion_means.get(criterion.id),
                            "flagged": criterion.id in row.flagged,
                        }
                        for row in result.rows
                    ],
                }
            )
    officer, approver = is_officer(request.user), is_approver(request.user)
    return {
        "lot": lot,
        "round": lot.round,
        "result": result,
        "rows": rows,
        "criteria_tables": criteria_tables,
        "experts": experts,
        "sheets": sheets,
        "own": own,
        "progress": progress,
        "awards": awards,
        "sign_form": SignForm()
        if own is not None and own.status == ScoreSheet.Status.SUBMITTED and result is not None
        else None,
        "can_propose": officer
        and lot.status == Lot.Status.IN_REVIEW
        and progress.all_signed
        and not live,
        "can_confirm": approver and any(a.status == Award.Status.PROPOSED for a in awards),
        "can_draw": officer
        and lot.status == Lot.Status.IN_REVIEW
        and progress.all_signed
        and not live
        and result is not None
        and bool(result.unresolved_ties),
        "tied_rows": [r for r in result.rows if r.tied] if result is not None else [],
        "spread_chart": chart_selectors.score_spread_chart(lot=lot, result=result),
        "ranking_rule": scoring.RANKING_RULE,
        "rounding_rule": scoring.ROUNDING_RULE,
        "scoring_rule": scoring.scoring_rule(
            priced=result.price_criterion is not None if result else lot.round.is_bidding
        ),
    }


@login_required
def result(request, lot_pk):
    lot = load(selectors.lot_for_results, user=request.user, lot_pk=lot_pk)
    context = _result_context(request, lot)
    if request.method == "POST" and context["sign_form"] is not None:
        form = SignForm(request.POST)
        context["sign_form"] = form
        if form.is_valid():
            with refusals(
                request,
                form=form,
            ) as call:
                score_services.sheet_sign(
                    sheet=context["own"],
                    user=request.user,
                    password=form.cleaned_data["password"],
                    dissent=form.cleaned_data["dissent"],
                )
            if call.ok:
                messages.success(request, _("You have signed the result."))
                return redirect("bidding:review-result", lot.pk)
    return render(request, "bidding/review/result.html", context)


@login_required
def result_xlsx(request, lot_pk):
    lot = load(selectors.lot_for_results, user=request.user, lot_pk=lot_pk)
    result = selectors.lot_result(lot=lot)
    if result is None:
        messages.error(request, _("The score sheet is available once every expert has submitted."))
        return redirect("bidding:review-result", lot.pk)
    return result_workbook_response(lot=lot, result=result, sheets=selectors.lot_sheets(lot=lot))


@login_required
@require_POST
def award_propose(request, lot_pk):
    lot = award_selectors.lot_get_for_staff(user=request.user, pk=lot_pk)
    run_action(
        request,
        lambda: award_services.award_propose(lot=lot, user=request.user),
        _("The award is proposed; the approver is asked to confirm it."),
    )
    return redirect("bidding:review-result", lot.pk)


@login_required
@require_POST
def award_record_draw(request, lot_pk):
    """Record the draw that orders tied bids: one position per tied bid."""
    lot = award_selectors.lot_get_for_staff(user=request.user, pk=lot_pk)
    positions = []
    for key, value in request.POST.items():
        if key.startswith("position_"):
            try:
                positions.append((int(value), int(key.removeprefix("position_"))))
            except ValueError:
                messages.error(request, _("Give each tied bid its position in the draw."))
                return redirect("bidding:review-result", lot.pk)
    if len({p for p, _b in positions}) != len(positions):
        messages.error(request, _("Give each tied bid a different position."))
        return redirect("bidding:review-result", lot.pk)
    run_action(
        request,
        lambda: award_services.lot_record_draw(
            lot=lot,
            user=request.user,
            order=[bid for _p, bid in sorted(positions)],
            record=request.POST.get("record", ""),
        ),
        _("The draw is recorded; the ranking follows it."),
    )
    return redirect("bidding:review-result", lot.pk)


@login_required
@require_POST
def award_confirm(request, lot_pk):
    lot = award_selectors.lot_get_for_staff(user=request.user, pk=lot_pk)
    run_action(
        request,
        lambda: award_services.lot_confirm(lot=lot, user=request.user),
        _("The award of the lot is confirmed."),
    )
    return redirect("bidding:review-result", lot.pk)
