import io
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from duizhang.statements.excel import statement_xlsx
from duizhang.statements.model import Style
from tests.statements.conftest import march

D = Decimal


def _exact(value: object) -> Decimal:
    """Excel holds doubles: money of up to 15 digits comes back exactly through repr."""
    assert isinstance(value, int | float), value
    return Decimal(repr(value))


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return load_workbook(io.BytesIO(statement_xlsx(march())))


def _row_of(sheet, text: str) -> int:
    return next(cell.row for row in sheet.iter_rows() for cell in row if cell.value == text)


def test_the_statement_sheet_gives_the_same_numbers(workbook: Workbook) -> None:
    assert workbook.sheetnames == ["对账单", "未结清单据"]
    sheet = workbook["对账单"]
    assert sheet["A1"].value == "杭州云帆科技有限公司"
    assert sheet["A4"].value == "对账单"
    assert sheet["B6"].value == "上海明远贸易有限公司"
    assert sheet["E6"].value == "DZ-C001-202603"
    header = _row_of(sheet, "单据号")
    assert [cell.value for cell in sheet[header]] == [
        "日期",
        "单据号",
        "摘要",
        "借方",
        "贷方",
        "余额",
    ]
    rows = list(sheet.iter_rows(min_row=header + 1, max_row=header + 8, values_only=True))
    assert rows[0][:3] == (datetime(2026, 3, 1), None, "期初余额")
    assert _exact(rows[0][5]) == D("9000.00")
    assert [row[1] for row in rows[1:6]] == ["INV-0302", "INV-0305", "INV-0305", None, "INV-0331"]
    assert [_exact(row[5]) for row in rows[1:6]] == [
        D("11345.67"),
        D("12345.67"),
        D("11345.67"),
        D("6845.67"),
        D("7645.67"),
    ]
    assert (_exact(rows[6][3]), _exact(rows[6][4])) == (D("4145.67"), D("5500.00"))
    assert rows[7][2] == "期末余额"
    assert _exact(rows[7][5]) == D("7645.67")
    capital_row = _row_of(sheet, "期末余额（大写）")
    assert sheet.cell(capital_row, 3).value == "人民币柒仟陆佰肆拾伍元陆角柒分"


def test_formats_freeze_and_print_setup(workbook: Workbook) -> None:
    sheet = workbook["对账单"]
    header = _row_of(sheet, "单据号")
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.cell(header + 1, 6).number_format == "#,##0.00"
    assert sheet.cell(header + 2, 4).number_format == "#,##0.00"
    assert sheet.cell(header + 2, 1).number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["C"].width == 36
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == f"${header}:${header}"


def test_the_open_items_sheet_has_the_aging(workbook: Workbook) -> None:
    sheet = workbook["未结清单据"]
    assert [cell.value for cell in sheet[3]][:5] == [
        "0–30 天",
        "31–60 天",
        "61–90 天",
        "90 天以上",
        "合计",
    ]
    assert [_exact(cell.value) for cell in sheet[4][:5]] == [
        D("3145.67"),
        D(0),
        D("4500.00"),
        D(0),
        D("7645.67"),
    ]
    header = _row_of(sheet, "未结金额")
    items = list(sheet.iter_rows(min_row=header + 1, max_row=header + 4, values_only=True))
    assert [(row[1], _exact(row[4]), _exact(row[5]), row[6]) for row in items[:3]] == [
        ("INV-0120", D("5000.00"), D("4500.00"), 70),
        ("INV-0302", D("2345.67"), D("2345.67"), 29),
        ("INV-0331", D("800.00"), D("800.00"), 0),
    ]
    assert items[3][2] == "合计"
    assert _exact(items[3][5]) == D("7645.67")
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.print_title_rows == f"${header}:${header}"


def test_english_open_item_workbook() -> None:
    book = load_workbook(io.BytesIO(statement_xlsx(march(language="en", style=Style.OPEN_ITEM))))
    assert book.sheetnames == ["Statement", "Open items"]
    sheet = book["Statement"]
    assert sheet["A4"].value == "Statement of Open Items"
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Debit" not in values  # no period lines in the open-item style
    assert "INV-0120" in values
    assert sheet.oddFooter.center.text == "Page &P of &N"
