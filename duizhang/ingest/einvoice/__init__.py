"""Chinese VAT e-invoices we issued (增值税电子发票 / 数电发票), as OFD or XML.

Each file is one invoice and becomes one entry in our receivables (books view, `+价税合计`):
reference = 发票号码 (20 digits for 数电; for older invoices the 8-digit number, with 发票代码 in
the id, description and raw), counterparty = the buyer (购买方), date = 开票日期. The seller is our
company. Parts: `ofd` (the container), `structured` (the XML schemas and OFD.xml CustomData),
`tags` (数电 OFD custom tags), `page_text` (the printed page, trusted only when its amounts prove
themselves), `invoice` (the fields and the entry).
"""

from __future__ import annotations

import re
from pathlib import Path

from duizhang.engine.records import Side
from duizhang.ingest.base import Extraction, IngestError, SignView
from duizhang.ingest.einvoice.invoice import Invoice
from duizhang.ingest.einvoice.ofd import invoice_from_ofd, is_ofd
from duizhang.ingest.einvoice.structured import (
    custom_data,
    from_2019,
    from_custom_data,
    from_digital,
    is_2019,
    is_digital,
    parse_xml,
)

_XML_HEAD = 4096
_INVOICE_ROOT = re.compile(rb"<(?:[\w.-]+:)?(?:eInvoice|EInvoice)[\s>]")
_OFD_ROOT = re.compile(rb"<(?:[\w.-]+:)?OFD[\s>]")


class EInvoiceImporter:
    name = "einvoice"
    description = "VAT e-invoice we issued (OFD, 2019 eInvoice XML, 数电 EInvoice XML, OFD.xml)"
    default_side = Side.OURS

    def identify(self, path: Path) -> bool:
        suffix = path.suffix.lower()
        if suffix == ".ofd":
            return is_ofd(path)
        if suffix != ".xml":
            return False
        try:
            with path.open("rb") as handle:
                head = handle.read(_XML_HEAD)
        except OSError:
            return False
        if _INVOICE_ROOT.search(head):
            return True
        return bool(_OFD_ROOT.search(head)) and b"ofdspec.org" in head and b"CustomData" in head

    def extract(self, path: Path) -> Extraction:
        invoice = invoice_from_ofd(path) if path.suffix.lower() == ".ofd" else _from_xml(path)
        warnings = []
        if not invoice.buyer_name:
            warnings.append(
                f"{invoice.source} names no buyer (购买方); counterparty left empty, "
                f"buyer tax id {invoice.buyer_tax_id or 'unknown'}"
            )
        return Extraction(entries=[invoice.to_entry(path)], view=SignView.BOOKS, warnings=warnings)


def _from_xml(path: Path) -> Invoice:
    root = parse_xml(path.read_bytes(), file=path, source=path.name)
    if is_2019(root):
        return from_2019(root, file=path, source=path.name)
    if is_digital(root):
        return from_digital(root, file=path, source=path.name)
    data = custom_data(root)
    if not data.get("发票号码"):
        raise IngestError(
            "OFD.xml without invoice CustomData (发票号码); import the .ofd file itself",
            file=path,
        )
    return from_custom_data(data, file=path, source=f"{path.name} CustomData")
