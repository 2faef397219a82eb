"""Settings for the archive: one module, driven by the environment.

Environment variables (all optional for a local run):

    DATABASE_URL            postgres://user:pass@host:port/db; unset = embedded PostgreSQL
    DATABASE_REPLICA_URL    a streaming replica of that database, for search reads
                            (archive.routers); unset = searches read the primary
    DATABASE_WORK_MEM       PostgreSQL work_mem for the app's connections (default 64MB;
                            empty = the server's setting)
    ARCHIVE_SIDE_READS      "0" runs a search page's counts on the request's own connection,
                            one after the other (default: beside it, articles/side_reads.py)
    ARCHIVE_DATA_DIR        where the embedded cluster, its secret key and collected
                            static files live (default: var/ in the checkout)
    DJANGO_SECRET_KEY       required whenever DATABASE_URL is set
    DJANGO_DEBUG            "1"/"true" turns debug on (never when serving)
    DJANGO_ALLOWED_HOSTS    comma-separated (default: localhost,127.0.0.1)
    DJANGO_CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. https://archive.example.org
    DJANGO_HTTPS            "1" when served over HTTPS: secure cookies, HSTS, SSL redirect
"""

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from archive import embedded_db

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_count(name: str, default: int) -> int:
    """A whole number ≥ 0 from the environment, or a message naming the variable."""
    value = os.environ.get(name, str(default)).strip()
    if not value.isdecimal():
        raise ImproperlyConfigured(f"{name} must be a whole number of 0 or more, not {value!r}")
    return int(value)


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key(data_dir: Path) -> str:
    """A random key made once per data directory and kept there (never in git)."""
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        candidate = data_dir / f".secret_key.{os.getpid()}"
        candidate.write_text(secrets.token_urlsafe(64))
        candidate.chmod(0o600)
        try:
            os.link(candidate, key_file)  # atomic: the first process to link wins
        except FileExistsError:
            pass
        finally:
            candidate.unlink()
    return key_file.read_text().strip()


DATA_DIR = embedded_db.default_data_dir()
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()

DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if DATABASE_URL:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. A deployment (DATABASE_URL is set) needs its own "
            "secret key, e.g. DJANGO_SECRET_KEY=\"$(python -c 'import secrets; print(secrets.token_urlsafe(64))')\"."
        )
    SECRET_KEY = local_secret_key(DATA_DIR)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "ninja",
    "corsheaders",
    "csp",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "articles.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "articles.middleware.ControlCharactersMiddleware",
    "articles.middleware.RateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "articles.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it throttles failed admin logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Reverse proxies in front of the site (nginx, a load balancer): 0 (the default) ignores
# X-Forwarded-For, N takes the client from the N-th address from its right (articles.client_address).
# The rate limiter and the login lockout both count by that address.
TRUSTED_PROXY_COUNT = env_count("ARCHIVE_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "articles.client_address.client_address"
# Five failed logins for one username from one address lock that username out from that address
# for an hour: an editor signing in from elsewhere is not locked out by someone guessing.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

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
                "articles.context_processors.language_alternates",
            ],
        },
    },
]

if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    _cluster = embedded_db.default_cluster()
    DATABASES = {
        "default": {
            "ENGINE": "archive.embedded_db",
            "NAME": embedded_db.DATABASE_NAME,
            "USER": embedded_db.SUPERUSER,
            "HOST": str(_cluster.socket_dir),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }

# Search reads may go to a streaming replica (archive/routers.py); writes and the admin never do.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True),
        # Tests read their own writes: the replica alias is the test database itself.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["archive.routers.SearchReplicaRouter"]

# Memory for each sort and bitmap of a query. A common word's matches in one year of a million articles
# outgrow PostgreSQL's default 4 MB bitmap, which then turns lossy, and every row of a lossy page has its
# vector re-tested (0.49 s instead of 0.08 s for two common words in a year). Per query node and
# connection; "" leaves the server's own setting (e.g. behind a pooler that refuses startup options).
DATABASE_WORK_MEM = os.environ.get("DATABASE_WORK_MEM", "64MB").strip()
if DATABASE_WORK_MEM:
    if not re.fullmatch(r"\d+\s*(kB|MB|GB)", DATABASE_WORK_MEM):
        raise ImproperlyConfigured(f"DATABASE_WORK_MEM={DATABASE_WORK_MEM!r}: expected a size such as 64MB")
    for _database in DATABASES.values():
        _database.setdefault("OPTIONS", {})["options"] = f"-c work_mem={DATABASE_WORK_MEM.replace(' ', '')}"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every worker process (rate-limit counters): a table in PostgreSQL,
# created by migration articles.0010.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "archive_cache"}}

# The API is read-only and public: any origin may GET it.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# Requests per client address per minute (429 with Retry-After beyond them).
API_RATE_LIMIT = env_count("ARCHIVE_API_RATE_LIMIT", 120)
SEARCH_RATE_LIMIT = env_count("ARCHIVE_SEARCH_RATE_LIMIT", 120)
# Downloads: each holds at most this many rows (beyond: 422 asking to narrow the filters), and a client
# may start this many a minute. 10,000 rows stream in about 3 s, well inside gunicorn's 30 s timeout.
EXPORT_MAX_ROWS = env_count("ARCHIVE_EXPORT_MAX_ROWS", 10_000)
EXPORT_RATE_LIMIT = env_count("ARCHIVE_EXPORT_RATE_LIMIT", 10)
# The web server's SQL statements are cancelled after this many milliseconds (0: never), inside gunicorn's
# 30 s worker timeout: the reader gets a page asking to retry, not a killed worker, and no statement
# outlives its request on the server (articles.time_limits).
TIME_LIMIT_MS = int(os.environ.get("ARCHIVE_TIME_LIMIT_MS", "20000"))

# A search page's counts on a second connection per web process, beside its main statement
# (articles/side_reads.py): PostgreSQL then uses the second core for them.
SIDE_READS = env_flag("ARCHIVE_SIDE_READS", default=True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese interface by default, English on request (the switch in the header);
# content is always shown as written. Catalogs: locale/, compiled by
# `manage.py compile_translations` (run by run.py and by the test session).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Counts are grouped where a template asks (humanize's `intcomma`: 942.600 in Vietnamese, 942,600 in
# English), never everywhere: USE_THOUSAND_SEPARATOR would also group years and page numbers in links.
FORMAT_MODULE_PATH = ["archive.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Content-Security-Policy (django-csp): our own origin only; no inline scripts. The
# admin and the API docs need inline styles/scripts of their own: 'unsafe-inline'
# is granted to styles only; the docs page's init script is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Security: safe defaults everywhere; the HTTPS-only ones switch on with DJANGO_HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if env_flag("DJANGO_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
