"""Settings shared by every environment. Integrations are switched by environment variables."""

from __future__ import annotations

from datetime import timedelta

import dj_database_url

from duizhang.config.email import email_settings
from duizhang.config.env import ROOT_DIR, VAR_DIR, default_database_url, env_list, env_str

BASE_DIR = ROOT_DIR
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "duizhang.apps.customers",
    "duizhang.apps.ledger",
    "duizhang.apps.accounts",
    "duizhang.apps.web",
    "duizhang.apps.audit",
    "duizhang.apps.reconciliations",
    "duizhang.apps.risk",
    "duizhang.apps.statements",
    "duizhang.apps.confirmations",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "duizhang.apps.portal",
    "duizhang.apps.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "duizhang.apps.portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "duizhang.apps.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "duizhang.apps.portal.middleware.TwoFactorMiddleware",
    "duizhang.apps.audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "duizhang.config.urls"
WSGI_APPLICATION = "duizhang.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [ROOT_DIR / "duizhang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "duizhang.apps.web.context.permissions",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default_database_url()), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so concurrent writers (waitress threads, a
    # worker) wait their turn instead of failing "database is locked" on a read-then-write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [ROOT_DIR / "duizhang" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The bundled Noto Sans SC doubles as the pages' fallback web font: a browser on a machine with no
# Chinese font (a server, a fresh Linux) still shows Chinese, not empty boxes.
STATICFILES_DIRS = [("fonts", ROOT_DIR / "duizhang" / "documents" / "fonts")]
MEDIA_ROOT = VAR_DIR / "files"  # uploads: outside the web root, served only through views
# Statements and confirmations: links in emails are absolute; a confirmation link opens for 30 days.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
STATEMENT_LINK_MAX_AGE = 30 * 24 * 3600
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Demo users with a published password may only ever exist where this is True (dev and tests).
DEMO_DATA_ALLOWED = False

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Background tasks (duizhang.config.celery): Celery when a broker is configured, else a thread pool
# in the web process. DUIZHANG_TASKS=celery|thread|inline overrides the choice.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_IGNORE_RESULT = True
TASKS_RUNNER = env_str("DUIZHANG_TASKS", "celery" if CELERY_BROKER_URL else "thread")
TASKS_THREADS = 2

# --- Login security and the customer portal (duizhang.apps.portal) ---------------------------
# django-axes counts failed logins per (user name, address) and refuses even the right password
# while locked; django-otp adds optional TOTP two-step login. CSP: portal.middleware.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)  # portal/locked.html says 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/locked.html"
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "duizhang")
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "duizhang@localhost")
# Outgoing mail (duizhang.config.email): EMAIL_URL=smtp://host:port, smtp+tls://user:pass@host:587.
# Without it EMAIL_CONFIGURED is False and notifications wait in the outbox.
globals().update(email_settings(env_str("EMAIL_URL")))
# Notifications: send only inside this window, company time ("08:00-20:00"; empty: any time);
# a claimed message is another sender's after the lease; retries back off from RETRY_SECONDS.
NOTIFY_SEND_WINDOW = env_str("NOTIFY_SEND_WINDOW", "")
NOTIFY_LEASE_SECONDS = int(env_str("NOTIFY_LEASE_SECONDS", "300"))
NOTIFY_MAX_ATTEMPTS = 8
NOTIFY_RETRY_SECONDS = 60
# Shown on the portal's help page: how customers reach our cashier.
PORTAL_CASHIER = {
    "name": env_str("CASHIER_NAME", ""),
    "phone": env_str("CASHIER_PHONE", ""),
    "email": env_str("CASHIER_EMAIL", ""),
    "hours": env_str("CASHIER_HOURS", "周一至周五 9:00–17:30"),
}
