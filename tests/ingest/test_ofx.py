from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from duizhang.ingest.base import IngestError
from duizhang.ingest.load import load
from duizhang.ingest.ofx import OfxImporter

SAMPLES = Path(__file__).parent / "samples" / "ofx"
CHECKING = SAMPLES / "ofxparse__checking.ofx"
MEDIUM = SAMPLES / "ofxparse__bank_medium.ofx"
CREDIT_CARD = SAMPLES / "ofxparse__anzcc.ofx"

importer = OfxImporter()

# OFX 1.x SGML as Quicken-era banks send it: no header at all here, unclosed elements, a bank
# and a credit-card statement in two currencies, a 10-digit BANKID and a NAME over 32 characters,
# a foreign-currency line, a comma decimal and a late-evening time in a zone west of UTC.
SGML_TWO_ACCOUNTS = """\
<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20240201<LANGUAGE>ENG
<INTU.BID>3000</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1234567890<ACCTID>000111222<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20240101<DTEND>20240131
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240131230000[-5:EST]<TRNAMT>1500.00<FITID>F-1
<NAME>SHANGHAI EXAMPLE TRADING COMPANY LIMITED<MEMO>INVOICE 2024-001 &amp; 2024-002</STMTTRN>
<STMTTRN><TRNTYPE>CHECK<DTPOSTED>20240115<TRNAMT>-200,50<FITID>F-2<CHECKNUM>00317
<PAYEE><NAME>Landlord LLC<ADDR1>1 Main St<CITY>Springfield<STATE>IL<POSTALCODE>62701</PAYEE></STMTTRN>
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240120<TRNAMT>-90.00<FITID>F-3<NAME>Hotel Paris
<CURRENCY><CURRATE>1.08<CURSYM>EUR</CURRENCY></STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>2000.00<DTASOF>20240131</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1>
<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>2<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<CCSTMTRS><CURDEF>EUR<CCACCTFROM><ACCTID>4111111111111111</CCACCTFROM>
<BANKTRANLIST><DTSTART>20240101<DTEND>20240131
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240110<TRNAMT>-42.00<FITID>C-1<NAME>Cafe</STMTTRN>
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240110<TRNAMT>-42.00<NAME>Cafe</STMTTRN>
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240110<TRNAMT>-42.00<NAME>Cafe</STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>-126.00<DTASOF>20240131</LEDGERBAL></CCSTMTRS></CCSTMTTRNRS>
</CREDITCARDMSGSRSV1></OFX>
"""

OFX2 = """\
<?xml version="1.0" encoding="UTF-8"?>
<?OFX OFXHEADER="200" VERSION="230" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX>
  <SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
    <DTSERVER>20240201120000</DTSERVER><LANGUAGE>ENG</LANGUAGE></SONRS></SIGNONMSGSRSV1>
  <BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
    <STMTRS><CURDEF>CNY</CURDEF>
      <BANKACCTFROM><BANKID>ICBK</BANKID><ACCTID>6222000011112222</ACCTID><ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>
      <BANKTRANLIST><DTSTART>20240101</DTSTART><DTEND>20240131</DTEND>
        <STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20240105</DTPOSTED><TRNAMT>8800.00</TRNAMT>
          <FITID>2024010500001</FITID><NAME>上海某某有限公司</NAME><MEMO>货款 INV-001</MEMO></STMTTRN>
      </BANKTRANLIST>
      <LEDGERBAL><BALAMT>8800.00</BALAMT><DTASOF>20240131</DTASOF></LEDGERBAL>
    </STMTRS></STMTTRNRS></BANKMSGSRSV1>
</OFX>
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_identify_claims_every_sample() -> None:
    assert [importer.identify(p) for p in (CHECKING, MEDIUM, CREDIT_CARD)] == [True] * 3


@pytest.mark.parametrize(
    "content",
    [
        "id,date,amount\nL1,2026-10-05,1.00\n",
        '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>',
        ":20:REF\n:25:NL00BANK0123456789\n",
        "描述,金额\nOFXHEADER,1\n",
        "",
    ],
)
def test_identify_leaves_other_files_alone(tmp_path: Path, content: str) -> None:
    assert importer.identify(write(tmp_path, "other.ofx", content)) is False


def test_checking_account_lines_and_ledger_balance() -> None:
    loaded = load(CHECKING)
    assert loaded.format == "ofx"
    assert [(e.id, e.date.isoformat(), e.amount) for e in loaded.entries] == [
        ("0000486", "2011-03-31", Decimal("-0.01")),  # dividend in: receivable view flips
        ("0000487", "2011-04-05", Decimal("34.51")),
        ("0000488", "2011-04-07", Decimal("25.00")),
    ]
    check = loaded.entries[2]
    assert (check.reference, check.counterparty) == ("319", "RETURNED CHECK FEE, CHECK # 319")
    assert check.description == "RETURNED CHECK FEE, CHECK # 319 FOR $45.33 ON 04/07/11"
    assert (check.account, check.currency, check.source_line) == ("1452687~7", "USD", 62)
    (balance,) = loaded.balances
    assert (balance.opening, balance.closing, balance.movement) == (
        None,
        Decimal("100.99"),
        Decimal("-59.50"),
    )
    assert loaded.warnings == []


def test_one_line_sgml_keeps_each_transactions_line() -> None:
    entries = importer.extract(MEDIUM).entries
    assert [e.source_line for e in entries] == [15, 16, 17]
    assert entries[1].reference == "0000123456782009040200004"  # CHECKNUM 0 is no check number
    assert entries[0].counterparty == "MCDONALD'S #112"


def test_credit_card_statement() -> None:
    extraction = importer.extract(CREDIT_CARD)
    (entry,) = extraction.entries
    assert (entry.amount, entry.currency, entry.account) == (
        Decimal("-5.50"),
        "AUD",
        "1234123412341234",
    )
    assert entry.description == "SOME MEMO"
    assert extraction.balances[0].closing == Decimal("-123.45")


def test_sgml_without_header_two_accounts_and_currencies(tmp_path: Path) -> None:
    extraction = importer.extract(write(tmp_path, "export.qfx", SGML_TWO_ACCOUNTS))
    payment, check, hotel, *cafes = extraction.entries
    assert payment.date.isoformat() == "2024-01-31"  # the bank's day, not UTC's 1 February
    assert payment.counterparty == "SHANGHAI EXAMPLE TRADING COMPANY LIMITED"
    assert payment.description == "INVOICE 2024-001 & 2024-002"
    assert (payment.account, payment.currency, payment.amount) == (
        "000111222",
        "USD",
        Decimal("1500.00"),
    )
    assert (check.amount, check.reference, check.counterparty) == (
        Decimal("-200.50"),
        "317",
        "Landlord LLC",
    )
    assert check.raw["PAYEE/CITY"] == "Springfield"
    assert (hotel.currency, hotel.amount) == ("EUR", Decimal("-90.00"))
    assert [(c.account, c.currency) for c in cafes] == [("4111111111111111", "EUR")] * 3
    assert cafes[0].id == "C-1"
    assert cafes[1].id != cafes[0].id and cafes[2].id == f"{cafes[1].id}#2"
    assert [(b.account, b.currency, b.closing, b.movement) for b in extraction.balances] == [
        ("000111222", "USD", Decimal("2000.00"), Decimal("1299.50")),
        ("4111111111111111", "EUR", Decimal("-126.00"), Decimal("-126.00")),
    ]


def test_ofx2_xml_with_a_newer_version_and_chinese_text(tmp_path: Path) -> None:
    (entry,) = importer.extract(write(tmp_path, "bank.ofx", OFX2)).entries
    assert (entry.id, entry.amount, entry.currency) == ("2024010500001", Decimal("8800.00"), "CNY")
    assert (entry.counterparty, entry.description) == ("上海某某有限公司", "货款 INV-001")
    assert entry.source_line == 10


def test_header_charset_names_ofxtools_does_not_know(tmp_path: Path) -> None:
    header = CHECKING.read_text(encoding="ascii").replace("CHARSET:1252", "CHARSET:UTF-8")
    assert len(importer.extract(write(tmp_path, "utf8.ofx", header)).entries) == 3


def test_truncated_file_is_refused_with_its_last_line(tmp_path: Path) -> None:
    lines = CHECKING.read_text(encoding="ascii").splitlines(keepends=True)
    cut = write(tmp_path, "cut.ofx", "".join(lines[:50]))
    with pytest.raises(IngestError) as caught:
        importer.extract(cut)
    assert caught.value.line == 50
    assert "truncated" in caught.value.message


def test_bad_amount_names_the_transaction_line_and_value(tmp_path: Path) -> None:
    bad = CHECKING.read_text(encoding="ascii").replace("<TRNAMT>-34.51", "<TRNAMT>-34.5x1")
    with pytest.raises(IngestError) as caught:
        importer.extract(write(tmp_path, "bad.ofx", bad))
    assert (caught.value.line, caught.value.value) == (54, "-34.5x1")


def test_bad_date_names_the_value(tmp_path: Path) -> None:
    bad = CHECKING.read_text(encoding="ascii").replace("20110405120000.000", "05/04/2011")
    with pytest.raises(IngestError, match="DTPOSTED is not an OFX date: '05/04/2011'"):
        importer.extract(write(tmp_path, "bad.ofx", bad))


def test_broken_markup_names_a_line(tmp_path: Path) -> None:
    bad = CHECKING.read_text(encoding="ascii").replace("<MEMO>AUTOMATIC", "<MEMO>AUTO</MEMO>MATIC")
    with pytest.raises(IngestError) as caught:
        importer.extract(write(tmp_path, "bad.ofx", bad))
    assert caught.value.line == 60
    assert caught.value.message == "broken OFX markup"
    assert caught.value.value == "Tail text 'MATIC WITHDRAWAL, ELECTRIC BILL WEB(S )'"


def test_error_response_without_statement(tmp_path: Path) -> None:
    refused = (
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>15500<SEVERITY>ERROR"
        "<MESSAGE>Signon invalid</STATUS></SONRS></SIGNONMSGSRSV1></OFX>\n"
    )
    with pytest.raises(IngestError, match="the bank answered 15500: Signon invalid"):
        importer.extract(write(tmp_path, "refused.ofx", refused))


BODY = (
    "<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STMTRS><CURDEF>EUR"
    "<BANKACCTFROM><BANKID>30004<ACCTID>FR7630004000031234567890143<ACCTTYPE>CHECKING</BANKACCTFROM>"
    "<BANKTRANLIST><STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240105<TRNAMT>12,50<FITID>X1"
    "<NAME>Société Générale</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
)


@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        # blank lines, no COMPRESSION / NEWFILEUID, a charset name ofxtools does not know
        (
            "OFXHEADER:100\r\n\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\n"
            "CHARSET:WINDOWS-1252\r\nOLDFILEUID:NONE\r\n\r\n",
            "cp1252",
        ),
        # declares 1252 but is UTF-8
        (
            "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
            "COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n",
            "utf-8",
        ),
        # declares UTF-8 but is Windows-1252
        (
            "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:UTF-8\nCHARSET:NONE\n"
            "COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n",
            "cp1252",
        ),
        # OFX 2 declaration without the XML one, fields in another order
        ('<?OFX VERSION="211" OFXHEADER="200"?>\n', "utf-8"),
    ],
)
def test_header_slips_banks_make(tmp_path: Path, header: str, encoding: str) -> None:
    (entry,) = importer.extract(write(tmp_path, "bank.ofx", header + BODY, encoding)).entries
    assert (entry.counterparty, entry.amount, entry.currency) == (
        "Société Générale",
        Decimal("12.50"),
        "EUR",
    )
    assert entry.account == "FR7630004000031234567890143"


@pytest.mark.parametrize("sample", [CHECKING, MEDIUM, CREDIT_CARD], ids=lambda p: p.name)
def test_every_truncation_is_refused(tmp_path: Path, sample: Path) -> None:
    data = sample.read_bytes().rstrip()
    for cut in range(len(data) // 20, len(data), len(data) // 20):
        path = tmp_path / f"cut{cut}.ofx"
        path.write_bytes(data[:cut])
        with pytest.raises(IngestError):
            importer.extract(path)


def test_answer_without_statement_is_a_warning_not_an_error(tmp_path: Path) -> None:
    signon_only = (
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        "<DTSERVER>20240101</SONRS></SIGNONMSGSRSV1></OFX>\n"
    )
    extraction = importer.extract(write(tmp_path, "signon.ofx", signon_only))
    assert extraction.entries == []
    assert extraction.warnings == ["no bank or credit-card statement in this OFX file"]


def test_investment_statement_is_reported_and_does_not_shift_line_numbers(tmp_path: Path) -> None:
    text = """\
<OFX>
<INVSTMTMSGSRSV1><INVSTMTTRNRS><TRNUID>1<INVSTMTRS><DTASOF>20240131<CURDEF>USD
<INVACCTFROM><BROKERID>broker.example<ACCTID>INV-77</INVACCTFROM>
<INVTRANLIST><DTSTART>20240101<DTEND>20240131
<INVBANKTRAN><STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240102<TRNAMT>10.00<FITID>I-1</STMTTRN>
<SUBACCTFUND>CASH</INVBANKTRAN>
</INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>2<STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>CHK-1</BANKACCTFROM>
<BANKTRANLIST>
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240103<TRNAMT>25.00<FITID>B-1</STMTTRN>
</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1>
</OFX>
"""
    extraction = importer.extract(write(tmp_path, "mixed.ofx", text))
    (entry,) = extraction.entries
    assert (entry.id, entry.account, entry.source_line) == ("B-1", "CHK-1", 10)
    assert extraction.warnings == ["investment statement for account INV-77 not read"]
