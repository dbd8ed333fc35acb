"""Suppliers see the review panel of a lot they bid on (from the opening on) and ask
for an expert's recusal; officers decide (政府采购法实施条例 Art 9)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.pages import run_action
from purchase_portal.parsing import integer

from ..models import Lot
from ..selectors import review as selectors
from ..selectors import rounds as round_selectors
from ..services import recusals


def _lot(request, pk):
    lot = round_selectors.lot_get(user=request.user, pk=pk)
    panel = selectors.lot_panel_for_bidder(user=request.user, lot=lot)
    return lot, panel


@login_required
def lot_panel(request, pk):
    lot, panel = _lot(request, pk)
    organizations = selectors.bidder_organizations(user=request.user, lot=lot)
    requests = selectors.recusal_list(user=request.user).filter(assignment__lot=lot)
    return render(
        request,
        "bidding/bids/panel.html",
        {
            "lot": lot,
            "panel": panel,
            "organizations": organizations,
            "requests": requests,
            "may_request": lot.status in (Lot.Status.OPEN, Lot.Status.IN_REVIEW),
            "recusal_rule": recusals.RECUSAL_RULE,
        },
    )


@login_required
@require_POST
def lot_panel_recusal(request, pk):
    lot, panel = _lot(request, pk)
    seat = next((a for a in panel if a.pk == integer(request.POST.get("assignment"))), None)
    organizations = selectors.bidder_organizations(user=request.user, lot=lot)
    organization = next(
        (o for o in organizations if o.pk == integer(request.POST.get("organization"))),
        organizations[0] if len(organizations) == 1 else None,
    )
    if seat is None:
        messages.error(request, _("Choose an expert of this lot's panel."))
    else:
        run_action(
            request,
            lambda: recusals.recusal_request(
                assignment=seat,
                user=request.user,
                organization=organization,
                reason=request.POST.get("reason", ""),
            ),
            _("Your request is sent to the officer."),
        )
    return redirect("bidding:lot-panel", lot.pk)


@login_required
@require_POST
def recusal_decide(request, pk):
    request_ = selectors.recusal_get(user=request.user, pk=pk)
    grant = request.POST.get("decision") == "grant"
    run_action(
        request,
        lambda: recusals.recusal_decide(
            request=request_, user=request.user, grant=grant, reason=request.POST.get("reason", "")
        ),
        _("The request is granted; the expert leaves the lot's panel.")
        if grant
        else _("The request is rejected."),
    )
    return redirect("bidding:review-round", request_.assignment.lot.round_id)
