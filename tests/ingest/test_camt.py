from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from duizhang.ingest.base import IngestError
from duizhang.ingest.camt import CamtImporter
from duizhang.ingest.load import load

SAMPLES = Path(__file__).parent / "samples" / "camt"
MULTI = SAMPLES / "genkgo-camt__camt053.v2.multi.statement.xml"
V8 = SAMPLES / "genkgo-camt__camt053.v8.xml"
REPORT = SAMPLES / "genkgo-camt__camt052.v2.xml"
NOTIFICATION = SAMPLES / "genkgo-camt__camt054.v4.xml"

importer = CamtImporter()

# camt.053.001.04: a batch credit of three customers' payments, a pending entry, a reversal.
BATCH = """\
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-10-06T08:00:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>STMT-2026-10-05</Id>
   <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
   <Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-10-04</Dt></Dt></Bal>
   <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1250.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-10-05</Dt></Dt></Bal>
   <Ntry>
    <NtryRef>N-1</NtryRef>
    <Amt Ccy="EUR">300.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2026-10-05</Dt></BookgDt><ValDt><Dt>2026-10-05</Dt></ValDt>
    <AcctSvcrRef>BANKREF-77</AcctSvcrRef>
    <NtryDtls>
     <Btch><NbOfTxs>2</NbOfTxs></Btch>
     <TxDtls>
      <Refs><EndToEndId>E2E-A</EndToEndId></Refs>
      <AmtDtls><TxAmt><Amt Ccy="EUR">120.00</Amt></TxAmt></AmtDtls>
      <RltdPties><Dbtr><Nm>Alpha GmbH</Nm></Dbtr><Cdtr><Nm>Us Ltd</Nm></Cdtr></RltdPties>
      <RmtInf><Ustrd>INV-1001</Ustrd></RmtInf>
     </TxDtls>
     <TxDtls>
      <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
      <AmtDtls><TxAmt><Amt Ccy="EUR">180.00</Amt></TxAmt></AmtDtls>
      <RltdPties><Dbtr><Nm>Beta SA</Nm></Dbtr></RltdPties>
      <RmtInf><Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf>
     </TxDtls>
    </NtryDtls>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">999.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts>
    <BookgDt><Dt>2026-10-05</Dt></BookgDt>
   </Ntry>
   <Ntry>
    <Amt Ccy="EUR">50.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><RvslInd>true</RvslInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2026-10-05</Dt></BookgDt>
    <AddtlNtryInf>Rueckbuchung Lastschrift</AddtlNtryInf>
   </Ntry>
  </Stmt>
 </BkToCstmrStmt>
</Document>
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_identify_claims_every_sample() -> None:
    assert all(importer.identify(path) for path in SAMPLES.glob("*.xml"))


@pytest.mark.parametrize(
    "content",
    [
        "id,date,amount\nL1,2026-10-05,1.00\n",
        '<?xml version="1.0"?>\n<eInvoice xmlns:fp="http://www.edrm.org.cn/schema/e-invoice/2019"/>',
        '<?xml version="1.0"?>\n<?OFX OFXHEADER="200" VERSION="203"?>\n<OFX></OFX>',
        ":20:REF\n:25:NL00BANK0123456789\n:28C:1\n",
        "",
    ],
)
def test_identify_leaves_other_files_alone(tmp_path: Path, content: str) -> None:
    assert importer.identify(write(tmp_path, "other.xml", content)) is False


def test_two_statements_in_one_file_each_balance() -> None:
    loaded = load(MULTI)
    assert loaded.format == "camt"
    assert [(e.amount, e.reference, e.description) for e in loaded.entries] == [
        (Decimal("-8.85"), "000000001", "Transaction Description 1"),  # money in: receivable falls
        (Decimal("7.00"), "000000002", "Transaction Description 2"),
    ]
    assert [(b.label, b.opening, b.closing, b.movement) for b in loaded.balances] == [
        ("253EURNL26VAYB8060476890", Decimal("18.15"), Decimal("27.00"), Decimal("8.85")),
        ("254EURNL26VAYB8060476890", Decimal("27.00"), Decimal("20.00"), Decimal("-7.00")),
    ]
    assert loaded.warnings == []
    assert loaded.entries[1].counterparty == "Company Name 2"  # money out went to the creditor


def test_version_8_party_wrapper_and_datetime_booking_date() -> None:
    (entry,) = importer.extract(V8).entries
    assert entry.id == "AAAASESS-FP-CN_98765/01"
    assert entry.counterparty == "NAME NAME"  # <Dbtr><Pty><Nm>
    assert entry.reference == "4654654654654654"
    assert entry.date.isoformat() == "2014-12-31"
    assert entry.account == "NL26VAYB8060476890"
    assert entry.source_line == 110


def test_balance_in_another_currency_is_reported_not_compared() -> None:
    extraction = importer.extract(V8)
    assert extraction.warnings == [
        "statement 253EURNL26VAYB8060476890: balance CLBD is in SEK, not the statement "
        "currency EUR; not checked"
    ]
    assert extraction.balances[0].closing is None


def test_report_reads_othr_account_and_has_no_balances() -> None:
    (entry,) = importer.extract(REPORT).entries
    assert (entry.account, entry.amount, entry.currency) == (
        "CH2801234000123456789",
        Decimal("-200000.00"),
        "SEK",
    )
    assert entry.counterparty == "Company Name"
    assert entry.description == "Credit"


def test_notification_batch_that_does_not_add_up_stays_one_line() -> None:
    extraction = importer.extract(NOTIFICATION)
    assert len(extraction.entries) == 1
    assert extraction.balances == []
    assert extraction.warnings == [
        "line 63: the 3 transactions of this batch do not add up to the entry's "
        "-200000.00 SEK; kept as one line"
    ]


def test_batch_splits_into_customer_payments(tmp_path: Path) -> None:
    loaded = load(write(tmp_path, "batch.xml", BATCH))
    alpha, beta, reversal = loaded.entries
    assert (alpha.id, alpha.amount, alpha.counterparty) == (
        "BANKREF-77/1",
        Decimal("-120.00"),
        "Alpha GmbH",
    )
    assert (alpha.reference, alpha.description) == ("E2E-A", "INV-1001")
    assert (beta.id, beta.amount, beta.counterparty) == (
        "BANKREF-77/2",
        Decimal("-180.00"),
        "Beta SA",
    )
    assert beta.reference == "RF18539007547034"
    assert (alpha.source_line, beta.source_line) == (19, 25)
    assert alpha.raw["TxDtls/Refs/EndToEndId"] == "E2E-A"
    assert alpha.raw["AcctSvcrRef"] == "BANKREF-77"
    assert (reversal.amount, reversal.description) == (Decimal("50.00"), "Rueckbuchung Lastschrift")
    assert [(s.line, s.reason) for s in loaded.skipped] == [(33, "entry status PDNG, not booked")]
    (balance,) = loaded.balances
    assert (balance.opening, balance.closing, balance.movement) == (
        Decimal("1000.00"),
        Decimal("1250.00"),
        Decimal("250.00"),
    )
    assert loaded.warnings == []


def test_document_without_namespace_reads_alike(tmp_path: Path) -> None:
    plain = BATCH.replace(' xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"', "")
    entries = importer.extract(write(tmp_path, "plain.xml", plain)).entries
    assert [e.amount for e in entries] == [Decimal("120.00"), Decimal("180.00"), Decimal("-50.00")]


def test_truncated_xml_names_the_line(tmp_path: Path) -> None:
    cut = write(tmp_path, "cut.xml", MULTI.read_text(encoding="utf-8")[:3000])
    with pytest.raises(IngestError) as caught:
        importer.extract(cut)
    assert caught.value.line == 88
    assert str(caught.value).startswith("cut.xml, line 88: broken XML")


def test_bad_amount_names_line_and_value(tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        "bad.xml",
        BATCH.replace('<Amt Ccy="EUR">50.00</Amt>', '<Amt Ccy="EUR">50,00</Amt>'),
    )
    with pytest.raises(IngestError) as caught:
        importer.extract(bad)
    assert (caught.value.line, caught.value.value) == (38, "50,00")


def test_xml_of_another_kind_is_refused_by_name(tmp_path: Path) -> None:
    other = write(
        tmp_path, "pain.xml", '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>'
    )
    with pytest.raises(IngestError, match="no camt statement"):
        importer.extract(other)


@pytest.mark.parametrize("sample", [MULTI, V8, REPORT, NOTIFICATION], ids=lambda p: p.name)
def test_every_truncation_is_refused(tmp_path: Path, sample: Path) -> None:
    data = sample.read_bytes().rstrip()
    for cut in range(len(data) // 20, len(data), len(data) // 20):
        path = tmp_path / f"cut{cut}.xml"
        path.write_bytes(data[:cut])
        with pytest.raises(IngestError):
            importer.extract(path)


def _statement(entries: str) -> str:
    return (
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt>'
        "<Id>S1</Id><Acct><Id><Othr><Id>0200001234567</Id></Othr></Id><Ccy>CNY</Ccy></Acct>"
        f"{entries}</Stmt></BkToCstmrStmt></Document>"
    )


NO_ENTRY_REF = (
    '<Ntry><Amt Ccy="CNY">500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
    "<BookgDt><Dt>2026-10-09</Dt></BookgDt><NtryDtls><TxDtls><Refs><AcctSvcrRef>TX-9</AcctSvcrRef>"
    "</Refs><RltdPties><Dbtr><Pty><Nm>上海某某有限公司</Nm></Pty></Dbtr></RltdPties></TxDtls></NtryDtls></Ntry>"
)
NO_REF_AT_ALL = (
    '<Ntry><Amt Ccy="CNY">80.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>'
    "<BookgDt><Dt>2026-10-09</Dt></BookgDt><AddtlNtryInf>手续费</AddtlNtryInf></Ntry>"
)


def test_ids_from_the_transaction_reference_or_a_stable_fingerprint(tmp_path: Path) -> None:
    one = importer.extract(
        write(tmp_path, "a.xml", _statement(NO_ENTRY_REF + NO_REF_AT_ALL))
    ).entries
    other = importer.extract(write(tmp_path, "b.xml", _statement(NO_REF_AT_ALL))).entries
    assert one[0].id == "TX-9"
    assert (one[0].counterparty, one[0].account) == ("上海某某有限公司", "0200001234567")
    assert (one[1].amount, one[1].description) == (Decimal("-80.00"), "手续费")
    assert len(one[1].id) == 16 and one[1].id == other[0].id
