"""Compile every django.po under duizhang/ (duizhang/locale and each app's locale/) into its .mo
with polib, so no GNU gettext is needed. The .po files are the source; edit them by hand.

python duizhang/locale/compile_messages.py           # write the .mo files
python duizhang/locale/compile_messages.py --check   # exit 1 naming every .mo that is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent.parent


def catalogues() -> list[tuple[Path, Path]]:
    """(po, mo) for the project catalogue and every app's, in a stable order."""
    found = [
        *PACKAGE.glob("locale/*/LC_MESSAGES/*.po"),
        *PACKAGE.glob("apps/*/locale/*/LC_MESSAGES/*.po"),
    ]
    return [(po, po.with_suffix(".mo")) for po in sorted(found)]


def compiled(po: Path) -> bytes:
    return polib.pofile(str(po)).to_binary()


def stale() -> list[Path]:
    """The .mo files that do not match their .po."""
    return [mo for po, mo in catalogues() if not mo.exists() or mo.read_bytes() != compiled(po)]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        outdated = stale()
        for mo in outdated:
            print(f"out of date: {mo.relative_to(PACKAGE.parent)} (run make messages)")
        return 1 if outdated else 0
    for po, mo in catalogues():
        mo.write_bytes(compiled(po))
        print(f"compiled {mo.relative_to(PACKAGE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
