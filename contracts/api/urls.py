"""API routes of contracts, included under /api/v1/ by the root URLconf."""

from rest_framework.routers import SimpleRouter

from .contracts import AmendmentViewSet, ContractViewSet
from .payments import PaymentViewSet
from .reports import ProgressReportViewSet
from .visits import RectificationViewSet, SiteVisitViewSet

router = SimpleRouter()
router.register("contracts", ContractViewSet, basename="contract")
router.register("amendments", AmendmentViewSet, basename="amendment")
router.register("payments", PaymentViewSet, basename="payment")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("site-visits", SiteVisitViewSet, basename="site-visit")
router.register("rectifications", RectificationViewSet, basename="rectification")

urlpatterns = [*router.urls]
