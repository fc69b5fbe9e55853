"""The sender is killed between handing a message to the SMTP server and recording it."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.apps.notifications.conftest import REPO, Sink, product_env, run_product

# Kill this process (SIGKILL: no cleanup, no atexit) right after the server accepted the
# second message and before the sender records it.
KILLED_SENDER = """
import os, signal, django
django.setup()
from duizhang.apps.notifications import delivery
count = 0
def die(message):
    global count
    count += 1
    if count == 2:
        print(message.key, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
delivery.after_send = die
delivery.deliver_due()
"""

STATUS = """
import django
django.setup()
from duizhang.apps.notifications.models import OutboxMessage
for message in OutboxMessage.objects.order_by("key"):
    print(message.key, message.status, message.tries.count())
"""


def python(var: Path, code: str, sink: Sink, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=product_env(var, EMAIL_URL=sink.url, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_sender_killed_after_sending_never_sends_twice(demo_copy: Path, smtp_sink: Sink) -> None:
    # Its lease on the message it dies holding ends at once (the product's default: 5 minutes).
    killed = python(demo_copy, KILLED_SENDER, smtp_sink, NOTIFY_LEASE_SECONDS="0")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    killed_key = killed.stdout.strip()
    assert len(smtp_sink.received) == 2  # the second one reached the server, unrecorded

    # the restart, within the month the queued run is for: no other schedule falls due
    restart = ("send-due", "--at", "2026-11-01T09:30")
    out = run_product(demo_copy, *restart, EMAIL_URL=smtp_sink.url)
    assert "sent 2," in out and "outcome unknown 1" in out, out
    again = run_product(demo_copy, *restart, EMAIL_URL=smtp_sink.url)
    assert "sent 0," in again, again

    recipients = Counter(tuple(item.recipients) for item in smtp_sink.received)
    assert recipients == {
        ("wangli@mingyuan.example.cn",): 1,
        ("zhangmin@hailian.example.cn",): 1,
        ("grace.lin@lvyuan.example.cn",): 1,
        ("liuyang@bochuang.example.cn",): 1,
    }
    statuses = python(demo_copy, STATUS, smtp_sink).stdout.split("\n")
    lines = {line.split()[0]: line.split()[1:] for line in statuses if line}
    assert lines.pop(killed_key) == ["unknown", "1"]  # for the manager to decide; not resent
    assert sorted(lines.values()) == [["sent", "1"]] * 3
