"""The fields an issued VAT e-invoice yields, whatever part of the file they came from, and the
entry it becomes: an invoice we issued raises the receivable by 价税合计 (total including tax)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from duizhang.engine.records import DEFAULT_CURRENCY, Entry
from duizhang.ingest.base import IngestError
from duizhang.ingest.values import parse_amount, parse_date


@dataclass(frozen=True, slots=True)
class Invoice:
    """One invoice. `code` is the 12-digit 发票代码 of pre-数电 invoices, empty for 数电 (whose
    `number` is 20 digits). `source` names the part of the file the values were read from."""

    number: str
    issued: date
    total: Decimal
    amount_without_tax: Decimal
    tax: Decimal
    code: str = ""
    buyer_name: str = ""
    buyer_tax_id: str = ""
    seller_name: str = ""
    seller_tax_id: str = ""
    check_code: str = ""
    kind: str = ""
    items: tuple[str, ...] = ()
    source: str = ""
    line: int = 1
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def entry_id(self) -> str:
        # An old invoice number repeats across 发票代码; the pair is what identifies it.
        return f"{self.code}-{self.number}" if self.code else self.number

    def to_entry(self, file: Path) -> Entry:
        label = self.kind or "发票"
        code_part = f"代码 {self.code} " if self.code else ""
        description = f"{label} {code_part}号码 {self.number}"
        if self.items:
            description += " | " + "; ".join(dict.fromkeys(self.items))
        raw = {
            "发票代码": self.code,
            "发票号码": self.number,
            "开票日期": self.issued.isoformat(),
            "价税合计": str(self.total),
            "合计金额": str(self.amount_without_tax),
            "合计税额": str(self.tax),
            "购买方名称": self.buyer_name,
            "购买方纳税人识别号": self.buyer_tax_id,
            "销售方名称": self.seller_name,
            "销售方纳税人识别号": self.seller_tax_id,
            "校验码": self.check_code,
            "发票种类": self.kind,
            "来源": self.source,
            **self.extra,
        }
        return Entry(
            id=self.entry_id,
            date=self.issued,
            amount=self.total,
            currency=DEFAULT_CURRENCY,
            reference=self.number,
            counterparty=self.buyer_name,
            description=description,
            customer="",
            source_file=file.name,
            source_line=self.line,
            raw=MappingProxyType(raw),
        )


class FieldReader:
    """Reads named text values of one source and turns them into checked invoice fields, raising
    an IngestError that names the file, the source part, the field and the value."""

    def __init__(self, file: Path, source: str) -> None:
        self.file = file
        self.source = source

    def error(
        self, message: str, field_name: str | None = None, value: object = None
    ) -> IngestError:
        return IngestError(
            f"{self.source}: {message}", file=self.file, column=field_name, value=value
        )

    def required(self, field_name: str, text: str | None) -> str:
        value = (text or "").strip()
        if not value:
            raise self.error(f"no {field_name}", field_name)
        return value

    def amount(self, field_name: str, text: str | None) -> Decimal | None:
        if text is None or not text.strip():
            return None
        try:
            value = parse_amount(text)
        except ValueError:
            value = None
        if value is None:
            raise self.error("not an amount", field_name, text)
        return value

    def date(self, field_name: str, text: str | None) -> date:
        value = self.required(field_name, text)
        try:
            return parse_date(value)
        except ValueError:
            raise self.error("not a date", field_name, value) from None

    def totals(
        self, total: Decimal | None, without_tax: Decimal | None, tax: Decimal | None
    ) -> tuple[Decimal, Decimal, Decimal]:
        """价税合计, 合计金额, 合计税额: any two give the third; all three must agree."""
        if total is None and without_tax is not None and tax is not None:
            total = without_tax + tax
        if without_tax is None and total is not None and tax is not None:
            without_tax = total - tax
        if tax is None and total is not None and without_tax is not None:
            tax = total - without_tax
        if total is None or without_tax is None or tax is None:
            raise self.error("needs two of 价税合计, 合计金额 and 合计税额", "价税合计")
        if without_tax + tax != total:
            raise self.error(
                f"价税合计 {total} is not 合计金额 {without_tax} + 合计税额 {tax}",
                "价税合计",
                str(total),
            )
        return total, without_tax, tax

    def number(self, field_name: str, text: str | None) -> str:
        value = self.required(field_name, text).replace(" ", "")
        if not value.isdigit():
            raise self.error(f"{field_name} is not all digits", field_name, value)
        if set(value) == {"0"}:
            raise self.error(
                f"{field_name} is all zeros (a redacted copy?) and cannot identify the invoice",
                field_name,
                value,
            )
        return value
