"""The Django-free functional core: plain records in, plain results out.

`make install` compiles the group search with mypyc (tools/compile_search.py) into an extension
next to `groups.py`, which Python then imports instead of the source. An extension older than its
source would run rules that are no longer there, so the engine refuses to start with one.
"""

from pathlib import Path


def refuse_stale_extensions(folder: Path) -> None:
    for extension in folder.glob("*.so"):
        source = folder / f"{extension.name.split('.')[0]}.py"
        if source.exists() and source.stat().st_mtime > extension.stat().st_mtime:
            raise ImportError(
                f"{extension} is older than {source.name}: run `make install` to compile it again"
            )


refuse_stale_extensions(Path(__file__).parent)
