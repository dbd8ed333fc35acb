"""API routes of organizations, included under /api/v1/ by the root URLconf."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CredentialViewSet, MemberViewSet, MeView, OrganizationViewSet, TokenView

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register(
    r"organizations/(?P<organization_pk>[0-9]+)/members",
    MemberViewSet,
    basename="organization-member",
)
router.register("credentials", CredentialViewSet, basename="credential")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
]
