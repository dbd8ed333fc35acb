from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.routers import DefaultRouter

from contracts import api

RESOURCES = [
    ("contracts", api.ContractViewSet, "contract"),
    ("amendments", api.AmendmentViewSet, "amendment"),
    ("payments", api.PaymentViewSet, "payment"),
    ("progress-reports", api.ProgressReportViewSet, "progress-report"),
    ("site-visits", api.SiteVisitViewSet, "site-visit"),
    ("rectifications", api.RectificationViewSet, "rectification"),
]


def test_contract_endpoints_are_in_a_valid_schema(db):
    router = DefaultRouter()
    for prefix, viewset, basename in RESOURCES:
        router.register(prefix, viewset, basename=basename)
    generator = SchemaGenerator(patterns=[path("api/v1/", include((router.urls, "api")))])
    schema = generator.get_schema(request=None, public=True)
    validate_schema(schema)
    paths = schema["paths"]
    for expected in (
        "/api/v1/contracts/{id}/sign/",
        "/api/v1/contracts/{id}/send_for_signature/",
        "/api/v1/contracts/{id}/complete/",
        "/api/v1/contracts/{id}/terminate/",
        "/api/v1/contracts/{id}/pdf/",
        "/api/v1/amendments/{id}/sign/",
        "/api/v1/payments/{id}/request/",
        "/api/v1/payments/{id}/approve/",
        "/api/v1/payments/{id}/pay/",
        "/api/v1/progress-reports/{id}/submit/",
        "/api/v1/progress-reports/{id}/accept/",
        "/api/v1/progress-reports/{id}/return/",
        "/api/v1/rectifications/{id}/respond/",
        "/api/v1/site-visits/",
    ):
        assert expected in paths, expected


def test_contract_routes_are_registered_on_the_main_router():
    from django.urls import reverse

    assert reverse("api:contract-sign", args=[1]) == "/api/v1/contracts/1/sign/"
    assert reverse("api:payment-request", args=[1]) == "/api/v1/payments/1/request/"
    assert reverse("api:progress-report-return", args=[1]) == "/api/v1/progress-reports/1/return/"
