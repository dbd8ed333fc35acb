"""Permission predicates of rounds, bids and the review (django-rules).

Who may read a bid's content is the sealing rule, kept in ``bidding.sealing``;
who manages rounds is federation staff (``purchase_portal.roles``). The
transition tables in ``workflows.py`` and the services ask these.
"""

import rules

from organizations.rules import is_org_member


@rules.predicate
def is_bid_org_member(user, bid) -> bool:
    """A member of the bidding organization submits and withdraws its bid."""
    return is_org_member(user, bid.organization)


@rules.predicate
def is_assigned_expert(user, assignment) -> bool:
    """The expert an assignment names declares (回避) on it."""
    return user is not None and user.pk == assignment.expert_id


@rules.predicate
def is_sheet_expert(user, sheet) -> bool:
    """The expert a score sheet belongs to submits and signs it."""
    return user is not None and user.pk == sheet.expert_id
