"""OFD CustomTags: the invoice fields of a 数电 OFD, as references to the page's text objects.

`Doc_0/Tags/CustomTags.xml` names a tag file whose elements (InvoiceNo, IssueDate, BuyerName,
TaxInclusiveTotalAmount …) hold `ObjectRef`s to TextObject IDs; a field can point at several
objects (the `¥` glyph and the number, a name broken over lines), read in order and joined.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from duizhang.ingest.einvoice.structured import local_name, parse_xml

# Tag element → the CustomData name the rest of the package reads.
_FIELDS = {
    "InvoiceNo": "发票号码",
    "InvoiceNumber": "发票号码",
    "InvoiceCode": "发票代码",
    "IssueDate": "开票日期",
    "BuyerName": "购买方名称",
    "BuyerTaxID": "购买方纳税人识别号",
    "SellerName": "销售方名称",
    "SellerTaxID": "销售方纳税人识别号",
    "TaxExclusiveTotalAmount": "合计金额",
    "TaxTotalAmount": "合计税额",
    "TaxInclusiveTotalAmount": "价税合计",
}


def tagged_fields(archive: zipfile.ZipFile, *, file: Path) -> dict[str, str]:
    """The invoice fields the custom tags point at, under their CustomData names."""
    names = set(archive.namelist())
    index = next((n for n in sorted(names) if n.endswith("Tags/CustomTags.xml")), None)
    if index is None:
        return {}
    base = posixpath.dirname(index)
    locations = [
        posixpath.normpath(posixpath.join(base, (element.text or "").strip()))
        for element in parse_xml(archive.read(index), file=file, source=index).iter()
        if local_name(element) == "FileLoc"
    ]
    texts: dict[str, str] | None = None
    fields: dict[str, str] = {}
    for location in locations:
        if location not in names:
            continue
        for element in parse_xml(archive.read(location), file=file, source=location).iter():
            refs = [child for child in element if local_name(child) == "ObjectRef"]
            field = _FIELDS.get(local_name(element))
            if not refs or field is None or field in fields:
                continue
            if texts is None:
                texts = _texts_by_id(archive, file=file)
            fields[field] = "".join(texts.get((ref.text or "").strip(), "") for ref in refs)
    return fields


def _texts_by_id(archive: zipfile.ZipFile, *, file: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for name in sorted(archive.namelist()):
        if not name.endswith("Content.xml"):
            continue
        for element in parse_xml(archive.read(name), file=file, source=name).iter():
            if local_name(element) == "TextObject" and element.get("ID"):
                texts[element.get("ID", "")] = "".join(
                    (code.text or "").strip()
                    for code in element.iter()
                    if local_name(code) == "TextCode"
                )
    return texts
