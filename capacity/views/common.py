"""What the capacity pages and API share beyond ``purchase_portal.pages``: the
attendance certificate as a PDF download."""

from __future__ import annotations

from django.http import HttpResponse


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    """A generated PDF as an attachment that no shared cache keeps."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
