"""A bare DRF list of OCDS releases, the yardstick for the portal's release list.

It pages the same rows in the same order (date, then id, newest first) with
DRF's own cursor pagination and renders each release as stored: no package
metadata, no cursor validation, no cache.
"""

from django.urls import include, path
from rest_framework import generics, permissions, serializers
from rest_framework.pagination import CursorPagination

from opendata.models import Release


class BareReleasePagination(CursorPagination):
    page_size = 50
    ordering = ("-date", "-id")


class BareReleaseSerializer(serializers.BaseSerializer):
    def to_representation(self, instance):
        return instance.data


class BareReleaseList(generics.ListAPIView):
    queryset = Release.objects.only("id", "date", "data")
    serializer_class = BareReleaseSerializer
    pagination_class = BareReleasePagination
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []


urlpatterns = [
    path("bare/releases/", BareReleaseList.as_view()),
    path("", include("purchase_portal.urls")),
]
