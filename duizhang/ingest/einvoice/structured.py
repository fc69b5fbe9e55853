"""The structured invoice XMLs: the 2019 `<eInvoice>` (original_invoice.xml inside old OFDs),
the 数电 `<EInvoice>` from the tax platform, and the `CustomData` of an invoice OFD's OFD.xml.

Elements are found by local name, so the `fp:` prefix on the 2019 children (under an
un-prefixed root) and any namespace on the others do not matter.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from duizhang.ingest.base import IngestError
from duizhang.ingest.einvoice.invoice import FieldReader, Invoice

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_SPECIAL_OR_GENERAL = {"01": "增值税专用发票", "02": "普通发票"}


def parse_xml(data: bytes, *, file: Path, source: str) -> etree._Element:
    try:
        return etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        raise IngestError(
            f"{source}: not well-formed XML ({error.msg})", file=file, line=line
        ) from None


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def _find(element: etree._Element, *path: str) -> etree._Element | None:
    """The first descendant reached by local names `path` (each step anywhere below the last)."""
    current: etree._Element | None = element
    for name in path:
        if current is None:
            return None
        current = next(
            (
                child
                for child in current.iter()
                if child is not current and local_name(child) == name
            ),
            None,
        )
    return current


def _text(element: etree._Element, *path: str) -> str:
    found = _find(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _line(element: etree._Element, *path: str) -> int:
    found = _find(element, *path)
    return found.sourceline or 1 if found is not None else 1


def is_2019(root: etree._Element) -> bool:
    return local_name(root) == "eInvoice"


def is_digital(root: etree._Element) -> bool:
    return local_name(root) == "EInvoice"


def custom_data(root: etree._Element) -> dict[str, str]:
    """`Name → text` of the CustomData of an OFD.xml (empty when it has none)."""
    if local_name(root) != "OFD":
        return {}
    return {
        element.get("Name", ""): (element.text or "").strip()
        for element in root.iter()
        if local_name(element) == "CustomData"
    }


def from_2019(root: etree._Element, *, file: Path, source: str) -> Invoice:
    """The 2019 增值税电子发票 schema (http://www.edrm.org.cn/schema/e-invoice/2019)."""
    read = FieldReader(file, source)
    total, without_tax, tax = read.totals(
        read.amount("TaxInclusiveTotalAmount", _text(root, "TaxInclusiveTotalAmount")),
        read.amount("TaxExclusiveTotalAmount", _text(root, "TaxExclusiveTotalAmount")),
        read.amount("TaxTotalAmount", _text(root, "TaxTotalAmount")),
    )
    items = tuple(
        (item.text or "").strip()
        for item in root.iter()
        if local_name(item) == "Item" and (item.text or "").strip()
    )
    return Invoice(
        number=read.number("InvoiceNo", _text(root, "InvoiceNo")),
        code=read.number("InvoiceCode", _text(root, "InvoiceCode")),
        issued=read.date("IssueDate", _text(root, "IssueDate")),
        total=total,
        amount_without_tax=without_tax,
        tax=tax,
        buyer_name=_text(root, "Buyer", "BuyerName"),
        buyer_tax_id=_text(root, "Buyer", "BuyerTaxID"),
        seller_name=_text(root, "Seller", "SellerName"),
        seller_tax_id=_text(root, "Seller", "SellerTaxID"),
        check_code=_text(root, "InvoiceCheckCode").replace(" ", ""),
        kind="增值税电子发票",
        items=items,
        source=source,
        line=_line(root, "InvoiceNo"),
    )


def from_digital(root: etree._Element, *, file: Path, source: str) -> Invoice:
    """The 数电发票 XML (`<EInvoice><Header>…<EInvoiceData>…<TaxSupervisionInfo>`)."""
    read = FieldReader(file, source)
    basic = _find(root, "EInvoiceData", "BasicInformation")
    if basic is None:
        raise read.error("no EInvoiceData/BasicInformation element", "BasicInformation")
    total, without_tax, tax = read.totals(
        read.amount("TotalTax-includedAmount", _text(basic, "TotalTax-includedAmount")),
        read.amount("TotalAmWithoutTax", _text(basic, "TotalAmWithoutTax")),
        read.amount("TotalTaxAm", _text(basic, "TotalTaxAm")),
    )
    number_field = "InvoiceNumber" if _text(root, "TaxSupervisionInfo", "InvoiceNumber") else "EIid"
    number_text = _text(root, "TaxSupervisionInfo", "InvoiceNumber") or _text(
        root, "Header", "EIid"
    )
    issued_text = _text(root, "TaxSupervisionInfo", "IssueTime") or _text(basic, "RequestTime")
    label = _text(root, "GeneralOrSpecialVAT", "LabelCode")
    kind = "数电发票" + (
        f"（{_SPECIAL_OR_GENERAL[label]}）" if label in _SPECIAL_OR_GENERAL else ""
    )
    items = tuple(
        (item.text or "").strip()
        for item in root.iter()
        if local_name(item) == "ItemName" and (item.text or "").strip()
    )
    return Invoice(
        number=read.number(number_field, number_text),
        issued=read.date("IssueTime", issued_text),
        total=total,
        amount_without_tax=without_tax,
        tax=tax,
        buyer_name=_text(root, "BuyerInformation", "BuyerName"),
        buyer_tax_id=_text(root, "BuyerInformation", "BuyerIdNum"),
        seller_name=_text(root, "SellerInformation", "SellerName"),
        seller_tax_id=_text(root, "SellerInformation", "SellerIdNum"),
        kind=kind,
        items=items,
        source=source,
        line=_line(root, "TaxSupervisionInfo", "InvoiceNumber"),
    )


def from_custom_data(data: dict[str, str], *, file: Path, source: str) -> Invoice:
    """OFD.xml `CustomData`: 发票代码/发票号码/开票日期/合计金额/合计税额/价税合计/校验码/税号,
    buyer and seller names only in some producers' files."""
    read = FieldReader(file, source)
    total, without_tax, tax = read.totals(
        read.amount("价税合计", data.get("价税合计")),
        read.amount("合计金额", data.get("合计金额")),
        read.amount("合计税额", data.get("合计税额")),
    )
    code = data.get("发票代码", "").strip()
    return Invoice(
        number=read.number("发票号码", data.get("发票号码")),
        code=read.number("发票代码", code) if code else "",
        issued=read.date("开票日期", data.get("开票日期")),
        total=total,
        amount_without_tax=without_tax,
        tax=tax,
        buyer_name=data.get("购买方名称", ""),
        buyer_tax_id=data.get("购买方纳税人识别号", ""),
        seller_name=data.get("销售方名称", ""),
        seller_tax_id=data.get("销售方纳税人识别号", ""),
        check_code=data.get("校验码", "").replace(" ", ""),
        kind="增值税电子发票" if code else "数电发票",
        source=source,
    )
