from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from duizhang.ingest.base import IngestError
from duizhang.ingest.load import load
from duizhang.ingest.mt940 import Mt940Importer

SAMPLES = Path(__file__).parent / "samples" / "mt940"
ASN = SAMPLES / "WoLpH-mt940__ASNB__0708271685_09022020_164516.940.txt"
SEPA = SAMPLES / "WoLpH-mt940__betterplace__sepa_mt9401.sta"
ABN = SAMPLES / "WoLpH-mt940__jejik__abnamro.sta"
ING = SAMPLES / "WoLpH-mt940__jejik__ing.sta"

importer = Mt940Importer()

RABOBANK = """\
:20:940S130403
:25:NL50RABO0123456789 EUR
:28C:0
:60F:C130402EUR000000001147,95
:61:130403C000000000020,00N541EREF
NL62INGB0123456789
:86:/EREF/05-04-2013 09:30 0030000735069811//CNTP/NL62INGB0123456789/INGBNL2A/J. Janssen//
/REMI/USTD//Factuur 2013-001/
:61:130403D000000000005,50N093NONREF
:86:/CNTP/NL34RABO0987654321/RABONL2U/Kantoor BV///REMI/USTD//Bestelling 77/
:62F:C130403EUR000000001162,45
"""

TWO_CURRENCIES = """\
:20:STMT-USD
:25:DE89370400440532013000
:28C:12/1
:60F:C240102USD1000,00
:61:2401030103C250,00NTRFINV-2024-001//B24010300001
:86:166?00GUTSCHRIFT?20EREF+INV-2024-001?21SVWZ+Rechnung 2024-001?32Shanghai Example Co
:62F:C240103USD1250,00
-
:20:STMT-EUR
:25:DE89370400440532013000
:28C:12/2
:60F:C240102EUR500,00
:61:2401030103D100,00NTRFNONREF//B24010300002
:86:177?00UEBERWEISUNG?20SVWZ+Miete Januar?32Vermieter GmbH
:62F:C240103EUR400,00
-
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_identify_claims_every_sample() -> None:
    assert [importer.identify(path) for path in (ASN, SEPA, ABN, ING)] == [True] * 4


@pytest.mark.parametrize(
    "content",
    [
        "id,date,amount\nL1,2026-10-05,1.00\n",
        '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>',
        "OFXHEADER:100\nDATA:OFXSGML\n<OFX></OFX>\n",
        "交易日期,摘要,金额\n2026-01-01,:20:x,1\n",
        "",
    ],
)
def test_identify_leaves_other_files_alone(tmp_path: Path, content: str) -> None:
    assert importer.identify(write(tmp_path, "other.txt", content)) is False


def test_identify_does_not_raise_on_binary_or_missing_files(tmp_path: Path) -> None:
    binary = tmp_path / "book.xlsx"
    binary.write_bytes(b"PK\x03\x04\x00\xff\xfe" * 100)
    assert importer.identify(binary) is False
    assert importer.identify(tmp_path / "missing.sta") is False


def test_german_sepa_file_reads_every_statement_and_balances() -> None:
    loaded = load(SEPA)
    assert loaded.format == "mt940"
    assert len(loaded.entries) == 97
    assert len(loaded.balances) == 26
    assert loaded.warnings == []  # every statement's lines add up to its closing balance
    first = loaded.balances[0]
    assert (first.opening, first.closing) == (Decimal("-1234718.36"), Decimal("-1237628.23"))


def test_reversal_of_a_credit_is_money_out() -> None:
    entries = importer.extract(SEPA).entries
    reversals = [entry for entry in entries if entry.raw.get("status") == "RC"]
    assert [entry.amount for entry in reversals] == [Decimal("-204.88"), Decimal("-204.88")]


def test_structured_86_fills_counterparty_description_and_reference() -> None:
    entry = next(e for e in importer.extract(SEPA).entries if e.id == "0724710290631813")
    assert entry.amount == Decimal("300000.00")
    assert entry.counterparty == "Cornelia Prochownik 70 Zeichen Beginn Fuellzeichen xxx"
    assert entry.description == "TO13 TF20014 MINT"
    assert entry.raw["applicant_iban"] == "DE40100100100000214105"
    assert entry.account == "50880050/0194779500888"
    assert entry.source_line == 82


def test_asn_bank_dialect_and_envelope() -> None:
    extraction = importer.extract(ASN)
    assert len(extraction.entries) == 8
    assert len(extraction.balances) == 31
    first = extraction.entries[0]
    assert (first.date.isoformat(), first.amount, first.currency) == (
        "2020-01-01",
        Decimal("-65.00"),
        "EUR",
    )
    assert first.counterparty == "hr gjlm paulissen"
    assert first.reference == ""  # ASN puts the counterparty IBAN where the reference goes
    assert first.account == "NL81ASNB9999999999"
    assert first.source_line == 6
    # a payment out of the bank account lowers nothing the customer owes: receivable view flips
    assert load(ASN).entries[0].amount == Decimal("65.00")


def test_unstructured_86_joins_65_column_lines() -> None:
    entry = importer.extract(ASN).entries[2]
    assert "Betaling aan ICS 99999999999" in entry.description


def test_ing_information_after_closing_balance_is_not_a_transaction_detail() -> None:
    entries = importer.extract(ING).entries
    assert len(entries) == 7
    assert [e.date.isoformat() for e in entries].count("2010-07-22") == 6
    assert all("D000004C000002" not in e.description for e in entries)
    assert entries[-1].description.endswith("Betaling transactiedatum: 22-07-2010")


def test_balance_gap_is_a_warning_naming_statement_and_amount() -> None:
    loaded = load(ABN)
    assert len(loaded.entries) == 10
    assert loaded.warnings == [
        "statement 517852257 EUR no. 19321/1: opening 3236.28 + lines -321.44 differs from "
        "stated closing 876.84 by -2038.00",
        "statement 517852257 EUR no. 19322/1: opening 2876.84 + lines -24.49 differs from "
        "stated closing 1849.75 by -1002.60",
    ]


def test_booking_date_is_the_entry_date_not_the_value_date() -> None:
    entry = importer.extract(ABN).entries[1]  # :61:1105210523D11,59
    assert entry.date.isoformat() == "2011-05-23"
    assert entry.raw["value_date"] == "2011-05-21"


def test_dutch_slash_subfields(tmp_path: Path) -> None:
    extraction = importer.extract(write(tmp_path, "rabo.sta", RABOBANK))
    incoming, outgoing = extraction.entries
    assert incoming.account == "NL50RABO0123456789"
    assert incoming.amount == Decimal("20.00")
    assert incoming.counterparty == "J. Janssen"
    assert incoming.description == "Factuur 2013-001"
    assert incoming.reference == "05-04-2013 09:30 0030000735069811"
    assert (outgoing.amount, outgoing.counterparty) == (Decimal("-5.50"), "Kantoor BV")
    assert outgoing.description == "Bestelling 77"
    assert extraction.balances[0].movement == Decimal("14.50")
    assert load(tmp_path / "rabo.sta").warnings == []


def test_statements_in_two_currencies_keep_their_currency(tmp_path: Path) -> None:
    extraction = importer.extract(write(tmp_path, "two.sta", TWO_CURRENCIES))
    usd, eur = extraction.entries
    assert (usd.currency, usd.amount, usd.id) == ("USD", Decimal("250.00"), "B24010300001")
    assert usd.reference == "INV-2024-001"
    assert usd.counterparty == "Shanghai Example Co"
    assert usd.description == "Rechnung 2024-001"
    assert (eur.currency, eur.amount, eur.counterparty) == (
        "EUR",
        Decimal("-100.00"),
        "Vermieter GmbH",
    )
    assert [(b.currency, b.movement) for b in extraction.balances] == [
        ("USD", Decimal("250.00")),
        ("EUR", Decimal("-100.00")),
    ]


def test_same_line_in_overlapping_files_gets_the_same_id(tmp_path: Path) -> None:
    text = ABN.read_text(encoding="utf-8")
    second_only = text[
        text.index("ABNANL2A\n940\nABNANL2A\n:20:ABN AMRO BANK NV\n:25:517852257\n:28C:") :
    ]
    both = [e.id for e in importer.extract(ABN).entries]
    alone = [e.id for e in importer.extract(write(tmp_path, "second.sta", second_only)).entries]
    assert alone == both[-2:]
    assert len(set(both)) == 10


def test_garbled_61_line_names_file_line_and_value(tmp_path: Path) -> None:
    garbled = ABN.read_text(encoding="utf-8").replace(
        ":61:1105210523D11,59N426", ":61:11O52IX523D11,59N426"
    )
    with pytest.raises(IngestError) as caught:
        importer.extract(write(tmp_path, "garbled.sta", garbled))
    assert caught.value.line == 12
    assert caught.value.value == "11O52IX523D11,59N426NONREF"
    assert str(caught.value).startswith("garbled.sta, line 12: cannot read :61: field")


def test_truncated_file_is_an_error_not_a_short_statement(tmp_path: Path) -> None:
    lines = ABN.read_text(encoding="utf-8").splitlines(keepends=True)
    truncated = write(tmp_path, "cut.sta", "".join(lines[:37]))  # inside the second statement
    with pytest.raises(IngestError) as caught:
        importer.extract(truncated)
    assert caught.value.line == 32  # the :20: of the statement that lost its closing balance
    assert "truncated" in caught.value.message


def test_statement_missing_its_closing_balance_mid_file_is_a_warning(tmp_path: Path) -> None:
    text = TWO_CURRENCIES.replace(":62F:C240103USD1250,00\n", "")
    extraction = importer.extract(write(tmp_path, "gap.sta", text))
    assert len(extraction.entries) == 2
    assert extraction.warnings == [
        "statement DE89370400440532013000 USD no. 12/1 (line 1) has no closing balance (:62F:)"
    ]
    assert [b.currency for b in extraction.balances] == ["USD", "EUR"]


PAGED = """\
:20:PAGED
:25:NL91ABNA0417164300
:28C:5/1
:60F:C240101EUR100,00
:61:240102C10,00NTRFNONREF
:86:first page line
:62M:C240102EUR110,00
:60M:C240102EUR110,00
:61:240103C5,00NTRFNONREF
:86:second page line
:62F:C240103EUR115,00
:86:statement information
"""


def test_page_break_inside_a_statement_keeps_line_details(tmp_path: Path) -> None:
    loaded = load(write(tmp_path, "paged.sta", PAGED))
    assert [e.description for e in loaded.entries] == ["first page line", "second page line"]
    (balance,) = loaded.balances
    assert (balance.opening, balance.closing, balance.movement) == (
        Decimal("100.00"),
        Decimal("115.00"),
        Decimal("15.00"),
    )
    assert loaded.warnings == []


def test_account_number_on_the_61_second_line_is_not_a_counterparty(tmp_path: Path) -> None:
    old_rabobank = """\
:20:940S091231
:25:0123456789EUR
:28C:09365
:60F:C091230EUR000000000100,00
:61:091231D000000000025,00N102NONREF
0987654321
:86:NAAM VAN DE WINKEL AMSTERDAM
:62F:C091231EUR000000000075,00
"""
    (entry,) = importer.extract(write(tmp_path, "rabo-old.sta", old_rabobank)).entries
    assert (entry.account, entry.counterparty) == ("0123456789", "")
    assert entry.description == "NAAM VAN DE WINKEL AMSTERDAM"
    assert entry.raw["extra_details"] == "0987654321"


@pytest.mark.parametrize("sample", [ASN, SEPA, ABN, ING], ids=lambda p: p.name)
def test_a_cut_anywhere_is_an_ingest_error_or_a_shorter_read(tmp_path: Path, sample: Path) -> None:
    data = sample.read_bytes()
    full = len(importer.extract(sample).entries)
    for cut in range(len(data) // 12, len(data), len(data) // 12):
        path = tmp_path / f"cut{cut}.sta"
        path.write_bytes(data[:cut])
        try:
            extraction = importer.extract(path)
        except IngestError:
            continue
        assert len(extraction.entries) <= full


def test_long_customer_reference_from_another_bank_falls_back_to_the_lenient_dialect(
    tmp_path: Path,
) -> None:
    text = """\
:20:0000000000
:25:NL20INGB0001234567
:28C:1/1
:60F:C200101EUR444,29
:61:2001010101D65,00NOVBNL47INGB9999999999
hr gjlm paulissen
:86:Betaling sieraden
:62F:C200101EUR379,29
"""
    (entry,) = importer.extract(write(tmp_path, "other.sta", text)).entries
    assert (entry.amount, entry.counterparty) == (Decimal("-65.00"), "hr gjlm paulissen")
    assert entry.raw["customer_reference"] == "NL47INGB9999999999"


def test_sparkasse_direct_debit_with_amount_on_its_own_line(tmp_path: Path) -> None:
    text = (
        ":20:STARTUMSE\r\n:25:10020030/1234567\r\n:28C:00000/001\r\n:60F:C150730EUR1234,56\r\n"
        ":61:1507310731DR\r\n16,71N024NONREF\r\n"
        ":86:005?00LASTSCHRIFT?109075?20EREF+123456789?21MREF+ABC?22CRED+DE98ZZZ09999999999"
        "?23SVWZ+Strom Juli?30DEUTDEFF?31DE12500105170648489890?32Stadtwerke Musterstadt\r\n"
        ":62F:C150731EUR1217,85\r\n-\r\n"
    )
    (entry,) = importer.extract(write(tmp_path, "spk.sta", text)).entries
    assert (entry.amount, entry.reference) == (Decimal("-16.71"), "123456789")
    assert (entry.counterparty, entry.description) == ("Stadtwerke Musterstadt", "Strom Juli")
    assert entry.raw["applicant_creditor_id"] == "DE98ZZZ09999999999"


def test_polish_tilde_subfields_and_slash_account(tmp_path: Path) -> None:
    text = """\
:20:MT940
:25:/PL61109010140000071219812874
:28C:00001
:60F:C160104PLN1000,00
:61:1601040104DN15,00NMSCNONREF
:86:020~00OPLATA~20Oplata za prowadzenie ~21rachunku~32BANK PRZYKLADOWY
:62F:C160104PLN985,00
"""
    (entry,) = importer.extract(write(tmp_path, "pl.sta", text)).entries
    assert (entry.account, entry.currency, entry.amount) == (
        "PL61109010140000071219812874",
        "PLN",
        Decimal("-15.00"),
    )
    assert (entry.counterparty, entry.description) == (
        "BANK PRZYKLADOWY",
        "Oplata za prowadzenie rachunku",
    )
