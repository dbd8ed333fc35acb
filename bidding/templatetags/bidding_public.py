"""Tags of the public side: a call's notice facts (number, purchaser, countdown,
tender documents) and the home page's recent results."""

from django import template
from django.utils import timezone

from ..selectors import public as public_selectors

register = template.Library()


@register.inclusion_tag("bidding/calls/public_facts.html", takes_context=True)
def call_public_facts(context, round_):
    now = context.get("now") or timezone.now()
    accepting = round_.status == round_.Status.PUBLISHED
    return {
        "round": round_,
        "contact": public_selectors.purchaser_contact(),
        "left": public_selectors.time_left(round_.submission_deadline, now) if accepting else None,
        "accepting": accepting,
        "now": now,
    }


@register.inclusion_tag("bidding/calls/recent_results.html")
def recent_results_section(limit: int = 5):
    return {"notices": list(public_selectors.recent_results(limit))}
