"""Settings for the recovery-content service, read from the environment.

Defaults give a self-contained development setup: SQLite and the local-memory cache.
Production points ``DATABASE_URL`` at PostgreSQL and ``REDIS_URL`` at Redis.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from recovery import background, log_settings, media

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


#: ``development`` (the default) or ``production``. Production turns debugging off, takes
#: every secret and address from the environment (refusing to start without them), requires
#: API keys, and turns on HTTPS redirects, HSTS, secure cookies and JSON request logs.
RECOVERY_ENV = os.environ.get("RECOVERY_ENV", "development").strip().lower()
if RECOVERY_ENV not in {"development", "production"}:
    raise RuntimeError(f"RECOVERY_ENV must be 'development' or 'production', not {RECOVERY_ENV!r}.")
PRODUCTION = RECOVERY_ENV == "production"


def required(name: str) -> str:
    """The environment variable ``name``; production refuses to start without it."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise RuntimeError(f"Set {name}: production settings refuse to start without it.")
    return value


def strong_secret(name: str, value: str) -> str:
    """``value`` if it passes Django's own deployment check for secret keys, else refuse."""
    if len(value) < 50 or len(set(value)) < 5 or value.startswith("django-insecure-"):
        raise RuntimeError(
            f"{name} is too weak: use at least 50 random characters, e.g. from "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    return value


def production_refuses(name: str, allowed: bool) -> None:
    if PRODUCTION and allowed:
        raise RuntimeError(f"{name} cannot be turned on under production settings.")


DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
production_refuses("DJANGO_DEBUG", DEBUG)
if PRODUCTION:
    SECRET_KEY = strong_secret("DJANGO_SECRET_KEY", required("DJANGO_SECRET_KEY"))
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "development-only-not-secret")
# Earlier keys, comma-separated: what they signed (sync tokens, list cursors, sessions) stays
# valid while they are listed, so the key can be rotated without breaking apps' tokens.
SECRET_KEY_FALLBACKS = [
    strong_secret("DJANGO_SECRET_KEY_FALLBACKS", key.strip()) if PRODUCTION else key.strip()
    for key in os.environ.get("DJANGO_SECRET_KEY_FALLBACKS", "").split(",")
    if key.strip()
]
ALLOWED_HOSTS = [
    h.strip()
    for h in (
        required("DJANGO_ALLOWED_HOSTS")
        if PRODUCTION
        else os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
    ).split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
#: How many reverse proxies (load balancers) in front of the app append to X-Forwarded-For:
#: the client's address is the one the outermost of them saw (recovery.clients). 0: none,
#: REMOTE_ADDR is the client and the header is never read.
TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0"))
if TRUSTED_PROXIES < 0:
    raise RuntimeError("DJANGO_TRUSTED_PROXIES is a number of proxies: 0 or more.")

# --- HTTPS (production) ----------------------------------------------------------------
if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True
    # Behind a load balancer that ends TLS: the header it sets on requests that came over
    # HTTPS, as "HEADER,value" (e.g. "X-Forwarded-Proto,https"). Only where the balancer
    # always sets or overwrites it: a client could send it too.
    _proxy_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "")
    if _proxy_header:
        _header, _, _value = _proxy_header.partition(",")
        SECURE_PROXY_SSL_HEADER = (
            "HTTP_" + _header.strip().upper().replace("-", "_"),
            _value.strip(),
        )

INSTALLED_APPS = [
    "content.apps.RecoveryAdminConfig",  # django.contrib.admin, with the product's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_jsonform",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "content",
]

MIDDLEWARE = [
    # First: one JSON line per request, timing everything below.
    "recovery.logs.RequestLogMiddleware",
    # A request never waits on a silent database past its deadline (503 instead).
    "recovery.deadlines.RequestDeadlineMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "content.delivery.problems.ProblemDetailsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "recovery.csp.PagePolicyMiddleware",
    # Last, as django-axes asks: locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

# Brute-force protection on the login (django-axes; recovery.login_limits): after
# AXES_FAILURE_LIMIT failures for one username from one address, that pair is locked out for
# AXES_COOLOFF_TIME; after AXES_ADDRESS_FAILURE_LIMIT failures from one address across
# usernames (password spraying), the address is. The address is the client's (recovery.clients).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_HANDLER = "recovery.login_limits.LoginLimitsHandler"
AXES_CLIENT_IP_CALLABLE = "recovery.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

ROOT_URLCONF = "recovery.urls"
WSGI_APPLICATION = "recovery.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if PRODUCTION:
    required("DATABASE_URL")  # PostgreSQL; the embedded SQLite file is for development
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# A connection kept between requests is checked before it is reused: after a database
# restart the next request reconnects instead of failing.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the write lock instead of failing at once when two requests (or the server
    # and the job worker) write together: a transaction takes the lock when it begins, so
    # two never deadlock upgrading a read lock; with a write-ahead log, writes do not block
    # reads.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL;"
else:
    # Give up on an unreachable server quickly (the request gets a 503), and let the kernel
    # notice a peer that went away silently.
    for _name, _value in {
        "connect_timeout": 3,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        # Data unacknowledged for 10 s: the peer is gone (a network partition).
        "tcp_user_timeout": 10_000,
    }.items():
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(_name, _value)

# The shared cache and rate-limit store; production needs it (per-worker limits would multiply).
REDIS_URL = required("REDIS_URL") if PRODUCTION else os.environ.get("REDIS_URL")
#: Seconds any call to Redis may take (connecting included): reads never wait on it longer.
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.1"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # No retries: a call that fails is counted locally instead (content.delivery.rates).
            "OPTIONS": {
                "socket_timeout": REDIS_TIMEOUT,
                "socket_connect_timeout": REDIS_TIMEOUT,
                "retry_on_error": [],
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
STORAGES.update(media.storages())

# --- Media (pictures; recovery.media) -------------------------------------------------------
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
if not MEDIA_URL.endswith("/"):
    MEDIA_URL += "/"
#: The widths renditions are made at (never wider than the picture).
MEDIA_RENDITION_WIDTHS = [
    int(w) for w in os.environ.get("MEDIA_RENDITION_WIDTHS", "320,640,1024,1600").split(",")
]
#: The largest upload accepted, in bytes, and in pixels (against decompression bombs).
MEDIA_MAX_UPLOAD_BYTES = int(os.environ.get("MEDIA_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
MEDIA_MAX_PIXELS = int(os.environ.get("MEDIA_MAX_PIXELS", str(40_000_000)))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Review policy -------------------------------------------------------------------
# How many distinct reviewers must approve a version of each kind before it can be
# published, and how many days after publication it is next due for review.
# Kinds not named here use the defaults.
REVIEW_POLICY_DEFAULT = {"approvals_required": 1, "review_cycle_days": 365}
REVIEW_POLICY = {
    "supplement": {"approvals_required": 2, "review_cycle_days": 365},
}
# Translations: one reviewer unless set here, by "<locale>:<kind>", "<locale>" or "<kind>"
# (the most specific wins), e.g. {"es:supplement": {"approvals_required": 2}}.
TRANSLATION_REVIEW_POLICY: dict[str, dict[str, int]] = {}

# --- Logs -------------------------------------------------------------------------------
#: ``json`` (one object per line; the production default) or ``text``.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
#: One JSON line per request on ``recovery.requests`` (on by default in production).
REQUEST_LOG = env_bool("REQUEST_LOG", PRODUCTION)
LOGGING = log_settings.logging_config(
    log_format=LOG_FORMAT, request_log=REQUEST_LOG, level=os.environ.get("LOG_LEVEL", "INFO")
)

# --- Content Security Policy (the admin and the API docs; recovery.csp) -----------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # django-jsonform hides its source textarea with a style attribute.
        "style-src-attr": ["'unsafe-inline'"],
        # Pictures' thumbnails may come from a CDN or a bucket (MEDIA_URL, MEDIA_STORAGE=s3).
        "img-src": ["'self'", "data:", *media.image_origins(MEDIA_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Delivery API ----------------------------------------------------------------------
#: Whether apps may read without an API key (allowed in development; production requires keys).
DELIVERY_ALLOW_ANONYMOUS = env_bool("DELIVERY_ALLOW_ANONYMOUS", not PRODUCTION)
production_refuses("DELIVERY_ALLOW_ANONYMOUS", DELIVERY_ALLOW_ANONYMOUS)
#: Rate for reads without a key, per client address (keys carry their own rate). In
#: development anonymous reads are how an app's own test suite calls `make run`: a rate it
#: would meet only gets in the way. In production only preview links are read without a key.
DELIVERY_ANONYMOUS_RATE = os.environ.get(
    "DELIVERY_ANONYMOUS_RATE", "120/min" if PRODUCTION else "100000/min"
)
#: Per worker, answers computed for the current delivery generation are kept up to this many
#: bytes and reused until anything served changes (0 turns the reuse off).
DELIVERY_ANSWER_CACHE_BYTES = int(os.environ.get("DELIVERY_ANSWER_CACHE_BYTES", str(32 * 2**20)))
#: How workers learn that what they serve changed: ``listen`` (PostgreSQL LISTEN/NOTIFY, no
#: round trip per request), ``query`` (read the generation row on every request), or
#: ``auto`` (listen on PostgreSQL, query elsewhere).
DELIVERY_FRESHNESS = os.environ.get("DELIVERY_FRESHNESS", "auto")
#: Sent with every 200; a CDN in front may keep answers this long and then revalidate, and
#: bridge a short outage of ours (stale-if-error) or a slow revalidation with what it has.
DELIVERY_CACHE_CONTROL = os.environ.get(
    "DELIVERY_CACHE_CONTROL", "public, max-age=60, stale-while-revalidate=30, stale-if-error=300"
)
#: Seconds a request may wait on PostgreSQL before its connection is shut down (503).
REQUEST_DEADLINE_SECONDS = float(os.environ.get("REQUEST_DEADLINE_SECONDS", "10"))
#: The most a worker's view of what is published may lag behind the database, in seconds:
#: past it, the worker re-reads the generation row, or answers 503 if it cannot.
DELIVERY_STALENESS_SECONDS = float(os.environ.get("DELIVERY_STALENESS_SECONDS", "2"))
# The medical disclaimer every delivery answer carries (the source material's own wording).
CONTENT_DISCLAIMER = os.environ.get(
    "CONTENT_DISCLAIMER",
    "This content is for educational purposes only and does not substitute professional "
    "medical advice. Individuals with neurological or psychiatric conditions should consult "
    "a healthcare provider before supplementation.",
).strip()
if not CONTENT_DISCLAIMER:
    raise RuntimeError("CONTENT_DISCLAIMER must not be empty: every answer carries it.")

# --- Background work: jobs, webhooks, email (recovery/background.py) ----------------------
globals().update(background.settings(production=PRODUCTION))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["content.delivery.access.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["content.delivery.access.DeliveryAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["content.delivery.access.DeliveryThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "EXCEPTION_HANDLER": "content.delivery.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    # docs/api.md: unknown query parameters are ignored, so `format` must not pick a renderer.
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Recovery content delivery API",
    "DESCRIPTION": (
        "Published, reviewed recovery-plan content for wellness apps. Read-only. "
        "Errors are RFC 9457 problem details. Pass the end user's contraindications as "
        "`profile` to get only what suits them."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "APPEND_COMPONENTS": {},  # filled from content.kinds by content.delivery.schema
    "PREPROCESSING_HOOKS": ["content.delivery.schema.delivery_only"],
    "POSTPROCESSING_HOOKS": ["content.delivery.schema.add_components"],
}
