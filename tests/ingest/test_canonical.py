import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from duizhang.ingest.base import IngestError
from duizhang.ingest.canonical import canonical_text, read_canonical
from duizhang.ingest.load import load

GOOD = """id,date,amount,currency,reference,counterparty,description,customer,extra
L1,2026-10-05,1200.00,,INV-001,上海某某有限公司,货款,C001,ignored
L2,2026-10-09,-1200.00,CNY,,,回款,C001,
"""


def test_reads_rows_with_their_line_numbers_and_defaults() -> None:
    entries = list(read_canonical(io.StringIO(GOOD), file="ours.csv"))
    assert [(e.id, e.date, e.amount, e.currency, e.source_line) for e in entries] == [
        ("L1", date(2026, 10, 5), Decimal("1200.00"), "CNY", 2),
        ("L2", date(2026, 10, 9), Decimal("-1200.00"), "CNY", 3),
    ]
    assert entries[0].counterparty == "上海某某有限公司"


@pytest.mark.parametrize(
    ("row", "column", "line"),
    [
        ("L3,2026/10/05,1.00", "date", 2),
        ('L3,2026-10-05,"1,000.00"', "amount", 2),
        ("L3,2026-10-05,1.00001", "amount", 2),
        (",2026-10-05,1.00", "id", 2),
    ],
)
def test_bad_rows_name_line_and_column(row: str, column: str, line: int) -> None:
    with pytest.raises(IngestError) as caught:
        list(read_canonical(io.StringIO("id,date,amount\n" + row + "\n"), file="bad.csv"))
    assert (caught.value.line, caught.value.column) == (line, column)
    assert str(caught.value).startswith(f"bad.csv, line {line}, column {column}")


def test_duplicate_ids_are_refused() -> None:
    text = "id,date,amount\nA,2026-10-05,1\nA,2026-10-06,2\n"
    with pytest.raises(IngestError, match="line 3, column id: duplicate id"):
        list(read_canonical(io.StringIO(text)))


def test_round_trip_through_load(tmp_path: Path) -> None:
    path = tmp_path / "ours.csv"
    path.write_text(GOOD, encoding="utf-8")
    loaded = load(path)
    assert loaded.format == "canonical"
    assert canonical_text(loaded.entries).splitlines()[1] == (
        "L1,2026-10-05,1200.00,CNY,INV-001,上海某某有限公司,货款,C001"
    )


def test_account_column_survives_a_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    path.write_text("id,date,amount,account\nB1,2026-10-05,-50.00,NL01BANK0123\n", encoding="utf-8")
    assert load(path).entries[0].account == "NL01BANK0123"
