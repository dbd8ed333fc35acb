"""The OCDS feed under /api/v1/ocds/: anonymous, read-only, cached."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from purchase_portal.drf import ErrorSerializer, PlainDecimalField

from .. import selectors
from ..packages import record, record_package, release_package

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500

OCID = OpenApiParameter("ocid", str, OpenApiParameter.PATH, description=_("Open contracting id"))
PACKAGE = OpenApiResponse(OpenApiTypes.OBJECT, description=_("OCDS 1.1 release package"))
RECORDS = OpenApiResponse(OpenApiTypes.OBJECT, description=_("OCDS 1.1 record package"))
NOT_FOUND = OpenApiResponse(ErrorSerializer, description=_("No such contracting process"))


def cached(view):
    return method_decorator(cache_page(settings.OCDS_CACHE_SECONDS))(view)


class ReleaseListQuerySerializer(serializers.Serializer):
    cursor = serializers.CharField(required=False, help_text=_("From `links.next`."))
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE
    )


class OcdsBulkFileSerializer(serializers.Serializer):
    url = serializers.CharField()
    size = serializers.IntegerField(help_text=_("Bytes"))
    release_count = serializers.IntegerField()
    sha256 = serializers.CharField()
    built_at = serializers.DateTimeField()
    build_seconds = PlainDecimalField(max_digits=9, decimal_places=3)


class OcdsViewSet(viewsets.ViewSet):
    permission_classes = [AllowAny]
    authentication_classes: list = []


class ReleaseViewSet(OcdsViewSet):
    lookup_field = "ocid"
    lookup_value_regex = r"[A-Za-z0-9._-]+"

    @extend_schema(
        operation_id="ocds_releases_list",
        parameters=[ReleaseListQuerySerializer],
        responses={200: PACKAGE, 400: ErrorSerializer},
        summary=_("Every release, newest first, in pages linked by links.next"),
    )
    @cached
    def list(self, request):
        query = ReleaseListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        after = None
        if "cursor" in query.validated_data:
            try:
                after = selectors.decode_cursor(query.validated_data["cursor"])
            except selectors.BadCursor:
                raise ValidationError({"cursor": [_("Invalid cursor.")]}) from None
        size = query.validated_data["page_size"]
        releases, next_key = selectors.release_page(after=after, size=size)
        next_url = None
        if next_key is not None:
            params = request.query_params.copy()
            params["cursor"] = selectors.encode_cursor(*next_key)
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        package = release_package(
            uri=request.build_absolute_uri(), releases=releases, next_url=next_url
        )
        return Response(package)

    @extend_schema(
        operation_id="ocds_releases_by_ocid",
        parameters=[OCID],
        responses={200: PACKAGE, 404: NOT_FOUND},
        summary=_("Release package of one contracting process"),
    )
    @cached
    def retrieve(self, request, ocid=None):
        releases = selectors.releases_for_ocid(ocid=ocid)
        return Response(release_package(uri=request.build_absolute_uri(), releases=releases))


class RecordViewSet(OcdsViewSet):
    lookup_field = "ocid"
    lookup_value_regex = ReleaseViewSet.lookup_value_regex

    @extend_schema(
        operation_id="ocds_records_by_ocid",
        parameters=[OCID],
        responses={200: RECORDS, 404: NOT_FOUND},
        summary=_("Record package (compiled release) of one contracting process"),
    )
    @cached
    def retrieve(self, request, ocid=None):
        releases = selectors.releases_for_ocid(ocid=ocid)
        package = record_package(
            uri=request.build_absolute_uri(), records=[record(ocid=ocid, releases=releases)]
        )
        return Response(package)


class BulkFileViewSet(OcdsViewSet):
    @extend_schema(
        operation_id="ocds_bulk_info",
        responses={200: OcdsBulkFileSerializer, 404: ErrorSerializer},
        summary=_("The bulk file of all releases: size and build time"),
    )
    def list(self, request):
        bulk = selectors.bulk_file()
        if bulk is None:
            raise Http404
        data = OcdsBulkFileSerializer(
            {
                "url": request.build_absolute_uri(reverse("api:ocds-bulk-download")),
                "size": bulk.size,
                "release_count": bulk.release_count,
                "sha256": bulk.sha256,
                "built_at": bulk.built_at,
                "build_seconds": bulk.build_seconds,
            }
        ).data
        return Response(data)

    @extend_schema(
        operation_id="ocds_bulk_download",
        responses={
            (200, "application/gzip"): OpenApiResponse(OpenApiTypes.BINARY),
            404: ErrorSerializer,
        },
        summary=_("Download every release as gzipped JSON Lines"),
    )
    def download(self, request):
        bulk = selectors.bulk_file()
        if bulk is None:
            raise Http404
        return FileResponse(
            bulk.file.open("rb"),
            as_attachment=True,
            filename="releases.jsonl.gz",
            content_type="application/gzip",
        )
