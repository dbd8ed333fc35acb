from django import template

from purchase_portal.profile import links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def profile_links(context, organization):
    """Links other apps add to an organization's profile (``purchase_portal.profile``)."""
    request = context.get("request")
    if request is None or organization is None:
        return []
    return links_for(request, organization)
