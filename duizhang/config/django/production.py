"""Production: fails loudly on a missing secret; no demo data, no debug."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from duizhang.config.django.base import *  # noqa: F403
from duizhang.config.env import env_bool, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production")

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_HSTS_SECONDS = 31536000 if env_bool("SECURE_HSTS", False) else 0
