"""Background work: Celery when a broker is configured, an in-process thread pool when not.

Apps define tasks with `@app.task` in their `tasks.py` and queue them with `run_later(task, …)`,
which dispatches once the current transaction commits (a task never sees uncommitted rows) by
the runner `settings.TASKS_RUNNER` names:

- "celery": `task.delay()` to the broker in CELERY_BROKER_URL (run `celery -A duizhang.config.celery
  worker`); the default whenever a broker is configured;
- "thread": a small thread pool inside the web process, for a single-machine install without a
  broker; work is lost if the process stops mid-task, so tasks must be safe to run again;
- "inline": run at once in the caller's thread (tests that assert on the result right away).

Periodic tasks are listed once, in `app.conf.beat_schedule` (seconds between runs). With a broker
Celery beat runs them (`duizhang worker` starts a worker with beat embedded); without one,
`start_beat_thread()` — called by `duizhang serve` — runs them in a daemon thread of the web
process, one after another, so a slow run never overlaps the next.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from celery import Celery, Task
from django.conf import settings
from django.db import close_old_connections, connections, transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duizhang.config.django.dev")

app = Celery("duizhang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    "notifications.send_due": {"task": "notifications.send_due", "schedule": 60.0},
}

RUNNERS = ("celery", "thread", "inline")
_log = logging.getLogger("duizhang.tasks")

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def run_later(task: Task, *args: Any) -> None:
    """Queue `task(*args)` to run after the current transaction commits (at once if none)."""
    runner = str(getattr(settings, "TASKS_RUNNER", "thread"))
    if runner not in RUNNERS:
        raise ValueError(f"TASKS_RUNNER must be one of {', '.join(RUNNERS)}, not {runner!r}")
    transaction.on_commit(lambda: _dispatch(runner, task, args))


def _dispatch(runner: str, task: Task, args: tuple[Any, ...]) -> None:
    if runner == "celery":
        task.delay(*args)
    elif runner == "inline":
        task(*args)
    else:
        _thread_pool().submit(_in_thread, task, args).add_done_callback(_log_failure)


def _thread_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            workers = int(getattr(settings, "TASKS_THREADS", 2))
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="duizhang-task")
        return _pool


def _in_thread(task: Callable[..., object], args: tuple[Any, ...]) -> None:
    """A pool thread has its own database connections: fresh before, closed after."""
    close_old_connections()
    try:
        task(*args)
    finally:
        connections.close_all()


def _log_failure(future: Future[None]) -> None:
    error = future.exception()
    if error is not None:
        _log.error("background task failed", exc_info=error)


def start_beat_thread() -> threading.Thread | None:
    """Run the beat schedule inside this process when no broker is configured (else None)."""
    if str(getattr(settings, "TASKS_RUNNER", "thread")) == "celery":
        return None
    thread = threading.Thread(target=beat_forever, name="duizhang-beat", daemon=True)
    thread.start()
    return thread


def beat_forever(stop: threading.Event | None = None) -> None:
    """Call each periodic task when its interval has passed since its last call, until `stop`."""
    stop = stop or threading.Event()
    app.loader.import_default_modules()
    last: dict[str, float] = {}
    while not stop.is_set():
        for name, entry in app.conf.beat_schedule.items():
            now = time.monotonic()
            if name in last and now - last[name] < float(entry["schedule"]):
                continue
            last[name] = now
            try:
                _in_thread(app.tasks[entry["task"]], ())
            except Exception:
                _log.exception("periodic task %s failed", name)
        stop.wait(1.0)
