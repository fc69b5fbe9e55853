"""Tests: the database comes from DATABASE_URL (SQLite by default, PostgreSQL in CI's second run)."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from duizhang.config.django.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEMO_DATA_ALLOWED = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True  # find static files per request; no collectstatic in tests

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A test database in a file, not in shared-cache memory: there, threads (the live server of
    # browser tests, the background task runner) fail at once with "database table is locked"
    # instead of waiting for the lock. pytest-django gives each xdist worker its own file, and
    # each checkout has its own name, so two checkouts can run their tests at the same time.
    _checkout = hashlib.sha256(str(Path(__file__).resolve()).encode()).hexdigest()[:8]
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"duizhang-test-{_checkout}.sqlite3")
    }
