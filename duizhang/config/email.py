"""Outgoing mail from one variable, EMAIL_URL, as Django's EMAIL_* settings.

    smtp://host:port                 plain SMTP (a local relay, a test sink)
    smtp+tls://user:pass@host:587    STARTTLS
    smtps://user:pass@host:465       TLS from the first byte

Empty: no mail server; messages wait in the outbox until one is configured.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

SCHEMES = {"smtp": (False, False), "smtp+tls": (True, False), "smtps": (False, True)}
DEFAULT_PORTS = {"smtp": 25, "smtp+tls": 587, "smtps": 465}


def email_settings(url: str) -> dict[str, Any]:
    if not url:
        return {"EMAIL_CONFIGURED": False}
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ValueError(
            f"EMAIL_URL scheme must be one of {', '.join(SCHEMES)}, not {parts.scheme!r}"
        )
    if not parts.hostname:
        raise ValueError("EMAIL_URL names no host")
    use_tls, use_ssl = SCHEMES[parts.scheme]
    return {
        "EMAIL_CONFIGURED": True,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or DEFAULT_PORTS[parts.scheme],
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": 30,
    }
