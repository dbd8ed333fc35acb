"""API routes of this app, included under /api/v1/ by the root URLconf."""

from rest_framework.routers import SimpleRouter

from .views import (
    AnnualReportViewSet,
    ArchiveViewSet,
    EvaluationViewSet,
    ReportViewSet,
    TemplateViewSet,
    VerifyViewSet,
)

router = SimpleRouter()
router.register("evaluation-templates", TemplateViewSet, basename="evaluation-template")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("evaluation-reports", ReportViewSet, basename="evaluation-report")
router.register("evaluation-archives", ArchiveViewSet, basename="evaluation-archive")
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
router.register("verify", VerifyViewSet, basename="verify")

urlpatterns = [*router.urls]
