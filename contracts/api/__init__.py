"""API of contracts, amendments, payments, progress reports, site visits and
rectifications: one module per concern, serializers in ``serializers``, routes
in ``urls``."""

from .contracts import AmendmentViewSet, ContractViewSet
from .payments import PaymentViewSet
from .reports import ProgressReportViewSet
from .visits import RectificationViewSet, SiteVisitViewSet

__all__ = [
    "AmendmentViewSet",
    "ContractViewSet",
    "PaymentViewSet",
    "ProgressReportViewSet",
    "RectificationViewSet",
    "SiteVisitViewSet",
]
