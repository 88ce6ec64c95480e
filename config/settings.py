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
    # First: ``manage.py runserver`` (``make run``) serves the ASGI application, so the live
    # stream (community/engine/live) works there too, in the same one process.
    "daphne",
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
    "allauth.socialaccount.providers.saml",
    "allauth.usersessions",
    "django_htmx",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here (no other host)
    "oauth2_provider",  # OAuth 2 for third-party apps (community/api/oauth/)
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
    # The visitor's language: the language cookie (the footer's picker), else Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "community.middleware.ResolvedUserMiddleware",
    # A signed-in member's own choice (User.language) over the browser's.
    "community.middleware.MemberLanguageMiddleware",
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
# The live stream's server (README "Live updates"): ``/stream/`` on uvicorn in production,
# every other path on gunicorn; both are served by this one application under ``make run``.
ASGI_APPLICATION = "config.asgi.application"
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

# Live updates (community/engine/live): the engine wakes every stream process through
# Redis after it has applied events; without Redis (``make run``) the stream process wakes
# itself in-process and reads the outbox every LIVE_POLL_SECONDS anyway.
LIVE_STREAM_URL = os.environ.get("LIVE_STREAM_URL", "/stream/")
LIVE_POLL_SECONDS = float(os.environ.get("LIVE_POLL_SECONDS") or (15 if REDIS_URL else 1))
LIVE_KEEPALIVE_SECONDS = float(os.environ.get("LIVE_KEEPALIVE_SECONDS") or 25)

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
# Proxies in front that append to X-Forwarded-For (1 behind the README's nginx; 0: none, and
# the connection's own address is the client's). Sign-in and sign-up rate limits (allauth)
# and the API's limits for anonymous readers count the address the nearest proxy saw;
# whatever a client writes in that header before it is never believed.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXIES

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
# A sign-in matched to an existing member by a verified address links the provider's
# account to them. Only SAML matches by address at all ("email_authentication" in its app
# below; community/identity/adapters.py refuses a member whose own address is unverified).
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

_SAML_DEFAULT_ATTRIBUTES = {
    "email": "email,mail,urn:oid:0.9.2342.19200300.100.1.3,"
             "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    "name": "displayName,name,urn:oid:2.16.840.1.113730.3.1.241,"
            "http://schemas.microsoft.com/identity/claims/displayname",
    "groups": "groups,memberOf,urn:oid:1.3.6.1.4.1.5923.1.5.1.1,"
              "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
}


def saml_apps(environ) -> list[dict]:
    """Single sign-on with SAML 2.0 (allauth's SAML provider): the one identity provider
    Gravity trusts, or none (the login page then shows no SAML button).

    On when ``SAML_IDP_METADATA_URL`` (fetched, kept in the cache for 4 hours) or
    ``SAML_IDP_METADATA_FILE`` (read at start-up) names the IdP's metadata.
    ``SAML_IDP_ENTITY_ID``: the IdP's entity id when its metadata lists several.
    ``SAML_IDP_NAME``: the button reads "Sign in with <name>" (default "company sign-in").
    ``SAML_SLUG`` (``sso``): the addresses Gravity gives the IdP,
    ``/accounts/saml/<slug>/acs/`` (assertion consumer) and ``.../metadata/`` (Gravity's SP
    metadata). ``SAML_SP_ENTITY_ID``: Gravity's entity id, the audience the IdP must name
    (default: that metadata address).
    Attributes, each a comma-separated list of names tried in order:
    ``SAML_ATTRIBUTE_EMAIL``, ``SAML_ATTRIBUTE_NAME`` (display name), ``SAML_ATTRIBUTE_GROUPS``;
    ``SAML_ATTRIBUTE_UID`` (default: the NameID). ``SAML_STAFF_GROUP``: the group value that
    makes a member a staff host, checked at every sign-in (leaving the group removes it);
    unset, SAML changes nobody's role. ``SAML_EMAIL_VERIFIED`` (``true``): the IdP's
    addresses count as verified (``false``: none do; or a comma-separated list of domains
    that do). A verified address signs in the member who has verified it here, and links
    them; new people get an account at their first sign-in.
    Responses and assertions must be signed by the IdP's certificate, name Gravity as
    audience and its ACS as recipient, be in time, and answer a request this browser made
    (so a response is used once); IdP-initiated sign-in is refused."""
    metadata_url = environ.get("SAML_IDP_METADATA_URL", "").strip()
    metadata_file = environ.get("SAML_IDP_METADATA_FILE", "").strip()
    if not metadata_url and not metadata_file:
        return []
    entity_id = environ.get("SAML_IDP_ENTITY_ID", "").strip() or None
    if metadata_url:
        idp = {"metadata_url": metadata_url, "entity_id": entity_id}
    else:
        from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

        parsed = OneLogin_Saml2_IdPMetadataParser.parse(
            Path(metadata_file).read_text(), entity_id=entity_id)["idp"]
        idp = {"entity_id": parsed["entityId"], "x509cert": parsed["x509cert"],
               "sso_url": parsed["singleSignOnService"]["url"]}

    def names(key):
        value = environ.get(f"SAML_ATTRIBUTE_{key.upper()}", _SAML_DEFAULT_ATTRIBUTES.get(key, ""))
        return [name.strip() for name in value.split(",") if name.strip()]

    mapping = {"email": names("email"), "name": names("name")}
    if names("uid"):
        mapping["uid"] = names("uid")
    verified = environ.get("SAML_EMAIL_VERIFIED", "true").strip().lower()
    if verified in ("true", "1", "yes", "on"):
        verified_email = True
    elif verified in ("false", "0", "no", "off", ""):
        verified_email = False
    else:
        verified_email = [domain.strip() for domain in verified.split(",") if domain.strip()]
    sp_entity_id = environ.get("SAML_SP_ENTITY_ID", "").strip()
    return [{
        "name": environ.get("SAML_IDP_NAME", "").strip() or "company sign-in",
        "provider_id": "saml",
        "client_id": environ.get("SAML_SLUG", "").strip() or "sso",
        "settings": {
            "idp": idp,
            "sp": {"entity_id": sp_entity_id} if sp_entity_id else {},
            "attribute_mapping": mapping,
            "verified_email": verified_email,
            "email_authentication": True,
            "advanced": {
                "strict": True,
                "want_assertion_signed": True,
                "want_message_signed": False,
                "reject_idp_initiated_sso": True,
                "allow_single_label_domains": True,  # "localhost" in development
            },
            # Read by community/identity/saml.py (allauth ignores them).
            "groups_attribute": names("groups"),
            "staff_group": environ.get("SAML_STAFF_GROUP", "").strip(),
        },
    }]


def saml_form_origins(apps: list[dict]) -> list[str]:
    """The sign-in button posts to Gravity, which redirects the browser to the IdP, and
    browsers apply CSP's form-action to that redirect: an IdP served over plain HTTP (a
    test or an intranet one; HTTPS ones are allowed already) is added by its origin, that
    of its metadata address or single sign-on address."""
    from urllib.parse import urlsplit

    origins = []
    for app in apps:
        idp = app["settings"]["idp"]
        split = urlsplit(idp.get("sso_url") or idp.get("metadata_url") or "")
        if split.scheme == "http" and split.netloc:
            origins.append(f"http://{split.netloc}")
    return origins


SAML_APPS = saml_apps(os.environ)
if SAML_APPS:
    SOCIALACCOUNT_PROVIDERS["saml"] = {"APPS": SAML_APPS}
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

# Web push (community/engine/push/keys.py): the VAPID key pair (``manage.py vapid_keys``)
# and the contact push services may write to. Without keys push is simply off; the
# development server makes a pair of its own once, kept in VAPID_DEV_FILE.
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "").strip()
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "").strip()
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "").strip()
VAPID_DEV_KEYS = env_bool("VAPID_DEV_KEYS", DEBUG)
VAPID_DEV_FILE = Path(os.environ.get("VAPID_DEV_FILE", BASE_DIR / "var" / "vapid-dev.json"))
# How long a push service keeps a message for a device that is offline (seconds).
PUSH_TTL = int(os.environ.get("PUSH_TTL", "86400"))

LANGUAGE_CODE = "en"
# The languages the site is translated into (locale/<code>/LC_MESSAGES/django.po; `make
# messages` gathers and compiles them). Arabic is written right to left: base.html sets
# dir="rtl" and gravity.css lays out with logical properties, so the page mirrors.
LANGUAGES = [("en", "English"), ("es", "Español"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# How dates and numbers are written: config/formats/<code>/formats.py ("1 Dec 2026" in
# English), Django's own formats for the rest.
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
# What the running code is, for the keys of kept pages and fragments: a deploy may name it
# (a commit, a tag); else it is a hash of the code, templates, translations and static
# files on disk (community.pages.store.release), so a new release never serves a page
# the last one rendered.
RELEASE = os.environ.get("RELEASE", "")
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
# Webhooks (community/api/webhooks, docs/webhooks.md): loopback addresses and plain http are
# refused unless this is on (the tests, a developer's own receiver); retries for a day; an
# endpoint is disabled after this many failures in a row, or a day of failures.
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", False)
# Fernet keys that seal webhook signing secrets at rest, newest first (empty: one derived
# from SECRET_KEY). Make one with `manage.py webhook_secrets_reseal --new-key`.
WEBHOOK_SECRET_KEYS = [k for k in os.environ.get("WEBHOOK_SECRET_KEYS", "").split(",") if k]
WEBHOOKS_RETRY_SECONDS = int(os.environ.get("WEBHOOKS_RETRY_SECONDS", str(24 * 3600)))
WEBHOOKS_DISABLE_AFTER_FAILURES = int(os.environ.get("WEBHOOKS_DISABLE_AFTER_FAILURES", "100"))
WEBHOOKS_DISABLE_AFTER_SECONDS = int(os.environ.get("WEBHOOKS_DISABLE_AFTER_SECONDS",
                                                    str(24 * 3600)))
# A member is asked to help with at most this many questions a week.
ROUTING_WEEKLY_CAP = int(os.environ.get("ROUTING_WEEKLY_CAP", "3"))

# Collections (community/content/limits.py): how many a member may keep (fewer while they
# are new), and how many threads and posts one collection holds.
COLLECTIONS_PER_MEMBER = int(os.environ.get("COLLECTIONS_PER_MEMBER", "50"))
COLLECTIONS_PER_NEW_MEMBER = int(os.environ.get("COLLECTIONS_PER_NEW_MEMBER", "3"))
COLLECTION_ITEMS_MAX = int(os.environ.get("COLLECTION_ITEMS_MAX", "200"))

# The public REST API (community/api/, docs/api.md): personal access tokens (or the
# session, for the browsable pages), cursor pages, RFC 9457 problem details for every
# error, rate limits per token (per address for anonymous readers) kept in the cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "community.api.auth.TokenAuthentication",
        "community.api.auth.OAuthAuthentication",
        "community.api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["community.api.access.TokenScopes"],
    "DEFAULT_THROTTLE_CLASSES": ["community.api.throttles.ApiRate"],
    "DEFAULT_PAGINATION_CLASS": "community.api.pagination.Cursor",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "community.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": None,
    # Which address an anonymous reader's rate limit is counted under (TRUSTED_PROXIES
    # above). DRF's default (None) believes any X-Forwarded-For a client sends, so a made-up
    # header would be a fresh allowance on every request.
    "NUM_PROXIES": TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": "The community's public REST API: read what the pages show, write with "
                   "the same rules (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No deep links: Swagger UI draws each one as a link inside the operation's button (a
    # control inside a control, which screen readers and keyboards cannot use).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # A thread's kind and a post's kind: one enum each, named for what they are.
    "ENUM_NAME_OVERRIDES": {"ThreadKindEnum": "community.api.serializers.THREAD_KINDS"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "community.api.schema.add_problems",  # every error as RFC 9457 problem details
    ],
}
# Requests per minute: anonymous readers per address, tokens (and sessions) per token for
# reads and for writes. API_THROTTLE=0 turns the limits off (the bench: they are policy,
# not speed; tests/api/test_throttling.py keeps them on).
API_THROTTLE = env_bool("API_THROTTLE", True)
API_RATES = {
    "anon": os.environ.get("API_RATE_ANON", "120/min"),
    "read": os.environ.get("API_RATE_READ", "1200/min"),
    "write": os.environ.get("API_RATE_WRITE", "120/min"),
}
# Personal access tokens: the longest a token may live (days), and how often its
# "last used" time is written (seconds: not a write on every request).
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "366"))
API_TOKEN_TOUCH_SECONDS = 60
# OAuth 2 for third-party apps (community/api/oauth/, docs/api.md): the authorization-code
# grant with PKCE (S256 only) and refresh tokens, nothing else; the same four scopes as
# personal tokens, capped by the member's role. Access tokens live an hour (OAUTH_ACCESS_
# SECONDS), refresh tokens 30 days and are replaced at every use; a refresh token used twice
# ends the whole authorisation (a stolen one is worth nothing once its app refreshes).
OAUTH2_PROVIDER = {
    "OAUTH2_SERVER_CLASS": "community.api.oauth.server.Server",
    "OAUTH2_VALIDATOR_CLASS": "community.api.oauth.server.Validator",
    "SCOPES_BACKEND_CLASS": "community.api.oauth.server.Scopes",
    # The admin shows apps and tokens read only (apps are registered on /host/apps/).
    "APPLICATION_ADMIN_CLASS": "community.api.oauth.admin.ApplicationAdmin",
    "ACCESS_TOKEN_ADMIN_CLASS": "community.api.oauth.admin.AccessTokenAdmin",
    "REFRESH_TOKEN_ADMIN_CLASS": "community.api.oauth.admin.RefreshTokenAdmin",
    "GRANT_ADMIN_CLASS": "community.api.oauth.admin.GrantAdmin",
    "ID_TOKEN_ADMIN_CLASS": "community.api.oauth.admin.IDTokenAdmin",
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("OAUTH_ACCESS_SECONDS", "3600")),
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    # nosec B105 below: setting names with "token" or "password" in them, no secrets.
    "ROTATE_REFRESH_TOKEN": True,  # nosec B105
    "REFRESH_TOKEN_REUSE_PROTECTION": True,  # nosec B105
    "REQUEST_APPROVAL_PROMPT": "force",  # the member is asked every time
    # http for the loopback addresses only: the registration check admits no other http
    # redirect URI (community.api.oauth.services.check_redirect_uris), which is why
    # oauth2_provider.W008 (http allowed at all) is silenced below.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"],
    # A native app listens on http://127.0.0.1:<any port>/ or http://[::1]:<port>/ (RFC 8252).
    "ALLOW_LOCALHOST_LOOPBACK": False,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,  # nosec B105
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,  # nosec B105
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # nosec B105: only the SHA-256 is kept
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,  # nosec B105
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "ERROR_RESPONSE_WITH_SCOPES": True,
    # RFC 9207: the redirect back to the app names this site (iss=SITE_URL), so an app
    # that talks to several servers can tell whose code it was given.
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "OIDC_ISS_ENDPOINT": SITE_URL,
}
SILENCED_SYSTEM_CHECKS = ["oauth2_provider.W008"]

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
        "form-action": [SELF, "https:", *saml_form_origins(SAML_APPS)],
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
