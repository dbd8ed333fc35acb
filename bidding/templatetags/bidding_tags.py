"""Template helpers of the bidding pages: the open calls on the home page, and
whether the signed-in user acts for a social organization (for the main menu)."""

from django import template

from organizations.rules import is_social_member

from ..selectors.rounds import open_call_list

register = template.Library()


@register.inclusion_tag("bidding/calls/home_section.html")
def open_calls_section(limit: int = 10):
    return {"calls": list(open_call_list()[:limit])}


@register.filter
def is_bidder(user) -> bool:
    """Member of a social organization (read once per user object)."""
    return is_social_member(user)
