"""Every sample under samples/ parses to the canonical CSV and report stored beside it.

`pytest tests/ingest/test_golden.py --regen-golden` rewrites the expected files; read the diff
before committing it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from duizhang.ingest.canonical import write_canonical
from duizhang.ingest.load import load

SAMPLES = Path(__file__).parent / "samples"
NOT_SAMPLES = (".md", ".yml", ".expected.csv", ".expected.log")


def sample_files() -> list[Path]:
    return sorted(
        path
        for path in SAMPLES.rglob("*")
        if path.is_file() and not path.name.endswith(NOT_SAMPLES)
    )


def render(path: Path) -> tuple[str, str]:
    loaded = load(path)
    csv_out = io.StringIO()
    write_canonical(loaded.entries, csv_out, with_account=True)
    log = [f"format: {loaded.format}", f"side: {loaded.side}", f"entries: {len(loaded.entries)}"]
    log += [f"skipped line {s.line}: {s.reason}" for s in loaded.skipped]
    log += [
        f"balance {b.label or b.account} {b.currency}: opening {b.opening} closing {b.closing} "
        f"lines {b.movement}"
        for b in loaded.balances
    ]
    log += [f"warning: {w}" for w in loaded.warnings]
    return csv_out.getvalue(), "\n".join(log) + "\n"


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: str(p.relative_to(SAMPLES)))
def test_sample_parses_as_expected(sample: Path, request: pytest.FixtureRequest) -> None:
    csv_text, log_text = render(sample)
    expected_csv = sample.with_name(sample.name + ".expected.csv")
    expected_log = sample.with_name(sample.name + ".expected.log")
    if request.config.getoption("--regen-golden"):
        expected_csv.write_text(csv_text, encoding="utf-8")
        expected_log.write_text(log_text, encoding="utf-8")
    assert expected_csv.exists(), (
        f"no expected output; run with --regen-golden and review {expected_csv}"
    )
    assert csv_text == expected_csv.read_text(encoding="utf-8")
    assert log_text == expected_log.read_text(encoding="utf-8")
