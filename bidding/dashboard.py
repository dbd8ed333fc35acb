"""Dashboard panels of rounds and bids."""

from django.utils import timezone
from django.utils.translation import gettext as _

from projects.rules import can_draft_projects
from purchase_portal.dashboard import Panel, register
from purchase_portal.roles import is_approver, is_officer

from .selectors import award as award_selectors
from .selectors import dashboard as dashboard_selectors
from .selectors import review as selectors
from .selectors.rounds import open_call_list
from .templatetags.bidding_tags import is_bidder

#: What ``str(lot)`` reads, through an award's or an objection's lot.
LOT_STR_FIELDS = ("lot__number", "lot__title", "lot__round__code")


@register
def start_something_new(request):
    """Officers: the two things they start most, as the dashboard's first buttons
    (the same rule as the services that create projects and rounds)."""
    new_project = bool(can_draft_projects.test(request.user))
    new_round = is_officer(request.user)
    if not (new_project or new_round):
        return None
    return Panel(
        title=_("Start"),
        template="bidding/panels/start.html",
        context={"new_project": new_project, "new_round": new_round},
        order=1,
    )


@register
def rounds_needing_action(request):
    """Officers: questions to answer, bids to open, qualification to finish."""
    if not is_officer(request.user):
        return None
    now = timezone.now()
    rounds = list(
        dashboard_selectors.rounds_needing_action(now=now).only(
            "id", "code", "title", "status", "opening_at"
        )[:10]
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
    now = timezone.now()
    drafts = list(
        dashboard_selectors.draft_bids_of(user=request.user, now=now).only(
            "id", "lot__title", "lot__round__submission_deadline"
        )[:10]
    )
    calls = list(open_call_list(now=now).only("id", "title", "submission_deadline")[:5])
    if not drafts and not calls:
        return None
    return Panel(
        title=_("Bids and open calls"),
        template="bidding/panels/bids.html",
        context={"drafts": drafts, "calls": calls},
        order=15,
    )


@register
def my_assignments(request):
    """Experts: lots to declare on, score and sign."""
    user = request.user
    if not user.is_authenticated or not selectors.is_expert(user):
        return None
    assignments = list(dashboard_selectors.open_assignments_of(user=user)[:10])
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
    awards = list(
        award_selectors.awards_to_confirm()
        .only("id", "amount", "organization__name", *LOT_STR_FIELDS)
        .order_by("created_at", "id")[:10]
    )
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
    objections = list(
        award_selectors.open_objections()
        .only("id", "answer_due", "organization__name", *LOT_STR_FIELDS)
        .order_by("answer_due")[:10]
    )
    to_publish = list(dashboard_selectors.rounds_awaiting_notice().only("id", "code", "title")[:10])
    if not objections and not to_publish:
        return None
    return Panel(
        title=_("Notices and objections"),
        template="bidding/review/panels/objections.html",
        context={"objections": objections, "to_publish": to_publish},
        order=26,
    )
