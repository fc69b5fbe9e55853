"""The IBM receivables sample may not be copied into the repo (no licence): read it from
../shared/realdata/ when that folder is beside the checkout."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from duizhang.engine.records import Side
from duizhang.ingest.load import load

AR = "realdata/ar_aging/iamjenetzler-pbifinanceml__WA_Fn-UseC_-Accounts-Receivable.csv"


def test_ibm_receivables_invoice_list(shared_dir: Path) -> None:
    loaded = load(shared_dir / AR)

    assert (loaded.format, loaded.side) == ("table", Side.OURS)
    assert len(loaded.entries) == 2466
    assert (loaded.skipped, loaded.warnings) == ([], [])
    first, last = loaded.entries[0], loaded.entries[-1]
    assert (first.id, first.reference, first.customer) == ("611365", "611365", "0379-NEVHP")
    assert (str(first.date), first.amount, first.source_line) == ("2013-01-02", Decimal("55.94"), 2)
    assert (last.id, str(last.date), last.amount) == ("9990243864", "2013-07-04", Decimal("68.66"))
    assert last.raw["SettledDate"] == "7/18/2013"  # kept, not booked as a payment
    assert sum(entry.amount for entry in loaded.entries) == Decimal("147703.18")
    assert len({entry.id for entry in loaded.entries}) == 2466
    assert len({entry.customer for entry in loaded.entries}) == 100


def test_every_real_bank_export_imports(shared_dir: Path) -> None:
    counts = {
        path.name: len(load(path).entries)
        for path in sorted((shared_dir / "realdata/cn_bank").iterdir())
    }

    assert counts == {
        "deg__abc_debit__example-abc_debit-records.csv": 4,
        "deg__boc_debit__example-boc-records.csv": 17,
        "deg__bocom_debit__example-bocom_debit-records.csv": 6,
        "deg__ccb__交易明细_xxxx_2025xxxx_2025xxxx.xls": 6,
        "deg__cmb_debit__example-cmb-records.csv": 5,
        "deg__icbc_credit__example-icbc-credit-records.csv": 9,
        "deg__icbc_debit-v1__example-icbc-debit-v1-records.csv": 11,
    }
