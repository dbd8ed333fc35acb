from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from bidding.api import bids as bid_api
from bidding.api import review as review_api
from bidding.api import rounds as round_api
from contracts import api as contract_api
from organizations import api as org_api
from projects import api as project_api

from . import anchor_views, api, signin, tokens_api, tokens_views, views

router = DefaultRouter()
router.register("organizations", org_api.OrganizationViewSet, basename="organization")
router.register(
    r"organizations/(?P<organization_pk>[0-9]+)/members",
    org_api.MemberViewSet,
    basename="organization-member",
)
router.register("credentials", org_api.CredentialViewSet, basename="credential")
router.register("projects", project_api.ProjectViewSet, basename="project")
router.register("catalogue-items", project_api.CatalogueItemViewSet, basename="catalogue-item")
router.register("rounds", round_api.RoundViewSet, basename="round")
router.register(
    r"rounds/(?P<round_pk>[0-9]+)/questions", round_api.QuestionViewSet, basename="round-question"
)
router.register("lots", round_api.LotViewSet, basename="lot")
router.register("bids", bid_api.BidViewSet, basename="bid")
router.register("panels", review_api.PanelViewSet, basename="panel")
router.register("scores", review_api.ScoreSheetViewSet, basename="score-sheet")
router.register("awards", review_api.AwardViewSet, basename="award")
router.register("notices", review_api.NoticeViewSet, basename="notice")
router.register("objections", review_api.ObjectionViewSet, basename="objection")
router.register("contracts", contract_api.ContractViewSet, basename="contract")
router.register("amendments", contract_api.AmendmentViewSet, basename="amendment")
router.register("payments", contract_api.PaymentViewSet, basename="payment")
router.register("progress-reports", contract_api.ProgressReportViewSet, basename="progress-report")
router.register("site-visits", contract_api.SiteVisitViewSet, basename="site-visit")
router.register("rectifications", contract_api.RectificationViewSet, basename="rectification")
router.register("audit-events", api.AuditEventViewSet, basename="audit-event")
router.register("notifications", api.NotificationViewSet, basename="notification")

# Apps that own their API routes in ``<app>/api/urls.py``, included by dotted path.
APP_API_URLCONFS = [
    "evaluation.api.urls",
    "capacity.api.urls",
    "analytics.api.urls",
    "opendata.api.urls",
]

api_patterns = [
    path("auth/token/", org_api.TokenView.as_view(), name="token"),
    path("auth/tokens/", tokens_api.ApiTokenListView.as_view(), name="token-list"),
    path(
        "auth/tokens/<str:token_id>/",
        tokens_api.ApiTokenDetailView.as_view(),
        name="token-detail",
    ),
    path("me/", org_api.MeView.as_view(), name="me"),
    *router.urls,
    *[path("", include(urlconf)) for urlconf in APP_API_URLCONFS],
]

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("notifications/", views.notification_inbox, name="notifications"),
    path("notifications/read/", views.notification_mark_read, name="notifications-read"),
    path("audit/", views.audit_trail, name="audit-trail"),
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
