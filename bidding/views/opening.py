"""Officers' pages of the opening act and the qualification of bids, and the
export of a round's bids (after the opening only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.pages import refusals
from purchase_portal.roles import is_federation_staff, is_officer

from .. import sealing
from ..exports import round_bids_export
from ..forms.rounds import (
    QualificationForm,
)
from ..models import Lot, RelatedBiddersDecision, Round
from ..selectors import bids as bid_selectors
from ..selectors import rounds as selectors
from ..services import opening as opening_services
from . import sealing as sealing_pages
from .common import staff_round


@login_required
def round_opening(request, pk):
    round_ = staff_round(request, pk)
    record = selectors.opening_record(round=round_)
    if record is None:
        if round_.status not in (Round.Status.PUBLISHED, Round.Status.CLOSED):
            raise Http404
        # Before the opening: the key holders present their shares here.
        return render(
            request,
            "bidding/rounds/opening_shares.html",
            sealing_pages.opening_shares(request, round_),
        )
    return render(request, "bidding/rounds/opening.html", {"round": round_, "record": record})


@login_required
def round_qualification(request, pk):
    round_ = staff_round(request, pk)
    if not round_.is_opened:
        messages.error(request, _("Qualification starts once the bids are opened."))
        return redirect("bidding:round-detail", round_.pk)
    bids = list(bid_selectors.round_bids_for_qualification(round=round_, user=request.user))
    record = selectors.opening_record(round=round_)
    results = {r["bid"]: r["result"] for r in (record.results if record else [])}
    editable = round_.status == Round.Status.OPENED and is_officer(request.user)
    lots = []
    for lot in round_.lots.all():
        rows = []
        for bid in bids:
            if bid.lot_id != lot.pk:
                continue
            check = getattr(bid, "qualification", None)
            initial = (
                {name: getattr(check, name) for name in opening_services.CHECKLIST}
                if check
                else opening_services.qualification_hints(bid, year=round_.year)
            )
            rows.append(
                {
                    "bid": bid,
                    "digest": results.get(bid.pk),
                    "form": QualificationForm(prefix=f"b{bid.pk}", initial=initial),
                }
            )
        lots.append(
            {
                "lot": lot,
                "rows": rows,
                "related": opening_services.related_bidder_flags(lot=lot),
            }
        )
    return render(
        request,
        "bidding/rounds/qualification.html",
        {
            "round": round_,
            "lots": lots,
            "editable": editable,
            "related_rule": opening_services.RELATED_BIDDERS_RULE,
            "related_choices": RelatedBiddersDecision.Decision.choices,
        },
    )


@login_required
@require_POST
def bid_qualification(request, pk):
    bid = bid_selectors.bid_get(user=request.user, pk=pk, detail=False)
    if not sealing.may_read_opened_bids(request.user):
        raise PermissionDenied
    form = QualificationForm(request.POST, prefix=f"b{bid.pk}")
    decision = request.POST.get("decision")
    if form.is_valid() and decision in ("qualify", "disqualify"):
        with refusals(request) as call:
            if decision == "qualify":
                opening_services.bid_qualify(bid=bid, user=request.user, checks=form.checks())
            else:
                opening_services.bid_disqualify(
                    bid=bid,
                    user=request.user,
                    reason=form.cleaned_data.get("reason", ""),
                    checks=form.checks(),
                )
        if call.ok:
            messages.success(
                request,
                _("%(org)s: %(status)s.")
                % {"org": bid.organization.name, "status": bid.get_status_display()},
            )
    else:
        messages.error(request, _("Choose to qualify or disqualify the bid."))
    return redirect("bidding:round-qualification", bid.lot.round_id)


@login_required
@require_POST
def lot_related_bidders(request, pk):
    """Record the decision on bids flagged for a shared legal representative."""
    lot = selectors.lot_get(user=request.user, pk=pk)
    if not is_federation_staff(request.user):
        raise PermissionDenied
    with refusals(request) as call:
        opening_services.lot_decide_related_bidders(
            lot=lot,
            user=request.user,
            legal_representative=request.POST.get("legal_representative", ""),
            control=request.POST.get("control") or None,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    if call.ok:
        messages.success(request, _("The decision is recorded."))
    return redirect("bidding:round-qualification", lot.round_id)


@login_required
@require_POST
def lot_complete_qualification(request, pk):
    lot = selectors.lot_get(user=request.user, pk=pk)
    if not is_federation_staff(request.user):
        raise PermissionDenied
    with refusals(request) as call, transaction.atomic():
        lot = opening_services.lot_complete_qualification(lot=lot, user=request.user)
    if call.ok:
        if lot.status == Lot.Status.FAILED:
            messages.warning(
                request,
                _("Lot %(n)d failed: %(reason)s") % {"n": lot.number, "reason": lot.status_reason},
            )
        else:
            messages.success(
                request, _("The qualification of lot %(n)d is complete.") % {"n": lot.number}
            )
    return redirect("bidding:round-qualification", lot.round_id)


@login_required
def round_export(request, pk):
    round_ = staff_round(request, pk)
    return round_bids_export(round=round_, user=request.user)
