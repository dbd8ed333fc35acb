"""Settings for the purchase portal, read from the environment (django-environ).

Development defaults are safe and need nothing installed: SQLite, in-process
Celery tasks, local-memory cache, console e-mail. Production (``DEBUG=false``)
refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
DEVELOPMENT = env.bool("DEVELOPMENT", default=False)

if DEBUG or DEVELOPMENT:
    SECRET_KEY = env.str("SECRET_KEY", default="development-only-not-secret")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
else:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_celery_beat",
    "rules.apps.AutodiscoverRulesConfig",
    # The project package holds what every app shares (audit trail,
    # notifications, transitions). Apps in lifecycle order; each depends
    # only on those before it.
    "purchase_portal",
    "purchase_portal.twofactor",
    "organizations",
    "projects",
    "bidding",
    "contracts",
    "evaluation",
    "capacity",
    "analytics",
    "opendata",
]

MIDDLEWARE = [
    # /healthz and /readyz, answered before host checks and the HTTPS redirect.
    "purchase_portal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "purchase_portal.middleware.RequestContextMiddleware",
    # A database that goes away mid-request answers 503 (Retry-After), not 500.
    "purchase_portal.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "purchase_portal.passwords.RequestUserMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # After OTPMiddleware: holds back sessions whose second factor is pending.
    "purchase_portal.twofactor.middleware.TwoFactorMiddleware",
]

# Forms render through Django's templates, the commonest ones written out in Python.
FORM_RENDERER = "purchase_portal.form_rendering.PortalFormRenderer"

ROOT_URLCONF = "purchase_portal.urls"
WSGI_APPLICATION = "purchase_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "purchase_portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when the transaction starts, so concurrent
    # requests wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis down: cache reads miss and writes are dropped (logged); nothing fails.
    CACHES = {
        "default": {
            "BACKEND": "purchase_portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "organizations.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, reading the user's roles and memberships with the user.
    "organizations.auth.PortalModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Validates nothing: audits every password change and revokes the API tokens.
    {"NAME": "purchase_portal.passwords.PasswordChangeAudit"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): lock a username + address pair after
# repeated failures, for a cool-off period.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# The client address as the rest of the portal reads it (TRUSTED_PROXY_COUNT),
# user names cut to what the store keeps, JSON lock-outs on the API.
AXES_CLIENT_IP_CALLABLE = "purchase_portal.throttling.axes_client_ip"
AXES_USERNAME_CALLABLE = "purchase_portal.throttling.axes_username"
AXES_LOCKOUT_CALLABLE = "purchase_portal.throttling.axes_lockout_response"
# Two-factor authentication (django-otp, TOTP): the name authenticator apps show.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Purchase Portal")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language: 2026年12月2日 / 2 Dec 2026 (purchase_portal/formats/).
FORMAT_MODULE_PATH = ["purchase_portal.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploaded files are never served from a public URL: each download goes
# through a view that checks the user's permission on the owning object.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or DEVELOPMENT)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
WHITENOISE_USE_FINDERS = DEBUG or DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEBUG or DEVELOPMENT
# Signed audit anchors are written here, outside the database (a separate
# volume in production); AUDIT_ANCHOR_KEY signs them (defaults to SECRET_KEY).
AUDIT_ANCHOR_DIR = Path(
    env.str("AUDIT_ANCHOR_DIR", default=str(BASE_DIR / "var" / "audit-anchors"))
)
AUDIT_ANCHOR_KEY = env.str("AUDIT_ANCHOR_KEY", default="")
# Every PDF is signed (PAdES) with the federation's certificate and key (PEM
# files). Development uses var/pdf-signing/, created by `make run`.
_dev_signing = BASE_DIR / "var" / "pdf-signing"
PDF_SIGNING_CERT = env.str(
    "PDF_SIGNING_CERT",
    default=str(_dev_signing / "certificate.pem") if DEVELOPMENT or DEBUG else "",
)
PDF_SIGNING_KEY = env.str(
    "PDF_SIGNING_KEY", default=str(_dev_signing / "key.pem") if DEVELOPMENT or DEBUG else ""
)
PDF_SIGNING_KEY_PASSWORD = env.str("PDF_SIGNING_KEY_PASSWORD", default="")
PDF_SIGNING_NAME = env.str("PDF_SIGNING_NAME", default="Purchase Portal")
PDF_SIGNING_REASON = env.str("PDF_SIGNING_REASON", default="Issued by the purchase portal")
PDF_SIGNING_LOCATION = env.str("PDF_SIGNING_LOCATION", default="")
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: one mailer. EMAIL_BACKEND picks it: console (development default), SMTP (production default)
# (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
# EMAIL_USE_SSL) or files in EMAIL_FILE_PATH.
_email_backend = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEVELOPMENT)
    else "django.core.mail.backends.smtp.EmailBackend",
)
_email_options: dict = {}
if _email_backend.endswith(".smtp.EmailBackend"):
    _email_options = {
        "host": env.str("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env.str("EMAIL_HOST_USER", default=""),
        "password": env.str("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        "use_ssl": env.bool("EMAIL_USE_SSL", default=False),
        "timeout": env.int("EMAIL_TIMEOUT", default=30),
    }
elif _email_backend.endswith(".filebased.EmailBackend"):
    _email_options = {"file_path": env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mail"))}
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")

# Security headers. Cookies are secure outside development.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not (DEBUG or DEVELOPMENT)
CSRF_COOKIE_SECURE = not (DEBUG or DEVELOPMENT)
LANGUAGE_COOKIE_SECURE = not (DEBUG or DEVELOPMENT)
# Production answers HTTPS only, with HSTS (one year); `manage.py check --deploy`
# is clean with these defaults. /healthz and /readyz are exempt (health.py).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not (DEBUG or DEVELOPMENT))
SECURE_HSTS_SECONDS = env.int(
    "SECURE_HSTS_SECONDS", default=0 if (DEBUG or DEVELOPMENT) else 31536000
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not (DEBUG or DEVELOPMENT)
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not (DEBUG or DEVELOPMENT))
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Number of reverse proxies in front of the web process whose
# X-Forwarded-For entries are trusted for the client address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

#: Rows per page of every list, on pages (purchase_portal.paging) and in the API
#: (purchase_portal.drf.PortalCursorPagination); both page by keyset.
PAGE_SIZE = 50
#: Lists count their results up to this many rows; above it they say "more than"
#: (or, on PostgreSQL, "about" the planner's estimate).
LIST_COUNT_CAP = 1000

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request is answered 401 with WWW-Authenticate.
        # Tokens are stored hashed and expire (django-rest-knox; purchase_portal.tokens).
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "purchase_portal.drf.PortalCursorPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "purchase_portal.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "purchase_portal.drf.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Purchase Portal API",
    "DESCRIPTION": _(
        "Purchase of disability services: organizations, projects, rounds, bids, "
        "contracts, supervision and evaluation."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "purchase_portal.drf.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "TargetKindEnum": "projects.models.TargetKind",
        "DisabilityCategoryEnum": "projects.models.DisabilityCategory",
        "DisabilityGradeEnum": "projects.models.DisabilityGrade",
        "ProjectStatusEnum": "projects.models.PurchaseProject.Status",
        "ContractStatusEnum": "contracts.models.Contract.Status",
        "AmendmentStatusEnum": "contracts.models.ContractAmendment.Status",
        "PaymentTrancheStatusEnum": "contracts.models.PaymentTranche.Status",
        "ProgressReportStatusEnum": "contracts.models.ProgressReport.Status",
        "ProgressReportDisplayStatusEnum": "contracts.models.reports.DISPLAY_STATUS_CHOICES",
        "RectificationStatusEnum": "contracts.models.Rectification.Status",
        "SiteVisitRatingEnum": "contracts.models.SiteVisit.Rating",
        "OrganizationRatingEnum": "organizations.models.Organization.Rating",
        "RoundKindEnum": "bidding.models.Round.Kind",
        "RoundStatusEnum": "bidding.models.Round.Status",
        "LotStatusEnum": "bidding.models.Lot.Status",
        "BidStatusEnum": "bidding.models.Bid.Status",
        "RubricCriterionKindEnum": "bidding.models.RubricCriterion.Kind",
        "TrancheConditionEnum": "bidding.models.TranchePlanItem.Condition",
        "EvaluationStatusEnum": "evaluation.models.Evaluation.Status",
        "EvaluationJobStatusEnum": "evaluation.models.ReportArchive.Status",
        "EvaluationIndicatorSourceEnum": "evaluation.models.Indicator.Source",
        "IncubationStatusEnum": "capacity.models.Incubation.Status",
        "RelatedBiddersDecisionEnum": "bidding.models.RelatedBiddersDecision.Decision",
    },
}

# Celery: with REDIS_URL a real broker; without it tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task is acknowledged after it ran (acks_late); if its worker dies (SIGKILL, lost
# machine) the broker hands it to a worker again after this many seconds. Tasks are
# idempotent, so a task that outlives the timeout and runs twice does no harm.
# A broker host that does not answer is given up after 2 seconds (the outbox
# keeps what could not be sent).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    "socket_connect_timeout": 2,
}

# Logs: one JSON object per line in production (LOG_FORMAT=json), with the
# request id and client address of the request being served.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if (DEBUG or DEVELOPMENT) else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "purchase_portal.logs.RequestContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(client_ip)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}

# Public pages (calls, notices, published contracts, the home page) are kept
# this many seconds for visitors who are not signed in; any change of the
# records shown, and a deadline on the page, ends that sooner
# (purchase_portal/public_pages.py). 0 turns it off. Only with Redis by default:
# a change must reach the cache every worker reads, not one process's own.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60 if REDIS_URL else 0)
# A user's dashboard panels are kept this many seconds; any change of the
# records ends that sooner (purchase_portal/dashboard.py). 0 turns it off.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=60 if REDIS_URL else 0)

# Bare DRF lists of the same rows as the portal's lists at /bench/bare/…, the
# yardstick of `make loadtest` (benchmarks/loadtest). Never on in production.
BENCHMARK_BARE_LISTS = env.bool("BENCHMARK_BARE_LISTS", default=False)

# Prometheus metrics at /metrics (request latency, task queue length): off by default.
PROMETHEUS_ENABLED = env.bool("PROMETHEUS_ENABLED", default=False)
if PROMETHEUS_ENABLED:
    INSTALLED_APPS.append("django_prometheus")
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]

# The district whose Disabled Persons' Federation runs the portal: its name is
# part of the site name on every page, e-mail and PDF (English pages use the
# _EN name when given).
PORTAL_DISTRICT = env.str("PORTAL_DISTRICT", default="示例区")
PORTAL_DISTRICT_EN = env.str("PORTAL_DISTRICT_EN", default="Example District")
# The purchaser's contact printed on calls and tender documents.
PORTAL_CONTACT_NAME = env.str("PORTAL_CONTACT_NAME", default="")
PORTAL_CONTACT_PHONE = env.str("PORTAL_CONTACT_PHONE", default="")
PORTAL_CONTACT_EMAIL = env.str("PORTAL_CONTACT_EMAIL", default="")
PORTAL_CONTACT_ADDRESS = env.str("PORTAL_CONTACT_ADDRESS", default="")
# The district's administrative code: the first part of every notice number.
PORTAL_DISTRICT_CODE = env.str("PORTAL_DISTRICT_CODE", default="310000")

# Portal rules that an operator may tune.
PORTAL = {
    "INVITATION_DAYS": env.int("INVITATION_DAYS", default=14),
    "CREDENTIAL_REMINDER_DAYS": env.int("CREDENTIAL_REMINDER_DAYS", default=30),
    # How many working days an officer usually takes to verify an application
    # (told to applicants; the federation's own service promise).
    "VERIFICATION_WORKING_DAYS": env.int("VERIFICATION_WORKING_DAYS", default=5),
    # Payments above this amount (CNY) need an approver's approval besides finance's.
    "PAYMENT_APPROVER_THRESHOLD": env.int("PAYMENT_APPROVER_THRESHOLD", default=100000),
    # Staff (federation roles, admin users, superusers) must sign in with a
    # second factor (TOTP). Off by default in development so demos stay simple.
    "REQUIRE_2FA_FOR_STAFF": env.bool("REQUIRE_2FA_FOR_STAFF", default=not (DEBUG or DEVELOPMENT)),
    # API token lifetimes: staff roles (hours) and everyone else (days).
    "TOKEN_TTL_STAFF_HOURS": env.int("TOKEN_TTL_STAFF_HOURS", default=10),
    "TOKEN_TTL_ORGANIZATION_DAYS": env.int("TOKEN_TTL_ORGANIZATION_DAYS", default=30),
}

# Open data (OCDS 1.1). The ocid prefix is registered with the Open Contracting
# Partnership by the publisher; "ocds-demo00" is a demonstration prefix only.
OCDS_OCID_PREFIX = env.str("OCDS_OCID_PREFIX", default="ocds-demo00")
OCDS_PUBLISHER_NAME = env.str(
    "OCDS_PUBLISHER_NAME", default="District Disabled Persons' Federation"
)
OCDS_PUBLISHER_UID = env.str("OCDS_PUBLISHER_UID", default="")
OCDS_LICENSE = env.str("OCDS_LICENSE", default="https://creativecommons.org/licenses/by/4.0/")
OCDS_CACHE_SECONDS = env.int("OCDS_CACHE_SECONDS", default=300)
# API tokens (django-rest-knox): SHA-512 digests in the database, "Token <key>"
# in the Authorization header; lifetimes per user in purchase_portal.tokens.
REST_KNOX = {"AUTH_HEADER_PREFIX": "Token", "AUTO_REFRESH": False}
