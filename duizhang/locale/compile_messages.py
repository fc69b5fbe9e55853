"""Compile every django.po under duizhang/locale into its .mo with polib (no GNU gettext needed).

python duizhang/locale/compile_messages.py           # write the .mo files
python duizhang/locale/compile_messages.py --check   # exit 1 if a .mo is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent


def catalogues() -> list[tuple[Path, Path]]:
    return [(po, po.with_suffix(".mo")) for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))]


def compiled(po: Path) -> bytes:
    return polib.pofile(str(po)).to_binary()


def stale() -> list[Path]:
    """The .mo files that do not match their .po."""
    return [mo for po, mo in catalogues() if not mo.exists() or mo.read_bytes() != compiled(po)]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        outdated = stale()
        for mo in outdated:
            print(f"out of date: {mo.relative_to(LOCALE_DIR)} (run make messages)")
        return 1 if outdated else 0
    for po, mo in catalogues():
        mo.write_bytes(compiled(po))
        print(f"compiled {mo.relative_to(LOCALE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
