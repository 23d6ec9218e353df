"""Settings shared by every environment, driven by environment variables.

Every setting that differs between a laptop and production is read from the
environment (see the README's "Configuration" table); the defaults give the
embedded stack: SQLite, local media, Celery on kombu's filesystem transport and
the database search fallback.
"""

from pathlib import Path

import environ
from corsheaders.defaults import default_headers
from csp.constants import NONCE, NONE, SELF

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(environ.Env().str("PARTNERHUB_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

# SECRET_KEY: no default here. Production requires it, development keeps a random one per checkout (dev.py).
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
# Front ends hosted elsewhere that may call the partner API with the user's session (CORS, credentials
# included): comma-separated origins such as https://portal.example.com; none by default. They are
# trusted for CSRF too, so their unsafe requests pass with the token from GET /api/v1/auth/session.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_CREDENTIALS = True  # only ever sent to the origins above (django-cors-headers never answers "*" then)
CORS_URLS_REGEX = r"^/(api|xapi)/.*$"  # the APIs only (partner API, LRS): sign-in pages and the admin never do
CORS_ALLOW_HEADERS = [*default_headers, "x-experience-api-version", "if-match", "if-none-match"]  # xAPI's headers
CORS_EXPOSE_HEADERS = ["x-experience-api-version", "x-experience-api-consistent-through", "etag", "last-modified"]
CORS_EXPOSE_HEADERS += ["x-request-id"]  # the id to quote when reporting a problem (core.operations)
CSRF_TRUSTED_ORIGINS = [*env.list("CSRF_TRUSTED_ORIGINS", default=[]), *CORS_ALLOWED_ORIGINS]

INSTALLED_APPS = [
    "core.operations",  # /healthz, /readyz, /metrics; the readiness registry the apps below register into
    "cms",
    "lrs",  # the xAPI learning record store (/xapi/)
    "elearning",  # learning packages: SCORM 1.2/2004 and cmi5 (/learn/)
    "partners",
    "accounts",  # before allauth: its templates override allauth's
    "courses",
    "certifications",
    "search",
    "analytics",  # daily rollups, the engagement dashboard, partner scorecards, content performance
    "home",
    "core.outbox",  # the transactional outbox: tasks and e-mails recorded with the commit (cms/settings/outbox.py)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.api.v3",  # only for its admin screens of API tokens; our API is cms.apiv1
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "ninja",
    "storages",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.usersessions",  # sessions per user: ended at once when access is revoked
    "allauth.socialaccount",  # single sign-on: a connection per partner (accounts.SSOConnection)
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.mfa",  # second factor: TOTP, recovery codes
    "corsheaders",
    "django_htmx",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth's list of signed-in devices
    "django.contrib.sites",  # allauth.socialaccount asks for it (SITE_ID); the hub's sites are Wagtail's
]
SITE_ID = 1

MIDDLEWARE = [
    # First: the request id, and the probes (/healthz, /readyz, /metrics) answered before host checks, sessions, CSRF.
    "core.operations.middleware.OperationsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # the portal's and sign-in pages' Content-Security-Policy (below)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # before anything that may answer (preflights, errors)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The language of the request: a signed-in user's own (Profile), else Django's LocaleMiddleware choice
    # (language cookie, Accept-Language); the API stays in LANGUAGE_CODE (accounts.middleware).
    "accounts.middleware.UserLanguageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",  # request.htmx: the portal answers htmx requests with a fragment
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.AccessEndedMiddleware",  # signs out a partner user who lost access (e.g. last day passed)
    "accounts.mfa.enforcement.MfaEnrolmentMiddleware",  # who must have a second factor sets one up first
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.apiv1.middleware.JsonApiErrorsMiddleware",
    "cms.apiv1.middleware.ApiCachingMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: answers a locked-out sign-in
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE: the portal's <html lang>
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# Database: DATABASE_URL (postgres://user:pass@host:port/name) or the embedded SQLite file.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
# A kept connection is checked before reuse: one a database restart dropped is replaced (cms/settings/outages.py).
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("DATABASE_CONN_HEALTH_CHECKS", default=True))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in, single sign-on, MFA, lock-out and the sign-in audit: cms/settings/identity.py.
from .identity import *  # noqa: E402, F403

# The partner portal (app ``home``): pages for partner users at /, /links/, /verify/<code>/… Off, / is the headless
# notice and the portal's pages answer 404; the API is the same either way.
PARTNERHUB_PORTAL_ENABLED = env.bool("PARTNERHUB_PORTAL_ENABLED", default=True)
# Content-Security-Policy (django-csp) for every page but the Wagtail admin (its own inline scripts) and the API
# (JSON, and its Swagger UI): no inline script or style; a nonce for the few scripts that must be in the page.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/api/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *env.list("CSP_IMG_SOURCES", default=[])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": env.list(
            "CSP_FRAME_SOURCES", default=["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
        ),
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        # No form-action: the sign-in form's answer redirects to the partner's own identity provider.
    },
}

LANGUAGE_CODE = "en"
# Content languages: assets may have a variant per language (Wagtail locales).
WAGTAIL_I18N_ENABLED = True
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [
    ("en", "English"),
    ("de", "German"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("ja", "Japanese"),
    ("pt-br", "Portuguese (Brazil)"),
]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
# The portal's own translations (home/locale), looked up first: they may also reword Django's, Wagtail's or allauth's.
LOCALE_PATHS = [BASE_DIR / "home" / "locale"]
USE_TZ = True

STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

# Files: a private S3 bucket when AWS_STORAGE_BUCKET_NAME is set, local media/ otherwise.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="us-east-1")
    AWS_DEFAULT_ACL = "private"
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=300)
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    DEFAULT_FILE_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
else:
    DEFAULT_FILE_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"

# Files of gated content: never under MEDIA_ROOT, never with a permanent URL (cms/storage.py).
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
if AWS_STORAGE_BUCKET_NAME:
    PRIVATE_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"location": "private"}}
else:
    PRIVATE_STORAGE = {
        "BACKEND": "cms.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    }

STORAGES = {
    "default": {"BACKEND": DEFAULT_FILE_STORAGE_BACKEND},
    "private": PRIVATE_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Cache: Redis when REDIS_URL is set (django-redis, cms/settings/outbox.py), otherwise a per-process memory cache.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis in production; kombu's filesystem transport (no server) for the embedded stack.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
    }
    # kombu's filesystem transport expects its folders to exist.
    for _folder in ("queue", "control", "processed"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {"task": "core.outbox.tasks.relay_outbox", "schedule": env.int("OUTBOX_RELAY_SECONDS", 20)},
    "lifecycle-sweep": {
        "task": "cms.tasks.lifecycle_sweep",
        "schedule": env.int("LIFECYCLE_SWEEP_SECONDS", default=60),
    },
    "version-digests": {
        "task": "cms.tasks.send_version_digests",
        "schedule": env.int("VERSION_DIGEST_SECONDS", default=60 * 60 * 24),
    },
    "requeue-stalled-webhooks": {
        "task": "cms.tasks.requeue_stalled_webhooks",
        "schedule": 5 * 60,
    },
    "requeue-stalled-file-text": {
        "task": "cms.tasks.requeue_stalled_file_text",
        "schedule": 15 * 60,
    },
    "reconcile-search-index": {
        "task": "search.tasks.reconcile_search_index",
        "schedule": env.int("SEARCH_RECONCILE_SECONDS", default=15 * 60),
    },
    "apply-course-assignments": {
        "task": "courses.tasks.apply_course_assignments",
        "schedule": env.int("COURSE_ASSIGNMENT_SECONDS", default=60 * 60),
    },
    "course-due-reminders": {
        "task": "courses.tasks.send_course_due_reminders",
        "schedule": env.int("COURSE_DUE_REMINDER_SECONDS", default=60 * 60),
    },
    "certificate-expiry-reminders": {
        "task": "certifications.tasks.send_certificate_expiry_reminders",
        "schedule": env.int("CERTIFICATE_REMINDER_SECONDS", default=60 * 60),
    },
    "certificates-due": {
        "task": "certifications.tasks.apply_due_certificates",
        "schedule": env.int("CERTIFICATES_DUE_SECONDS", default=60 * 60),
    },
    "certification-compliance-check": {
        "task": "certifications.tasks.check_tier_compliance",
        "schedule": env.int("COMPLIANCE_CHECK_SECONDS", default=60 * 60 * 24),
    },
    "freshness-reminders": {
        "task": "cms.tasks.send_freshness_reminders",
        "schedule": env.int("FRESHNESS_REMINDER_SECONDS", default=60 * 60),
    },
    "check-links": {
        "task": "cms.tasks.check_links",
        "schedule": env.int("LINK_CHECK_SECONDS", default=60 * 60),
    },
    "rescan-files": {
        "task": "cms.tasks.rescan_files",
        "schedule": env.int("CLAMAV_RESCAN_SECONDS", default=5 * 60),
    },
    "purge-sign-in-events": {
        "task": "accounts.tasks.purge_sign_in_events",
        "schedule": env.int("SIGN_IN_AUDIT_PURGE_SECONDS", default=60 * 60 * 24),
    },
    "roll-up-analytics": {"task": "analytics.tasks.roll_up_analytics", "schedule": env.int("ANALYTICS_SECONDS", 3600)},
}

# Search: Elasticsearch when ELASTICSEARCH_URL is set, otherwise the database fallback.
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX_PREFIX = env.str("ELASTICSEARCH_INDEX_PREFIX", default="partnerhub")
ELASTICSEARCH_TIMEOUT = env.float("ELASTICSEARCH_TIMEOUT", default=5.0)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# One search request waits this long for Elasticsearch before answering from the database,
# which then answers alone for SEARCH_OUTAGE_SECONDS (a dead cluster costs one timeout, not one per request).
SEARCH_REQUEST_TIMEOUT = env.float("SEARCH_REQUEST_TIMEOUT", default=2.0)
SEARCH_OUTAGE_SECONDS = env.int("SEARCH_OUTAGE_SECONDS", default=30)
# A change to content is written to the index in its own request, after the commit, waiting at most this
# long per call; when that fails the item is kept out of Elasticsearch results until the retry task caught up.
SEARCH_SYNC_TIMEOUT = env.float("SEARCH_SYNC_TIMEOUT", default=2.0)

# E-mail: EMAIL_URL (smtp://user:pass@host:587, consolemail://) or the console.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Partner Hub <partnerhub@localhost>")

# Backups of the database and the files (core.backups): cms/settings/backups.py.
from .backups import *  # noqa: E402, F403

# Content lifecycle
ARCHIVE_AFTER_EXPIRY_DAYS = env.int("ARCHIVE_AFTER_EXPIRY_DAYS", default=30)
# Owners are e-mailed this many days before an item expires / is due for review (each once).
FRESHNESS_EXPIRY_REMINDER_DAYS = env.list("FRESHNESS_EXPIRY_REMINDER_DAYS", cast=int, default=[14, 3])
FRESHNESS_REVIEW_REMINDER_DAYS = env.list("FRESHNESS_REVIEW_REMINDER_DAYS", cast=int, default=[7, 0])
COURSE_DUE_REMINDER_DAYS = env.list("COURSE_DUE_REMINDER_DAYS", cast=int, default=[7, 1])
CERTIFICATE_EXPIRY_REMINDER_DAYS = env.list("CERTIFICATE_EXPIRY_REMINDER_DAYS", cast=int, default=[60, 30, 7])
# Who hears that a partner fell below its tier when the partner has no channel manager.
COMPLIANCE_ALERT_FALLBACK_EMAILS = env.list("COMPLIANCE_ALERT_FALLBACK_EMAILS", default=[])

# Headless preview: the partner front end's preview page, with {kind}, {id} and {token} filled in.
PARTNERHUB_PREVIEW_URL = env.str("PARTNERHUB_PREVIEW_URL", default="")
PARTNERHUB_PREVIEW_TOKEN_SECONDS = env.int("PARTNERHUB_PREVIEW_TOKEN_SECONDS", default=15 * 60)

# Webhooks go to public addresses only; these hosts (names or IPs, comma-separated) are exempt: receivers on premises.
WEBHOOK_ALLOWED_HOSTS = env.list("WEBHOOK_ALLOWED_HOSTS", default=[])

from .hot_paths import *  # noqa: E402, F403
from .link_checks import *  # noqa: E402, F403
from .outages import *  # noqa: E402, F403  (a database that goes away: 503 + Retry-After)
from .outbox import *  # noqa: E402, F403 - the outbox, late acknowledgement, a cache that survives Redis going away

# Partner API
PARTNERHUB_API_RATE = env.str("PARTNERHUB_API_RATE", default="1200/m")  # per token or session
# GET /api/v1/auth/session (who is signed in, and a CSRF token), per client address.
PARTNERHUB_SESSION_INFO_RATE = env.str("PARTNERHUB_SESSION_INFO_RATE", default="120/m")
# Open Badges 2.0: who issues the certificates' badges.
PARTNERHUB_BADGE_ISSUER_NAME = env.str("PARTNERHUB_BADGE_ISSUER_NAME", default="Partner Hub")
PARTNERHUB_BADGE_ISSUER_URL = env.str("PARTNERHUB_BADGE_ISSUER_URL", default="")
PARTNERHUB_BADGE_ISSUER_EMAIL = env.str("PARTNERHUB_BADGE_ISSUER_EMAIL", default="partnerhub@localhost")
# Public certificate verification, per client address.
PARTNERHUB_VERIFY_RATE = env.str("PARTNERHUB_VERIFY_RATE", default="30/m")
# Rate limits key on the client address: the proxies in front of the app that append to X-Forwarded-For
# (0: none, use the connection's address; a client-sent X-Forwarded-For is never trusted then).
NINJA_NUM_PROXIES = env.int("NINJA_NUM_PROXIES", default=0)
PARTNERHUB_API_AUTH_FAILURE_RATE = env.str("PARTNERHUB_API_AUTH_FAILURE_RATE", default="30/m")  # per address
PARTNERHUB_DOWNLOAD_URL_SECONDS = env.int("PARTNERHUB_DOWNLOAD_URL_SECONDS", default=300)
# Previews of asset files (cms.previews): how many first pages, how wide (px), the largest file the worker reads,
# and LibreOffice (for Word/PowerPoint/Excel without a PDF rendition): its program (found on PATH when empty)
# and how long one conversion may take.
PARTNERHUB_PREVIEW_PAGES = env.int("PARTNERHUB_PREVIEW_PAGES", default=5)
PARTNERHUB_PREVIEW_WIDTH = env.int("PARTNERHUB_PREVIEW_WIDTH", default=900)
PARTNERHUB_THUMBNAIL_WIDTH = env.int("PARTNERHUB_THUMBNAIL_WIDTH", default=320)
PARTNERHUB_PREVIEW_MAX_BYTES = env.int("PARTNERHUB_PREVIEW_MAX_BYTES", default=100 * 1024 * 1024)
PARTNERHUB_SOFFICE = env.str("PARTNERHUB_SOFFICE", default="")
PARTNERHUB_PREVIEW_SOFFICE_SECONDS = env.int("PARTNERHUB_PREVIEW_SOFFICE_SECONDS", default=120)
# Co-branded downloads (cms.cobranding): a TrueType font with the letters of every partner's name (DejaVu Sans,
# vendored in core.fonts for every PDF the hub draws); without it, Helvetica.
PARTNERHUB_COBRAND_FONT = env.str(
    "PARTNERHUB_COBRAND_FONT", default=str(BASE_DIR / "core" / "fonts" / "DejaVuSans.ttf")
)

# Learning packages (elearning): limits on an uploaded ZIP, checked before anything is stored.
PARTNERHUB_PACKAGE_MAX_BYTES = env.int("PARTNERHUB_PACKAGE_MAX_BYTES", default=500 * 1024 * 1024)  # the ZIP
PARTNERHUB_PACKAGE_MAX_UNCOMPRESSED_BYTES = env.int(
    "PARTNERHUB_PACKAGE_MAX_UNCOMPRESSED_BYTES", default=2 * 1024 * 1024 * 1024
)  # all entries together, as declared and as really extracted
PARTNERHUB_PACKAGE_MAX_FILES = env.int("PARTNERHUB_PACKAGE_MAX_FILES", default=10_000)  # entries in the ZIP
# Per entry over 1 MB: uncompressed size / compressed size.
PARTNERHUB_PACKAGE_MAX_RATIO = env.int("PARTNERHUB_PACKAGE_MAX_RATIO", default=200)
# The package player (elearning runtime): a launch works for PARTNERHUB_LAUNCH_SECONDS after its last use (page,
# file or commit), never longer than PARTNERHUB_LAUNCH_MAX_SECONDS after it was made; the front ends that may put
# the player in a frame (besides the hub itself).
PARTNERHUB_LAUNCH_SECONDS = env.int("PARTNERHUB_LAUNCH_SECONDS", default=3600)
PARTNERHUB_LAUNCH_MAX_SECONDS = env.int("PARTNERHUB_LAUNCH_MAX_SECONDS", default=12 * 3600)
PARTNERHUB_PLAYER_FRAME_ANCESTORS = env.list("PARTNERHUB_PLAYER_FRAME_ANCESTORS", default=[])
PARTNERHUB_API_MAX_PAGE_SIZE = 100
PARTNERHUB_API_DEFAULT_PAGE_SIZE = 20

# Wagtail
WAGTAIL_SITE_NAME = "Partner Hub"
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # staff avatars: uploaded or Wagtail's default, no e-mail hash sent to Gravatar
# The one public address of the hub (core.links.public_url): links in e-mails, PDFs, the badge issuer, the admin's.
PARTNERHUB_PUBLIC_URL = env.str(
    "PARTNERHUB_PUBLIC_URL", default=env.str("WAGTAILADMIN_BASE_URL", default="http://localhost:8000")
)
PARTNERHUB_PUBLIC_URL = PARTNERHUB_PUBLIC_URL.rstrip("/")
WAGTAILADMIN_BASE_URL = PARTNERHUB_PUBLIC_URL  # Wagtail's own e-mails (workflow notifications) link there too
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
# Checks a new document's content as well as its extension (cms.uploads), e.g. an HTML page named .pdf.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.forms.DocumentForm"
# No SVG (scriptable): Wagtail's image formats that are pixels only.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# The largest asset file, in the admin and the importer alike; formats per asset type are in cms/uploads.py.
ASSET_MAX_UPLOAD_BYTES = env.int("ASSET_MAX_UPLOAD_BYTES", default=200 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# The text of asset files (cms.services.file_text): files larger than this are marked "too large" and not read;
# reading one file stops after FILE_TEXT_SECONDS (the worker's hard limit is a little later); at most this many
# pages/slides/sheets and characters are kept per file; a file the worker could not get is tried this many times.
FILE_TEXT_MAX_BYTES = env.int("FILE_TEXT_MAX_BYTES", default=50 * 1024 * 1024)
FILE_TEXT_SECONDS = env.float("FILE_TEXT_SECONDS", default=60.0)
FILE_TEXT_MAX_UNITS = env.int("FILE_TEXT_MAX_UNITS", default=2000)
FILE_TEXT_MAX_CHARS = env.int("FILE_TEXT_MAX_CHARS", default=1_000_000)
FILE_TEXT_MAX_ATTEMPTS = env.int("FILE_TEXT_MAX_ATTEMPTS", default=4)
# Virus scanning (cms.scanning): ClamAV's daemon at tcp://host:port scans every uploaded file before it can be
# published or downloaded. Empty: files are recorded as not scanned and served (the embedded default without
# services); production requires it. Give clamd a StreamMaxLength of at least ASSET_MAX_UPLOAD_BYTES.
CLAMAV_URL = env.str("CLAMAV_URL", default="")
CLAMAV_TIMEOUT = env.float("CLAMAV_TIMEOUT", default=120.0)  # seconds to scan one file, the largest included
CLAMAV_MAX_ATTEMPTS = env.int("CLAMAV_MAX_ATTEMPTS", default=5)  # a file the daemon cannot scan is retried this often

# Invitations (partners.invitations): how many days an invitation link works, counted from its last sending.
PARTNER_INVITATION_DAYS = env.int("PARTNER_INVITATION_DAYS", default=14)
PARTNERHUB_TOKEN_DEFAULT_DAYS, PARTNERHUB_TOKEN_MAX_DAYS = 90, 365  # personal API tokens: default and longest, days

# What operators watch: /healthz, /readyz, /metrics, JSON logs with a request id, Sentry (cms/settings/operations.py).
from .operations import *  # noqa: E402, F403
