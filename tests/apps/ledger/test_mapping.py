"""A table no importer recognises, read with the user's column mapping, which the source keeps."""

from __future__ import annotations

from decimal import Decimal

import pytest

from duizhang.apps.ledger.models import Entry, ImportBatch
from duizhang.apps.ledger.services import entries_import
from duizhang.ingest.base import UnknownFormat
from duizhang.ingest.tables import ColumnMapping, Meaning

TABLE = "流水导出\n记账时间,发生额,对手,备注,流水\n{rows}"
MAPPING = ColumnMapping(
    meaning=Meaning.BANK,
    date="记账时间",
    amount="发生额",
    counterparty="对手",
    description=("备注",),
    serial="流水",
)


def _table(tmp_path, name: str, *rows: str):
    path = tmp_path / name
    path.write_text(TABLE.format(rows="\n".join(rows) + "\n"), encoding="utf-8")
    return path


def test_unknown_table_needs_a_mapping(bank, tmp_path):
    path = _table(tmp_path, "july.csv", "2026-07-01,1000.00,上海明远,货款,S1")

    with pytest.raises(UnknownFormat):
        entries_import(source=bank, path=path, uploaded_by=None)
    assert ImportBatch.objects.count() == 0


def test_mapping_imports_and_becomes_the_source_preset(bank, tmp_path):
    path = _table(
        tmp_path,
        "july.csv",
        "2026-07-01,1000.00,上海明远,货款,S1",
        "2026-07-02,-25.00,银行,手续费,S2",
    )

    result = entries_import(source=bank, path=path, uploaded_by=None, mapping=MAPPING)

    assert (result.new_count, result.batch.format) == (2, "table:custom")
    # money in on our bank account lowers the receivable
    assert list(
        Entry.objects.order_by("date").values_list("amount", "counterparty", "source_line")
    ) == [
        (Decimal("-1000.0000"), "上海明远", 3),
        (Decimal("25.0000"), "银行", 4),
    ]
    bank.refresh_from_db()
    assert bank.mapping_preset == MAPPING.to_dict() == result.batch.mapping


def test_next_file_with_the_same_layout_uses_the_preset(bank, tmp_path):
    entries_import(
        source=bank,
        path=_table(tmp_path, "july.csv", "2026-07-01,1000.00,上海明远,货款,S1"),
        uploaded_by=None,
        mapping=MAPPING,
    )

    august = _table(
        tmp_path,
        "august.csv",
        "2026-07-01,1000.00,上海明远,货款,S1",
        "2026-08-03,500.00,苏州恒通,货款,S3",
    )
    result = entries_import(source=bank, path=august, uploaded_by=None)

    assert (result.row_count, result.new_count, result.present_count) == (2, 1, 1)
    assert result.batch.format == "table:custom"
