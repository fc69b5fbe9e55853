"""run_later: after the commit, by the runner the settings name."""

from __future__ import annotations

import threading

import pytest
from django.db import transaction

from duizhang.config.celery import app, run_later

seen: list[tuple[str, str]] = []
done = threading.Event()


@app.task(name="tests.remember")
def remember(value: str) -> None:
    seen.append((value, threading.current_thread().name))
    done.set()


@pytest.fixture(autouse=True)
def _clear() -> None:
    seen.clear()
    done.clear()


def test_inline_runs_only_once_the_transaction_commits(
    settings, db, django_capture_on_commit_callbacks
):
    settings.TASKS_RUNNER = "inline"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        run_later(remember, "a")
        assert seen == []
    assert seen == [("a", threading.current_thread().name)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_thread_runs_in_the_pool(settings):
    settings.TASKS_RUNNER = "thread"
    run_later(remember, "b")  # no transaction: dispatched at once

    assert done.wait(10)
    assert seen[0][0] == "b" and seen[0][1].startswith("duizhang-task")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_celery_sends_to_the_broker(settings, monkeypatch):
    settings.TASKS_RUNNER = "celery"
    sent: list[tuple[object, ...]] = []
    monkeypatch.setattr(remember, "delay", lambda *args: sent.append(args))

    run_later(remember, "c")

    assert (sent, seen) == ([("c",)], [])


def test_an_unknown_runner_is_refused(settings):
    settings.TASKS_RUNNER = "cron"
    with pytest.raises(ValueError, match="TASKS_RUNNER"):
        run_later(remember, "d")
    assert seen == []
