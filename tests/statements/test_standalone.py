"""The statements package works in a process where Django was never set up."""

import subprocess
import sys

from tests.conftest import REPO

SCRIPT = """
import os, sys
os.environ.pop("DJANGO_SETTINGS_MODULE", None)
from tests.statements.conftest import march
from duizhang.statements.pdf import statement_html
from django.conf import settings
html = statement_html(march())
assert not settings.configured
print("7,645.67" in html and "上海明远贸易有限公司" in html)
"""


def test_renders_without_django_settings() -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
