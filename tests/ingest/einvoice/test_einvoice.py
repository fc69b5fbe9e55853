"""Issued VAT e-invoices: each file one receivable entry, values proven or refused."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from duizhang.engine.records import Side
from duizhang.ingest.base import IngestError, SignView
from duizhang.ingest.einvoice import EInvoiceImporter

HERE = Path(__file__).parent
SAMPLES = HERE.parent / "samples" / "einvoice"
OFD_WITH_XML = SAMPLES / "ofdrw__发票示例.ofd"
ORIGINAL_XML = SAMPLES / "easyofd__original_invoice.xml"
OFD_XML = SAMPLES / "easyofd__old_einvoice_OFD.xml"
DIGITAL = SAMPLES / "synthetic__数电发票_24312000000012345678.xml"
PAGE_ONLY = HERE / "files" / "ofdrw__csfapiao1.ofd"
CAMT = HERE.parent / "samples" / "camt" / "genkgo-camt__camt053.v2.minimal.xml"
IMPORTER = EInvoiceImporter()


def rewrite_ofd(source: Path, target: Path, edit: Callable[[str, bytes], bytes | None]) -> Path:
    """Copy an OFD, passing each member through `edit` (None drops the member)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = edit(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def test_ofd_with_original_invoice_xml() -> None:
    extraction = IMPORTER.extract(OFD_WITH_XML)
    assert extraction.view is SignView.BOOKS
    assert IMPORTER.default_side is Side.OURS
    (entry,) = extraction.entries
    assert (entry.id, entry.reference, entry.date.isoformat(), entry.amount) == (
        "050001700111-99999951",
        "99999951",
        "2020-10-10",
        Decimal("318.00"),
    )
    assert (entry.counterparty, entry.customer) == ("科游迈利有限公司", "")
    assert entry.raw["合计金额"] == "300.00"
    assert entry.raw["合计税额"] == "18.00"
    assert entry.raw["销售方纳税人识别号"] == "91500106MA2CE71F65"
    assert entry.raw["购买方纳税人识别号"] == "9150010807MGZHI002"
    assert entry.raw["来源"] == "Doc_0/Attachs/original_invoice.xml"
    assert extraction.warnings == []


def test_bare_2019_xml_with_prefixed_children_under_an_unprefixed_root() -> None:
    (entry,) = IMPORTER.extract(ORIGINAL_XML).entries
    assert (entry.id, entry.amount, entry.date.isoformat()) == (
        "052002100113-00008006",
        Decimal("25254.62"),
        "2022-05-05",
    )
    assert entry.counterparty == "中国移动通信集团贵州有限公司黔南分公司"
    assert entry.raw["合计税额"] == "735.57"
    assert entry.raw["校验码"] == "18001801513030862041"
    assert entry.description == (
        "增值税电子发票 代码 052002100113 号码 00008006 | *经纪代理服务*经纪代理服务"
    )


def test_bare_ofd_xml_custom_data_computes_the_total_and_warns_of_no_buyer() -> None:
    extraction = IMPORTER.extract(OFD_XML)
    (entry,) = extraction.entries
    assert (entry.id, entry.amount, entry.counterparty) == (
        "052002100113-00008006",
        Decimal("25254.62"),
        "",
    )
    assert entry.raw["校验码"] == "18001801513030862041"  # spaces dropped
    assert extraction.warnings == [
        "easyofd__old_einvoice_OFD.xml CustomData names no buyer (购买方); counterparty left "
        "empty, buyer tax id 91522701709696623X"
    ]


def test_digital_invoice_xml_with_the_hyphenated_total() -> None:
    (entry,) = IMPORTER.extract(DIGITAL).entries
    assert (entry.id, entry.reference, entry.amount, entry.date.isoformat()) == (
        "24312000000012345678",
        "24312000000012345678",
        Decimal("30000.00"),
        "2024-03-18",
    )
    assert entry.counterparty == "苏州示例制造有限公司"
    assert entry.raw["发票种类"] == "数电发票（增值税专用发票）"
    assert (entry.raw["合计金额"], entry.raw["合计税额"]) == ("26548.67", "3451.33")
    assert entry.raw["发票代码"] == ""


def test_ofd_with_only_custom_data(tmp_path: Path) -> None:
    path = rewrite_ofd(
        OFD_WITH_XML,
        tmp_path / "only_custom.ofd",
        lambda name, data: None if "Attachs/" in name else data,
    )
    (entry,) = IMPORTER.extract(path).entries
    assert (entry.id, entry.amount, entry.counterparty) == (
        "050001700111-99999951",
        Decimal("318.00"),
        "科游迈利有限公司",
    )
    assert entry.raw["来源"] == "OFD.xml CustomData"


def test_attachment_and_custom_data_that_disagree_are_refused(tmp_path: Path) -> None:
    path = rewrite_ofd(
        OFD_WITH_XML,
        tmp_path / "tampered.ofd",
        lambda name, data: data.replace(b">318.00<", b">381.00<") if name == "OFD.xml" else data,
    )
    with pytest.raises(IngestError) as caught:
        IMPORTER.extract(path)
    assert (caught.value.column, caught.value.value) == ("价税合计", "381.00")
    assert "says 318.00 but OFD.xml CustomData says 381.00" in caught.value.message


def test_page_text_values_are_proven_but_a_zeroed_number_is_refused() -> None:
    with pytest.raises(IngestError) as caught:
        IMPORTER.extract(PAGE_ONLY)
    error = caught.value
    assert (error.column, error.value) == ("发票号码", "00000000")
    assert "all zeros" in error.message
    assert (
        "开票日期 2024-11-07, 价税合计 13.00 = 合计金额 11.92 + 税额 1.08 = 大写 壹拾叁圆整, "
        "购买方 xxxxxxx有限公司, 销售方 武汉地铁集团有限公司"
    ) in error.message


def _renumbered_page(name: str, data: bytes) -> bytes:
    if not name.endswith("Page_0/Content.xml"):
        return data
    return data.replace(b">000000000000<", b">042002400111<", 1).replace(
        b">00000000<", b">12345678<", 1
    )


def test_page_text_with_a_real_number_imports(tmp_path: Path) -> None:
    path = rewrite_ofd(PAGE_ONLY, tmp_path / "numbered.ofd", _renumbered_page)
    (entry,) = IMPORTER.extract(path).entries
    assert (entry.id, entry.reference, entry.date.isoformat(), entry.amount) == (
        "042002400111-12345678",
        "12345678",
        "2024-11-07",
        Decimal("13.00"),
    )
    assert entry.counterparty == "xxxxxxx有限公司"
    assert (entry.raw["合计金额"], entry.raw["合计税额"]) == ("11.92", "1.08")
    assert entry.raw["销售方名称"] == "武汉地铁集团有限公司"
    assert entry.raw["来源"] == "page text"


def test_page_text_whose_amounts_disagree_is_refused(tmp_path: Path) -> None:
    def edit(name: str, data: bytes) -> bytes:
        return _renumbered_page(name, data).replace("壹拾叁圆整".encode(), "壹拾肆圆整".encode())

    path = rewrite_ofd(PAGE_ONLY, tmp_path / "words.ofd", edit)
    with pytest.raises(IngestError, match="amounts read from the page disagree") as caught:
        IMPORTER.extract(path)
    assert caught.value.column == "价税合计"


def test_truncated_ofd_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.ofd"
    path.write_bytes(OFD_WITH_XML.read_bytes()[:5000])
    assert not IMPORTER.identify(path)
    with pytest.raises(IngestError, match="not a readable OFD"):
        IMPORTER.extract(path)


def test_malformed_xml_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "invoice.xml"
    text = DIGITAL.read_text(encoding="utf-8").replace("</BuyerName>", "</BuyerNam>")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match="not well-formed XML") as caught:
        IMPORTER.extract(path)
    assert caught.value.line == 33


def test_digital_invoice_whose_totals_do_not_add_up_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "invoice.xml"
    text = DIGITAL.read_text(encoding="utf-8").replace(">3451.33<", ">3451.34<")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        IMPORTER.extract(path)
    assert caught.value.column == "价税合计"
    assert "价税合计 30000.00 is not 合计金额 26548.67 + 合计税额 3451.34" in caught.value.message


def test_invoice_without_a_date_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "invoice.xml"
    text = ORIGINAL_XML.read_text(encoding="utf-8").replace("2022年05月05日", "")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        IMPORTER.extract(path)
    assert (caught.value.column, caught.value.file) == ("IssueDate", str(path))


def test_ofd_xml_without_invoice_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "OFD.xml"
    with zipfile.ZipFile(PAGE_ONLY) as archive:
        path.write_bytes(archive.read("OFD.xml"))
    assert not IMPORTER.identify(path)
    with pytest.raises(IngestError, match=r"OFD\.xml without invoice CustomData"):
        IMPORTER.extract(path)


def test_identify_claims_invoices_only() -> None:
    for path in (OFD_WITH_XML, ORIGINAL_XML, OFD_XML, DIGITAL, PAGE_ONLY):
        assert IMPORTER.identify(path), path.name
    assert not IMPORTER.identify(CAMT)


DIGITAL_OFD = SAMPLES / "synthetic__数电发票_25312000000098765432.ofd"


def test_digital_ofd_takes_the_buyer_from_the_custom_tags() -> None:
    extraction = IMPORTER.extract(DIGITAL_OFD)
    (entry,) = extraction.entries
    assert (entry.id, entry.amount, entry.date.isoformat()) == (
        "25312000000098765432",
        Decimal("8480.00"),
        "2025-06-18",
    )
    assert entry.counterparty == "杭州示例国际贸易有限公司滨江分公司"  # joined over two objects
    assert entry.raw["销售方名称"] == "上海示例信息科技有限公司"
    assert entry.raw["来源"] == "OFD.xml CustomData + CustomTag"
    assert extraction.warnings == []


def test_digital_ofd_with_tags_only(tmp_path: Path) -> None:
    def drop_custom_data(name: str, data: bytes) -> bytes:
        if name != "OFD.xml":
            return data
        text = data.decode("utf-8")
        start, end = text.index("<ofd:CustomDatas>"), text.index("</ofd:CustomDatas>")
        return (text[:start] + text[end + len("</ofd:CustomDatas>") :]).encode("utf-8")

    path = rewrite_ofd(DIGITAL_OFD, tmp_path / "tags_only.ofd", drop_custom_data)
    (entry,) = IMPORTER.extract(path).entries
    assert (entry.id, entry.amount, entry.raw["合计税额"], entry.raw["来源"]) == (
        "25312000000098765432",
        Decimal("8480.00"),
        "480.00",
        "CustomTag",
    )


def test_custom_data_and_tags_that_disagree_are_refused(tmp_path: Path) -> None:
    path = rewrite_ofd(
        DIGITAL_OFD,
        tmp_path / "tampered.ofd",
        lambda name, data: data.replace(b">480.00<", b">408.00<") if name == "OFD.xml" else data,
    )
    with pytest.raises(IngestError) as caught:
        IMPORTER.extract(path)
    assert (caught.value.column, caught.value.value) == ("合计税额", "¥480.00")
    assert "CustomData says 408.00 but the custom tags say ¥480.00" in caught.value.message
