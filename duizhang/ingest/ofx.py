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
from ofxtools.Parser import TreeBuilder

from duizhang.engine.records import Entry, Side
from duizhang.ingest.base import Extraction, IngestError, SignView, StatementBalance
from duizhang.ingest.ids import UniqueIds, fingerprint
from duizhang.ingest.statement_lines import first_reference, money, with_movement

STATEMENTS = ("STMTRS", "CCSTMTRS")
_AMOUNT = Types.Decimal()
_STRING = Types.String()
_BOM = b"\xef\xbb\xbf"
_STMTTRN = re.compile(rb"<STMTTRN>")
_POSITION = re.compile(r"position=\[(\d+):")


# -- named header fix-ups: each takes and returns the file's bytes ---------------------------------

_V1_DEFAULTS = {
    b"OFXHEADER": b"100",
    b"DATA": b"OFXSGML",
    b"VERSION": b"102",
    b"SECURITY": b"NONE",
    b"ENCODING": b"USASCII",
    b"CHARSET": b"1252",
    b"COMPRESSION": b"NONE",
    b"OLDFILEUID": b"NONE",
    b"NEWFILEUID": b"NONE",
}
_V1_VALID = {
    b"OFXHEADER": rb"100",
    b"DATA": rb"OFXSGML",
    b"VERSION": rb"\d{1,3}",
    b"SECURITY": rb"NONE|TYPE1",
    b"ENCODING": rb"USASCII|UNICODE|UTF-8",
    b"CHARSET": rb"ISO-8859-1|1252|NONE",
    b"COMPRESSION": rb"NONE",
    b"OLDFILEUID": rb"[\w-]{1,36}",
    b"NEWFILEUID": rb"[\w-]{1,36}",
}
_V2_DECLARATION = (
    b'<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>'
)


def strip_bom(data: bytes) -> bytes:
    return data.removeprefix(_BOM).lstrip()


def add_missing_header(data: bytes) -> bytes:
    """Some exporters start straight with `<OFX>` (or with `<?OFX` and no XML declaration)."""
    if data[:5].upper() == b"<OFX>":
        return b"OFXHEADER:100\n\n" + data
    if data[:5].upper() == b"<?OFX":
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + data
    return data


def complete_v1_header(data: bytes) -> bytes:
    """An OFX 1 header as ofxtools wants it: all nine fields in order, one a line, values it
    knows (`CHARSET:UTF-8`, `WINDOWS-1252`, blank lines, a missing NEWFILEUID are all seen),
    and the character set the body is really written in."""
    if data[:9].upper() != b"OFXHEADER":
        return data
    start = data.find(b"<")
    head, body = (data, b"") if start < 0 else (data[:start], data[start:])
    fields = {key.upper(): value for key, value in re.findall(rb"(\w+)\s*:\s*(\S*)", head)}
    fields[b"CHARSET"] = body_charset(body, fields.get(b"CHARSET", b"").upper())
    header = []
    for key, default in _V1_DEFAULTS.items():
        value = fields.get(key, b"")
        if not re.fullmatch(_V1_VALID[key], value, re.IGNORECASE):
            value = default
        header.append(key + b":" + value)
    return b"\n".join(header) + b"\n\n" + body


def body_charset(body: bytes, declared: bytes) -> bytes:
    """Banks declare 1252 and send UTF-8, and the other way round: believe the bytes."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return b"ISO-8859-1" if declared == b"ISO-8859-1" else b"1252"
    if body.isascii() and declared in (b"1252", b"ISO-8859-1"):
        return declared
    return b"NONE"  # ofxtools reads CHARSET:NONE as UTF-8


def plain_v2_declaration(data: bytes) -> bytes:
    """An OFX 2 declaration with a version, order or missing field ofxtools does not take, and a
    body that is not the UTF-8 the standard requires."""
    if data[:5].upper() != b"<?XML":
        return data
    data = re.sub(rb"<\?OFX\b[^?]*\?>", _V2_DECLARATION, data, count=1)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        data = data.decode("cp1252", errors="replace").encode("utf-8")
    return data


HEADER_FIXUPS: tuple[Callable[[bytes], bytes], ...] = (
    strip_bom,
    add_missing_header,
    complete_v1_header,
    plain_v2_declaration,
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
        return head.startswith((b"OFXHEADER", b"<OFX>", b"<?OFX")) or (
            head.startswith(b"<?XML") and b"<?OFX" in head
        )

    def extract(self, path: Path) -> Extraction:
        original = path.read_bytes()
        root = read_tree(path, original)
        every_transaction = list(root.iter("STMTTRN"))  # investment INVBANKTRANs have them too
        lines = transaction_lines(original)
        line_of = (
            {id(element): line for element, line in zip(every_transaction, lines, strict=True)}
            if len(lines) == len(every_transaction)
            else {}
        )
        extraction = Extraction(entries=[], view=SignView.BOOKS)
        ids = UniqueIds()
        statements = [element for element in root.iter() if element.tag in STATEMENTS]
        if not statements:
            refused = bank_refusal(root)
            if refused:
                raise IngestError(refused, file=path)
        for statement in statements:
            account = _text(statement, "BANKACCTFROM/ACCTID") or _text(
                statement, "CCACCTFROM/ACCTID"
            )
            currency = _text(statement, "CURDEF").upper()
            movement = Decimal(0)
            for transaction in statement.iterfind("BANKTRANLIST/STMTTRN"):
                line = line_of.get(id(transaction), 0)
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
        if not statements and not extraction.warnings:
            extraction.warnings.append("no bank or credit-card statement in this OFX file")
        return extraction


def transaction_lines(data: bytes) -> list[int]:
    """The line of each `<STMTTRN>` in the file, in document order."""
    lines, line, counted = [], 1, 0
    for match in _STMTTRN.finditer(data):
        line += data.count(b"\n", counted, match.start())
        counted = match.start()
        lines.append(line)
    return lines


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
    except SyntaxError as error:  # ofxtools ParseError and ElementTree.ParseError
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


def bank_refusal(root: ET.Element) -> str:
    """An OFX answer without statements because the bank refused (wrong login, no account)."""
    for status in root.iter("STATUS"):
        code = _text(status, "CODE")
        if code and code != "0" and _text(status, "SEVERITY").upper() == "ERROR":
            return f"no statement in this OFX file; the bank answered {code}: {_text(status, 'MESSAGE')}"
    return ""


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
    """The bank's own calendar day: the first eight digits, before any time zone shift (a
    posting at 23:00 in New York is that day's, not the next UTC day's)."""
    try:
        if not re.match(r"^\d{8}", text):
            raise ValueError(text)
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
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
