"""Which importers exist, and which one a file belongs to. Detection fails loudly on ambiguity.

Importers are registered by name and import path, not imported here: some pull in heavy
libraries (ofxtools, openpyxl), and most runs read one or two formats. A module is imported the
first time its importer is asked to identify or extract a file. `suffixes` lets `detect` skip an
importer without importing it, for a file whose name ending that importer never claims.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from pathlib import Path

from duizhang.ingest.base import AmbiguousFormat, Importer, IngestError, UnknownFormat

TEXT = frozenset({".csv", ".txt"})
TABLES = TEXT | {".tsv", ".xls", ".xlsx", ".xlsm"}  # tables.reading.TABLE_SUFFIXES


@dataclass(frozen=True, slots=True)
class Registered:
    """An importer known by name. `target` is "module:attribute", an importer or a class whose
    instances are importers; `suffixes` are the only name endings its identify() can accept
    (None: any, it looks at the content only)."""

    name: str
    target: str
    suffixes: frozenset[str] | None = None

    def may_claim(self, path: Path) -> bool:
        return self.suffixes is None or path.suffix.lower() in self.suffixes

    def importer(self) -> Importer:
        return _imported(self.target)


# Detection order. tests/ingest/test_registry.py checks names and suffixes against the importers.
REGISTERED: tuple[Registered, ...] = (
    Registered("canonical", "duizhang.ingest.canonical:CanonicalCsvImporter", TEXT),
    Registered("mt940", "duizhang.ingest.mt940:Mt940Importer"),
    Registered("camt", "duizhang.ingest.camt:CamtImporter"),
    Registered("ofx", "duizhang.ingest.ofx:OfxImporter"),
    Registered("cn-bank", "duizhang.ingest.tables:BANK_IMPORTER", TABLES),
    Registered("erp-ledger", "duizhang.ingest.tables:LEDGER_IMPORTER", TABLES),
    Registered("table", "duizhang.ingest.tables:BOOKS_TABLE_IMPORTER", TABLES),
    Registered("alipay", "duizhang.ingest.alipay:AlipayImporter", TEXT),
    Registered("alipay-merchant", "duizhang.ingest.alipay:AlipayMerchantImporter", TEXT),
    Registered("wechat", "duizhang.ingest.wechat:WechatImporter", TEXT | {".xlsx"}),
    Registered("wechat-merchant", "duizhang.ingest.wechat:WechatMerchantImporter", TEXT),
    Registered(
        "einvoice", "duizhang.ingest.einvoice:EInvoiceImporter", frozenset({".ofd", ".xml"})
    ),
)


@functools.cache
def _imported(target: str) -> Importer:
    module, attribute = target.split(":")
    found = getattr(importlib.import_module(module), attribute)
    importer: Importer = found() if isinstance(found, type) else found
    return importer


def importers() -> list[Importer]:
    """Every importer, in detection order (imports all of them)."""
    return [registered.importer() for registered in REGISTERED]


def __getattr__(name: str) -> list[Importer]:
    # `IMPORTERS`, as before: a list built (and every importer imported) on first use.
    if name == "IMPORTERS":
        return importers()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def importer_named(name: str) -> Importer:
    for registered in REGISTERED:
        if registered.name == name:
            return registered.importer()
    known = ", ".join(sorted(registered.name for registered in REGISTERED))
    raise IngestError(f"unknown format {name!r}; known formats: {known}")


def detect(path: Path) -> Importer:
    """The one importer that claims `path`; raises when none or several do."""
    if not path.is_file():
        raise IngestError("no such file", file=path)
    candidates = (registered.importer() for registered in REGISTERED if registered.may_claim(path))
    claims = [importer for importer in candidates if importer.identify(path)]
    if not claims:
        raise UnknownFormat("no importer recognises this file; name one with --format", file=path)
    if len(claims) > 1:
        names = ", ".join(importer.name for importer in claims)
        raise AmbiguousFormat(
            f"several importers claim this file ({names}); choose with --format", file=path
        )
    return claims[0]
