import os
import subprocess
import sys

import pytest

from duizhang.engine import refuse_stale_extensions


def test_an_extension_older_than_its_source_is_refused(tmp_path):
    extension = tmp_path / "groups.cpython-311-x86_64-linux-gnu.so"
    extension.write_bytes(b"")
    source = tmp_path / "groups.py"
    source.write_text("")
    os.utime(extension, (1_000, 1_000))

    with pytest.raises(ImportError, match=r"older than groups\.py"):
        refuse_stale_extensions(tmp_path)


def test_a_fresh_extension_and_its_helper_library_pass(tmp_path):
    (tmp_path / "groups.py").write_text("")
    os.utime(tmp_path / "groups.py", (1_000, 1_000))
    (tmp_path / "groups.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    (tmp_path / "groups__mypyc.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")

    refuse_stale_extensions(tmp_path)


def _allocator_setting(**environment: str) -> str:
    """The allocator setting Polars sees in a fresh process that imports the engine first."""
    code = "import duizhang.engine, polars, os; print(os.environ['_RJEM_MALLOC_CONF'])"
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"} | environment
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_freed_memory_is_kept_for_reuse_longer_than_polars_would_in_one_arena():
    # Polars puts its own setting first; the later value of an option wins
    assert _allocator_setting().endswith("dirty_decay_ms:10000,muzzy_decay_ms:0,narenas:1")


def test_an_allocator_setting_of_the_caller_wins():
    assert _allocator_setting(_RJEM_MALLOC_CONF="dirty_decay_ms:0").endswith(",dirty_decay_ms:0")
