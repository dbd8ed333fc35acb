"""Pages of bids: an organization's bids with their outcome, the bid editor
(budget lines, targets, attachments), submission, withdrawal and receipts.

Bids are read through ``bidding.selectors.bids`` only, so another organization's
bid, or any bid of a round not yet opened for staff, is a 404 here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations.selectors import organization_members
from purchase_portal.confirm import Confirmation, Fact, amount, confirm_page, people, when
from purchase_portal.pages import refusals
from purchase_portal.paging import keyset_page
from purchase_portal.uploads import file_response

from .. import sealing
from ..forms.rounds import AttachmentForm, BidForm, BudgetLineFormSet, TargetFormSet
from ..models import Bid, Round
from ..receipts import receipt_context, receipt_pdf
from ..selectors import bids as selectors
from ..selectors import lifecycle
from ..services import bids as services
from ..services import submission as submission_services
from ..services.opening import opening_result_of

#: The columns of "my bids" that sort the rows; each ordering ends with the unique id.
MY_BID_SORTS = {
    "deadline": ("lot__round__submission_deadline", "-lot__number", "-pk"),
    "call": ("lot__round__title", "lot__round_id", "lot__number", "pk"),
    "organization": ("organization__name", "organization_id", "pk"),
    "status": ("status", "-lot__round__submission_deadline", "lot__number", "pk"),
}


@login_required
def my_bids(request):
    page = keyset_page(
        selectors.own_bid_list(user=request.user),
        request,
        sorts=MY_BID_SORTS,
        default_sort="-deadline",
    )
    return render(
        request, "bidding/bids/mine.html", {"bids": page.rows, "page": page, "now": timezone.now()}
    )


@login_required
def bid_detail(request, pk):
    bid = selectors.bid_get(user=request.user, pk=pk)
    if not sealing.can_read_bid_content(request.user, bid):
        raise Http404
    own = sealing.is_own_bid(request.user, bid)
    round_ = bid.lot.round
    submissions = list(bid.submissions.all())
    editable = own and services.bid_is_editable(bid)
    problems = submission_services.submission_problems(bid) if editable else {}
    context = {
        "bid": bid,
        "round": round_,
        "own": own,
        "editable": own and services.bid_is_editable(bid),
        "can_submit": own and services.bid_is_editable(bid),
        "can_withdraw": own
        and bid.status == Bid.Status.SUBMITTED
        and round_.status == Round.Status.PUBLISHED
        and timezone.now() < round_.submission_deadline,
        "problems": problems,
        "tasks": lifecycle.bid_tasks(bid, problems=problems, editable=editable)
        if own and (editable or bid.status == Bid.Status.SUBMITTED)
        else [],
        "submissions": submissions,
        "current": next((s for s in submissions if s.is_current), None),
        "opening_result": opening_result_of(bid) if round_.is_opened else None,
        "lines_total": sum((line.amount for line in bid.budget_lines.all()), start=0),
        "sealed": bid.status == Bid.Status.SUBMITTED and not round_.is_opened,
    }
    return render(request, "bidding/bids/detail.html", context)


def _own_bid(request, pk) -> Bid:
    bid = selectors.bid_get(user=request.user, pk=pk)
    if not sealing.is_own_bid(request.user, bid):
        raise Http404
    return bid


@login_required
def bid_edit(request, pk):
    bid = _own_bid(request, pk)
    round_ = bid.lot.round
    if not services.bid_is_editable(bid):
        messages.error(
            request,
            _("This bid can no longer be changed.")
            if bid.status not in (Bid.Status.SUBMITTED,)
            else _("A submitted bid cannot be changed; withdraw it first."),
        )
        return redirect("bidding:bid-detail", bid.pk)
    lines_initial = [
        {"item": line.item, "amount": line.amount, "note": line.note}
        for line in bid.budget_lines.all()
    ]
    targets_initial = [
        {"kind": t.kind, "indicator": t.indicator, "target_value": t.target_value, "unit": t.unit}
        for t in bid.targets.all()
    ]
    if request.method == "POST":
        form = BidForm(request.POST, instance=bid, round=round_)
        lines = BudgetLineFormSet(request.POST, prefix="lines")
        targets = TargetFormSet(request.POST, prefix="targets")
        valid = form.is_valid() & lines.is_valid() & targets.is_valid()
        if valid:
            with refusals(
                request, form=lambda exc: None if exc.status_code == 409 else form
            ) as call:
                services.bid_update(
                    bid=bid,
                    user=request.user,
                    data=form.bid_data(),
                    budget_lines=lines.rows(),
                    targets=targets.rows(),
                )
            if call.ok:
                messages.success(request, _("The bid has been saved."))
            if call.ok or call.error.status_code == 409:
                return redirect("bidding:bid-detail", bid.pk)
    else:
        form = BidForm(instance=bid, round=round_)
        lines = BudgetLineFormSet(initial=lines_initial, prefix="lines")
        targets = TargetFormSet(initial=targets_initial, prefix="targets")
    return render(
        request,
        "bidding/bids/edit.html",
        {
            "bid": bid,
            "round": round_,
            "form": form,
            "lines": lines,
            "targets": targets,
            "attachment_form": AttachmentForm(),
        },
    )


@login_required
@require_POST
def bid_attachment_add(request, pk):
    bid = _own_bid(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        with refusals(request) as call, transaction.atomic():
            services.bid_attachment_add(
                bid=bid,
                user=request.user,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        if call.ok:
            messages.success(request, _("The file has been attached."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("bidding:bid-edit", bid.pk)


@login_required
@require_POST
def bid_attachment_remove(request, pk, attachment_pk):
    attachment = selectors.attachment_get(user=request.user, bid_pk=pk, pk=attachment_pk)
    if not sealing.is_own_bid(request.user, attachment.bid):
        raise Http404
    with refusals(request) as call:
        services.bid_attachment_remove(attachment=attachment, user=request.user)
    if call.ok:
        messages.success(request, _("The file has been removed."))
    return redirect("bidding:bid-edit", pk)


@login_required
def bid_attachment_download(request, pk, attachment_pk):
    attachment = selectors.attachment_get(user=request.user, bid_pk=pk, pk=attachment_pk)
    if not sealing.can_read_bid_content(request.user, attachment.bid) or attachment.sealed:
        # A sealed file holds ciphertext until the opening: there is nothing to read.
        raise Http404
    return file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


def _bid_facts(bid: Bid) -> list[Fact]:
    round_ = bid.lot.round
    attachments = [
        f"{a.title} ({a.original_name}) · SHA-256 {a.sha256}" for a in bid.attachments.all()
    ]
    return [
        Fact(_("Call"), f"{round_.code} {round_.title}"),
        Fact(_("Lot"), f"{bid.lot.number}. {bid.lot.title}"),
        Fact(_("Organization"), bid.organization.name),
        Fact(_("Bid price") if round_.is_bidding else _("Funding requested"), amount(bid.price)),
        Fact(_("Attachments"), attachments),
        Fact(_("Submission deadline"), when(round_.submission_deadline)),
    ]


@login_required
def bid_submit(request, pk):
    """GET: check the bid before submitting it; POST: submit it."""
    bid = _own_bid(request, pk)
    if request.method != "POST":
        if not services.bid_is_editable(bid) or submission_services.submission_problems(bid):
            messages.error(request, _("This bid cannot be submitted yet: see what is missing."))
            return redirect("bidding:bid-detail", bid.pk)
        round_ = bid.lot.round
        return confirm_page(
            request,
            Confirmation(
                title=_("Submit your bid?"),
                action=reverse("bidding:bid-submit", args=[bid.pk]),
                button=_("Submit the bid"),
                back=reverse("bidding:bid-detail", args=[bid.pk]),
                facts=_bid_facts(bid),
                consequences=[
                    _(
                        "The bid is sealed with the round's key: nobody, you included, can "
                        "read it until the opening on %(opening)s (电子招标投标办法, 2013, Art 26)."
                    )
                    % {"opening": when(round_.opening_at)},
                    _("You receive a receipt with its number and the bid's SHA-256 digest."),
                ],
                recipients=[
                    people(
                        _("The members of your organization (the receipt)"),
                        organization_members([bid.organization_id]),
                    )
                ],
                irreversible=False,
                undo=_(
                    "You may withdraw the bid before the deadline (%(deadline)s) and submit "
                    "it again; after the deadline it cannot be changed."
                )
                % {"deadline": when(round_.submission_deadline)},
            ),
        )
    with refusals(request) as call:
        submission = submission_services.bid_submit(bid=bid, user=request.user)
    if not call.ok:
        return redirect("bidding:bid-detail", bid.pk)
    messages.success(
        request,
        _("The bid is submitted. Receipt %(number)s, SHA-256 %(digest)s.")
        % {"number": submission.receipt_number, "digest": submission.digest},
    )
    return redirect("bidding:bid-receipt", bid.pk)


@login_required
def bid_withdraw(request, pk):
    """GET: what withdrawing does; POST: withdraw the bid."""
    bid = _own_bid(request, pk)
    if request.method != "POST":
        round_ = bid.lot.round
        return confirm_page(
            request,
            Confirmation(
                title=_("Withdraw your bid?"),
                action=reverse("bidding:bid-withdraw", args=[bid.pk]),
                button=_("Withdraw the bid"),
                back=reverse("bidding:bid-detail", args=[bid.pk]),
                danger=True,
                facts=[
                    Fact(_("Call"), f"{round_.code} {round_.title}"),
                    Fact(_("Lot"), f"{bid.lot.number}. {bid.lot.title}"),
                    Fact(_("Organization"), bid.organization.name),
                    Fact(_("Submitted at"), when(bid.submitted_at)),
                    Fact(_("SHA-256 digest"), bid.digest, digest=True),
                    Fact(_("Submission deadline"), when(round_.submission_deadline)),
                ],
                consequences=[
                    _("The submitted bid and its receipt no longer count."),
                    _(
                        "The sealed content cannot be read before the opening, so the bid "
                        "comes back as an empty draft: its price, texts and attachments must "
                        "be entered again."
                    ),
                    _("To take part you must submit again before the deadline."),
                ],
                recipients=[
                    people(
                        _("The members of your organization"),
                        organization_members([bid.organization_id]),
                    )
                ],
            ),
        )
    with refusals(request) as call:
        submission_services.bid_withdraw(bid=bid, user=request.user)
    if call.ok:
        messages.success(
            request,
            _("The bid is withdrawn. You may change it and submit it again before the deadline."),
        )
    return redirect("bidding:bid-detail", bid.pk)


def _receipt(request, pk):
    bid = selectors.bid_get(user=request.user, pk=pk)
    if not sealing.can_read_bid_content(request.user, bid):
        raise Http404
    submission = next((s for s in bid.submissions.all() if s.is_current), None)
    if submission is None:
        raise Http404
    return bid, submission


@login_required
def bid_receipt(request, pk):
    bid, submission = _receipt(request, pk)
    return render(request, "bidding/bids/receipt.html", receipt_context(bid, submission))


@login_required
def bid_receipt_pdf(request, pk):
    bid, submission = _receipt(request, pk)
    if not sealing.is_own_bid(request.user, bid) and not bid.lot.round.is_opened:
        raise PermissionDenied
    response = HttpResponse(receipt_pdf(bid, submission), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="receipt-{submission.receipt_number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
