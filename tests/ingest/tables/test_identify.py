from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duizhang.ingest.tables import BANK_IMPORTER, BOOKS_TABLE_IMPORTER, LEDGER_IMPORTER

IMPORTERS = (BANK_IMPORTER, LEDGER_IMPORTER, BOOKS_TABLE_IMPORTER)


@settings(max_examples=40, deadline=None)
@given(
    data=st.binary(max_size=600)
    | st.text(alphabet="日期金额借贷,\n\t\"'-0123456789年月", max_size=300).map(str.encode),
    suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".txt"]),
)
def test_identify_never_raises_on_foreign_bytes(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("id") / f"f{suffix}"
    path.write_bytes(data)

    assert [importer.identify(path) for importer in IMPORTERS].count(True) <= 1


def test_identify_ignores_other_suffixes(tmp_path: Path) -> None:
    path = tmp_path / "statement.sta"
    path.write_text("交易日期,收入,支出,对方户名\n2026-10-05,1.00,,甲\n", encoding="utf-8")

    assert not any(importer.identify(path) for importer in IMPORTERS)
