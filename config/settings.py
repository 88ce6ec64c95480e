"""Gravity settings: one module, every value from the environment.

Development defaults need no external server: a SQLite file and Celery tasks run in-process.
Set ``DATABASE_URL`` (PostgreSQL via psycopg2) and ``REDIS_URL`` (broker and shared cache)
for anything beyond one process. Production (``DEBUG=0``) needs ``SECRET_KEY`` and
``ALLOWED_HOSTS`` and passes ``manage.py check --deploy`` without a warning.
"""
import os
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY: it is required when DEBUG=0.")
    SECRET_KEY = "development-only-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105  # nosec B105
# Orders for addresses with no account are kept under a keyed digest of the address
# (community.models.commerce.email_digest); changing the key forgets pending orders.
OWNERSHIP_EMAIL_KEY = os.environ.get("OWNERSHIP_EMAIL_KEY") or f"ownership:{SECRET_KEY}"
# The secret the shop signs its purchase calls with (community.commerce.webhook); unset,
# the webhook refuses every call.
SHOP_WEBHOOK_SECRET = os.environ.get("SHOP_WEBHOOK_SECRET", "")
# Reply by email (community/engine/mail_in): notice emails about a thread carry a signed
# reply address at this domain (its MX points at `make mail-in` or at a provider whose
# inbound hook posts to /mail/inbound/, signed with MAIL_IN_SECRET). Unset: no reply
# address, the feature is off.
MAIL_IN_DOMAIN = os.environ.get("MAIL_IN_DOMAIN", "").strip().lower()
MAIL_IN_SECRET = os.environ.get("MAIL_IN_SECRET", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = os.environ.get("SITE_NAME", "Gravity")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
BRAND = {
    "name": SITE_NAME,
    "accent": os.environ.get("BRAND_ACCENT", "#0b6e4f"),
    "logo": os.environ.get("BRAND_LOGO", "img/logo.svg"),
    "tagline": os.environ.get("BRAND_TAGLINE", "Where our customers help each other."),
}

INSTALLED_APPS = [
    "community.identity.adminsite.AdminConfig",  # the admin behind the site's sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "django_htmx",
    "django_celery_beat",
    "community",
    "purpose",
    "partners",
]

MIDDLEWARE = [
    # Before anything can read a body: an oversized one is refused unread (413).
    "community.middleware.RequestSizeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "community.pages.RequestVersionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "community.middleware.ResolvedUserMiddleware",
    # Before any view: NUL and other control characters in the path or parameters are a 400.
    "community.middleware.ControlCharacterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "community.middleware.UnconfiguredProviderMiddleware",
    "community.host.audit.RateLimitAuditMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

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
                "community.context_processors.brand",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The development database (make run): a commit without waiting for the disk twice
    # (write-ahead log, synchronous NORMAL: still durable across a crash of the server,
    # only a power cut may lose the last commits), readers that do not wait for the
    # in-process tasks' writer, and writers that queue instead of failing "locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "community.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_PREFIX", "gravity"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis broker when REDIS_URL is set, in-process otherwise (or when TASKS_EAGER=1).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("TASKS_EAGER", not REDIS_URL)
# The development server's in-process tasks run after the response, on a thread of their
# own (community/engine/enqueue.py); TASKS_EAGER=1 (the tests) runs them inline.
TASKS_AFTER_RESPONSE = env_bool(
    "TASKS_AFTER_RESPONSE", CELERY_TASK_ALWAYS_EAGER and "TASKS_EAGER" not in os.environ)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"

AUTH_USER_MODEL = "community.User"
AUTHENTICATION_BACKENDS = [
    "community.identity.adapters.MemberModelBackend",
    "community.identity.adapters.MemberAuthenticationBackend",
]
# Argon2id first (Django's recommended hasher, with OWASP's parameters: about 16 ms a
# check where PBKDF2 at Django 5.2's million iterations takes about 200 ms on every
# sign-in; community/identity/hashers.py). The others stay so that hashes stored before
# verify, and are rehashed with Argon2id at the member's next sign-in.
PASSWORD_HASHERS = [
    "community.identity.hashers.MemberArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# django-allauth: email is the login, verification is mandatory, enumeration is prevented
# and allauth's rate limits (kept in the cache above, so shared through Redis) stay on.
ACCOUNT_ADAPTER = "community.identity.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "community.identity.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# The admin asks for the password again when this session's last sign-in (or password
# check) is older than this (community/identity/adminsite.py).
ADMIN_RECENT_AUTHENTICATION_MINUTES = int(os.environ.get("ADMIN_RECENT_AUTHENTICATION_MINUTES",
                                                         "30"))
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_FORMS = {"signup": "community.forms.SignupForm"}
RESET_RATE = "20/m/ip,5/m/key"  # password resets: per address, per email
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/d/ip",
    "reset_password": RESET_RATE,
    "confirm_email": "1/3m/key",
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_PROVIDERS = {
    "google": {"SCOPE": ["profile", "email"], "AUTH_PARAMS": {"access_type": "online"}},
    "openid_connect": {"OAUTH_PKCE_ENABLED": True},
}
USERSESSIONS_TRACK_ACTIVITY = False

EMAIL_CONFIG = dj_email_url.parse(os.environ.get("EMAIL_URL", "console://"))
EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_CONFIG.get("EMAIL_HOST", "localhost")
EMAIL_PORT = EMAIL_CONFIG.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = EMAIL_CONFIG.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_CONFIG.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = EMAIL_CONFIG.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <community@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en"
# How dates are written ("1 Dec 2026"): config/formats/en/formats.py, the one definition.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


def s3_media(environ) -> dict | None:
    """Uploaded files in an S3-compatible bucket (django-storages' ``S3Storage``) when
    ``MEDIA_S3_BUCKET`` is set: ``{"storage": STORAGES["default"], "url": MEDIA_URL,
    "origin": what img-src allows}``; None leaves them in ``MEDIA_ROOT``.

    ``MEDIA_S3_ENDPOINT_URL``: a store other than AWS (MinIO, R2, Ceph...), addressed by
    path; ``MEDIA_S3_REGION``; ``MEDIA_S3_CUSTOM_DOMAIN``: the host (a CDN) that serves the
    bucket, by default the bucket's own address. Keys: ``AWS_ACCESS_KEY_ID`` /
    ``AWS_SECRET_ACCESS_KEY``, or boto3's other sources (an instance role). Addresses are
    plain and permanent (no signature: a rendered post keeps them), so the bucket must be
    readable by everyone, as the site's photos are."""
    from urllib.parse import urlsplit

    bucket = environ.get("MEDIA_S3_BUCKET", "").strip()
    if not bucket:
        return None
    endpoint = environ.get("MEDIA_S3_ENDPOINT_URL", "").strip().rstrip("/")
    region = environ.get("MEDIA_S3_REGION", "").strip()
    domain = environ.get("MEDIA_S3_CUSTOM_DOMAIN", "").strip().strip("/")
    protocol = "https:"
    if not domain and endpoint:
        split = urlsplit(endpoint)
        protocol, domain = f"{split.scheme}:", f"{split.netloc}/{bucket}"
    elif not domain:
        domain = f"{bucket}.s3.{region}.amazonaws.com" if region else f"{bucket}.s3.amazonaws.com"
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "region_name": region or None,
        "access_key": environ.get("AWS_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("AWS_SECRET_ACCESS_KEY") or None,
        "custom_domain": domain,
        "url_protocol": protocol,
        "addressing_style": "path" if endpoint else None,
        "querystring_auth": False,  # a rendered post keeps the address: it must not expire
        "file_overwrite": False,  # a name taken gets another, never replaces a file
        "default_acl": None,  # the bucket's policy decides (most stores refuse ACLs)
        # Names are never reused (a server-made key per upload): cached for a year.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    return {"storage": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
            # The renderer keeps only images under MEDIA_URL (content.rendering._is_upload).
            "url": f"{protocol}//{domain}/", "origin": f"{protocol}//{domain.split('/', 1)[0]}"}


MEDIA_S3 = s3_media(os.environ)
if MEDIA_S3:
    MEDIA_URL = MEDIA_S3["url"]
STORAGES = {
    "default": MEDIA_S3["storage"] if MEDIA_S3
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "community.storage.StaticStorage"
    },
}
# Uploads: images only, checked and re-encoded by community.content.images.
# Whole pages for anonymous visitors from the cache (community/pages/anonymous.py).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# Mechanisms of the pages layer switched off one by one, for the bench only
# (community/pages/switches.py; bench/README.md).
PAGES_OFF = frozenset(filter(None, (name.strip() for name in os.environ.get(
    "PAGES_OFF", "").split(","))))
# Posts per minute and per hour for each role (community/content/limits.py, numbers in the admin's
# community settings). Tests turn it off where they build content in bulk (tests/conftest.py).
POSTING_RATE = env_bool("POSTING_RATE", True)

# A search that more posts than this match shows the most recently active threads holding
# every word instead of ranking every match (community/content/search.py, docs/search.md).
SEARCH_BROAD_POSTS = int(os.environ.get("SEARCH_BROAD_POSTS", "5000"))

UPLOAD_MAX_BYTES = 4 * 1024 * 1024
UPLOAD_MAX_PIXELS = 40_000_000
AVATAR_SIZE = 256
# Photos in posts (community/services/media.py): the sizes stored, in pixels on the long side
# (never larger than the original), how many photos a member may upload a day (a 429 past
# it) and how long an upload no post took is kept before the daily clean-up deletes it.
POST_IMAGE_SIZES = (320, 960, 1920)
UPLOAD_IMAGES_PER_DAY = int(os.environ.get("UPLOAD_IMAGES_PER_DAY", "30"))
ORPHAN_IMAGE_HOURS = 24
# A whole request body: an image and its form, with room to spare. Larger bodies are refused
# with 413 before they are read (community.middleware.RequestSizeMiddleware).
REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES + 2 * 1024 * 1024
# Form fields (all but files) in memory at most; uploads above this go to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Invitations: how long a personal invite link stays valid.
INVITE_MAX_AGE_DAYS = int(os.environ.get("INVITE_MAX_AGE_DAYS", "14"))
# A member is asked to help with at most this many questions a week.
ROUTING_WEEKLY_CAP = int(os.environ.get("ROUTING_WEEKLY_CAP", "3"))

# Collections (community/content/limits.py): how many a member may keep (fewer while they
# are new), and how many threads and posts one collection holds.
COLLECTIONS_PER_MEMBER = int(os.environ.get("COLLECTIONS_PER_MEMBER", "50"))
COLLECTIONS_PER_NEW_MEMBER = int(os.environ.get("COLLECTIONS_PER_NEW_MEMBER", "3"))
COLLECTION_ITEMS_MAX = int(os.environ.get("COLLECTION_ITEMS_MAX", "200"))

# Security headers. Content-Security-Policy: no inline script, nothing from other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([MEDIA_S3["origin"]] if MEDIA_S3 else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Social sign-in posts to us and is redirected to the provider; browsers apply
        # form-action to that redirect, so HTTPS providers must be allowed.
        "form-action": [SELF, "https:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
# The demo shop page that embeds the Q&A widget (/demo/shop/): development only by default.
DEMO_SHOP = env_bool("DEMO_SHOP", DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Sessions are read from the shared Redis and written through to PostgreSQL: one query less
# on every signed-in page, and still there when Redis is emptied or away.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
