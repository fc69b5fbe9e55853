import io
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from duizhang.cli.main import cli

LEDGER = """id,date,amount,currency,reference,counterparty,description,customer,account
1,2026-02-01,1000.00,CNY,INV-1,上海明远贸易有限公司,二月货款,C001,1122
2,2026-02-20,-300.00,CNY,ADV-9,上海明远贸易有限公司,预收款,C001,2203
3,2026-03-03,2500.50,CNY,INV-2,上海明远贸易有限公司,三月货款,C001,1122
4,2026-03-09,500.00,CNY,INV-3,上海明远贸易有限公司,误开,C001,1122
5,2026-03-10,-500.00,CNY,INV-3,上海明远贸易有限公司,冲销,C001,1122
6,2026-03-20,-1000.00,CNY,INV-1,上海明远贸易有限公司,收款,C001,1122
7,2026-03-05,777.00,CNY,INV-X,北京别家有限公司,别家的,C002,1122
"""
PARTIES = """
[company]
name = "杭州云帆科技有限公司"
bank_name = "招商银行杭州分行"
bank_account = "5719 0000 1111"

[customers.C001]
uscc = "91310115MA1K4XYZ9Q"
"""
ARGS = ["--customer", "C001", "--from", "2026-03-01", "--to", "2026-03-31", "--date", "2026-04-02"]


def _files(tmp_path: Path) -> tuple[Path, Path]:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    parties = tmp_path / "parties.toml"
    parties.write_text(PARTIES, encoding="utf-8")
    return ledger, parties


def test_statement_writes_pdf_and_excel(tmp_path: Path) -> None:
    ledger, parties = _files(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "statement",
            str(ledger),
            *ARGS,
            "--out",
            str(out),
            "--parties",
            str(parties),
            "--receivables-only",
            "--hide-reversed",
        ],
    )
    assert result.exit_code == 0, result.output
    # opening 1,000.00 (the 预收 line is not a receivable); March 2,500.50 − 1,000.00
    assert result.output.splitlines()[0] == (
        "C001 上海明远贸易有限公司 CNY: opening 1000.00, 2 lines, closing 2500.50, 1 open items"
    )
    stem = "statement_C001_CNY_20260301_20260331"
    assert sorted(path.name for path in out.iterdir()) == [f"{stem}.pdf", f"{stem}.xlsx"]
    text = "".join(page.extract_text() for page in PdfReader(out / f"{stem}.pdf").pages)
    for expected in (
        "杭州云帆科技有限公司",
        "上海明远贸易有限公司",
        "91310115MA1K4XYZ9Q",
        "DZ-C001-20260331",
        "2,500.50",
        "人民币贰仟伍佰元伍角",
    ):
        assert expected in text, expected
    assert "INV-3" not in text and "ADV-9" not in text and "INV-X" not in text
    book = load_workbook(io.BytesIO((out / f"{stem}.xlsx").read_bytes()))
    balances = [
        row[5] for row in book["对账单"].iter_rows(values_only=True) if row[2] == "期末余额"
    ]
    assert [Decimal(repr(value)) for value in balances] == [Decimal("2500.50")]


def test_mixed_currencies_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    ledger, parties = _files(tmp_path)
    ledger.write_text(LEDGER + "8,2026-03-06,10.00,USD,INV-U,,,C001,1122\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["statement", str(ledger), *ARGS, "--out", str(out), "--parties", str(parties)]
    )
    assert result.exit_code == 1
    assert "CNY, USD" in result.output
    assert not out.exists()


def test_company_name_is_required(tmp_path: Path) -> None:
    ledger, _ = _files(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["statement", str(ledger), *ARGS, "--out", str(out)])
    assert result.exit_code == 2
    assert "--company NAME" in result.output
    assert not out.exists()


def test_unknown_customer(tmp_path: Path) -> None:
    ledger, _ = _files(tmp_path)
    out = tmp_path / "out"
    args = [
        "statement",
        str(ledger),
        "--customer",
        "C404",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--out",
        str(out),
        "--company",
        "杭州云帆科技有限公司",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "no entries for customer C404" in result.output
    assert not out.exists()
