"""The reconciliation report as a formatted Excel workbook and as an A4 PDF.

Both read one `selectors.Report` and label it in the active language (Chinese by default).
Amounts go into the workbook as exact numbers with a `#,##0.00` format; the PDF is HTML from a
template rendered by `duizhang.documents.pdf.render_pdf` with the bundled Noto Sans SC fonts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from duizhang.apps.reconciliations.models import Reason
from duizhang.apps.reconciliations.selectors import Report, ReportGroup, ReportLine
from duizhang.documents.pdf import render_pdf
from duizhang.engine.statement import BalanceStatement

FONT = "Microsoft YaHei"
PDF_MATCHED_GROUPS = 300  # the PDF is for signing; every group is in the workbook
AMOUNT = "#,##0.00"
_HEADER_FILL = PatternFill("solid", fgColor="1F3B5C")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F5F8")
_THIN = Side(style="thin", color="9AA7B5")


@dataclass(frozen=True, slots=True)
class StatementRow:
    label: str
    ours: Decimal | None
    theirs: Decimal | None
    total: bool = False


def statement_rows(statement: BalanceStatement) -> list[StatementRow]:
    """The 余额调节表 as printed: each side's balance, plus what only the other side booked,
    less the differences inside matched groups, gives two adjusted balances that must agree."""
    reasons = dict(Reason.choices)
    rows = [StatementRow(_("Balance per books"), statement.left_balance, statement.right_balance)]
    for reason in Reason.values:
        only_theirs = statement.unmatched_right.get(reason, Decimal(0))
        only_ours = statement.unmatched_left.get(reason, Decimal(0))
        why = "" if reason == Reason.MISSING else f"（{reasons[reason]}）"
        if only_theirs:
            rows.append(StatementRow(_("Add: booked by them, not by us") + why, only_theirs, None))
        if only_ours:
            rows.append(StatementRow(_("Add: booked by us, not by them") + why, None, only_ours))
    if statement.group_differences:
        label = _("Less: differences within matched groups")
        rows.append(StatementRow(label, -statement.group_differences, None))
    rows.append(
        StatementRow(
            _("Adjusted balance"), statement.adjusted_left, statement.adjusted_right, total=True
        )
    )
    return rows


def report_title(report: Report) -> str:
    return _("Balance reconciliation statement")


def report_pdf(report: Report) -> bytes:
    html = render_to_string(
        "reconciliations/report_pdf.html",
        {
            "report": report,
            "recon": report.reconciliation,
            "title": report_title(report),
            "statements": [(s, statement_rows(s)) for s in report.statements],
            "matched": report.groups[:PDF_MATCHED_GROUPS],
            "matched_more": max(0, len(report.groups) - PDF_MATCHED_GROUPS),
            "printed": timezone.localtime(),
        },
    )
    return render_pdf(html)


def report_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    _styles(workbook)
    summary = workbook.active
    assert summary is not None
    summary.title = _("Summary")
    _summary_sheet(summary, report)
    _groups_sheet(workbook.create_sheet(_("Matched")), report.groups)
    _groups_sheet(workbook.create_sheet(_("Differences")), report.differences)
    _unmatched_sheet(workbook.create_sheet(_("Unmatched")), report.unmatched)
    _adjustments_sheet(workbook.create_sheet(_("Adjustments")), report)
    recon = report.reconciliation
    workbook.properties.title = f"{report_title(report)} {recon.customer.name}"
    workbook.properties.creator = recon.company.name
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _summary_sheet(sheet: Worksheet, report: Report) -> None:
    recon = report.reconciliation
    sheet["A1"] = report_title(report)
    sheet["A1"].font = Font(name=FONT, bold=True, size=15)
    facts = [
        (_("Company"), recon.company.name),
        (_("Customer"), f"{recon.customer.name}（{recon.customer.code}）"),
        (_("Our ledger"), recon.ours.name),
        (_("Compared with"), recon.theirs.name),
        (
            _("Period"),
            f"{recon.period_start:%Y-%m-%d} – {recon.period_end:%Y-%m-%d}"
            if recon.period_start
            else f"– {recon.period_end:%Y-%m-%d}",
        ),
        (_("Status"), str(recon.get_status_display())),
        (_("Prepared by"), recon.prepared_by.get_username()),
        (_("Reviewed by"), recon.reviewed_by.get_username() if recon.reviewed_by else ""),
    ]
    row = 3
    for label, value in facts:
        sheet.cell(row, 1, label).font = Font(name=FONT, color="6B7785")
        sheet.cell(row, 2, value).font = Font(name=FONT)
        row += 1
    for statement in report.statements:
        row += 1
        _header(sheet, row, [f"{_('Currency')} {statement.currency}", _("Ours"), _("Theirs")])
        row += 1
        for line in statement_rows(statement):
            font = Font(name=FONT, bold=line.total)
            sheet.cell(row, 1, line.label).font = font
            for column, amount in ((2, line.ours), (3, line.theirs)):
                cell = sheet.cell(row, column, amount)
                cell.number_format = AMOUNT
                cell.font = font
                if line.total:
                    cell.border = Border(top=_THIN, bottom=Side(style="double"))
                    cell.fill = _TOTAL_FILL
            row += 1
        agreed = (
            _("The adjusted balances agree.")
            if statement.agrees
            else _("The adjusted balances do not agree.")
        )
        sheet.cell(row, 1, agreed).font = Font(name=FONT, italic=True)
        row += 1
    row += 1
    counts = report.counts
    _header(sheet, row, [_("Review"), _("Count"), ""])
    for label, count in (
        (_("Matched groups"), counts.groups),
        (_("Groups with a difference"), counts.differences),
        (_("Differences not yet explained"), counts.unresolved_differences),
        (_("Unmatched lines"), counts.unmatched),
        (_("Unmatched lines not yet explained"), counts.unmatched_unresolved),
        (_("Open suggestions"), counts.suggestions),
    ):
        row += 1
        sheet.cell(row, 1, label).font = Font(name=FONT)
        sheet.cell(row, 2, count).font = Font(name=FONT)
    _widths(sheet, [44, 22, 22])
    _a4(sheet, landscape=False)


def _groups_sheet(sheet: Worksheet, groups: list[ReportGroup]) -> None:
    titles = [
        _("Group"),
        _("Rule"),
        _("Method"),
        _("Side"),
        _("Date"),
        _("Entry"),
        _("Reference"),
        _("Description"),
        _("Amount"),
        _("Difference"),
        _("Explanation"),
        _("Comment"),
    ]
    _header(sheet, 1, titles)
    row = 2
    for group in groups:
        first = True
        for line in [*group.ours, *group.theirs]:
            head = (group.label, group.rule, group.method) if first else ("", "", "")
            values: list[object] = [
                *head,
                _("Ours") if line.side == "left" else _("Theirs"),
                line.day,
                line.key,
                line.reference,
                line.description,
                line.amount,
                group.difference if first else None,
                group.explanation if first else "",
                group.comment if first else "",
            ]
            _row(sheet, row, values, amounts=(9, 10), dates=(5,))
            if first:
                for column in range(1, len(titles) + 1):
                    sheet.cell(row, column).border = Border(top=_THIN)
            first = False
            row += 1
    _widths(sheet, [10, 12, 40, 8, 12, 20, 20, 32, 16, 14, 16, 30])
    _a4(sheet, landscape=True)


def _unmatched_sheet(sheet: Worksheet, lines: list[ReportLine]) -> None:
    titles = [
        _("Side"),
        _("Date"),
        _("Entry"),
        _("Reference"),
        _("Description"),
        _("Amount"),
        _("Currency"),
        _("Reason"),
        _("Explanation"),
        _("Comment"),
    ]
    _header(sheet, 1, titles)
    for row, line in enumerate(lines, start=2):
        side = _("Ours") if line.side == "left" else _("Theirs")
        values: list[object] = [
            side,
            line.day,
            line.key,
            line.reference,
            line.description,
            line.amount,
            line.currency,
            line.reason,
            line.explanation,
            line.comment,
        ]
        _row(sheet, row, values, amounts=(6,), dates=(2,))
    _widths(sheet, [8, 12, 20, 20, 34, 16, 8, 22, 18, 30])
    _a4(sheet, landscape=True)


def _adjustments_sheet(sheet: Worksheet, report: Report) -> None:
    _header(sheet, 1, [_("For"), _("Amount"), _("Entry text"), _("Comment"), _("Proposed by")])
    for row, proposal in enumerate(report.adjustments, start=2):
        values: list[object] = [
            proposal.about,
            proposal.amount,
            proposal.text,
            proposal.comment,
            proposal.by,
        ]
        _row(sheet, row, values, amounts=(2,), dates=())
    _widths(sheet, [20, 16, 30, 40, 14])
    _a4(sheet, landscape=False)


def _header(sheet: Worksheet, row: int, titles: list[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row, column, title)
        cell.font = Font(name=FONT, bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    if row == 1:
        sheet.freeze_panes = "A2"
        sheet.print_title_rows = "1:1"


def _styles(workbook: Workbook) -> None:
    """Named styles, registered once: assigning one per cell is cheap, building one is not."""
    top = Alignment(vertical="top")
    for name, number_format, alignment in (
        ("rc-text", "General", Alignment(vertical="top", wrap_text=True)),
        ("rc-amount", AMOUNT, top),
        ("rc-date", "yyyy-mm-dd", top),
    ):
        style = NamedStyle(name=name, number_format=number_format)
        style.font = Font(name=FONT)
        style.alignment = alignment
        workbook.add_named_style(style)


def _row(
    sheet: Worksheet,
    row: int,
    values: list[object],
    *,
    amounts: tuple[int, ...],
    dates: tuple[int, ...],
) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column, value)
        cell.style = (
            "rc-amount" if column in amounts else "rc-date" if column in dates else "rc-text"
        )


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _a4(sheet: Worksheet, *, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
