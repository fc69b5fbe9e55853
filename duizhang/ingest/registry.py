"""Which importers exist, and which one a file belongs to. Detection fails loudly on ambiguity."""

from __future__ import annotations

from pathlib import Path

from duizhang.ingest.alipay import AlipayImporter, AlipayMerchantImporter
from duizhang.ingest.base import AmbiguousFormat, Importer, IngestError, UnknownFormat
from duizhang.ingest.camt import CamtImporter
from duizhang.ingest.canonical import CanonicalCsvImporter
from duizhang.ingest.einvoice import EInvoiceImporter
from duizhang.ingest.mt940 import Mt940Importer
from duizhang.ingest.ofx import OfxImporter
from duizhang.ingest.tables import BANK_IMPORTER, BOOKS_TABLE_IMPORTER, LEDGER_IMPORTER
from duizhang.ingest.wechat import WechatImporter, WechatMerchantImporter

IMPORTERS: list[Importer] = [
    CanonicalCsvImporter(),
    Mt940Importer(),
    CamtImporter(),
    OfxImporter(),
    BANK_IMPORTER,
    LEDGER_IMPORTER,
    BOOKS_TABLE_IMPORTER,
    AlipayImporter(),
    AlipayMerchantImporter(),
    WechatImporter(),
    WechatMerchantImporter(),
    EInvoiceImporter(),
]


def importer_named(name: str) -> Importer:
    for importer in IMPORTERS:
        if importer.name == name:
            return importer
    known = ", ".join(sorted(i.name for i in IMPORTERS))
    raise IngestError(f"unknown format {name!r}; known formats: {known}")


def detect(path: Path) -> Importer:
    """The one importer that claims `path`; raises when none or several do."""
    if not path.is_file():
        raise IngestError("no such file", file=path)
    claims = [importer for importer in IMPORTERS if importer.identify(path)]
    if not claims:
        raise UnknownFormat("no importer recognises this file; name one with --format", file=path)
    if len(claims) > 1:
        names = ", ".join(importer.name for importer in claims)
        raise AmbiguousFormat(
            f"several importers claim this file ({names}); choose with --format", file=path
        )
    return claims[0]
