import json
from pathlib import Path

from click.testing import CliRunner

from duizhang.cli.main import cli
from duizhang.ingest.tables import ColumnMapping, Meaning

AMBIGUOUS = (
    "日期,摘要,借方,贷方,余额\n2026-10-05,货款,100.00,,100.00\n2026-10-09,回款,,40.00,60.00\n"
)


def test_parse_writes_canonical_csv_in_the_receivable_view(tmp_path: Path) -> None:
    source = tmp_path / "ours.csv"
    source.write_text("id,date,amount\nL1,2026-10-05,1200.00\n", encoding="utf-8")
    out = tmp_path / "out.csv"

    result = CliRunner().invoke(cli, ["parse", str(source), "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert "ours.csv: canonical, side ours, 1 entries" in result.output
    assert out.read_text(encoding="utf-8").splitlines()[1] == "L1,2026-10-05,1200.00,CNY,,,,,"


def test_parse_refuses_bad_input_naming_line_and_column(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("id,date,amount\nL1,2026-10-05,12.3x\n", encoding="utf-8")

    result = CliRunner().invoke(cli, ["parse", str(source)])

    assert result.exit_code == 1
    assert "bad.csv, line 2, column amount: not a plain decimal amount: '12.3x'" in result.output


def test_an_unrecognised_table_reads_with_a_saved_mapping(tmp_path: Path) -> None:
    source = tmp_path / "导出.csv"
    source.write_text(AMBIGUOUS, encoding="utf-8")
    mapping = tmp_path / "columns.json"
    columns = ColumnMapping(
        meaning=Meaning.BOOKS, name="ledger", date="日期", debit="借方", credit="贷方"
    )
    mapping.write_text(json.dumps(columns.to_dict()), encoding="utf-8")

    refused = CliRunner().invoke(cli, ["parse", str(source)])
    result = CliRunner().invoke(cli, ["parse", str(source), "--mapping", str(mapping)])

    assert refused.exit_code == 1
    assert result.exit_code == 0, result.output
    amounts = [line.split(",")[2] for line in result.stdout.splitlines()[1:]]
    assert amounts == ["100.00", "-40.00"]


def test_formats_lists_every_importer() -> None:
    result = CliRunner().invoke(cli, ["formats"])
    names = {line.split()[0] for line in result.output.splitlines()}
    assert {"canonical", "mt940", "camt", "ofx", "alipay", "wechat", "einvoice", "cn-bank"} <= names
