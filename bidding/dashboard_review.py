"""Dashboard panels of the review: experts' assignments, awards to confirm,
objections to answer. Registered from ``BiddingConfig.ready``."""

from django.utils.translation import gettext as _

from purchase_portal.dashboard import Panel, register
from purchase_portal.roles import is_approver, is_officer

from .models import LotAssignment, Round, ScoreSheet
from .selectors import award as award_selectors
from .selectors import review as selectors


@register
def my_assignments(request):
    """Experts: lots to declare on, score and sign."""
    user = request.user
    if not user.is_authenticated or not selectors.is_expert(user):
        return None
    assignments = list(
        selectors.assignment_list(user=user)
        .filter(expert=user)
        .exclude(status=LotAssignment.Status.RECUSED)
        .exclude(sheet__status=ScoreSheet.Status.SIGNED)
        .filter(lot__round__status__in=(Round.Status.OPENED, Round.Status.IN_REVIEW))
        .order_by("lot__round_id", "lot__number")[:10]
    )
    return Panel(
        title=_("My assignments"),
        template="bidding/review/panels/assignments.html",
        context={"assignments": assignments},
        order=20,
    )


@register
def awards_to_confirm(request):
    """Approvers: proposed awards waiting for confirmation."""
    if not is_approver(request.user):
        return None
    awards = list(award_selectors.awards_to_confirm().order_by("created_at", "id")[:10])
    return Panel(
        title=_("Awards to confirm"),
        template="bidding/review/panels/awards.html",
        context={"awards": awards},
        order=25,
    )


@register
def objections_to_answer(request):
    """Officers: open objections, the earliest due first; awarded rounds to publish."""
    if not is_officer(request.user):
        return None
    objections = list(award_selectors.open_objections().order_by("answer_due")[:10])
    to_publish = list(Round.objects.filter(status=Round.Status.AWARDED).order_by("id")[:10])
    if not objections and not to_publish:
        return None
    return Panel(
        title=_("Notices and objections"),
        template="bidding/review/panels/objections.html",
        context={"objections": objections, "to_publish": to_publish},
        order=26,
    )
