"""OFX / QFX / QBO bank and credit-card statements (OFX 1.x SGML and OFX 2 XML), read with
ofxtools' header parser and tag-soup tree builder and its typed value conversion.

ofxtools' full model conversion rejects whole files for a spec breach banks commit every day
(a 10-digit BANKID, a 40-character NAME, a private tag), so the statement aggregates are read
from its element tree field by field, each value through ofxtools' own type. A few header
slips are fixed before ofxtools sees them, each a named fix-up below.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from ofxtools import Types
from ofxtools.header import OFXHeaderError, parse_header
from ofxtools.Parser import ParseError, TreeBuilder

from duizhang.engine.records import Entry, Side
from duizhang.ingest.base import Extraction, IngestError, SignView, StatementBalance
from duizhang.ingest.ids import UniqueIds, fingerprint
from duizhang.ingest.statement_lines import first_reference, money, with_movement

STATEMENTS = ("STMTRS", "CCSTMTRS")
_AMOUNT = Types.Decimal()
_DATETIME = Types.DateTime()
_STRING = Types.String()
_BOM = b"\xef\xbb\xbf"
_STMTTRN = re.compile(rb"<STMTTRN>")
_POSITION = re.compile(r"position=\[(\d+):")


# -- named header fix-ups: each takes and returns the file's bytes ---------------------------------

_V1_HEADER = (
    b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
    b"CHARSET:%s\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
)
_CHARSETS = {
    b"UTF-8": b"NONE",
    b"UTF8": b"NONE",
    b"UNICODE": b"NONE",
    b"8859-1": b"ISO-8859-1",
    b"ISO8859-1": b"ISO-8859-1",
    b"ISO-8859-15": b"ISO-8859-1",
    b"LATIN1": b"ISO-8859-1",
    b"WINDOWS-1252": b"1252",
    b"CP1252": b"1252",
}
_V2_VERSIONS = (b"200", b"201", b"202", b"203", b"210", b"211", b"220")


def strip_bom(data: bytes) -> bytes:
    return data.removeprefix(_BOM).lstrip()


def add_missing_header(data: bytes) -> bytes:
    """Some exporters start straight with `<OFX>`: give it the OFX 1.02 header it lacks."""
    if data[:5].upper() != b"<OFX>":
        return data
    try:
        data.decode("utf-8")
        charset = b"NONE"
    except UnicodeDecodeError:
        charset = b"1252"
    return _V1_HEADER % charset + data


def known_charset(data: bytes) -> bytes:
    """`CHARSET:UTF-8`, `CHARSET:WINDOWS-1252` … as the names ofxtools knows."""
    head, body = _split_header(data)
    match = re.search(rb"CHARSET:\s*([\w-]+)", head)
    if match and match.group(1).upper() in _CHARSETS:
        name = _CHARSETS[match.group(1).upper()]
        head = head[: match.start(1)] + name + head[match.end(1) :]
    head = re.sub(rb"ENCODING:\s*UTF8\b", b"ENCODING:UTF-8", head)
    return head + body


def known_v2_version(data: bytes) -> bytes:
    """An OFX 2 declaration with a version ofxtools does not list (`VERSION="230"`, `"102"`)."""
    match = re.search(rb'<\?OFX[^>]*?VERSION="(\d+)"', data[:1024])
    if match and match.group(1) not in _V2_VERSIONS:
        return data[: match.start(1)] + b"220" + data[match.end(1) :]
    return data


def _split_header(data: bytes) -> tuple[bytes, bytes]:
    start = data.find(b"<")
    return (data, b"") if start < 0 else (data[:start], data[start:])


HEADER_FIXUPS: tuple[Callable[[bytes], bytes], ...] = (
    strip_bom,
    add_missing_header,
    known_charset,
    known_v2_version,
)


# -- the importer ----------------------------------------------------------------------------------


class OfxImporter:
    name = "ofx"
    description = "OFX / QFX / QBO bank or credit-card statement (OFX 1.x SGML, OFX 2 XML)"
    default_side = Side.BANK

    def identify(self, path: Path) -> bool:
        try:
            with path.open("rb") as handle:
                head = strip_bom(handle.read(4096)).upper()
        except OSError:
            return False
        return head.startswith((b"OFXHEADER", b"<OFX>")) or (
            head.startswith(b"<?XML") and b"<?OFX" in head
        )

    def extract(self, path: Path) -> Extraction:
        original = path.read_bytes()
        root = read_tree(path, original)
        lines = [original.count(b"\n", 0, m.start()) + 1 for m in _STMTTRN.finditer(original)]
        extraction = Extraction(entries=[], view=SignView.BOOKS)
        ids = UniqueIds()
        statements = [element for element in root.iter() if element.tag in STATEMENTS]
        if not statements:
            raise IngestError(no_statement_reason(root), file=path)
        index = 0
        for statement in statements:
            account = _text(statement, "BANKACCTFROM/ACCTID") or _text(
                statement, "CCACCTFROM/ACCTID"
            )
            currency = _text(statement, "CURDEF").upper()
            movement = Decimal(0)
            for transaction in statement.iterfind("BANKTRANLIST/STMTTRN"):
                line = lines[index] if index < len(lines) else 0
                index += 1
                entry = to_entry(transaction, account, currency, ids=ids, file=path, line=line)
                extraction.entries.append(entry)
                if entry.currency == currency:
                    movement += entry.amount
            balance = ledger_balance(statement, account, currency, path)
            if balance is not None:
                extraction.balances.append(with_movement(balance, movement))
        for element in root.iter("INVSTMTRS"):
            extraction.warnings.append(
                f"investment statement for account {_text(element, 'INVACCTFROM/ACCTID')} not read"
            )
        return extraction


def read_tree(path: Path, original: bytes) -> ET.Element:
    data = original
    for fixup in HEADER_FIXUPS:
        data = fixup(data)
    try:
        _header, message = parse_header(io.BytesIO(data))
    except (OFXHeaderError, ValueError, UnicodeDecodeError) as error:
        raise IngestError(
            "not a readable OFX header", file=path, line=1, value=str(error)
        ) from error
    if not re.search(r"</OFX>\s*$", message, re.IGNORECASE):
        last = original.rstrip().count(b"\n") + 1
        raise IngestError("the file ends before </OFX>; it looks truncated", file=path, line=last)
    builder = TreeBuilder()
    try:
        builder.feed(message)
        root = builder.close()
    except ParseError as error:
        raise IngestError(
            "broken OFX markup",
            file=path,
            line=_line_in_file(original, message, str(error)),
            value=_what_broke(str(error)),
        ) from error
    except (AssertionError, IndexError) as error:
        raise IngestError("unbalanced OFX tags", file=path, value=str(error)) from error
    if root is None or root.tag != "OFX":
        raise IngestError("no <OFX> element", file=path)
    return root


def _what_broke(error: str) -> str:
    """ofxtools appends the whole document to a tail-text message; keep the offending text."""
    message = error.split(" - position")[0]
    tail = re.match(r"(Tail text '.*?') in ", message, re.DOTALL)
    return tail.group(1) if tail else message[:200]


def _line_in_file(original: bytes, message: str, error: str) -> int | None:
    """ofxtools reports a character offset into the body; turn it into a line of the file."""
    match = _POSITION.search(error)
    if not match:
        return None
    offset = int(match.group(1))
    body_line = message.count("\n", 0, offset)
    start = original.find(b"<OFX>")
    return original.count(b"\n", 0, max(start, 0)) + body_line + 1


def no_statement_reason(root: ET.Element) -> str:
    for status in root.iter("STATUS"):
        code = _text(status, "CODE")
        if code and code != "0":
            return f"no statement in this OFX file; the bank answered {code}: {_text(status, 'MESSAGE')}"
    return "no bank or credit-card statement (STMTRS / CCSTMTRS) in this OFX file"


def _text(element: ET.Element, path: str) -> str:
    found = element.find(path)
    if found is None or found.text is None:
        return ""
    return " ".join((_STRING.convert(found.text) or "").split())


def to_entry(
    transaction: ET.Element,
    account: str,
    statement_currency: str,
    *,
    ids: UniqueIds,
    file: Path,
    line: int,
) -> Entry:
    raw = {child.tag: _text(transaction, child.tag) for child in transaction if len(child) == 0}
    for aggregate in transaction:
        for leaf in aggregate:
            raw[f"{aggregate.tag}/{leaf.tag}"] = _text(aggregate, leaf.tag)
    currency = (raw.get("CURRENCY/CURSYM") or statement_currency).upper()
    amount = money(_amount(raw.get("TRNAMT", ""), file, line), currency)
    posted = _date(raw.get("DTPOSTED", ""), file, line)
    counterparty = raw.get("NAME") or raw.get("PAYEE/NAME") or raw.get("EXTDNAME", "")
    checknum = raw.get("CHECKNUM", "").lstrip("0")
    fitid = raw.get("FITID", "")
    key = fitid or fingerprint(account, posted, amount, currency, counterparty, raw.get("MEMO"))
    return Entry(
        id=ids(key),
        date=posted,
        amount=amount,
        currency=currency,
        reference=first_reference((checknum, raw.get("REFNUM"), fitid)),
        counterparty=counterparty,
        description=raw.get("MEMO", ""),
        account=account,
        source_file=file.name,
        source_line=line,
        raw=MappingProxyType(raw),
    )


def _amount(text: str, file: Path, line: int) -> Decimal:
    try:
        amount = _AMOUNT.convert(text.replace(" ", ""))
    except (ArithmeticError, ValueError, TypeError):
        amount = None
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise IngestError("TRNAMT is not an amount", file=file, line=line, value=text)
    return amount


def _date(text: str, file: Path, line: int) -> date:
    """The bank's own calendar day: the first eight digits, before any time zone shift."""
    try:
        _DATETIME.convert(text)
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except (ValueError, TypeError):
        raise IngestError("DTPOSTED is not an OFX date", file=file, line=line, value=text) from None


def ledger_balance(
    statement: ET.Element, account: str, currency: str, path: Path
) -> StatementBalance | None:
    """OFX states the ledger balance at DTASOF and no opening balance."""
    amount_text = _text(statement, "LEDGERBAL/BALAMT")
    if not amount_text:
        return None
    closing = money(_amount(amount_text, path, 0), currency)
    as_of = _text(statement, "LEDGERBAL/DTASOF")
    start, end = _text(statement, "BANKTRANLIST/DTSTART"), _text(statement, "BANKTRANLIST/DTEND")
    period = f" {start[:8]}-{end[:8]}" if start and end else ""
    return StatementBalance(
        account=account,
        currency=currency,
        opening=None,
        closing=closing,
        movement=Decimal(0),
        closing_date=_date(as_of, path, 0) if as_of else None,
        label=f"{account} {currency}{period}",
    )
