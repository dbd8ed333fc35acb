"""Pages of the shared parts: home, dashboard, inbox, audit trail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_POST

from . import audit_export, notifications, selectors
from .dashboard import panels_html
from .filters import AuditTrailFilter
from .paging import PARAM, keyset_page
from .public_pages import kept_for_visitors
from .roles import Role, roles_of


@kept_for_visitors
def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@login_required
def dashboard(request):
    roles = roles_of(request.user)
    labels = [str(label) for value, label in Role.choices if value in roles]
    return render(
        request, "dashboard.html", {"panels": panels_html(request), "role_labels": labels}
    )


@login_required
def notification_inbox(request):
    qs = selectors.notification_list(user=request.user)
    page = keyset_page(qs, request)
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


def _audit_trail_filtered(request):
    if not selectors.can_read_audit(request.user):
        raise PermissionDenied
    data = request.GET.copy()
    data.pop(PARAM, None)
    filterset = AuditTrailFilter(
        data or None, queryset=selectors.audit_event_list(user=request.user)
    )
    if not filterset.is_bound:
        qs = filterset.queryset
    elif filterset.is_valid():
        qs = filterset.qs
    else:  # the form shows what is wrong; an invalid filter matches nothing
        qs = filterset.queryset.none()
    return filterset, qs


@login_required
def audit_trail(request):
    filterset, qs = _audit_trail_filtered(request)
    # Keyset paging on seq: no COUNT(*) or deep OFFSET over a long trail.
    page = keyset_page(qs.select_related("actor"), request, ordering=("-seq",))
    return render(
        request,
        "audit/trail.html",
        {
            "filter": filterset,
            "events": page.rows,
            "page": page,
            "next_before": page.next_before,
            "query": page.query,
            "export_query": filterset.data.urlencode() if filterset.is_bound else "",
        },
    )


@login_required
def audit_trail_export(request):
    """The filtered trail as CSV, written while it downloads (streamed), so a
    long trail neither waits for the whole file nor holds it in memory; the
    browser shows the download's progress. Sealed events are left out as on
    the page."""
    filterset, qs = _audit_trail_filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        return render(request, "audit/trail.html", {"filter": filterset, "events": []}, status=400)
    rows = audit_export.csv_rows(qs.select_related("actor").order_by("-seq"))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    """400 for a request Django refuses before any view: JSON under /api/, a page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": _("Bad request."), "code": "bad_request"}, status=400)
    return defaults.bad_request(request, exception)


def not_found(request, exception=None):
    """404 for an address no view answers (a malformed id, say): JSON under /api/, so API
    clients always get the error shape the schema documents; a page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)
