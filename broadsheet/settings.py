"""THE settings module. Every environment variable Broadsheet reads is read here, once.

With no variables at all the site runs on SQLite in ``./var/`` with a generated secret key.
Production switches to PostgreSQL and Redis through ``DATABASE_URL`` and ``REDIS_URL``.
The README's configuration table lists every variable; ``tests/test_settings_docs.py``
keeps the two in step.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url

from broadsheet.env import (
    email_settings,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_snapshot,
    env_str,
    env_url,
)

PACKAGE_DIR = Path(__file__).resolve().parent

DATA_DIR = Path(env_str("BROADSHEET_DATA_DIR", "var")).expanduser().resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The configured key, else one generated once and kept (0600) in the data directory."""
    configured = env_str("BROADSHEET_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("BROADSHEET_DEBUG", False)

SITE_URL = env_url("BROADSHEET_SITE_URL", ("http", "https"), "http://127.0.0.1:8000").rstrip("/")
# `broadsheet serve` derives the address from --host/--port when none is configured.
SITE_URL_CONFIGURED = env_str("BROADSHEET_SITE_URL") != ""
_site_host = urlparse(SITE_URL).hostname or "127.0.0.1"
ALLOWED_HOSTS = env_list(
    "BROADSHEET_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", _site_host]
)
CSRF_TRUSTED_ORIGINS = [SITE_URL]

BEHIND_PROXY = env_bool("BROADSHEET_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
_https = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
# A site served over https says so for a year (HSTS) and redirects plain http to https;
# behind a TLS-terminating proxy the redirect needs BROADSHEET_BEHIND_PROXY (X-Forwarded-Proto).
SECURE_HSTS_SECONDS = env_int("BROADSHEET_HSTS_SECONDS", 31536000 if _https else 0, minimum=0)
SECURE_SSL_REDIRECT = env_bool("BROADSHEET_SSL_REDIRECT", _https)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "broadsheet.core",
    "broadsheet.content",
    "broadsheet.comments",
    "broadsheet.search",
    "broadsheet.importers",
    "broadsheet.feeds",
    "broadsheet.pagecache",
    "broadsheet.outbox",
    # Before the admin, so that its admin/base_site.html (a link to two-factor sign-in) wins.
    "broadsheet.accounts",
    "broadsheet.content.newsroom.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "broadsheet.core.middleware.ControlCharactersInPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache: compresses what it does not serve (entries carry their own gzip).
    "django.middleware.gzip.GZipMiddleware",
    # Before sessions, CSRF and auth, so a hit skips them all.
    "broadsheet.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "broadsheet.core.middleware.FastETagMiddleware",  # Django's ConditionalGet, SHA-1 ETags
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): passed the second step
    "django.contrib.messages.middleware.MessageMiddleware",
    "broadsheet.accounts.middleware.TwoFactorAdminMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "broadsheet.core.middleware.ContentSecurityPolicyMiddleware",
    "broadsheet.core.middleware.ScriptPrefixMiddleware",
    "broadsheet.content.site.SiteSettingsMiddleware",
    "broadsheet.importers.middleware.LegacyURLMiddleware",
]

ROOT_URLCONF = "broadsheet.urls"
WSGI_APPLICATION = "broadsheet.wsgi.application"
APPEND_SLASH = True

TEMPLATES = [
    {
        # Public pages: Jinja2 (see broadsheet/core/jinja.py for why), overridable per site.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [DATA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "broadsheet.core.jinja.environment",
            "context_processors": ["broadsheet.core.context_processors.site"],
        },
    },
    {
        # The admin and form widgets: Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "broadsheet.core.context_processors.site",
            ],
        },
    },
]

# --- Database: SQLite in the data directory unless DATABASE_URL says otherwise -------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    ("sqlite", "postgres", "postgresql", "pgsql"),
    f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept (per worker thread) like PostgreSQL's: opening one per request and
    # setting its pragmas cost more than the home page's queries (measured with cProfile in
    # a granian worker).
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock up
        # front so concurrent writers queue on the busy timeout instead of failing.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Statements are prepared after their fifth run on a connection: planning the article
    # page's queries took longer than running them (0.2-0.4 ms each, EXPLAIN ANALYZE at
    # 100,000 articles). Behind a pooler in transaction mode (PgBouncer), which cannot keep
    # prepared statements, set BROADSHEET_DB_PREPARED=off.
    options = DATABASES["default"].setdefault("OPTIONS", {})  # keeps ?sslmode=… from the URL
    if env_bool("BROADSHEET_DB_PREPARED", True):
        options.update(server_side_binding=True, prepare_threshold=5)
    # A database host that does not answer must give visitors the 503 page in seconds, not
    # hold the worker's turn for the system's TCP timeout (minutes). ?connect_timeout= wins.
    options.setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when configured, else the file system every worker process shares ---------
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "broadsheet",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# Whole-page cache for anonymous readers in the cache above, purged precisely by tags.
PAGE_CACHE = env_bool("BROADSHEET_PAGE_CACHE", True)
PAGE_CACHE_TIMEOUT = 3600  # seconds; purges make it exact, this only bounds unused entries
# Part of the release cached pages are stored under (pagecache.store.release): a restart with
# another configuration (a new site address, say) must not serve pages made under the old one.
PAGE_CACHE_CONFIGURATION = env_snapshot("BROADSHEET_", "DATABASE_URL")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Staff sign-in (broadsheet/accounts): failed passwords and codes per account and per IP,
# counted in the shared cache; two-factor devices through django-otp and django-otp-webauthn.
LOGIN_ATTEMPTS = env_int("BROADSHEET_LOGIN_ATTEMPTS", 5, minimum=1)
# Higher per address than per account: a newsroom behind one NAT shares an address, and a
# success clears only the account's count (clearing the address's would let one account's
# owner reset it while guessing at the others).
LOGIN_ATTEMPTS_PER_IP = env_int("BROADSHEET_LOGIN_ATTEMPTS_PER_IP", 20, minimum=1)
LOGIN_WINDOW_SECONDS = 60 * env_int("BROADSHEET_LOGIN_WINDOW", 15, minimum=1)
REQUIRE_2FA = env_bool("BROADSHEET_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = _site_host
OTP_WEBAUTHN_RP_ID = _site_host
OTP_WEBAUTHN_RP_NAME = _site_host
# Browsers make passkeys only over https or on localhost: a plain-http address elsewhere gets
# the https form of its origin, which only the site served over https will match.
_site_netloc = urlparse(SITE_URL).netloc
_passkey_scheme = "http" if _site_host == "localhost" and not _https else "https"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"{_passkey_scheme}://{_site_netloc}"]
# A passkey is the second step after the password, never a way around it.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

LANGUAGE_CODE = env_str("BROADSHEET_LANGUAGE_CODE", "en-gb")
TIME_ZONE = env_str("BROADSHEET_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

globals().update(
    email_settings(env_url("BROADSHEET_EMAIL_URL", ("smtp", "smtps", "console", "memory", "dummy")))
)
DEFAULT_FROM_EMAIL = env_str("BROADSHEET_FROM_EMAIL", f"Broadsheet <noreply@{_site_host}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10  # a mail server that accepts and then stalls must not hang a reader's post
# The outbox (outbox/delivery.py) retries refused mail after this many seconds, then twice as
# long each time (at most 6 h apart), and marks it failed after MAIL_ATTEMPTS tries.
MAIL_RETRY_SECONDS = env_int("BROADSHEET_MAIL_RETRY_SECONDS", 60, minimum=1, maximum=86400)
MAIL_ATTEMPTS = env_int("BROADSHEET_MAIL_ATTEMPTS", 12, minimum=1, maximum=100)

# Gravatar publishes a hash of each commenter's email; off unless the operator turns it on.
GRAVATAR_ENABLED = env_bool("BROADSHEET_GRAVATAR", False)

# Full-text search: the engine follows the database unless named; the language is the
# PostgreSQL text search configuration (SQLite's FTS5 index stems English words).
SEARCH_BACKEND = env_choice("BROADSHEET_SEARCH_BACKEND", ("auto", "sqlite", "postgres"), "auto")
SEARCH_LANGUAGE = env_str("BROADSHEET_SEARCH_LANGUAGE", "english")

# `broadsheet serve` defaults; its flags override them. One thread per worker, measured on
# this 2-core machine in alternating runs against two (3 x 5 s at 64 connections): cached
# article +10 % (48-49 % of nginx instead of 44 %), uncached article on PostgreSQL +11 % (687
# vs 619 req/s), SQLite uncached level, comment posts 190/s vs 144/s with p99 181 vs 743 ms.
# A worker's threads only take turns holding the GIL. (On an earlier AMD machine one thread
# showed p99 spikes; not seen here.) Nothing in a request waits on another server for long:
# notification mail goes out from its own thread (outbox/sender.py).
SERVE_WORKERS = env_int("BROADSHEET_WORKERS", 2, minimum=1, maximum=64)
SERVE_THREADS = env_int("BROADSHEET_THREADS", 1, minimum=1, maximum=64)
# Seconds a client may stay silent while sending a request's headers or body (and a
# kept-alive connection may idle) before the server drops it.
SERVE_CLIENT_TIMEOUT = env_int("BROADSHEET_CLIENT_TIMEOUT", 10, minimum=1, maximum=60)

LOG_LEVEL = env_choice("BROADSHEET_LOG_LEVEL", ("debug", "info", "warning", "error"), "info")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL.upper()},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
