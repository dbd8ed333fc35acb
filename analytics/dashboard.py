"""Dashboard panel: where the figures are, for staff and for organizations."""

from django.utils.translation import gettext as _

from purchase_portal.dashboard import Panel, register

from . import selectors
from .rules import can_view_analytics, own_organization_ids


@register
def analytics_links(request):
    staff = can_view_analytics(request.user)
    if not staff and not own_organization_ids(request.user):
        return None
    return Panel(
        title=_("The relationship in numbers"),
        template="analytics/panels/links.html",
        context={"staff": staff, "refreshed_at": selectors.refreshed_at()},
        order=90,
    )
