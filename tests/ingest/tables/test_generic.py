"""Unknown layouts: the automatic mapping, the user's own mapping, previews and bad cells."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from duizhang.engine.records import Side
from duizhang.ingest.base import IngestError, UnknownFormat
from duizhang.ingest.load import load
from duizhang.ingest.registry import detect
from duizhang.ingest.tables import (
    BOOKS_TABLE_IMPORTER,
    ColumnMapping,
    GenericTableImporter,
    Meaning,
    extract_with_mapping,
    preview,
)

GERMAN = (
    "Buchungstag;Betrag;Verwendungszweck\n05/10/2026;-12.50;Gebühr\n07/10/2026;100.00;Zahlung\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_auto_mapped_bank_export(samples: Path) -> None:
    loaded = load(samples / "generic/bank_export_flag_gbk.csv")

    assert (loaded.format, loaded.side) == ("cn-bank", Side.BANK)
    assert [(e.id, str(e.date), str(e.amount)) for e in loaded.entries[:2]] == [
        ("LS0001", "2026-10-03", "-12000.00"),
        ("LS0002", "2026-10-03", "260.00"),
    ]
    # LS0003 appears twice: not an id; the running balance tells the two fees apart
    repeated = loaded.entries[2:]
    assert [e.reference for e in repeated] == ["LS0003", "LS0003"]
    assert repeated[0].id != repeated[1].id
    assert {e.account for e in loaded.entries} == {"6228 4800 1234 5678"}


def test_auto_mapped_invoice_list_with_english_headers(samples: Path) -> None:
    loaded = load(samples / "generic/invoices_english.csv")

    assert (loaded.format, loaded.side) == ("table", Side.OURS)
    assert [(e.id, str(e.amount), e.currency, e.customer) for e in loaded.entries] == [
        ("INV-0901", "1234.00", "USD", "C-1001"),
        ("CN-0004", "-234.00", "USD", "C-1001"),
        ("INV-0905", "560.50", "USD", "C-2002"),
        ("CN-0005", "-60.50", "USD", "C-2002"),
    ]


def test_customer_statement_xlsx(samples: Path) -> None:
    loaded = load(samples / "generic/customer_statement.xlsx")

    assert [(e.id, e.reference, str(e.amount)) for e in loaded.entries] == [
        ("XS-0105", "26110050", "56500.00"),
        ("SK-0044", "SK-0044", "-56500.00"),
        ("XS-0118", "26110077", "10170.10"),
    ]
    (balance,) = loaded.balances
    assert (balance.opening, balance.closing, balance.movement) == (
        Decimal("0.00"),
        Decimal("10170.10"),
        Decimal("10170.10"),
    )


def test_an_ambiguous_table_is_unknown_and_asks_for_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "日期,摘要,借方,贷方,余额\n2026-10-05,货款,100.00,,100.00\n")

    with pytest.raises(UnknownFormat):
        detect(path)
    with pytest.raises(IngestError, match="map them on the column mapping screen"):
        BOOKS_TABLE_IMPORTER.extract(path)
    shown = preview(path)
    assert (shown.header_line, shown.layout, shown.proposed) == (1, None, None)
    assert shown.header == ["日期", "摘要", "借方", "贷方", "余额"]


def test_the_users_mapping_reads_an_unknown_layout(tmp_path: Path) -> None:
    path = write(tmp_path, "umsatz.csv", GERMAN)
    saved = json.dumps(
        ColumnMapping(
            meaning=Meaning.BANK,
            name="sparkasse",
            date="Buchungstag",
            amount="Betrag",
            description=("Verwendungszweck",),
            day_first=True,
        ).to_dict()
    )
    importer = GenericTableImporter(ColumnMapping.from_dict(json.loads(saved)))

    assert importer.identify(path)
    assert importer.default_side is Side.BANK
    with pytest.raises(UnknownFormat):
        detect(path)
    extraction = importer.extract(path)
    assert [(str(e.date), str(e.amount), e.description) for e in extraction.entries] == [
        ("2026-10-05", "-12.50", "Gebühr"),
        ("2026-10-07", "100.00", "Zahlung"),
    ]


def test_a_mapping_whose_columns_are_missing_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "日期,金额\n2026-10-05,1.00\n")
    mapping = ColumnMapping(meaning=Meaning.BOOKS, date="日期", amount="金额", customer="客户")

    assert not GenericTableImporter(mapping).identify(path)
    with pytest.raises(IngestError, match="map the columns again"):
        extract_with_mapping(path, mapping)


def test_a_bad_date_names_file_line_column_and_value(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "流水.csv",
        "账号：123\n交易日期,摘要,收入,支出,余额,对方户名\n"
        "2026-10-05,货款,100.00,,100.00,甲公司\n2026-13-45,货款,100.00,,200.00,甲公司\n",
    )

    with pytest.raises(IngestError) as error:
        load(path)

    assert (error.value.line, error.value.column, error.value.value) == (
        4,
        "交易日期",
        "2026-13-45",
    )
    assert str(error.value) == "流水.csv, line 4, column 交易日期: not a date: '2026-13-45'"


def test_a_bad_amount_in_excel_names_the_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "十月"
    sheet.append(["交易日期", "摘要", "收入", "支出", "余额", "对方户名"])
    sheet.append(["2026-10-05", "货款", 100.0, None, 100.0, "甲公司"])
    sheet.append(["2026-10-06", "货款", "一百元", None, 200.0, "甲公司"])
    path = tmp_path / "流水.xlsx"
    book.save(path)

    with pytest.raises(IngestError) as error:
        load(path)

    assert (error.value.line, error.value.column, error.value.value) == (3, "收入", "一百元")
    assert (
        str(error.value) == "流水.xlsx, line 3, column 收入: sheet '十月': not an amount: '一百元'"
    )


def test_an_unknown_flag_or_currency_is_an_error(tmp_path: Path) -> None:
    flag = write(tmp_path, "f.csv", "交易时间,收/支,金额,对方户名\n2026-10-05,退,1.00,甲\n")
    currency = write(
        tmp_path, "c.csv", "交易日期,收入,支出,币种,对方户名\n2026-10-05,1.00,,卢布,甲\n"
    )

    with pytest.raises(IngestError) as flag_error:
        load(flag)
    with pytest.raises(IngestError) as currency_error:
        load(currency)

    assert (flag_error.value.column, flag_error.value.value) == ("收/支", "退")
    assert (currency_error.value.column, currency_error.value.value) == ("币种", "卢布")


def test_ragged_rows_and_nothing_written_on_error(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "交易日期,收入,支出,余额,对方户名,摘要\n2026-10-05,1.00\n")

    (entry,) = load(path).entries

    assert (entry.amount, entry.counterparty, entry.description) == (Decimal("-1.00"), "", "")


def test_ids_are_stable_across_overlapping_exports(tmp_path: Path) -> None:
    header = "交易日期,收入,支出,余额,对方户名\n"
    rows = [
        "2026-10-01,100.00,,100.00,甲\n",
        "2026-10-02,,5.00,95.00,乙\n",
        "2026-10-02,,5.00,90.00,乙\n",
        "2026-10-03,50.00,,140.00,丙\n",
    ]
    september = write(tmp_path, "a.csv", header + "".join(rows[:3]))
    october = write(tmp_path, "b.csv", header + "".join(rows[1:]))

    first = {e.source_line: e.id for e in load(september).entries}
    second = {e.source_line: e.id for e in load(october).entries}

    assert [first[3], first[4]] == [second[2], second[3]]
    assert len(set(first.values()) | set(second.values())) == 4


def test_identical_lines_without_a_balance_get_numbered_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "交易日期,收入,支出,对方户名\n" + "2026-10-02,,5.00,乙\n" * 2)

    ids = [e.id for e in load(path).entries]

    assert ids[1] == f"{ids[0]}#2"


def test_chinese_date_spellings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "dates.csv",
        "交易日期,收入,支出,对方户名\n"
        "2026年10月5日,1.00,,甲\n2026/10/6,1.00,,甲\n20261007,1.00,,甲\n"
        "20261008 17:07:09,1.00,,甲\n2026-10-09T08:00:00,1.00,,甲\n",
    )

    dates = [str(e.date) for e in load(path).entries]

    assert dates == ["2026-10-05", "2026-10-06", "2026-10-07", "2026-10-08", "2026-10-09"]


def test_excel_serial_numbers_in_a_date_column(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["交易日期", "收入", "支出", "对方户名"])
    sheet.append([46300, 1.0, None, "甲"])  # a date cell that lost its date format
    path = tmp_path / "serial.xlsx"
    book.save(path)

    (entry,) = load(path).entries

    assert str(entry.date) == "2026-10-05"


def test_numeric_flags_declared_in_the_mapping(tmp_path: Path) -> None:
    """浙商银行 writes 借贷标志 1 = 收 (in), 2 = 付 (out)."""
    path = write(
        tmp_path,
        "czb.csv",
        "交易日期,借贷标志,发生额,对方户名\n20261005,1,10.00,甲\n20261006,2,3.00,乙\n",
    )
    mapping = ColumnMapping(
        meaning=Meaning.BANK,
        date="交易日期",
        amount="发生额",
        direction="借贷标志",
        debit_flags=("2",),
        credit_flags=("1",),
        counterparty="对方户名",
    )

    entries = extract_with_mapping(path, mapping).entries

    assert [str(e.amount) for e in entries] == ["10.00", "-3.00"]  # books view: money in is +


def test_a_mapping_with_the_wrong_sign_meaning_shows_in_the_running_balance(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "b.csv",
        "日期,借方,贷方,余额\n2026-10-01,,100.00,100.00\n2026-10-02,30.00,,70.00\n"
        "2026-10-03,,5.00,75.00\n",
    )
    bank = ColumnMapping(
        meaning=Meaning.BANK, date="日期", debit="借方", credit="贷方", balance="余额"
    )
    ledger = ColumnMapping.from_dict(dict(bank.to_dict(), meaning="books"))

    assert extract_with_mapping(path, bank).warnings == []
    assert extract_with_mapping(path, ledger).warnings == [
        "the running balance (余额) does not follow the amounts on 2 of 3 lines, first on line 3"
    ]
