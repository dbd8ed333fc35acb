from __future__ import annotations

from django.http import HttpResponse

from purchase_portal.pages import error_text, raise_for_status, run_action

__all__ = [
    "PAGE_SIZE",
    "error_text",
    "keyset_page",
    "pdf_response",
    "raise_for_status",
    "run_action",
]

PAGE_SIZE = 50


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


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
