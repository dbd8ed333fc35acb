"""API routes of projects, included under /api/v1/ by the root URLconf."""

from rest_framework.routers import SimpleRouter

from .views import CatalogueItemViewSet, ProjectViewSet

router = SimpleRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("catalogue-items", CatalogueItemViewSet, basename="catalogue-item")

urlpatterns = [*router.urls]
