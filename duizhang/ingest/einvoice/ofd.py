"""Reading an invoice out of an OFD container (a zip: OFD.xml, Doc_0/…).

In order of trust: the structured attachment (Doc_0/Attachs/original_invoice.xml, a 2019
`<eInvoice>` or a 数电 `<EInvoice>`), checked against OFD.xml CustomData when both exist; else
the CustomData, completed and checked by the custom tags (see tags); else the printed page text
(see page_text).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from duizhang.ingest.base import IngestError
from duizhang.ingest.einvoice.invoice import FieldReader, Invoice
from duizhang.ingest.einvoice.page_text import invoice_from_page
from duizhang.ingest.einvoice.structured import (
    custom_data,
    from_2019,
    from_custom_data,
    from_digital,
    is_2019,
    is_digital,
    parse_xml,
)
from duizhang.ingest.einvoice.tags import tagged_fields

ROOT = "OFD.xml"


def is_ofd(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return ROOT in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def invoice_from_ofd(path: Path) -> Invoice:
    try:
        with zipfile.ZipFile(path) as archive:
            return _read(archive, path)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise IngestError(f"not a readable OFD (zip) container: {error}", file=path) from None


def _read(archive: zipfile.ZipFile, path: Path) -> Invoice:
    names = archive.namelist()
    if ROOT not in names:
        raise IngestError(f"no {ROOT} in the container: not an OFD", file=path)
    custom = custom_data(parse_xml(archive.read(ROOT), file=path, source=ROOT))
    for name in sorted(n for n in names if "/Attachs/" in n and n.lower().endswith(".xml")):
        root = parse_xml(archive.read(name), file=path, source=name)
        if is_2019(root) or is_digital(root):
            reader = from_2019 if is_2019(root) else from_digital
            invoice = reader(root, file=path, source=name)
            if custom.get("发票号码"):
                _check_agreement(invoice, custom, path)
            return invoice
    tagged = tagged_fields(archive, file=path)
    if custom.get("发票号码") or tagged.get("发票号码"):
        merged, source = _merge(custom, tagged, path)
        return from_custom_data(merged, file=path, source=source)
    return invoice_from_page(archive, file=path)


def _merge(
    custom: dict[str, str], tagged: dict[str, str], path: Path
) -> tuple[dict[str, str], str]:
    """CustomData completed by the custom tags (数电 OFDs name the buyer only there); where both
    state a value they must agree."""
    for name, value in tagged.items():
        if custom.get(name) and _normal(name, custom[name], path) != _normal(name, value, path):
            raise IngestError(
                f"{ROOT} CustomData says {custom[name]} but the custom tags say {value}",
                file=path,
                column=name,
                value=value,
            )
    stated = {name: value for name, value in custom.items() if value}
    if not stated.get("发票号码"):
        source = "CustomTag"
    elif set(tagged) - set(stated):
        source = f"{ROOT} CustomData + CustomTag"
    else:
        source = f"{ROOT} CustomData"
    return {**tagged, **stated}, source


def _normal(name: str, value: str, path: Path) -> object:
    reader = FieldReader(path, ROOT)
    if name in ("合计金额", "合计税额", "价税合计"):
        return reader.amount(name, value)
    if name == "开票日期":
        return reader.date(name, value)
    return value.replace(" ", "")


def _check_agreement(attached: Invoice, data: dict[str, str], path: Path) -> None:
    """Two structured copies of one invoice in one file must say the same thing. CustomData that
    cannot be read on its own does not overrule a readable attachment."""
    try:
        custom = from_custom_data(data, file=path, source=ROOT)
    except IngestError:
        return
    for field_name, label in (
        ("number", "发票号码"),
        ("code", "发票代码"),
        ("issued", "开票日期"),
        ("total", "价税合计"),
        ("amount_without_tax", "合计金额"),
        ("tax", "合计税额"),
    ):
        ours, theirs = getattr(attached, field_name), getattr(custom, field_name)
        if theirs and ours != theirs:
            raise IngestError(
                f"{attached.source} says {ours} but {ROOT} CustomData says {theirs}",
                file=path,
                column=label,
                value=str(theirs),
            )
