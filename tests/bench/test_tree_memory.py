from __future__ import annotations

import sys
from pathlib import Path

from duizhang.bench import run

# A parent holding 150 MB that starts a worker holding 200 MB for a while, as the engine does.
_BOTH_HOLD = """
import subprocess, sys
held = bytearray(150 * 2**20); held[::4096] = b"x" * len(held[::4096])
code = "b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(0.5)"
subprocess.run([sys.executable, "-c", code], check=True)
"""


def test_a_tools_peak_adds_up_its_worker_processes(tmp_path: Path) -> None:
    measured = run.measure([sys.executable, "-c", _BOTH_HOLD], tmp_path / "log")
    assert measured.returncode == 0
    assert 350 <= measured.peak_mb < 500


def test_a_small_tools_peak_is_not_the_benchmarks_own(tmp_path: Path) -> None:
    # the benchmark holds a scored 1M case when it runs the next tool; Linux hands a child its
    # parent's high-water mark, so os.wait4 alone would report this tool at 300 MB or more
    held = bytearray(300 * 2**20)
    held[::4096] = b"x" * len(held[::4096])
    measured = run.measure([sys.executable, "-c", "import time; time.sleep(0.3)"], tmp_path / "log")
    assert measured.returncode == 0
    assert measured.peak_mb < 100
    assert len(held) == 300 * 2**20  # still held while the tool ran
