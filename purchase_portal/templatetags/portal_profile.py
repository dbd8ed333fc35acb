from django import template

from purchase_portal.profile import ORGANIZATION, links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def profile_links(context, obj, on=ORGANIZATION):
    """Links other apps add to this page (``purchase_portal.profile``)."""
    request = context.get("request")
    if request is None or obj is None:
        return []
    return links_for(request, obj, on=on)
