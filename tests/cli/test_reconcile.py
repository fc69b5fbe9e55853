"""`duizhang match` and `duizhang clear` end to end: files in, exactly the spec's files out."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from duizhang.cli.main import cli

LEFT = """id,date,amount,currency,reference,counterparty,description,customer
L1,2026-10-05,-1200.00,CNY,INV-2026-000001,上海宏达机械有限公司,收货款,C1
L2,2026-10-06,-3456.00,CNY,INV-2026-000002,上海宏达机械有限公司,收货款,C1
L3,2026-10-08,-1000.00,CNY,INV-2026-000003,上海宏达机械有限公司,收货款,C1
L4,2026-10-08,-2000.00,CNY,INV-2026-000004,上海宏达机械有限公司,收货款,C1
L5,2026-10-12,-99.00,CNY,,上海宏达机械有限公司,收款,C1
"""
RIGHT = """id,date,amount,currency,reference,counterparty,description,customer
B1,2026-10-06,-1200.00,CNY,000001,上海宏达机械有限责任公司,货款,C1
B2,2026-10-07,-3546.00,CNY,FP2,宏达机械,货款,C1
B3,2026-10-09,-2985.00,CNY,,上海宏达机械有限公司,付发票000003、000004款,C1
B4,2026-10-30,-700.00,CNY,INV-2026-000009,上海宏达机械有限公司,货款,C1
"""


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run_match(tmp_path: Path, *extra: str) -> tuple[int, str, Path]:
    (tmp_path / "left.csv").write_text(LEFT, encoding="utf-8")
    (tmp_path / "right.csv").write_text(RIGHT, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "match",
            str(tmp_path / "left.csv"),
            str(tmp_path / "right.csv"),
            "--out",
            str(out),
            *extra,
        ],
    )
    return result.exit_code, result.output, out


def test_match_writes_the_spec_files_with_every_entry_once(tmp_path: Path) -> None:
    code, output, out = run_match(tmp_path, "--period-end", "2026-10-31")
    assert code == 0, output
    assert sorted(p.name for p in out.iterdir()) == [
        "matches.csv",
        "reconciliation.txt",
        "suggestions.csv",
        "summary.json",
        "unmatched.csv",
    ]
    matches = [
        (r["match_id"], r["left_id"], r["right_id"], r["rule"], r["difference"])
        for r in rows(out / "matches.csv")
    ]
    assert matches == [
        ("M000001", "L1", "B1", "reference", "0"),
        # groups are sought before a shared number with a differing amount is called a typo
        ("M000002", "L3", "B3", "many_to_one", "-15.00"),
        ("M000002", "L4", "B3", "many_to_one", "-15.00"),
        ("M000003", "L2", "B2", "amount_typo", "90.00"),
    ]
    assert list(rows(out / "matches.csv")[0])[:5] == [
        "match_id",
        "left_id",
        "right_id",
        "rule",
        "difference",
    ]
    unmatched = [(r["side"], r["id"], r["reason"]) for r in rows(out / "unmatched.csv")]
    assert unmatched == [("left", "L5", "missing"), ("right", "B4", "timing")]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["reconciliation"] == [
        {
            "currency": "CNY",
            "left_balance": "-7755.00",
            "right_balance": "-8431.00",
            "gap": "676.00",
            "unmatched_left": {"missing": "-99.00", "timing": "0", "duplicate": "0"},
            "unmatched_right": {"missing": "0", "timing": "-700.00", "duplicate": "0"},
            "group_differences": "75.00",
            "adjusted_left": "-8530.00",
            "adjusted_right": "-8530.00",
            "agrees": True,
        }
    ]
    assert "the adjusted balances agree" in output
    assert "余额调节表" in (out / "reconciliation.txt").read_text(encoding="utf-8")


def test_a_bad_amount_is_reported_with_its_line_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "left.csv").write_text(
        "id,date,amount\nL1,2026-10-05,12.345678\n", encoding="utf-8"
    )
    (tmp_path / "right.csv").write_text(RIGHT, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["match", str(tmp_path / "left.csv"), str(tmp_path / "right.csv"), "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "left.csv, line 2, column amount" in result.output
    assert not out.exists()


def test_tolerance_zero_leaves_the_fee_group_as_a_suggestion(tmp_path: Path) -> None:
    code, output, out = run_match(tmp_path, "--period-end", "2026-10-31", "--tolerance", "0")
    assert code == 0, output
    assert [r["rule"] for r in rows(out / "matches.csv")] == ["reference", "amount_typo"]
    assert {(r["side"], r["id"]) for r in rows(out / "unmatched.csv")} == {
        ("left", "L3"),
        ("left", "L4"),
        ("left", "L5"),
        ("right", "B3"),
        ("right", "B4"),
    }


def test_clear_writes_open_items_applications_and_aging(tmp_path: Path) -> None:
    (tmp_path / "ledger.csv").write_text(
        "id,date,amount,reference,customer\n"
        "I1,2026-07-01,1000.00,INV-1,C1\n"
        "I2,2026-08-01,500.00,INV-2,C1\n"
        "P1,2026-09-10,-1200.00,,C1\n",
        encoding="utf-8",
    )
    out = tmp_path / "clearing"
    result = CliRunner().invoke(
        cli, ["clear", str(tmp_path / "ledger.csv"), "--out", str(out), "--as-of", "2026-09-30"]
    )
    assert result.exit_code == 0, result.output
    assert rows(out / "applications.csv") == [
        {"payment_id": "P1", "invoice_id": "I1", "amount": "1000.00", "method": "oldest_first"},
        {"payment_id": "P1", "invoice_id": "I2", "amount": "200.00", "method": "oldest_first"},
    ]
    assert rows(out / "open_items.csv") == [
        {
            "customer": "C1",
            "id": "I2",
            "date": "2026-08-01",
            "reference": "INV-2",
            "amount": "500.00",
            "open_amount": "300.00",
            "age_days": "60",
            "bucket": "31-60",
        }
    ]
    assert rows(out / "aging.csv") == [
        {
            "customer": "C1",
            "0-30": "0",
            "31-60": "300.00",
            "61-90": "0",
            "91-180": "0",
            "180+": "0",
            "total": "300.00",
        }
    ]


def test_match_reads_any_format_an_importer_understands(tmp_path: Path) -> None:
    statement = (
        Path(__file__).parents[1]
        / "ingest/samples/mt940/WoLpH-mt940__ASNB__0708271685_09022020_164516.940.txt"
    )
    runner = CliRunner()
    parsed = runner.invoke(cli, ["parse", str(statement), "--out", str(tmp_path / "bank.csv")])
    assert parsed.exit_code == 0, parsed.output
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["match", str(tmp_path / "bank.csv"), str(statement), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(rows(out / "matches.csv")) == 8
    assert {r["difference"] for r in rows(out / "matches.csv")} == {"0"}
    assert rows(out / "unmatched.csv") == []
