from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import anchor_views, api, signin, tokens_api, tokens_views, views

router = DefaultRouter()
router.register("audit-events", api.AuditEventViewSet, basename="audit-event")
router.register("notifications", api.NotificationViewSet, basename="notification")

# Every app owns its API routes in ``<app>/api/urls.py``, included by dotted path
# so the kernel imports no app.
APP_API_URLCONFS = [
    "organizations.api.urls",
    "projects.api.urls",
    "bidding.api.urls",
    "contracts.api.urls",
    "evaluation.api.urls",
    "capacity.api.urls",
    "analytics.api.urls",
    "opendata.api.urls",
]

api_patterns = [
    path("auth/tokens/", tokens_api.ApiTokenListView.as_view(), name="token-list"),
    path(
        "auth/tokens/<str:token_id>/",
        tokens_api.ApiTokenDetailView.as_view(),
        name="token-detail",
    ),
    *[path("", include(urlconf)) for urlconf in APP_API_URLCONFS],
    *router.urls,
]

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("notifications/", views.notification_inbox, name="notifications"),
    path("notifications/read/", views.notification_mark_read, name="notifications-read"),
    path("audit/", views.audit_trail, name="audit-trail"),
    path("audit/export.csv", views.audit_trail_export, name="audit-trail-export"),
    path("audit/anchors/", anchor_views.anchor_list, name="audit-anchors"),
    path("accounts/login/", signin.SignInView.as_view(), name="login"),
    path("accounts/tokens/", tokens_views.token_page, name="api-tokens"),
    path(
        "accounts/tokens/<str:token_id>/revoke/",
        tokens_views.token_revoke,
        name="api-token-revoke",
    ),
    path("accounts/", include("purchase_portal.twofactor.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("organizations/", include("organizations.urls")),
    path("projects/", include("projects.urls")),
    path("rounds/", include("bidding.urls")),
    path("contracts/", include("contracts.urls")),
    # evaluation owns /evaluations/… and the public /verify/…; opendata owns
    # /open-data/… and the public contract summaries.
    path("", include("evaluation.urls")),
    path("capacity/", include("capacity.urls")),
    path("analytics/", include("analytics.urls")),
    path("", include("opendata.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

if settings.PROMETHEUS_ENABLED:
    from . import metrics

    metrics.register()
    urlpatterns.append(path("", include("django_prometheus.urls")))

if settings.BENCHMARK_BARE_LISTS:
    # The load test's yardstick (make loadtest); the module lives outside the apps.
    urlpatterns.append(path("bench/", include("benchmarks.loadtest.bare_urls")))

handler400 = "purchase_portal.views.bad_request"
handler404 = "purchase_portal.views.not_found"
handler500 = "purchase_portal.unavailable.server_error"
