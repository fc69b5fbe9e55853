"""Tests: the database comes from DATABASE_URL (SQLite by default, PostgreSQL in CI's second run)."""

from __future__ import annotations

from duizhang.config.django.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEMO_DATA_ALLOWED = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True  # find static files per request; no collectstatic in tests
