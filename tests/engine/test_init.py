import os

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
