"""Kopiena settings, read from the environment (see the table in README.md)."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Production is anything not explicitly marked as a developer machine.
DEVELOPMENT = env.bool("KOPIENA_DEV", default=DEBUG)

DATA_DIR = Path(env.str("KOPIENA_DATA_DIR", default=str(BASE_DIR / "data")))


def _development_secret_key() -> str:
    """A per-machine key kept in the data directory, so dev sessions survive restarts."""
    from django.core.management.utils import get_random_secret_key

    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production (a long random string; see README.md)."
        )
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEVELOPMENT else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "csp",
    "ninja",  # its static Swagger UI files, for the API's docs page (kopiena/core/api.py)
    "kopiena.core",
    "kopiena.accounts",
    "kopiena.places",
    "kopiena.communities",
    "kopiena.surveys",
    "kopiena.reports",
    "kopiena.practices",
    "kopiena.ledger",
    "kopiena.network",
    "kopiena.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kopiena.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
# Every form field is wrapped as a labelled, described group (kopiena/core/forms.py).
FORM_RENDERER = "kopiena.core.forms.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kopiena" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kopiena.core.context_processors.site",
                "kopiena.core.context_processors.other_languages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'kopiena.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web form keep writing while a report or an import reads.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds allauth's login rate limits, so in production it must be shared by every
# gunicorn worker: a file cache in the data directory unless CACHE_URL names another.
CACHES = {
    "default": env.cache(
        "CACHE_URL",
        default="locmemcache://kopiena" if DEVELOPMENT else f"filecache://{DATA_DIR / 'cache'}",
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:dashboard"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_FORMS = {
    "login": "kopiena.accounts.forms.LoginForm",
    "signup": "kopiena.accounts.forms.SignupForm",
    "reset_password": "kopiena.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "kopiena.accounts.forms.ResetPasswordKeyForm",
    "change_password": "kopiena.accounts.forms.ChangePasswordForm",
    "set_password": "kopiena.accounts.forms.SetPasswordForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kopiena] "
# At most 100 failed logins an hour reach one account (QUALITY.md, brute force);
# allauth counts per IP and per account and still lets the owner reset the password.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,100/h/key",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
}

# Idle timeout (OWASP ASVS 3.3.2, level 2: 30 minutes of inactivity).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 30)
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: the age counts from the last request
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "lv"
LANGUAGES = [("lv", "Latviešu"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "kopiena" / "locale"]
TIME_ZONE = "Europe/Riga"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kopiena.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "kopiena" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
# Attached documents that only permission-checking views serve (kopiena.core.attachments).
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(DATA_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEVELOPMENT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads: the body is refused before it is read past these sizes.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
KOPIENA_MAX_IMPORT_BYTES = env.int("KOPIENA_MAX_IMPORT_BYTES", default=200 * 1024 * 1024)
# Community map: a Leaflet tile URL template; the map view adds its origin to CSP img-src.
KOPIENA_MAP_TILES_URL = env.str(
    "KOPIENA_MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
KOPIENA_MAP_ATTRIBUTION = env.str("KOPIENA_MAP_ATTRIBUTION", default="© OpenStreetMap contributors")

# EMAIL_URL names the mail server (smtp+tls://user:password@host:587); a developer
# machine without one prints every message to the console instead.
_email = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update({key: value for key, value in _email.items() if key != "EMAIL_BACKEND"})
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEVELOPMENT and not env.str("EMAIL_URL", default="")
    else _email["EMAIL_BACKEND"],
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kopiena <noreply@kopiena.lv>")

TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default="django_tasks.backends.immediate.ImmediateBackend"
            if DEVELOPMENT
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# Security: HTTPS-only cookies and HSTS everywhere but a developer's machine.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEVELOPMENT)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer's health probe may speak plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = not DEVELOPMENT
CSRF_COOKIE_SECURE = not DEVELOPMENT
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
