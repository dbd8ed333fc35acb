"""Pages of the expert pool, the panel draws of a round's review and the
experts' own assignments and conflict-of-interest declarations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.pages import refusals, run_action
from purchase_portal.paging import keyset_page
from purchase_portal.parsing import integer
from purchase_portal.roles import is_officer

from .. import scoring
from ..forms.review import (
    DeclarationForm,
    ExpertForm,
)
from ..models import (
    LotAssignment,
    PanelDraw,
    Round,
    RubricCriterion,
)
from ..selectors import award as award_selectors
from ..selectors import lifecycle
from ..selectors import review as selectors
from ..services import panels as panel_services
from ..services.recusals import RECUSAL_RULE
from ..services.responsiveness import RESPONSIVENESS_RULE
from ..workflows import ROUND_WORKFLOW
from .common import staff_only

# Expert pool -------------------------------------------------------------------------


#: The columns of the expert pool, review rounds and assignments that sort the
#: rows; each ordering ends with a unique field.
POOL_SORTS = {
    "name": ("user__name", "user__username", "id"),
    "employer": ("employer", "user__name", "id"),
    "active": ("-active", "user__name", "id"),
}
REVIEW_SORTS = {
    "created": ("created_at", "id"),
    "code": ("code",),
    "kind": ("kind", "-created_at", "-id"),
    "status": ("status", "-created_at", "-id"),
}
ASSIGNMENT_SORTS = {
    "round": ("lot__round_id", "-lot__number", "-pk"),
    "status": ("status", "-lot__round_id", "lot__number", "pk"),
}


@login_required
def expert_pool(request):
    staff_only(request.user)
    page = keyset_page(selectors.expert_pool(user=request.user), request, sorts=POOL_SORTS)
    return render(
        request,
        "bidding/review/expert_pool.html",
        {"page": page, "can_manage": is_officer(request.user)},
    )


def _expert_form_view(request, profile=None):
    if not is_officer(request.user):
        raise PermissionDenied
    initial = None
    if profile is not None:
        initial = {
            "username": profile.user.username,
            "employer": profile.employer,
            "specialities": list(profile.specialities.all()),
            "active": profile.active,
        }
    form = ExpertForm(request.POST or None, initial=initial, editing=profile is not None)
    if request.method == "POST" and form.is_valid():
        with refusals(
            request,
            form=form,
        ) as call:
            panel_services.expert_save(
                user=request.user,
                expert_user=profile.user if profile is not None else form.user,
                employer=form.cleaned_data["employer"],
                specialities=form.cleaned_data["specialities"],
                active=form.cleaned_data["active"],
            )
        if call.ok:
            messages.success(request, _("The expert pool has been updated."))
            return redirect("bidding:expert-pool")
    return render(request, "bidding/review/expert_form.html", {"form": form, "profile": profile})


@login_required
def expert_create(request):
    return _expert_form_view(request)


@login_required
def expert_edit(request, pk):
    staff_only(request.user)
    return _expert_form_view(request, selectors.expert_get(user=request.user, pk=pk))


# Officers: review of a round -----------------------------------------------------------


@login_required
def review_index(request):
    staff_only(request.user)
    rounds = award_selectors.review_rounds()
    page = keyset_page(rounds, request, sorts=REVIEW_SORTS, default_sort="-created")
    objections = award_selectors.open_objections().order_by("answer_due")[:20]
    return render(
        request,
        "bidding/review/index.html",
        {"page": page, "objections": objections, "can_manage": is_officer(request.user)},
    )


@login_required
def review_round(request, pk):
    round_ = award_selectors.round_for_review(user=request.user, pk=pk)
    lots = selectors.review_lots(round=round_)
    rows = []
    for lot in lots:
        assignments = list(lot.assignments.all())
        rows.append(
            {
                "lot": lot,
                "assignments": assignments,
                "progress": selectors.lot_progress(lot=lot, assignments=assignments),
            }
        )
    draws = selectors.round_draws(round=round_)
    officer = is_officer(request.user)
    drawn = any(d.kind == PanelDraw.Kind.PANEL for d in draws)
    transitions = {t.name for t in ROUND_WORKFLOW.available(round_, request.user)}
    return render(
        request,
        "bidding/review/round.html",
        {
            "round": round_,
            "rows": rows,
            "draws": [(d, panel_services.draw_verifies(d)) for d in draws],
            "awards": award_selectors.round_awards(round=round_),
            "notices": award_selectors.round_notices(round=round_),
            "objections": award_selectors.round_objections(round=round_),
            "milestones": lifecycle.round_lifecycle(round=round_),
            "can_draw": officer
            and not drawn
            and round_.status in (Round.Status.OPENED, Round.Status.IN_REVIEW),
            "can_name_representative": officer
            and not drawn
            and round_.buyer_representative_id is None
            and round_.status in (Round.Status.OPENED, Round.Status.IN_REVIEW),
            "representative_candidates": selectors.representative_candidates(),
            "representative_note": panel_services.REPRESENTATIVE_NOTE,
            "findings": selectors.round_findings(round=round_),
            "recusal_requests": selectors.round_recusals(round=round_),
            "recusal_rule": RECUSAL_RULE,
            "responsiveness_rule": RESPONSIVENESS_RULE,
            # The same rule the services enforce: the round's transition table.
            "can_start": "start_review" in transitions,
            "can_publish": "publish_notice" in transitions,
            "is_officer": officer,
            "panel_eligibility": panel_services.PANEL_ELIGIBILITY_NOTE,
            "panel_minimum": panel_services.panel_minimum_note(round=round_),
            "scoring_rule": scoring.scoring_rule(
                priced=round_.criteria.filter(kind=RubricCriterion.Kind.PRICE).exists()
            ),
        },
    )


@login_required
@require_POST
def review_draw(request, pk):
    round_ = award_selectors.round_for_review(user=request.user, pk=pk)
    run_action(
        request,
        lambda: panel_services.panel_draw(round=round_, user=request.user),
        _("The panel has been drawn; the experts are asked to declare conflicts of interest."),
    )
    return redirect("bidding:review-round", round_.pk)


@login_required
@require_POST
def review_representative(request, pk):
    """Name the buyer's representative before the panel is drawn (财政部令第87号 Art 47)."""
    round_ = award_selectors.round_for_review(user=request.user, pk=pk)
    chosen = selectors.representative_candidates().filter(
        pk=integer(request.POST.get("representative"))
    )
    run_action(
        request,
        lambda: panel_services.round_name_representative(
            round=round_, user=request.user, representative=chosen.first()
        ),
        _("The buyer's representative is named."),
    )
    return redirect("bidding:review-round", round_.pk)


@login_required
@require_POST
def review_start(request, pk):
    from ..services.opening import round_start_review

    round_ = award_selectors.round_for_review(user=request.user, pk=pk)
    run_action(
        request,
        lambda: round_start_review(round=round_, user=request.user),
        _("The review has started."),
    )
    return redirect("bidding:review-round", round_.pk)


@login_required
@require_POST
def review_replace(request, pk):
    staff_only(request.user)
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    run_action(
        request,
        lambda: panel_services.panel_replace(assignment=assignment, user=request.user),
        _("A replacement expert has been drawn."),
    )
    return redirect("bidding:review-round", assignment.lot.round_id)


# Experts: assignments, declarations, scoring ---------------------------------------------


@login_required
def my_assignments(request):
    assignments = (
        selectors.assignment_list(user=request.user)
        .filter(expert=request.user)
        .order_by("-lot__round_id", "lot__number")
    )
    page = keyset_page(assignments, request, sorts=ASSIGNMENT_SORTS, default_sort="-round")
    return render(request, "bidding/review/assignments.html", {"page": page})


@login_required
def declare(request, pk):
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    if assignment.expert_id != request.user.pk:
        raise PermissionDenied
    bidders = selectors.lot_bidders(lot=assignment.lot)
    form = DeclarationForm(request.POST or None, bidders=bidders)
    if assignment.status != LotAssignment.Status.PENDING:
        form = None
    elif request.method == "POST" and form.is_valid():
        with refusals(
            request,
            form=form,
        ) as call:
            declared = panel_services.assignment_declare(
                assignment=assignment,
                user=request.user,
                conflict=form.cleaned_data["conflict"],
                organization=form.cleaned_data["organization"],
                details=form.cleaned_data["details"],
            )
        if call.ok:
            if declared.status == LotAssignment.Status.ACTIVE:
                messages.success(request, _("Thank you. You may now read and score the bids."))
                return redirect("bidding:review-score", declared.lot_id)
            messages.success(
                request, _("Your conflict of interest is recorded; you are recused from this lot.")
            )
            return redirect("bidding:review-assignments")
    return render(
        request,
        "bidding/review/declare.html",
        {"assignment": assignment, "bidders": bidders, "form": form},
    )
