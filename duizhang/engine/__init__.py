"""The Django-free functional core: plain records in, plain results out.

`make install` compiles the group search with mypyc (tools/compile_search.py) into an extension
next to `groups.py`, which Python then imports instead of the source. An extension older than its
source would run rules that are no longer there, so the engine refuses to start with one.
"""

import os
from pathlib import Path

# Polars gives freed memory back to the system half a second after it is freed (its allocator
# setting, for long-lived processes). The stages free and allocate frames of like sizes over and
# over, and every page given back is faulted in anew: at a million lines a tenth of the engine's
# CPU went to page faults. jemalloc's own default, ten seconds, keeps them for reuse (peak memory
# at 1M: about 0.9 → 1.1 GB). One arena rather than one per thread (jemalloc makes four per
# core): memory one Polars thread frees is reused by the next, whichever thread that is, which
# takes another tenth of the page faults away and lowers the peak. Polars reads this once, when
# it is first imported; a value set by the caller wins.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:10000,muzzy_decay_ms:0,narenas:1")


def refuse_stale_extensions(folder: Path) -> None:
    for extension in folder.glob("*.so"):
        source = folder / f"{extension.name.split('.')[0]}.py"
        if source.exists() and source.stat().st_mtime > extension.stat().st_mtime:
            raise ImportError(
                f"{extension} is older than {source.name}: run `make install` to compile it again"
            )


refuse_stale_extensions(Path(__file__).parent)
