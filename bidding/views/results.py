"""Results of a lot's review (with the Excel export) and the award proposal
and confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.confirm import Confirmation, Fact, amount, confirm_page, people
from purchase_portal.pages import load, run_action
from purchase_portal.roles import Role, is_approver, is_officer, users_with_role

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
from .scoring import score_sign

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
        # The signature's own endpoint, kept for forms that post here.
        return score_sign(request, lot_pk)
    return render(request, "bidding/review/result.html", context)


@login_required
def result_xlsx(request, lot_pk):
    lot = load(selectors.lot_for_results, user=request.user, lot_pk=lot_pk)
    result = selectors.lot_result(lot=lot)
    if result is None:
        messages.error(request, _("The score sheet is available once every expert has submitted."))
        return redirect("bidding:review-result", lot.pk)
    return result_workbook_response(lot=lot, result=result, sheets=selectors.lot_sheets(lot=lot))


def _lot_fact(lot) -> Fact:
    return Fact(_("Lot"), f"{lot.round.code} · {lot.number}. {lot.title}")


def _award_rows(rows) -> list[str]:
    return [
        _("%(rank)s. %(org)s — final score %(score)s, amount %(amount)s")
        % {"rank": rank, "org": org, "score": score, "amount": amount(value)}
        for rank, org, score, value in rows
    ]


def _propose_confirmation(lot, context) -> Confirmation:
    result = context["result"]
    count = 1 if lot.round.is_bidding else max(1, lot.max_awards)
    winners = result.rows[:count] if result is not None else []
    approvers = users_with_role(Role.APPROVER)
    return Confirmation(
        title=_("Propose the award of %(lot)s?") % {"lot": lot.title},
        action=reverse("bidding:review-propose", args=[lot.pk]),
        button=_("Propose the award"),
        back=reverse("bidding:review-result", args=[lot.pk]),
        facts=[
            _lot_fact(lot),
            Fact(
                _("Proposed for the award"),
                _award_rows((r.rank, r.organization, r.final_score, r.price) for r in winners),
            ),
            Fact(_("Bids ranked"), len(result.rows) if result is not None else 0),
        ],
        consequences=[
            _("The first-ranked bid is proposed, at its price.")
            if lot.round.is_bidding
            else _("The first-ranked proposals are proposed, at their prices."),
            _(
                "An approver other than you must confirm it before it takes effect "
                "(separation of duties, 财会〔2012〕21号 Art 12)."
            ),
            _("No other award can be proposed for this lot while this one stands."),
        ],
        recipients=[people(_("The approvers"), approvers)],
        legal=context["ranking_rule"],
    )


@login_required
def award_propose(request, lot_pk):
    """GET: check the proposed award; POST: propose it."""
    lot = award_selectors.lot_get_for_staff(user=request.user, pk=lot_pk)
    if request.method != "POST":
        if not is_officer(request.user):
            raise PermissionDenied
        context = _result_context(request, lot)
        if not context["can_propose"] or context["can_draw"]:
            messages.error(request, _("This lot cannot be proposed for an award now."))
            return redirect("bidding:review-result", lot.pk)
        return confirm_page(request, _propose_confirmation(lot, context))
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


def _confirm_confirmation(lot, proposed, last_lot: bool) -> Confirmation:
    return Confirmation(
        title=_("Confirm the award of %(lot)s?") % {"lot": lot.title},
        action=reverse("bidding:review-confirm", args=[lot.pk]),
        button=_("Confirm the award of this lot"),
        back=reverse("bidding:review-result", args=[lot.pk]),
        facts=[
            _lot_fact(lot),
            Fact(
                _("Award to confirm"),
                _award_rows((a.rank, a.organization.name, a.score, a.amount) for a in proposed),
            ),
            Fact(
                _("Proposed by"),
                ", ".join(sorted({a.proposed_by.display_name for a in proposed})),
            ),
        ],
        consequences=[
            _(
                "The award is confirmed: the winning bid is awarded and every other "
                "qualified bid of the lot is not awarded."
            ),
            _(
                "The result becomes public once the officer publishes the notice; it is "
                "final when the objection period has passed (Government Procurement Law "
                "Art 52)."
            ),
            _(
                "You may not confirm an award you proposed yourself (separation of duties, "
                "财会〔2012〕21号 Art 12)."
            ),
        ],
        recipients=[
            _(
                "The procurement officers, as this is the last open lot of the round: to publish the notice"
            )
        ]
        if last_lot
        else [],
        undo=_("Only an upheld objection returns the lot to review."),
    )


@login_required
def award_confirm(request, lot_pk):
    """GET: check the award before confirming it; POST: confirm it."""
    lot = award_selectors.lot_get_for_staff(user=request.user, pk=lot_pk)
    if request.method != "POST":
        if not is_approver(request.user):
            raise PermissionDenied
        proposed = [
            a
            for a in award_selectors.lot_awards(lot=lot).select_related("proposed_by")
            if a.status == Award.Status.PROPOSED
        ]
        if not proposed:
            messages.error(request, _("This lot has no proposed award to confirm."))
            return redirect("bidding:review-result", lot.pk)
        others = (
            Lot.objects.filter(round_id=lot.round_id)
            .exclude(pk=lot.pk)
            .exclude(status__in=award_services.CLOSED_LOT)
        )
        return confirm_page(
            request, _confirm_confirmation(lot, proposed, last_lot=not others.exists())
        )
    run_action(
        request,
        lambda: award_services.lot_confirm(lot=lot, user=request.user),
        _("The award of the lot is confirmed."),
    )
    return redirect("bidding:review-result", lot.pk)
