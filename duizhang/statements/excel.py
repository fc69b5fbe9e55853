"""The statement as an Excel workbook: the statement sheet and the open items with their aging.

Amounts are written as exact numbers (the Decimal's own digits) with the `#,##0.00` format, so
a re-read gives the same values; dates are real dates. Both sheets print on A4, fitted to the
page width, with the table header repeated on every page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from duizhang.engine.money import minor_units
from duizhang.statements.capital import capital_amount
from duizhang.statements.labels import bucket_names, labels, title
from duizhang.statements.model import Statement, Style

FONT = "Microsoft YaHei"  # what a Chinese Windows desktop shows; others fall back to their CJK font
_HEADER_FILL = PatternFill("solid", fgColor="1F3B5C")
_SUB_FILL = PatternFill("solid", fgColor="F2F5F8")
_THIN = Side(style="thin", color="9AA7B5")
_BOTTOM = Border(bottom=_THIN)


def statement_xlsx(statement: Statement) -> bytes:
    workbook = Workbook()
    words = labels(statement.language)
    lines_sheet = workbook.active
    assert lines_sheet is not None
    lines_sheet.title = words["lines_sheet"]
    _statement_sheet(lines_sheet, statement)
    _open_items_sheet(workbook.create_sheet(words["open_items"]), statement)
    workbook.properties.title = f"{title(statement)} {statement.number}"
    workbook.properties.creator = statement.company.name
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def number_format(currency: str) -> str:
    decimals = minor_units(currency)
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _statement_sheet(sheet: Worksheet, statement: Statement) -> None:
    words = labels(statement.language)
    row = _header_block(sheet, statement)
    amounts = number_format(statement.currency)
    if statement.style is Style.BALANCE_FORWARD:
        columns = ("date", "reference", "description", "debit", "credit", "balance")
        header_row = _table_header(sheet, row, [words[c] for c in columns])
        row = header_row + 1
        _row(
            sheet,
            row,
            [statement.period_start, "", words["opening"], None, None, statement.opening],
            amounts,
            fill=_SUB_FILL,
        )
        for line in statement.lines:
            row += 1
            debit = line.debit or None
            credit = line.credit or None
            _row(
                sheet,
                row,
                [line.date, line.reference, line.description, debit, credit, line.balance],
                amounts,
            )
        row += 1
        _row(
            sheet,
            row,
            [None, "", words["totals"], statement.total_debit, statement.total_credit, None],
            amounts,
            fill=_SUB_FILL,
        )
        row += 1
        _row(
            sheet,
            row,
            [statement.period_end, "", words["closing"], None, None, statement.closing],
            amounts,
            fill=_SUB_FILL,
            bold=True,
        )
        _widths(sheet, (18, 18, 36, 16, 16, 16))
    else:
        header_row = _open_items_table(sheet, row, statement)
        row = sheet.max_row
        _widths(sheet, (18, 18, 36, 12, 16, 16, 12))
    row += 2
    sheet.cell(row, 1, words["capital"]).font = Font(name=FONT, bold=True)
    capital = capital_amount(statement.closing) if statement.currency == "CNY" else ""
    sheet.cell(row, 3, ("人民币" + capital) if capital else statement.currency).font = Font(
        name=FONT, bold=True
    )
    _print_setup(sheet, header_row, statement.language)


def _open_items_sheet(sheet: Worksheet, statement: Statement) -> None:
    words = labels(statement.language)
    amounts = number_format(statement.currency)
    sheet.cell(
        1,
        1,
        f"{words['aging']}{words['open_paren']}{words['as_of']} "
        f"{statement.period_end.isoformat()}{words['close_paren']}",
    ).font = Font(name=FONT, bold=True, size=12)
    names = [*bucket_names(statement.language), words["total"]]
    _table_header(sheet, 3, names)
    _row(sheet, 4, [*statement.aging, statement.closing], amounts, bold=True)
    header_row = _open_items_table(sheet, 6, statement)
    _widths(sheet, (18, 18, 36, 12, 16, 16, 12))
    _print_setup(sheet, header_row, statement.language)


def _open_items_table(sheet: Worksheet, row: int, statement: Statement) -> int:
    """The open items with a total row; returns the header row."""
    words = labels(statement.language)
    amounts = number_format(statement.currency)
    columns = ("date", "reference", "description", "due_date", "original", "open", "age")
    header_row = _table_header(sheet, row, [words[c] for c in columns])
    for item in statement.open_items:
        row += 1
        values = [
            item.date,
            item.reference,
            item.description,
            item.due_date,
            item.original,
            item.open,
            item.age_days,
        ]
        _row(sheet, row, values, amounts)
        sheet.cell(row, 7).number_format = "0"
    row += 1
    _row(
        sheet,
        row,
        [None, "", words["total"], None, None, statement.closing, None],
        amounts,
        fill=_SUB_FILL,
        bold=True,
    )
    return header_row


def _header_block(sheet: Worksheet, statement: Statement) -> int:
    """Company, title and the statement's facts; returns the row of the table header."""
    words = labels(statement.language)
    company, customer = statement.company, statement.customer
    sheet.cell(1, 1, company.name).font = Font(name=FONT, bold=True, size=14, color="1F3B5C")
    contact = "    ".join(
        f"{words[key]}{words['colon']}{value}"
        for key, value in (
            ("company_address", company.address),
            ("company_phone", company.phone),
            ("company_tax_id", company.tax_id),
        )
        if value
    )
    bank = "    ".join(
        f"{words[key]}{words['colon']}{value}"
        for key, value in (
            ("company_bank", company.bank_name),
            ("company_account", company.bank_account),
        )
        if value
    )
    sheet.cell(2, 1, contact).font = Font(name=FONT, size=9)
    sheet.cell(3, 1, bank).font = Font(name=FONT, size=9)
    sheet.cell(4, 1, title(statement)).font = Font(name=FONT, bold=True, size=16)
    facts: Sequence[tuple[str, object, str, object]] = (
        (words["customer_name"], customer.name, words["number"], statement.number),
        (words["customer_code"], customer.code, words["version"], statement.version),
        (words["customer_uscc"], customer.uscc, words["issued"], statement.issued),
        (
            words["currency"],
            statement.currency,
            words["period"],
            f"{statement.period_start.isoformat()} {words['period_to']} {statement.period_end.isoformat()}",
        ),
    )
    row = 5
    for left_label, left, right_label, right in facts:
        row += 1
        sheet.cell(row, 1, left_label).font = Font(name=FONT, color="555555")
        sheet.cell(row, 2, left).font = Font(name=FONT, bold=left_label == words["customer_name"])
        sheet.cell(row, 4, right_label).font = Font(name=FONT, color="555555")
        cell = sheet.cell(row, 5, right)
        cell.font = Font(name=FONT)
        cell.alignment = Alignment(horizontal="left")
        if isinstance(right, date):
            cell.number_format = "yyyy-mm-dd"
    amounts = number_format(statement.currency)
    row += 2
    summary = [
        (words["opening"], statement.opening),
        (words["period_debit"], statement.total_debit),
        (words["period_credit"], statement.total_credit),
        (words["closing"], statement.closing),
    ]
    if statement.style is Style.OPEN_ITEM:
        summary = summary[3:]
    for column, (label, value) in enumerate(summary, start=3):
        sheet.cell(row, column, label).font = Font(name=FONT, color="555555")
        sheet.cell(row, column).alignment = Alignment(horizontal="right")
        cell = sheet.cell(row + 1, column, value)
        cell.number_format = amounts
        cell.font = Font(name=FONT, bold=label == words["closing"])
    return row + 3


def _table_header(sheet: Worksheet, row: int, names: Sequence[str]) -> int:
    for column, name in enumerate(names, start=1):
        cell = sheet.cell(row, column, name)
        cell.font = Font(name=FONT, bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.freeze_panes = sheet.cell(row + 1, 1)
    return row


def _row(
    sheet: Worksheet,
    row: int,
    values: Sequence[object],
    amounts: str,
    *,
    fill: PatternFill | None = None,
    bold: bool = False,
) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column, value)
        cell.font = Font(name=FONT, bold=bold)
        cell.border = _BOTTOM
        if fill is not None:
            cell.fill = fill
        if isinstance(value, Decimal):
            cell.number_format = amounts
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _print_setup(sheet: Worksheet, header_row: int, language: str) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    words = labels(language)
    sheet.oddFooter.center.text = (
        f"{words['page_of_prefix']}&P{words['page_of_middle']}&N{words['page_of_suffix']}"
    )
