"""Publishing the public notice of a round's awards, the public notices and
the objections raised against them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from purchase_portal.calendar import add_workdays
from purchase_portal.confirm import Confirmation, Fact, amount, confirm_page, people, when
from purchase_portal.pages import refusals, run_action
from purchase_portal.paging import keyset_page
from purchase_portal.public_pages import kept_for_visitors
from purchase_portal.roles import is_officer

from .. import scoring
from ..forms.review import (
    AnswerForm,
    ObjectionForm,
)
from ..models import (
    Objection,
)
from ..selectors import award as award_selectors
from ..services import notices as notice_services


def _notice_confirmation(round_) -> Confirmation:
    from ..models import Award, Lot

    lots = list(Lot.objects.filter(round=round_).order_by("number"))
    awards = {}
    for award in Award.objects.filter(
        lot__round=round_, status=Award.Status.CONFIRMED
    ).select_related("organization"):
        awards.setdefault(award.lot_id, []).append(award)
    rows = []
    for lot in lots:
        won = awards.get(lot.pk)
        outcome = (
            ", ".join(f"{a.organization.name} {amount(a.amount)}" for a in won)
            if won
            else lot.get_status_display()
        )
        rows.append(f"{lot.number}. {lot.title}: {outcome}")
    start = timezone.now()
    ends = notice_services.notice_end_time(round=round_, start=start)
    until = add_workdays(ends, notice_services.OBJECTION_FILING_WORKDAYS)
    return Confirmation(
        title=_("Publish the notice of %(code)s?") % {"code": round_.code},
        action=reverse("bidding:review-notice", args=[round_.pk]),
        button=_("Publish the public notice"),
        back=reverse("bidding:review-round", args=[round_.pk]),
        facts=[
            Fact(_("Round"), f"{round_.code} {round_.title}"),
            Fact(_("Results by lot"), rows),
            Fact(_("Notice period ends"), when(ends)),
            Fact(_("Objections accepted until"), when(until)),
        ],
        consequences=[
            _("The results, with the winners, amounts and scores, are published for everyone."),
            _(
                "Organizations that took part may object until the 7th working day after the "
                "notice period (Government Procurement Law Art 52); the awards become final "
                "only after that."
            ),
            _("A published notice cannot be changed or taken back."),
        ],
        recipients=[
            _("The public: the notice appears on the results page"),
            people(
                _("The members of every organization that took part"),
                notice_services.notice_recipients(round=round_),
            ),
        ],
    )


@login_required
def review_publish_notice(request, pk):
    """GET: check the notice before publishing it; POST: publish it."""
    round_ = award_selectors.round_for_review(user=request.user, pk=pk)
    if request.method != "POST":
        if not is_officer(request.user):
            raise PermissionDenied
        if round_.status != round_.Status.AWARDED:
            return redirect("bidding:review-round", round_.pk)
        return confirm_page(request, _notice_confirmation(round_))
    published = []
    ok = run_action(
        request,
        lambda: published.append(notice_services.notice_publish(round=round_, user=request.user)),
        _("The public notice is published."),
    )
    if ok:
        return redirect("bidding:notice-detail", published[0].pk)
    return redirect("bidding:review-round", round_.pk)


# Public notices and objections -----------------------------------------------------------


#: The columns of the notices and objections that sort the rows; each ordering
#: ends with the unique id.
NOTICE_SORTS = {
    "published": ("published_at", "id"),
    "round": ("round__code", "id"),
    "ends": ("ends_at", "id"),
    "status": ("status", "-published_at", "-id"),
}
OBJECTION_SORTS = {
    "filed": ("filed_at", "id"),
    "due": ("answer_due", "id"),
    "status": ("status", "-filed_at", "-id"),
}


@kept_for_visitors
def notice_list(request):
    page = keyset_page(
        award_selectors.notice_list(), request, sorts=NOTICE_SORTS, default_sort="-published"
    )
    return render(request, "bidding/review/notice_list.html", {"page": page})


def _objection_form(request, notice, data=None):
    if not request.user.is_authenticated or not notice_services.objection_window_open(notice):
        return None
    organizations = notice_services.participant_organizations(
        user=request.user, round=notice.round
    ).order_by("name")
    if not organizations.exists():
        return None
    lots = award_selectors.objection_lots(round=notice.round)
    return ObjectionForm(data, lots=lots, organizations=organizations)


def notice_detail(request, pk):
    notice = award_selectors.notice_get(pk=pk)
    form = _objection_form(request, notice, request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        if form is None:
            messages.error(
                request, _("The notice period is over; objections are no longer accepted.")
            )
            return redirect("bidding:notice-detail", notice.pk)
        if form.is_valid():
            with refusals(
                request,
                form=form,
            ) as call:
                objection = notice_services.objection_file(
                    notice=notice, user=request.user, **form.cleaned_data
                )
            if call.ok:
                messages.success(
                    request,
                    _("Your objection is filed. It will be answered by %(due)s.")
                    % {"due": timezone.localtime(objection.answer_due).strftime("%Y-%m-%d")},
                )
                return redirect("bidding:objection-detail", objection.pk)
    return render(
        request,
        "bidding/review/notice_detail.html",
        {
            "notice": notice,
            "content": notice_services.notice_content_for_reader(notice=notice),
            "form": form,
            "in_period": notice_services.objection_window_open(notice),
            "objections_until": notice_services.objections_until(notice),
            "ranking_rule": scoring.RANKING_RULE,
        },
    )


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


@login_required
def objection_list(request):
    qs = award_selectors.objection_list(user=request.user).order_by("-filed_at", "-id")
    page = keyset_page(qs, request, sorts=OBJECTION_SORTS, default_sort="-filed")
    return render(request, "bidding/review/objection_list.html", {"page": page})


@login_required
def objection_detail(request, pk):
    objection = award_selectors.objection_get(user=request.user, pk=pk)
    form = None
    if is_officer(request.user) and objection.status == Objection.Status.OPEN:
        form = AnswerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with refusals(
                request,
                form=form,
            ) as call:
                notice_services.objection_answer(
                    objection=objection, user=request.user, **form.cleaned_data
                )
            if call.ok:
                messages.success(request, _("The objection is answered."))
                return redirect("bidding:objection-detail", objection.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request, "bidding/review/objection_detail.html", {"objection": objection, "form": form}
    )
