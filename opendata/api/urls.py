"""API routes of this app, included under /api/v1/ by the root URLconf."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("ocds/releases", views.ReleaseViewSet, basename="ocds-release")
router.register("ocds/records", views.RecordViewSet, basename="ocds-record")
router.register("ocds/bulk", views.BulkFileViewSet, basename="ocds-bulk")

urlpatterns = [
    *router.urls,
    path(
        "ocds/bulk/releases.jsonl.gz",
        views.BulkFileViewSet.as_view({"get": "download"}),
        name="ocds-bulk-download",
    ),
]
