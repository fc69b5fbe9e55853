"""The printed statement: its text (pypdf) and its pages as images (pypdfium2).

Each PDF is rendered once per module (WeasyPrint takes about half a second a document).
"""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pypdfium2
import pytest
from pypdf import PdfReader

from duizhang.statements.build import build_statement
from duizhang.statements.model import Statement, Style
from duizhang.statements.pdf import statement_html, statement_pdf
from tests.statements.conftest import COMPANY, CUSTOMER, build, entry, march

A4_POINTS = (595.28, 841.89)


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def march_pdf() -> bytes:
    return statement_pdf(march())


@pytest.fixture(scope="module")
def long_statement() -> Statement:
    """120 invoices in a quarter, each paid a week later by reference."""
    start = date(2026, 1, 1)
    entries = [entry("open", "2025-12-31", "1000.00", "INV-OPEN", "期初发票")]
    for number in range(1, 61):
        day = start + timedelta(days=number - 1)
        entries.append(
            entry(
                f"i{number}",
                day.isoformat(),
                f"{1000 + number}.50",
                f"INV-{number:04d}",
                "销售货款",
            )
        )
        entries.append(
            entry(
                f"p{number}",
                (day + timedelta(days=7)).isoformat(),
                f"-{1000 + number}.50",
                f"INV-{number:04d}",
                "收款",
            )
        )
    return build_statement(
        entries,
        company=COMPANY,
        customer=CUSTOMER,
        issued=date(2026, 4, 1),
        number="DZ-LONG",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
    )


def test_the_statement_reads_as_it_should(march_pdf: bytes) -> None:
    text = "\n".join(_text(march_pdf))
    for expected in (
        "杭州云帆科技有限公司",
        "上海明远贸易有限公司",
        "91310115MA1K4XYZ9Q",
        "5719 0123 4567 890",
        "DZ-C001-202603",
        "2026-03-01 至 2026-03-31",
        "9,000.00",  # opening
        "4,145.67",  # period debits
        "5,500.00",  # period credits
        "7,645.67",  # closing
        "11,345.67",
        "6,845.67",
        "人民币柒仟陆佰肆拾伍元陆角柒分",
        "3,145.67",  # 0–30 days
        "4,500.00",  # 61–90 days
        "90 天以上",
        "上述余额相符",
        "上述余额不符",
        "客户盖章",
    ):
        assert expected in text, expected
    squeezed = re.sub(r"\s+", "", text)  # the titles are letter-spaced
    assert "对账单" in squeezed
    assert "询证回函" in squeezed
    for reference in ("INV-0302", "INV-0305", "INV-0331", "INV-0120"):
        assert reference in text
    assert "INV-0402" not in text  # April is after the period
    assert "第 1 页 共 2 页" in text.replace("\n", " ")


def test_pages_are_a4_with_ink_in_the_table(march_pdf: bytes) -> None:
    document = pypdfium2.PdfDocument(march_pdf)
    try:
        page = document[0]
        assert tuple(round(size, 2) for size in page.get_size()) == A4_POINTS
        image = page.render(scale=1).to_pil().convert("L")
        width, height = image.size
        # the lines table sits between about a quarter and a half of the page height
        table = image.crop((0, height // 4, width, height // 2))
        assert sum(table.histogram()[:128]) > 3000  # dark pixels: digits, text and rules
        margin = image.crop((0, 0, width // 30, height))  # the left margin stays blank
        assert sum(margin.histogram()[:240]) == 0
    finally:
        document.close()


def test_a_long_statement_spans_pages_with_every_line(long_statement: Statement) -> None:
    assert len(long_statement.lines) == 120
    assert long_statement.opening == long_statement.closing == Decimal("1000.00")
    pages = _text(statement_pdf(long_statement))
    assert len(pages) >= 3
    text = "\n".join(pages)
    for number in range(1, 61):
        assert text.count(f"INV-{number:04d}") == 2  # the invoice and its payment
    total = len(pages)
    for index, page in enumerate(pages, start=1):
        assert f"第 {index} 页 共 {total} 页" in page.replace("\n", " ")
    # the table header is repeated on the pages the table continues on
    assert (
        sum(1 for page in pages if re.search(r"日期\s*单据号\s*摘要\s*借方\s*贷方\s*余额", page))
        >= 2
    )


def test_english_labels_and_open_item_style() -> None:
    html = statement_html(march(language="en", style=Style.OPEN_ITEM))
    assert "Statement of Open Items" in html
    assert "Closing balance" in html
    assert "over 90 days" in html
    assert "对账单" not in html
    assert "INV-0305" not in html  # open-item style lists no period lines, and 0305 is cleared
    assert "人民币" not in html and "RMB 柒仟陆佰肆拾伍元陆角柒分" in html


def test_text_is_escaped() -> None:
    statement = build([entry("x", "2026-03-02", "1.00", "<b>R&D</b>", "a < b")])
    html = statement_html(statement)
    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in html
    assert "<b>R&D</b>" not in html


def test_a_credit_balance_says_we_owe_the_customer() -> None:
    statement = build(
        [
            entry("i", "2026-03-02", "100.00", "INV-1"),
            entry("p", "2026-03-09", "-350.50", "PAY-1", "多付款"),
        ]
    )
    assert statement.closing == Decimal("-250.50")
    html = statement_html(statement)
    assert "我公司尚欠贵公司 CNY 250.50" in html
    assert "人民币负贰佰伍拾元伍角" in html
    assert "-250.50" in html  # the balance column keeps its sign
