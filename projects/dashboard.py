"""Dashboard panels for purchase projects."""

from django.utils.translation import gettext as _

from purchase_portal.dashboard import Panel, register
from purchase_portal.roles import is_approver, is_officer

from . import selectors

SHOWN = 10


def _first(queryset):
    """The first rows to show and the total, counting only when there are more."""
    rows = list(queryset[: SHOWN + 1])
    if len(rows) <= SHOWN:
        return rows, len(rows)
    return rows[:SHOWN], queryset.count()


@register
def projects_awaiting_approval(request):
    if not is_approver(request.user):
        return None
    pending = selectors.awaiting_approval().only(
        "id", "code", "title", "budget_ceiling", "submitted_at"
    )
    projects, count = _first(pending)
    return Panel(
        title=_("Projects awaiting approval"),
        template="projects/panels/awaiting_approval.html",
        context={"projects": projects, "count": count},
        order=20,
    )


@register
def projects_returned(request):
    if not is_officer(request.user):
        return None
    projects, count = _first(
        selectors.returned_to(user=request.user).only("id", "code", "title", "status_reason")
    )
    if not projects:
        return None
    return Panel(
        title=_("Projects returned to you"),
        template="projects/panels/returned.html",
        context={"projects": projects, "count": count},
        order=21,
    )
