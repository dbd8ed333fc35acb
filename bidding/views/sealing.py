"""Pages of the keys that seal bids (电子招标投标办法 2013, Arts 26 and 30): an
officer's opening key, a round's key holders, and the presentation of shares
on the opening page before the bids are opened."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.errors import ApplicationError
from purchase_portal.forms import add_service_errors
from purchase_portal.pages import error_text, raise_for_status
from purchase_portal.roles import is_federation_staff, is_officer

from ..forms.rounds import KeyHoldersForm, OpeningKeyForm, SharePresentForm
from ..models import Round
from ..selectors import rounds as round_selectors
from ..selectors import sealing as selectors
from ..services import sealing as services


@login_required
def opening_key(request):
    """Create or replace the officer's opening key; list the shares it holds."""
    if not is_officer(request.user):
        raise PermissionDenied
    form = OpeningKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opening_key_create(user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            raise_for_status(exc)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your opening key is ready."))
            return redirect("bidding:opening-key")
    key = selectors.opening_key_of(request.user)
    return render(
        request,
        "bidding/rounds/opening_key.html",
        {
            "key": key,
            "fingerprint": bytes(key.public_key)[:8].hex() if key else "",
            "form": form,
            "shares": list(selectors.held_shares(user=request.user)),
        },
        status=400 if form.errors else 200,
    )


@login_required
def round_key_holders(request, pk):
    """Name the round's opening officers and how many must present their share."""
    if not is_federation_staff(request.user):
        raise PermissionDenied
    round_ = round_selectors.round_get(user=request.user, pk=pk, terms=False)
    seal = selectors.round_seal(round=round_)
    editable = round_.status == Round.Status.DRAFT and is_officer(request.user)
    initial = (
        {"holders": [s.holder for s in seal.share_rows], "threshold": seal.threshold}
        if seal
        else {}
    )
    form = None
    if editable:
        form = KeyHoldersForm(
            request.POST or None,
            initial=initial,
            holders_queryset=selectors.possible_holders(),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.round_key_holders_set(
                    round=round_,
                    user=request.user,
                    holders=list(form.cleaned_data["holders"]),
                    threshold=form.cleaned_data["threshold"],
                )
            except ApplicationError as exc:
                raise_for_status(exc)
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The opening officers are named."))
                return redirect("bidding:round-detail", round_.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "bidding/rounds/key_holders.html",
        {"round": round_, "seal": seal, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


def opening_shares(request, round_):
    """The opening page before the opening: who has presented a share, and the form."""
    seal = selectors.round_seal(round=round_)
    own = (
        next((s for s in seal.share_rows if s.holder_id == request.user.pk), None) if seal else None
    )
    now = timezone.now()
    presented = sum(1 for s in seal.share_rows if s.presented_at) if seal else 0
    return {
        "round": round_,
        "seal": seal,
        "own_share": own,
        "presented": presented,
        "window_problem": services.presentation_window_problem(round_, now),
        "form": SharePresentForm(),
        "can_open": is_officer(request.user)
        and seal is not None
        and presented >= seal.threshold
        and round_.opening_at is not None
        and now >= round_.opening_at,
    }


@login_required
@require_POST
def share_present(request, pk):
    if not is_federation_staff(request.user):
        raise PermissionDenied
    round_ = round_selectors.round_get(user=request.user, pk=pk, terms=False)
    form = SharePresentForm(request.POST)
    if form.is_valid():
        try:
            services.share_present(
                round=round_, user=request.user, password=form.cleaned_data["password"]
            )
        except ApplicationError as exc:
            raise_for_status(exc)
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Your share is presented for the opening."))
    else:
        messages.error(request, _("Enter your key password."))
    return redirect("bidding:round-opening", round_.pk)
