"""Pages of the shared parts: home, dashboard, inbox, audit trail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import notifications, selectors
from .dashboard import panels_for
from .filters import AuditEventFilter
from .roles import Role, roles_of

PAGE_SIZE = 50


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@login_required
def dashboard(request):
    roles = roles_of(request.user)
    labels = [str(label) for value, label in Role.choices if value in roles]
    return render(request, "dashboard.html", {"panels": panels_for(request), "role_labels": labels})


@login_required
def notification_inbox(request):
    qs = selectors.notification_list(user=request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request):
    ids = [int(v) for v in request.POST.getlist("id") if v.isdigit() and len(v) < 19] or None
    count = notifications.mark_read(user=request.user, notification_ids=ids)
    messages.success(request, _("%(n)d notification(s) marked as read.") % {"n": count})
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("notifications")


@login_required
def audit_trail(request):
    if not selectors.can_read_audit(request.user):
        raise PermissionDenied
    filterset = AuditEventFilter(
        request.GET or None, queryset=selectors.audit_event_list(user=request.user)
    )
    if not filterset.is_bound:
        qs = filterset.queryset
    elif filterset.is_valid():
        qs = filterset.qs
    else:  # the form shows what is wrong; an invalid filter matches nothing
        qs = filterset.queryset.none()
    # Keyset paging on seq: no COUNT(*) or deep OFFSET over a long trail.
    before = request.GET.get("before", "")
    if before.isdigit() and len(before) < 19:
        qs = qs.filter(seq__lt=int(before))
    events = list(qs.order_by("-seq")[: PAGE_SIZE + 1])
    has_more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "audit/trail.html",
        {
            "filter": filterset,
            "events": events,
            "next_before": events[-1].seq if has_more else None,
            "query": query.urlencode(),
        },
    )
