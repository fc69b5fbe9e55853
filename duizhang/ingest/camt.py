"""ISO 20022 bank-to-customer cash management: camt.052 (account report), camt.053 (statement)
and camt.054 (debit/credit notification), any version, read with lxml.

Elements are matched by local name, so camt.053.001.02, .04, .08 … all read alike. One line per
booked `<Ntry>`; a batch entry whose `<TxDtls>` carry amounts that add up to the entry is split
into one line per transaction, because each is a different customer's payment.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType

from lxml import etree

from duizhang.engine.records import Entry, Side
from duizhang.ingest.base import Extraction, IngestError, SignView, Skipped, StatementBalance
from duizhang.ingest.ids import UniqueIds, fingerprint
from duizhang.ingest.statement_lines import first_reference, is_reference, money, with_movement

MESSAGES = ("BkToCstmrStmt", "BkToCstmrAcctRpt", "BkToCstmrDbtCdtNtfctn")
STATEMENTS = ("Stmt", "Rpt", "Ntfctn")
OPENING_CODES = ("OPBD", "PRCD")
CLOSING_CODES = ("CLBD",)
BOOKED = ("BOOK", "")
_HEAD_MARKS = (
    *(f"urn:iso:std:iso:20022:tech:xsd:camt.05{n}".encode() for n in (2, 3, 4)),
    *(f"<{m}".encode() for m in MESSAGES),
    *(f":{m}".encode() for m in MESSAGES),
)


def local(element: etree._Element) -> str:
    """The tag without its namespace (they are dropped on reading), "" for comments."""
    return element.tag if isinstance(element.tag, str) else ""


def drop_namespaces(root: etree._Element) -> etree._Element:
    """camt.053.001.02, .04, .08 … differ in namespace, hardly in shape: read them alike."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = etree.QName(element).localname
    return root


def children(element: etree._Element | None, name: str) -> list[etree._Element]:
    return [] if element is None else element.findall(name)


def find(element: etree._Element | None, *path: str) -> etree._Element | None:
    """The first element down `path` (local names); a `Pty` wrapper (v8+) is looked through."""
    for name in path:
        if element is None:
            return None
        found = children(element, name) or children(_one(children(element, "Pty")), name)
        element = found[0] if found else None
    return element


def find_all(element: etree._Element | None, *path: str) -> list[etree._Element]:
    if element is None:
        return []
    if not path:
        return [element]
    head, *rest = path
    found = children(element, head) or children(_one(children(element, "Pty")), head)
    return [match for child in found for match in find_all(child, *rest)]


def _one(elements: list[etree._Element]) -> etree._Element | None:
    return elements[0] if elements else None


def text(element: etree._Element | None, *path: str) -> str:
    found = find(element, *path)
    return " ".join((found.text or "").split()) if found is not None else ""


def texts(element: etree._Element | None, *path: str) -> list[str]:
    return [
        " ".join((e.text or "").split()) for e in find_all(element, *path) if (e.text or "").strip()
    ]


def flatten(element: etree._Element, prefix: str = "", skip: str = "") -> dict[str, str]:
    """Every leaf below `element` as `Path/To/Leaf` → text (repeats get `[2]`, attributes `@`)."""
    flat: dict[str, str] = {}

    def walk(node: etree._Element, path: str) -> None:
        for name, value in node.attrib.items():
            flat[f"{path}@{etree.QName(name).localname}"] = value
        kids = [child for child in node if isinstance(child.tag, str)]
        if not kids:
            flat[path] = " ".join((node.text or "").split())
            return
        seen: dict[str, int] = {}
        for child in kids:
            name = local(child)
            if name == skip:
                continue
            seen[name] = seen.get(name, 0) + 1
            suffix = f"[{seen[name]}]" if seen[name] > 1 else ""
            walk(child, f"{path}/{name}{suffix}" if path else f"{name}{suffix}")

    walk(element, prefix)
    return flat


class CamtImporter:
    name = "camt"
    description = "ISO 20022 camt.052 / camt.053 / camt.054 bank statement XML (any version)"
    default_side = Side.BANK

    def identify(self, path: Path) -> bool:
        try:
            with path.open("rb") as handle:
                head = handle.read(4096)
        except OSError:
            return False
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and any(
            mark in head for mark in _HEAD_MARKS
        )

    def extract(self, path: Path) -> Extraction:
        root = read_xml(path)
        message = next((e for e in root.iter() if local(e) in MESSAGES), None)
        if message is None:
            raise IngestError(
                "no camt statement, report or notification in this XML", file=path, line=1
            )
        extraction = Extraction(entries=[], view=SignView.BOOKS)
        ids = UniqueIds()
        for statement in (child for child in message if local(child) in STATEMENTS):
            read_statement(statement, path, extraction, ids)
        return extraction


def read_xml(path: Path) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return drop_namespaces(etree.parse(str(path), parser).getroot())
    except etree.XMLSyntaxError as error:
        line = error.lineno if isinstance(error.lineno, int) else None
        raise IngestError("broken XML", file=path, line=line, value=error.msg) from error
    except OSError as error:
        raise IngestError(f"cannot read file ({error})", file=path) from error


@dataclass(frozen=True)
class Account:
    id: str
    currency: str
    label: str


def read_statement(
    statement: etree._Element, path: Path, extraction: Extraction, ids: UniqueIds
) -> None:
    account_element = find(statement, "Acct")
    account_id = text(account_element, "Id", "IBAN") or text(account_element, "Id", "Othr", "Id")
    ntries = children(statement, "Ntry")
    currency = (
        text(account_element, "Ccy")
        or _balance_currency(statement)
        or next((_currency(n) for n in ntries), "")
    )
    account = Account(account_id, currency, text(statement, "Id") or account_id)
    movement = Decimal(0)
    for ntry in ntries:
        status = (text(ntry, "Sts", "Cd") or text(ntry, "Sts")).upper()
        if status not in BOOKED:
            extraction.skipped.append(
                Skipped(line=ntry.sourceline or 0, reason=f"entry status {status}, not booked")
            )
            continue
        for entry in entry_lines(ntry, account, path, extraction.warnings, ids):
            extraction.entries.append(entry)
            if entry.currency == currency:
                movement += entry.amount
    balance = statement_balance(statement, account, path, extraction.warnings)
    if balance is not None:
        extraction.balances.append(with_movement(balance, movement))


def _currency(element: etree._Element) -> str:
    amount = find(element, "Amt")
    return "" if amount is None else amount.get("Ccy", "")


def _balance_currency(statement: etree._Element) -> str:
    for balance in children(statement, "Bal"):
        if _balance_code(balance) in OPENING_CODES + CLOSING_CODES:
            return _currency(balance)
    return ""


def _balance_code(balance: etree._Element) -> str:
    return (
        text(balance, "Tp", "CdOrPrtry", "Cd") or text(balance, "Tp", "CdOrPrtry", "Prtry")
    ).upper()


def statement_balance(
    statement: etree._Element, account: Account, path: Path, warnings: list[str]
) -> StatementBalance | None:
    """OPBD (or PRCD) and CLBD in the statement's currency; notifications have none."""
    found: dict[str, tuple[Decimal, date | None]] = {}
    for balance in children(statement, "Bal"):
        code = _balance_code(balance)
        if code not in OPENING_CODES + CLOSING_CODES or code in found:
            continue
        currency = _currency(balance)
        if currency and account.currency and currency != account.currency:
            warnings.append(
                f"statement {account.label}: balance {code} is in {currency}, not the statement "
                f"currency {account.currency}; not checked"
            )
            continue
        amount = signed_amount(balance, path)
        day = text(balance, "Dt", "Dt") or text(balance, "Dt", "DtTm")[:10]
        found[code] = (amount, _parse_date(day, balance, path) if day else None)
    opening = found.get("OPBD") or found.get("PRCD")
    closing = found.get("CLBD")
    if opening is None and closing is None:
        return None
    return StatementBalance(
        account=account.id,
        currency=account.currency,
        opening=opening[0] if opening else None,
        closing=closing[0] if closing else None,
        movement=Decimal(0),
        opening_date=opening[1] if opening else None,
        closing_date=closing[1] if closing else None,
        label=account.label,
    )


def signed_amount(element: etree._Element, path: Path) -> Decimal:
    """`Amt` signed by `CdtDbtInd`: CRDT (money in) +, DBIT −."""
    amount_element = find(element, "Amt")
    if amount_element is None:
        raise IngestError("missing Amt", file=path, line=element.sourceline)
    raw = (amount_element.text or "").strip()
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise IngestError("not an amount", file=path, line=amount_element.sourceline, value=raw)
    indicator = text(element, "CdtDbtInd").upper()
    if indicator not in ("CRDT", "DBIT", ""):
        raise IngestError(
            "CdtDbtInd must be CRDT or DBIT", file=path, line=element.sourceline, value=indicator
        )
    return money(-amount if indicator == "DBIT" else amount, amount_element.get("Ccy", ""))


def _parse_date(value: str, element: etree._Element, path: Path) -> date:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise IngestError("not a date", file=path, line=element.sourceline, value=value) from None


def entry_lines(
    ntry: etree._Element, account: Account, path: Path, warnings: list[str], ids: UniqueIds
) -> Iterator[Entry]:
    amount = signed_amount(ntry, path)
    currency = _currency(ntry) or account.currency
    day = (
        text(ntry, "BookgDt", "Dt")
        or text(ntry, "BookgDt", "DtTm")
        or text(ntry, "ValDt", "Dt")
        or text(ntry, "ValDt", "DtTm")
    )
    if not day:
        raise IngestError("entry has no booking or value date", file=path, line=ntry.sourceline)
    booked = _parse_date(day, ntry, path)
    details = find_all(ntry, "NtryDtls", "TxDtls")
    own_refs = [text(details[0], "Refs", "AcctSvcrRef")] if len(details) == 1 else []
    bank_id = first_reference((text(ntry, "AcctSvcrRef"), text(ntry, "NtryRef"), *own_refs))
    parts = split_batch(ntry, details, amount, currency, path)
    if parts is None and len(details) > 1 and _has_amounts(details):
        warnings.append(
            f"line {ntry.sourceline}: the {len(details)} transactions of this batch do not add "
            f"up to the entry's {amount} {currency}; kept as one line"
        )
    if parts is None:
        raw = flatten(ntry)
        yield Entry(
            id=ids(bank_id or _fingerprint(account, booked, amount, currency, details, ntry)),
            date=booked,
            amount=amount,
            currency=currency,
            reference=reference_of(ntry, details),
            counterparty="; ".join(_unique(counterparty_of(d, amount) for d in details)),
            description=description_of(ntry, details),
            account=account.id,
            source_file=path.name,
            source_line=ntry.sourceline or 0,
            raw=MappingProxyType(raw),
        )
        return
    entry_raw = flatten(ntry, skip="NtryDtls")
    for position, (detail, part) in enumerate(parts, start=1):
        own_id = first_reference([text(detail, "Refs", "AcctSvcrRef")])
        natural = own_id or (f"{bank_id}/{position}" if bank_id else "")
        yield Entry(
            id=ids(natural or _fingerprint(account, booked, part, currency, [detail], ntry)),
            date=booked,
            amount=part,
            currency=currency,
            reference=reference_of(ntry, [detail]),
            counterparty=counterparty_of(detail, part),
            description=description_of(ntry, [detail]),
            account=account.id,
            source_file=path.name,
            source_line=detail.sourceline or 0,
            raw=MappingProxyType({**entry_raw, **flatten(detail, prefix="TxDtls")}),
        )


def _amount_element(detail: etree._Element) -> etree._Element | None:
    own = find(detail, "Amt")
    return own if own is not None else find(detail, "AmtDtls", "TxAmt", "Amt")


def _has_amounts(details: list[etree._Element]) -> bool:
    return all(_amount_element(d) is not None for d in details)


def split_batch(
    ntry: etree._Element,
    details: list[etree._Element],
    amount: Decimal,
    currency: str,
    path: Path,
) -> list[tuple[etree._Element, Decimal]] | None:
    """The batch's own lines, when each has an amount in the entry's currency and they add up."""
    if len(details) < 2 or not _has_amounts(details):
        return None
    parts = []
    for detail in details:
        amount_element = _amount_element(detail)
        assert amount_element is not None
        if amount_element.get("Ccy", currency) != currency:
            return None
        try:
            value = Decimal((amount_element.text or "").strip())
        except InvalidOperation:
            raise IngestError(
                "not an amount",
                file=path,
                line=amount_element.sourceline,
                value=amount_element.text,
            ) from None
        indicator = text(detail, "CdtDbtInd").upper() or text(ntry, "CdtDbtInd").upper()
        parts.append((detail, money(-value if indicator == "DBIT" else value, currency)))
    if sum((part for _, part in parts), Decimal(0)) != amount:
        return None
    return parts


def counterparty_of(detail: etree._Element, amount: Decimal) -> str:
    """Money in came from the debtor; money out went to the creditor."""
    incoming = amount >= 0
    party, ultimate = ("Dbtr", "UltmtDbtr") if incoming else ("Cdtr", "UltmtCdtr")
    return text(detail, "RltdPties", party, "Nm") or text(detail, "RltdPties", ultimate, "Nm")


def reference_of(ntry: etree._Element, details: list[etree._Element]) -> str:
    candidates: list[str] = []
    for detail in details:
        candidates += texts(detail, "RmtInf", "Strd", "CdtrRefInf", "Ref")
        candidates.append(text(detail, "Refs", "EndToEndId"))
    for detail in details:
        candidates.append(text(detail, "Refs", "AcctSvcrRef"))
    candidates += [text(ntry, "AcctSvcrRef"), text(ntry, "NtryRef")]
    candidates += [text(detail, "Refs", "PmtInfId") for detail in details]
    candidates.append(text(ntry, "NtryDtls", "Btch", "PmtInfId"))
    return first_reference(candidates)


def description_of(ntry: etree._Element, details: list[etree._Element]) -> str:
    parts: list[str] = []
    for detail in details:
        parts += texts(detail, "RmtInf", "Ustrd")
        parts += texts(detail, "RmtInf", "Strd", "AddtlRmtInf")
        parts += texts(detail, "AddtlTxInf")
    if not parts:
        parts = [text(ntry, "AddtlNtryInf")]
    return " ".join(_unique(parts))


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and is_reference(value):
            seen.setdefault(value, None)
    return list(seen)


def _fingerprint(
    account: Account,
    booked: date,
    amount: Decimal,
    currency: str,
    details: list[etree._Element],
    ntry: etree._Element,
) -> str:
    return fingerprint(
        account.id,
        booked,
        amount,
        currency,
        reference_of(ntry, details),
        description_of(ntry, details),
        text(ntry, "ValDt", "Dt"),
    )
