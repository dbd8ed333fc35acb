"""Public calls for bids and their clarifications; an organization prepares a bid."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.forms import add_service_errors
from purchase_portal.pages import refusals
from purchase_portal.paging import keyset_page
from purchase_portal.public_pages import keep_until, kept_for_visitors

from ..forms.rounds import PrepareBidForm, QuestionForm
from ..models import Round
from ..selectors import bids as bid_selectors
from ..selectors import lifecycle
from ..selectors import rounds as selectors
from ..services import bids as bid_services
from ..services import clarifications as clarification_services
from ..services.common import member_organizations

#: The columns the list of earlier calls sorts by; each ordering ends with a unique field.
CALL_SORTS = {
    "published": ("published_at", "pk"),
    "code": ("code",),
    "title": ("title", "pk"),
    "kind": ("kind", "-published_at", "-pk"),
}


@kept_for_visitors
def call_list(request):
    now = timezone.now()
    open_calls = selectors.open_call_list(now=now)
    earlier = (
        selectors.public_round_list()
        .exclude(pk__in=open_calls.values("pk"))
        .order_by("-published_at", "-pk")
    )
    page = keyset_page(earlier, request, sorts=CALL_SORTS, default_sort="-published")
    shown = list(open_calls[:100])
    # a call leaves the open ones at its deadline
    keep_until(request, min((c.submission_deadline for c in shown), default=None))
    return render(
        request,
        "bidding/calls/list.html",
        {"open_calls": shown, "page": page, "now": now},
    )


def _call_context(request, round_: Round) -> dict:
    user = request.user
    organizations = member_organizations(user) if user.is_authenticated else []
    now = timezone.now()
    accepting = (
        round_.status == Round.Status.PUBLISHED
        and round_.submission_deadline is not None
        and now < round_.submission_deadline
    )
    own = {}
    if organizations:
        for bid in bid_selectors.organizations_bids_in_round(
            round=round_, organizations=organizations
        ):
            own.setdefault(bid.lot_id, []).append(bid)
    return {
        "round": round_,
        "organizations": organizations,
        "accepting": accepting,
        "questions_open": round_.status == Round.Status.PUBLISHED
        and round_.questions_until is not None
        and now < round_.questions_until,
        "own_bids": own,
        "now": now,
    }


@kept_for_visitors
def call_detail(request, pk):
    round_ = selectors.public_round_get(pk=pk)
    context = _call_context(request, round_)
    # questions and bids close at their deadlines, the opening follows
    for moment in (round_.questions_until, round_.submission_deadline, round_.opening_at):
        if moment is not None and moment > context["now"]:
            keep_until(request, moment)
    context["clarifications"] = list(
        selectors.clarification_list(round=round_, user=request.user).exclude(answer="")
    )
    context["pending_questions"] = (
        list(selectors.pending_questions(round=round_, organizations=context["organizations"]))
        if context["organizations"]
        else []
    )
    context["question_form"] = QuestionForm(organizations=context["organizations"])
    context["prepare_form"] = (
        PrepareBidForm(organizations=context["organizations"])
        if len(context["organizations"]) > 1
        else None
    )
    context["lots"] = [
        {"lot": lot, "bids": context["own_bids"].get(lot.pk, [])} for lot in round_.lots.all()
    ]
    context["milestones"] = lifecycle.round_lifecycle(round=round_)
    return render(request, "bidding/calls/detail.html", context)


def call_clarifications(request, pk):
    round_ = selectors.public_round_get(pk=pk)
    clarifications = list(
        selectors.clarification_list(round=round_, user=request.user).exclude(answer="")
    )
    return render(
        request,
        "bidding/calls/clarifications.html",
        {"round": round_, "clarifications": clarifications},
    )


def _ask_refused(request, form, exc) -> None:
    """A question the round no longer takes (or this user may not ask) goes back to
    the call with a message; bad input stays on the form."""
    if exc.status_code in (403, 409):
        messages.error(request, str(exc.message))
    else:
        add_service_errors(form, exc)


@login_required
def call_ask(request, pk):
    round_ = selectors.public_round_get(pk=pk)
    organizations = member_organizations(request.user)
    form = QuestionForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data.get("organization") or (
            organizations[0] if len(organizations) == 1 else None
        )
        with refusals(request, on_error=lambda exc: _ask_refused(request, form, exc)) as call:
            clarification_services.clarification_ask(
                round=round_,
                user=request.user,
                question=form.cleaned_data["question"],
                organization=organization,
            )
        if call.error is not None and call.error.status_code in (403, 409):
            return redirect("bidding:call-detail", round_.pk)
        if call.ok:
            messages.success(
                request,
                _("Your question has been sent. The answer will be published for all bidders."),
            )
            return redirect("bidding:call-detail", round_.pk)
    return render(request, "bidding/calls/ask.html", {"round": round_, "form": form})


@login_required
@require_POST
def bid_prepare(request, pk, lot_pk):
    """Start (or continue) the organization's bid for a lot."""
    round_ = selectors.public_round_get(pk=pk)
    lot = next((lot for lot in round_.lots.all() if lot.pk == lot_pk), None)
    organizations = member_organizations(request.user)
    if lot is None:
        return redirect("bidding:call-detail", round_.pk)
    if len(organizations) > 1:
        form = PrepareBidForm(request.POST, organizations=organizations)
        organization = form.cleaned_data["organization"] if form.is_valid() else None
    else:
        organization = organizations[0] if organizations else None
    if organization is None:
        messages.error(request, _("Only members of a verified social organization can bid."))
        return redirect("bidding:call-detail", round_.pk)
    existing = bid_selectors.organization_bid_for_lot(lot=lot, organization=organization)
    if existing is not None:
        return redirect("bidding:bid-edit", existing.pk)
    with refusals(request) as call:
        bid = bid_services.bid_create(lot=lot, user=request.user, organization=organization)
    if not call.ok:
        return redirect("bidding:call-detail", round_.pk)
    messages.success(request, _("Your draft bid has been created."))
    return redirect("bidding:bid-edit", bid.pk)
