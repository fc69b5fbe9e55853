"""Compile the group search (`groups.py` and `typos.py`) to C with mypyc; `make install` runs this.

The search is plain typed Python and stays the one source of truth: compiled, the same code runs
about 3.5 times as fast (the engine's largest cost at a million lines). The extension is written next
to its source, where Python imports it in preference to the `.py`; `duizhang.engine` refuses one
older than its source. Where no C compiler is, this fails and the engine runs as plain Python.

python tools/compile_search.py duizhang/engine/groups.py duizhang/engine/typos.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from mypyc.build import mypycify
from setuptools import Distribution

ROOT = Path(__file__).resolve().parents[1]


def main(modules: list[str]) -> None:
    """Compile `modules` (paths relative to the project) into extensions beside them."""
    os.chdir(ROOT)  # module names follow from the paths, relative to the project
    with tempfile.TemporaryDirectory() as build:
        # a bare Distribution: `setup()` would read pyproject.toml and go looking for packages;
        # the modules share one library, duizhang/engine/search__mypyc.*.so, beside them
        distribution = Distribution(
            {
                "name": "duizhang-compiled-search",
                "ext_modules": mypycify(
                    modules,
                    opt_level="3",
                    target_dir=f"{build}/c",
                    group_name="duizhang.engine.search",
                ),
            }
        )
        command = distribution.get_command_obj("build_ext")
        command.inplace = True
        command.build_temp = f"{build}/temp"
        command.build_lib = f"{build}/lib"
        distribution.run_command("build_ext")


if __name__ == "__main__":
    main(sys.argv[1:])
