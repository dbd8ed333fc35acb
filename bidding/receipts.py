"""The bidder's receipt of a submission, as a PDF (the portal's one PDF renderer)."""

from __future__ import annotations

from purchase_portal.pdf import render_pdf

from .models import Bid, BidSubmission


def receipt_context(bid: Bid, submission: BidSubmission) -> dict:
    canonical = submission.canonical or {}
    return {
        "bid": bid,
        "round": bid.lot.round,
        "lot": bid.lot,
        "submission": submission,
        "attachments": canonical.get("attachments", []),
        "budget_lines": canonical.get("budget_lines", []),
        "price": canonical.get("price"),
        # Until the opening the content is encrypted: the receipt certifies its digest.
        "sealed": not canonical,
        "title": submission.receipt_number,
    }


def receipt_pdf(bid: Bid, submission: BidSubmission) -> bytes:
    return render_pdf("bidding/pdf/receipt.html", receipt_context(bid, submission))
