"""Every declared layout is recognised from its own header and signs a credit the same way."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from duizhang.ingest.load import load
from duizhang.ingest.tables import preview
from duizhang.ingest.tables.generic import LAYOUTS
from duizhang.ingest.tables.mapping import Layout

CELLS = {
    "date": "2026-10-05",
    "year": "2026",
    "month": "10",
    "day": "5",
    "amount": "1.00",
    "direction": "贷",
    "credit": "1.00",
    "debit": "",
    "balance": "1.00",
    "balance_direction": "借",
    "currency": "人民币",
}


@pytest.mark.parametrize("declared", LAYOUTS, ids=lambda item: item.name)
def test_layout_reads_a_one_line_file_of_its_own(declared: Layout, tmp_path: Path) -> None:
    roles = {name: role for role, name in declared.mapping.columns().items()}
    header = list(dict.fromkeys([*declared.mapping.columns().values(), *declared.signature]))
    cells = dict(CELLS, amount="-1.00") if declared.mapping.negate else CELLS  # card repayment
    row = [cells.get(roles.get(name, "").split("[")[0], "x") for name in header]
    path = tmp_path / "one.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["2026年度"], header, row])  # the year for 月/日 layouts

    assert preview(path).layout == declared.name
    (entry,) = load(path).entries
    # a bank's credit is money in, a ledger's credit lowers the debit balance: -1 either way
    assert (str(entry.date), entry.amount) == ("2026-10-05", Decimal("-1.00"))
