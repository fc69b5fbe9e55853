"""A real Celery worker, with Redis as the broker, sends the queued month-end statements."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

from tests.apps.notifications.conftest import REPO, Sink, product_env

BROKER = "redis://127.0.0.1:6379/14"


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="no Redis server on 127.0.0.1:6379")
def test_a_celery_worker_sends_the_queued_statements(demo_copy: Path, smtp_sink: Sink) -> None:
    env = product_env(demo_copy, EMAIL_URL=smtp_sink.url, CELERY_BROKER_URL=BROKER)
    client = Celery(broker=BROKER)
    client.control.purge()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "duizhang.config.celery",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            "celery",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        client.send_task("notifications.deliver_due")
        deadline = time.monotonic() + 120
        while len(smtp_sink.received) < 4 and time.monotonic() < deadline:
            assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    assert sorted(item.recipients[0] for item in smtp_sink.received) == [
        "grace.lin@lvyuan.example.cn",
        "liuyang@bochuang.example.cn",
        "wangli@mingyuan.example.cn",
        "zhangmin@hailian.example.cn",
    ]
