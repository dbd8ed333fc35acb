"""Template helpers of the bidding pages: the open calls on the home page, and
whether the signed-in user acts for a social organization (for the main menu)."""

from django import template

from organizations.models import Organization
from organizations.rules import memberships_of

from ..selectors.rounds import open_call_list

register = template.Library()


@register.inclusion_tag("bidding/calls/home_section.html")
def open_calls_section(limit: int = 10):
    return {"calls": list(open_call_list()[:limit])}


@register.filter
def is_bidder(user) -> bool:
    """Member of a social organization (read once per user object)."""
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_bidding_is_bidder", None)
    if cached is None:
        org_ids = list(memberships_of(user))
        cached = (
            bool(org_ids)
            and Organization.objects.filter(
                pk__in=org_ids, category=Organization.Category.SOCIAL
            ).exists()
        )
        user._bidding_is_bidder = cached
    return cached
