"""A real SMTP server (aiosmtpd) on a random local port that keeps what it receives, and a
prepared demo installation on disk for the tests that run the product in other processes."""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

REPO = Path(__file__).resolve().parents[3]
DUIZHANG = [str(Path(sys.executable).parent / "duizhang")]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Sink:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    refuse_with: str = ""  # an SMTP answer to give to every DATA, e.g. "550 mailbox unavailable"

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refuse_with:
            return self.refuse_with
        content = envelope.original_content or b""
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(
            Received(str(envelope.mail_from), [str(rcpt) for rcpt in envelope.rcpt_tos], message)
        )
        return "250 OK queued"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_sink() -> Iterator[Sink]:
    sink = Sink(host="127.0.0.1", port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def mail_to(settings: Any, smtp_sink: Sink) -> Sink:
    """Point the sender at the sink (what EMAIL_URL=smtp://127.0.0.1:PORT does)."""
    settings.EMAIL_CONFIGURED = True
    settings.EMAIL_HOST = smtp_sink.host
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.NOTIFY_SEND_WINDOW = ""
    return smtp_sink


def product_env(var: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "EMAIL_URL", "CELERY_BROKER_URL", "DUIZHANG_TASKS")
    }
    env.update(DUIZHANG_VAR=str(var), DJANGO_SETTINGS_MODULE="duizhang.config.django.test")
    env.update(extra)
    return env


def run_product(var: Path, *args: str, **extra: str) -> str:
    done = subprocess.run(
        [*DUIZHANG, *args],
        cwd=REPO,
        env=product_env(var, **extra),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="session")
def queued_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo installation (SQLite under its own var/) whose month-end run for October 2026 is
    queued but not sent: four customers owe something, C002 nothing."""
    var = tmp_path_factory.mktemp("demo-var")
    run_product(var, "demo")
    out = run_product(var, "notify-run", "月末对账单", "--at", "2026-11-01T09:00", "--no-send")
    assert "4 message(s) queued" in out, out
    return var


@pytest.fixture
def demo_copy(queued_demo: Path, tmp_path: Path) -> Path:
    var = tmp_path / "var"
    shutil.copytree(queued_demo, var)
    return var
