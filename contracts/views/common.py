from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404

from purchase_portal.errors import ApplicationError

PAGE_SIZE = 50


def error_text(exc: ApplicationError) -> str:
    details = []
    for value in exc.fields.values():
        details += [str(m) for m in (value if isinstance(value, list) else [value])]
    return " ".join([str(exc.message), *details]).strip()


def run_action(request, action, success: str) -> bool:
    """Run a service for a page; 403/404 refusals become those pages, others a message."""
    try:
        action()
    except ApplicationError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from exc
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success)
    return True


def raise_for_status(exc: ApplicationError) -> None:
    if exc.status_code == 403:
        raise PermissionDenied from exc
    if exc.status_code == 404:
        raise Http404 from exc


def keyset_page(qs, request, *, size: int = PAGE_SIZE):
    """Keyset paging on descending id: no COUNT(*) and no deep OFFSET."""
    before = request.GET.get("before")
    if before and before.isdigit():
        qs = qs.filter(pk__lt=int(before))
    rows = list(qs.order_by("-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    query = request.GET.copy()
    query.pop("before", None)
    return rows, (rows[-1].pk if more else None), query.urlencode()
