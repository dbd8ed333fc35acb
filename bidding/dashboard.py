"""Dashboard panels of rounds and bids."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.rules import memberships_of
from purchase_portal.dashboard import Panel, register
from purchase_portal.roles import is_officer

from .models import Bid, Round
from .selectors.rounds import open_call_list
from .templatetags.bidding_tags import is_bidder

R = Round.Status


@register
def rounds_needing_action(request):
    """Officers: questions to answer, bids to open, qualification to finish."""
    if not is_officer(request.user):
        return None
    now = timezone.now()
    rounds = list(
        Round.objects.filter(
            Q(status__in=[R.PUBLISHED, R.CLOSED], opening_at__lte=now)
            | Q(status=R.OPENED)
            | Q(clarifications__answer="", status=R.PUBLISHED)
        )
        .annotate(
            unanswered=Count("clarifications", filter=Q(clarifications__answer=""), distinct=True)
        )
        .distinct()
        .order_by("submission_deadline")[:10]
    )
    if not rounds:
        return None
    return Panel(
        title=_("Rounds needing action"),
        template="bidding/panels/rounds.html",
        context={"rounds": rounds, "now": now},
        order=20,
    )


@register
def my_draft_bids(request):
    """Organization members: bids not yet submitted in open calls, and open calls."""
    if not is_bidder(request.user):
        return None
    org_ids = list(memberships_of(request.user))
    now = timezone.now()
    drafts = list(
        Bid.objects.filter(
            organization_id__in=org_ids,
            status__in=[Bid.Status.DRAFT, Bid.Status.WITHDRAWN],
            lot__round__status=R.PUBLISHED,
            lot__round__submission_deadline__gt=now,
        )
        .select_related("lot__round")
        .order_by("lot__round__submission_deadline")[:10]
    )
    calls = list(open_call_list(now=now)[:5])
    if not drafts and not calls:
        return None
    return Panel(
        title=_("Bids and open calls"),
        template="bidding/panels/bids.html",
        context={"drafts": drafts, "calls": calls},
        order=15,
    )
