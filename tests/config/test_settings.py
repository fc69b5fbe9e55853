"""Production settings refuse to start without a secret; the others need none."""

from __future__ import annotations

import os
import subprocess
import sys

SETUP = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.DEMO_DATA_ALLOWED)"
)


def _start(settings_module: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG")
    }
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(
        [sys.executable, "-c", SETUP], env=environment, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_secret_key():
    result = _start("duizhang.config.django.production")

    assert result.returncode == 1
    assert "ImproperlyConfigured: SECRET_KEY must be set in production" in result.stderr


def test_production_starts_with_a_secret_key_without_debug_or_demo_data():
    result = _start("duizhang.config.django.production", SECRET_KEY="x" * 50)

    assert (result.returncode, result.stdout.strip()) == (0, "False False")


def test_development_generates_its_own_secret(tmp_path):
    result = _start("duizhang.config.django.dev", DUIZHANG_VAR=str(tmp_path))

    assert (result.returncode, result.stdout.strip()) == (0, "True True")
    assert len((tmp_path / "secret_key").read_text()) >= 50
