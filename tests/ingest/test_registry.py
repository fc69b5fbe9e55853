"""The registry names importers without importing them; what it says must match the importers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from duizhang.engine.records import Side
from duizhang.ingest import registry
from duizhang.ingest.base import AmbiguousFormat, Extraction, IngestError, UnknownFormat
from duizhang.ingest.registry import (
    REGISTERED,
    TEXT,
    Registered,
    detect,
    importer_named,
    importers,
)
from tests.ingest.test_golden import sample_files

SAMPLES = Path(__file__).parent / "samples"
SUFFIXED = [registered for registered in REGISTERED if registered.suffixes is not None]


@pytest.mark.parametrize("registered", REGISTERED, ids=lambda r: r.name)
def test_each_importer_is_registered_under_its_own_name(registered: Registered) -> None:
    assert registered.importer().name == registered.name
    assert importer_named(registered.name) is registered.importer()


def test_importers_come_in_detection_order_with_canonical_first() -> None:
    assert [importer.name for importer in importers()] == [
        "canonical",
        "mt940",
        "camt",
        "ofx",
        "cn-bank",
        "erp-ledger",
        "table",
        "alipay",
        "alipay-merchant",
        "wechat",
        "wechat-merchant",
        "einvoice",
    ]


def test_an_unknown_format_name_lists_the_known_ones() -> None:
    with pytest.raises(IngestError) as raised:
        importer_named("qif")
    assert str(raised.value) == (
        "unknown format 'qif'; known formats: alipay, alipay-merchant, camt, canonical, "
        "cn-bank, einvoice, erp-ledger, mt940, ofx, table, wechat, wechat-merchant"
    )


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: str(p.relative_to(SAMPLES)))
def test_suffixes_never_hide_a_claim(sample: Path, tmp_path: Path) -> None:
    """Whoever claims a sample lists its suffix, and claims no copy of it under another name."""
    for registered in SUFFIXED:
        if not registered.importer().identify(sample):
            continue
        assert registered.may_claim(sample), registered.name
        renamed = tmp_path / f"{sample.stem}.dat"
        shutil.copyfile(sample, renamed)
        assert not registered.importer().identify(renamed), registered.name


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: str(p.relative_to(SAMPLES)))
def test_detect_picks_the_one_importer_that_identifies_the_sample(sample: Path) -> None:
    claims = [importer.name for importer in importers() if importer.identify(sample)]
    assert claims == [detect(sample).name]


class ClaimsEverything:
    name = "everything"
    description = "claims every file (a test double)"
    default_side = Side.BANK

    def identify(self, path: Path) -> bool:
        return True

    def extract(self, path: Path) -> Extraction:
        return Extraction(entries=[])


def test_detect_names_every_claimant_and_imports_only_those_it_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        registry,
        "REGISTERED",
        (
            Registered("canonical", "duizhang.ingest.canonical:CanonicalCsvImporter", TEXT),
            Registered("xml-only", "tests.ingest.no_such_module:Importer", frozenset({".xml"})),
            Registered("everything", f"{__name__}:ClaimsEverything"),
        ),
    )
    path = tmp_path / "ours.csv"
    path.write_text("id,date,amount\nL1,2026-10-05,1.00\n", encoding="utf-8")

    with pytest.raises(AmbiguousFormat) as raised:
        detect(path)

    assert str(raised.value) == (
        "ours.csv: several importers claim this file (canonical, everything); choose with --format"
    )
    with pytest.raises(ModuleNotFoundError):  # so detect never asked (imported) it
        registry.importer_named("xml-only")


def test_detect_refuses_a_missing_file_and_one_nobody_claims(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as missing:
        detect(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(UnknownFormat) as unknown:
        detect(empty)

    assert str(missing.value) == "missing.csv: no such file"
    assert str(unknown.value) == (
        "empty.csv: no importer recognises this file; name one with --format"
    )
