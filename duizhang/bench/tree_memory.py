"""Peak resident memory of a process and all its descendants, sampled from /proc.

`os.wait4` reports a child's peak RSS, but Linux carries the parent's high-water mark into the
child across fork and exec: every tool the benchmark ran reported at least what the benchmark
itself held (0.8-0.9 GB once it had scored a 1M case), `true` included. And a program that
hands work to worker processes peaks as the sum of them all, which one process's figure leaves
out. So the tree's resident memory is summed every `INTERVAL` seconds while the tool runs, and
the highest sum is its peak (a peak shorter than the interval may be missed). A sample costs
the benchmark about 0.1 ms of CPU: half a percent of a core, beside the tool it measures.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType

INTERVAL = 0.02
_PAGE = os.sysconf("SC_PAGE_SIZE")
_PROC = Path("/proc")


class TreePeak:
    """`with TreePeak(pid) as peak: …` samples the tree under `pid` until the block ends;
    `peak.mb` is the highest total seen (0 where /proc cannot be read)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.mb = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while True:
            total = sum(resident_bytes(pid) for pid in (self.pid, *descendants(self.pid)))
            self.mb = max(self.mb, total / 2**20)
            if self._done.wait(INTERVAL):
                return


def descendants(pid: int) -> list[int]:
    """The processes under `pid`, each after its parent (none once `pid` has exited)."""
    found: list[int] = []
    waiting = [pid]
    while waiting:
        parent = waiting.pop()
        for child in _children(parent):
            found.append(child)
            waiting.append(child)
    return found


def _children(pid: int) -> list[int]:
    # every thread's children: a worker process may be started by any thread of its parent
    try:
        tasks = list((_PROC / str(pid) / "task").iterdir())
    except OSError:
        return []
    children: list[int] = []
    for task in tasks:
        try:
            children.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return children


def resident_bytes(pid: int) -> int:
    """A process's resident memory now, 0 once it has gone."""
    try:
        return int((_PROC / str(pid) / "statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0
