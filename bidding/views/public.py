"""The public side of calls: the tender documents (招标文件) and award notices
as PDFs, and the guide for organizations that want to take part."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from purchase_portal.pdf import render_pdf

from .. import scoring
from ..selectors import award as award_selectors
from ..selectors import public as public_selectors


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def tender_context(round_) -> dict:
    return {
        "round": round_,
        "lots": list(round_.lots.all()),
        "contact": public_selectors.purchaser_contact(),
        "qualification_items": public_selectors.qualification_items(),
        "extensions": list(round_.deadline_extensions.all()),
        "generated_at": timezone.now(),
    }


def call_tender_pdf(request, pk):
    """The tender documents of a published call, generated from the round."""
    round_ = public_selectors.tender_round(pk=pk)
    data = render_pdf("bidding/pdf/tender.html", tender_context(round_))
    name = round_.notice_number or round_.code
    return _pdf_response(data, f"tender-{name}.pdf")


def notice_pdf(request, pk):
    """An award notice as a PDF, from the content published with it."""
    notice = award_selectors.notice_get(pk=pk)
    context = {
        "notice": notice,
        "content": notice.content,
        "ranking_rule": scoring.RANKING_RULE,
        "contact": public_selectors.purchaser_contact(),
    }
    data = render_pdf("bidding/pdf/notice.html", context)
    return _pdf_response(data, f"notice-{notice.round.code}-{notice.pk}.pdf")


def guide(request):
    """How an organization takes part: register, get verified, find a call, bid."""
    return render(
        request,
        "bidding/calls/guide.html",
        {
            "contact": public_selectors.purchaser_contact(),
            "verification_days": settings.PORTAL["VERIFICATION_WORKING_DAYS"],
        },
    )
