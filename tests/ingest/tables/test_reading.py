from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import openpyxl

from duizhang.ingest.load import load
from duizhang.ingest.tables.reading import _excel_value, read_sheets, sniff

CCB_XLS = "cn_bank/deg__ccb__交易明细_xxxx_2025xxxx_2025xxxx.xls"


def test_an_ole_xls_named_csv_is_read_as_excel(samples: Path, tmp_path: Path) -> None:
    disguised = tmp_path / "交易明细.csv"
    shutil.copy(samples / CCB_XLS, disguised)

    assert sniff(disguised) == "xls"
    loaded = load(disguised)

    assert loaded.format == "cn-bank"
    assert len(loaded.entries) == 6
    assert str(loaded.entries[0].amount) == "67.00"  # money out of the bank: + receivable view


def test_excel_floats_go_through_repr_and_are_rounded_to_cents() -> None:
    assert _excel_value(0.1 + 0.2) == "0.30"
    assert _excel_value(67.0) == "67"
    assert _excel_value(2176.91) == "2176.91"
    assert _excel_value(1234.5) == "1234.5"
    assert _excel_value(20250101.0) == "20250101"
    assert _excel_value(1.005) == "1.01"  # decimal 1.005, not the binary 1.00499999…


def test_excel_dates_become_iso_text() -> None:
    assert _excel_value(datetime(2026, 10, 5)) == "2026-10-05"
    assert _excel_value(datetime(2026, 4, 10, 17, 7, 9)) == "2026-04-10 17:07:09"
    assert _excel_value("  消费\t ") == "消费"
    assert _excel_value(None) == ""


def test_xlsx_rows_keep_the_line_numbers_excel_shows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "明细"
    sheet["A3"] = "日期"
    sheet["B3"] = "金额"
    sheet["A5"] = "2026-10-05"
    sheet["B5"] = 12.5
    path = tmp_path / "t.xlsx"
    book.save(path)

    (read,) = read_sheets(path)

    assert read.name == "明细"
    lines = {row.line: row.cells for row in read.rows if not row.is_blank()}
    assert lines == {3: ["日期", "金额"], 5: ["2026-10-05", "12.5"]}


def test_csv_lines_count_physical_lines_and_strip_padding(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('标题\n\na,"b\nc"\n" x \t",`12`\n', encoding="utf-8")

    (read,) = read_sheets(path)

    assert [(row.line, row.cells) for row in read.rows] == [
        (1, ["标题"]),
        (2, []),
        (3, ["a", "b\nc"]),
        (5, ["x", "12"]),
    ]


def test_tab_separated_text_and_gbk(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes("日期\t摘要\t金额\n2026-10-05\t货款\t1,000.00\n".encode("gb18030"))

    (read,) = read_sheets(path)

    assert read.rows[1].cells == ["2026-10-05", "货款", "1,000.00"]


def test_commas_win_over_tabs_inside_quoted_cells(samples: Path) -> None:
    (read,) = read_sheets(samples / "cn_bank/deg__icbc_debit-v1__example-icbc-debit-v1-records.csv")

    header = next(row for row in read.rows if row.cells and row.cells[0] == "交易日期")
    assert header.line == 7
    assert len(header.cells) == 13
    assert read.rows[7].cells[:2] == ["2023-05-02", "消费"]


def test_limit_reads_only_the_first_rows(samples: Path) -> None:
    (read,) = read_sheets(samples / "cn_bank/deg__boc_debit__example-boc-records.csv", limit=3)

    assert [row.line for row in read.rows] == [1, 2, 3]


def test_utf16_tab_separated_download(tmp_path: Path) -> None:
    path = tmp_path / "boc.csv"
    text = "交易日期\t摘要\t收入\t支出\t对方户名\n2026-10-05\t货款\t1.00\t\t甲\n"
    path.write_bytes(text.encode("utf-16"))

    (entry,) = load(path).entries

    assert (str(entry.date), str(entry.amount), entry.counterparty) == ("2026-10-05", "-1.00", "甲")
