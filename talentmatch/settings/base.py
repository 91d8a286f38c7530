"""Settings read from the environment (django-environ), with embedded defaults for a laptop.

Embedded defaults: SQLite in the project folder and, when no broker URL is given, Celery tasks run
in-process (a notice is printed once). Production hardening lives in ``production.py``.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A development-only key: production.py refuses to start without a real SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="dev-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "apps.core",
    "apps.accounts",
    "apps.skills",
    "apps.talent",
    "apps.jobs",
    "apps.matching",
    "apps.cohorts",
    "apps.applications",
    "apps.notifications",
    "apps.reports",
    "apps.imports",
    "apps.ops",
    "apps.web",
    "apps.privacy",
    "axes",  # login lockout (apps.core.security)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "apps.core.api.ApiLanguageMiddleware",  # API answers in the Accept-Language of the request
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.privacy.middleware.AuditMiddleware",  # request context for audit events; records refused access
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out login into the 429 answer
]

ROOT_URLCONF = "talentmatch.urls"
WSGI_APPLICATION = "talentmatch.wsgi.application"
ASGI_APPLICATION = "talentmatch.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server read while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["timeout"] = 30
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"
# Brute force (apps.core.security): the lockout backend goes first; ModelBackend signs in by email.
AUTHENTICATION_BACKENDS = ["apps.core.security.AxesBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)  # per account and address...
AXES_ACCOUNT_FAILURE_LIMIT = env.int("AXES_ACCOUNT_FAILURE_LIMIT", default=50)  # ...and per account from anywhere
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=60))
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "apps.core.security.axes_username"
AXES_LOCKOUT_CALLABLE = "apps.core.security.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["username", "email", "ip_address"]
AXES_DISABLE_ACCESS_LOG = True  # keep failures only, not every successful login's address
AXES_VERBOSE = False
# Behind a reverse proxy set TRUSTED_PROXY_COUNT (e.g. 1): client addresses then come from X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ],
)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="TalentMatch <noreply@talentmatch.local>")

# Coalescing of match recomputes needs a cache every process shares: Redis when it is the broker.
_default_cache = "locmemcache://"
if env("CELERY_BROKER_URL", default=env("REDIS_URL", default="")).startswith("redis"):
    _default_cache = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="")).rsplit("/", 1)[0] + "/1"
    _default_cache = _default_cache.replace("redis://", "rediscache://", 1)
CACHES = {"default": env.cache("CACHE_URL", default=_default_cache)}
# Cached answers of the ranked-candidates and vacancy-browse APIs (apps.core.respcache), in seconds; 0 = off.
# Invalidation reaches every process only through a shared cache, so it is off with a per-process one.
RESPONSE_CACHE_SECONDS = env.int("RESPONSE_CACHE_SECONDS",
                                 default=0 if "locmem" in CACHES["default"]["BACKEND"].lower() else 120)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: the age counts from the last request
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    # Token first: DRF answers an anonymous request with the first class's challenge (401 + WWW-Authenticate).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.ApiAutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    # Scoped throttles on expensive operations (apps.core.security): "<scope>" per user, "<scope>_ip" per address.
    "DEFAULT_THROTTLE_CLASSES": ["apps.core.security.ScopedUserRateThrottle",
                                 "apps.core.security.ScopedIPRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "rematch": "30/hour", "rematch_ip": "300/hour",
        "reports_build": "20/hour", "reports_build_ip": "200/hour",
        "imports": "30/hour", "imports_ip": "300/hour",
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TalentMatch API",
    "DESCRIPTION": "Cross-border e-commerce talent matching: skills, profiles, vacancies, matches.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choice set, so the same field name with different choices does not collide.
    "ENUM_NAME_OVERRIDES": {
        "JobTypeEnum": "apps.talent.models.JobType",
        "SkillSourceEnum": "apps.skills.models.SkillSource",
        "ProfileSkillSourceEnum": "apps.talent.models.SkillSourceKind",
        "ApprovalStatusEnum": "apps.accounts.models.ApprovalStatus",
        "VacancyStatusEnum": "apps.jobs.models.VacancyStatus",
        "ApplicationSourceEnum": "apps.applications.models.Source",
        "ApplicationStageEnum": "apps.applications.models.Stage",
        "PlacementSourceEnum": "apps.cohorts.models.PlacementSource",
        "ReportStatusEnum": "apps.reports.models.SnapshotStatus",
    },
}

# Celery: a broker URL switches to real workers; without one tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A message delivered more often than this without finishing (it kills or hangs the worker each time) is
# rejected and recorded in apps.ops FailedTask instead of being redelivered forever (worker/base.py).
CELERY_TASK_MAX_DELIVERIES = env.int("CELERY_TASK_MAX_DELIVERIES", default=3)
if CELERY_TASK_ALWAYS_EAGER and env.bool("TALENTMATCH_EAGER_NOTICE", default=True) and "pytest" not in sys.modules:
    print(
        "TalentMatch: no CELERY_BROKER_URL/REDIS_URL set - background tasks run in-process (eager mode).",
        file=sys.stderr,
    )

MATCHING = {
    "TOP_K": env.int("MATCH_TOP_K", default=50),
    "SHARDS": env.int("MATCH_SHARDS", default=4),
    "THREADS": env.int("MATCH_THREADS", default=2),
    "COALESCE_SECONDS": env.float("MATCH_COALESCE_SECONDS", default=1.0),
    # Test-only fault injection: seconds a shard waits before writing (0 in every real deployment).
    "SHARD_DELAY_SECONDS": env.float("MATCH_SHARD_DELAY", default=0.0),
    # Without a broker, the rematch after an import runs inline (default: commands such as seed_demo must
    # finish it before they exit) or, with "thread", in a background thread of a long-running web process.
    "AFTER_IMPORT": env("MATCH_AFTER_IMPORT", default="inline"),
    # A full run still "running" with no shard finishing for this long is marked failed by the periodic
    # maintenance.fail_stuck_runs (default 2 h: above a shard's time limit plus the broker's visibility timeout).
    "STUCK_AFTER_SECONDS": env.int("MATCH_STUCK_AFTER_SECONDS", default=2 * 60 * 60),
}

# Government reports: a vacancy is well covered with QUALIFIED_MIN candidates scoring at least QUALIFIED_SCORE;
# a "near miss" scores within NEAR_MISS_MARGIN below that line.
REPORTS = {
    "QUALIFIED_MIN": env.int("REPORTS_QUALIFIED_MIN", default=3),
    "QUALIFIED_SCORE": env.float("REPORTS_QUALIFIED_SCORE", default=0.6),
    "NEAR_MISS_MARGIN": env.float("REPORTS_NEAR_MISS_MARGIN", default=0.15),
    "SUPPRESS_BELOW": 5,
}

# Privacy (docs/security.md "Privacy"): consents are recorded against this policy version; the retention job
# (privacy.purge_stale_data, `manage.py purge_stale_data`) applies these limits, in days.
PRIVACY_POLICY_VERSION = env("PRIVACY_POLICY_VERSION", default="2025-01")
PRIVACY_RETENTION = {
    "UNCLAIMED_ACCOUNT_DAYS": env.int("PRIVACY_UNCLAIMED_ACCOUNT_DAYS", default=365),
    "INACTIVE_ACCOUNT_DAYS": env.int("PRIVACY_INACTIVE_ACCOUNT_DAYS", default=3 * 365),
    "AUDIT_EVENT_DAYS": env.int("PRIVACY_AUDIT_EVENT_DAYS", default=3 * 365),
    "NOTIFICATION_DAYS": env.int("PRIVACY_NOTIFICATION_DAYS", default=365),
    "UNMATCHABLE_MATCH_DAYS": env.int("PRIVACY_UNMATCHABLE_MATCH_DAYS", default=7),
    # failed sign-ins kept by django-axes (email tried, address) once the lockout window has long passed
    "FAILED_LOGIN_DAYS": env.int("PRIVACY_FAILED_LOGIN_DAYS", default=1),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
