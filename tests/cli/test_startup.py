"""The command line starts light: `--help` imports no heavy library, and `match` on canonical CSV
imports Polars and the engine but none of the other importers (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("polars", "django", "openpyxl", "ofxtools", "weasyprint", "lxml", "xlrd")
IMPORTERS = tuple(
    f"duizhang.ingest.{name}"
    for name in ("mt940", "camt", "ofx", "tables", "alipay", "wechat", "einvoice")
)
RUN_AND_LIST_MODULES = """
import json, sys
from duizhang.cli.main import cli
try:
    cli(sys.argv[1:], standalone_mode=False)
finally:
    print(json.dumps(sorted(sys.modules)))
"""


def imported_by(*args: str) -> set[str]:
    """The modules a fresh `duizhang ARGS` has imported when it ends (it prints them last)."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_help_imports_no_heavy_library_and_no_importer() -> None:
    modules = imported_by("--help")

    assert modules.isdisjoint((*HEAVY, *IMPORTERS)), sorted(modules & {*HEAVY, *IMPORTERS})


def test_match_on_canonical_csv_needs_no_other_importer(tmp_path: Path) -> None:
    header = "id,date,amount,currency,reference,counterparty,description,customer\n"
    (tmp_path / "ours.csv").write_text(
        header + "L1,2026-10-05,-1200.00,CNY,INV-1,宏达机械,收款,C1\n", encoding="utf-8"
    )
    (tmp_path / "theirs.csv").write_text(
        header + "R1,2026-10-06,-1200.00,CNY,INV-1,宏达机械,货款,C1\n", encoding="utf-8"
    )
    out = tmp_path / "out"

    modules = imported_by(
        "match", str(tmp_path / "ours.csv"), str(tmp_path / "theirs.csv"), "--out", str(out)
    )

    assert "polars" in modules
    unneeded = {"django", "openpyxl", "ofxtools", "weasyprint", *IMPORTERS}
    assert modules.isdisjoint(unneeded), sorted(modules & unneeded)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["matched"]["groups"] == 1
