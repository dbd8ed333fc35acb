"""API of contracts, amendments, payments, progress reports, site visits and
rectifications."""

from .views import (
    AmendmentViewSet,
    ContractViewSet,
    PaymentViewSet,
    ProgressReportViewSet,
    RectificationViewSet,
    SiteVisitViewSet,
)

__all__ = [
    "AmendmentViewSet",
    "ContractViewSet",
    "PaymentViewSet",
    "ProgressReportViewSet",
    "RectificationViewSet",
    "SiteVisitViewSet",
]
