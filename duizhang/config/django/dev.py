"""Local development and `make run`: embedded SQLite, a generated secret kept under var/."""

from __future__ import annotations

import secrets

from duizhang.config.django.base import *  # noqa: F403
from duizhang.config.env import VAR_DIR, env_str

DEBUG = True


def _local_secret() -> str:
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") or _local_secret()

DEMO_DATA_ALLOWED = True
WHITENOISE_USE_FINDERS = True  # serve app static files without collectstatic
