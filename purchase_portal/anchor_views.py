"""Public page: the published anchors of the audit trail, newest first."""

from django.shortcuts import render

from .models import AuditAnchor

PAGE_SIZE = 50


def anchor_list(request):
    """Anyone may read the anchors; ``?before=<sequence>`` pages back (keyset)."""
    qs = AuditAnchor.objects.order_by("-seq", "-published_at")
    before = request.GET.get("before", "")
    status = 200
    if before:
        if before.isascii() and before.isdigit() and len(before) < 19:
            qs = qs.filter(seq__lt=int(before))
        else:
            status = 400
            qs = qs.none()
    rows = list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    context = {
        "anchors": rows,
        "next_before": rows[-1].seq if more and rows else None,
        "bad_before": status == 400,
    }
    return render(request, "audit/anchors.html", context, status=status)
