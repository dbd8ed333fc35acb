"""API routes of this app, included under /api/v1/ by the root URLconf."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register(
    "analytics/organization-years", views.OrganizationYearViewSet, basename="analytics-org-year"
)

urlpatterns = [
    path(
        "analytics/concentration/",
        views.ConcentrationView.as_view(),
        name="analytics-concentration",
    ),
    path("analytics/competition/", views.CompetitionView.as_view(), name="analytics-competition"),
    path("analytics/dependency/", views.DependencyView.as_view(), name="analytics-dependency"),
    path("analytics/conduct/", views.ConductView.as_view(), name="analytics-conduct"),
    path("analytics/performance/", views.PerformanceView.as_view(), name="analytics-performance"),
    path("analytics/cultivation/", views.CultivationView.as_view(), name="analytics-cultivation"),
    path("analytics/public/", views.PublicView.as_view(), name="analytics-public"),
    *router.urls,
]
