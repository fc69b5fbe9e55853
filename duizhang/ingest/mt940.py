"""SWIFT MT940 bank statements, read with the `mt940` library (package mt-940).

Banks bend MT940 in small ways. Each bend is handled where the library expects it: a named tag
variant (ASN Bank's long customer reference) or a named post-processor (a `:86:` after the
closing balance is statement information, not part of the last line; Dutch `/KEY/value`
subfields). Everything else is the library's own parse, including German `?20`…`?32` subfields.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import mt940

from duizhang.engine.records import Entry, Side
from duizhang.ingest.base import Extraction, IngestError, SignView, StatementBalance
from duizhang.ingest.ids import UniqueIds, fingerprint
from duizhang.ingest.statement_lines import first_reference, is_reference, money, with_movement

# Every switch that makes the library read what the bank meant (RC is a debit, the ?31 IBAN
# is not part of the name, the :61: reference survives an :86: without KREF, no truncation).
OPTIONS = mt940.Options(
    applicant_iban=True,
    merge_keeps_values=True,
    reversal_sign=True,
    case_insensitive_marks=True,
    timezone_offset=True,
    unbounded_details=True,
    non_swift_free_text=True,
    floor_limit_blank_mark=True,
    strip_bom=True,
    gvc_leading_text=True,
)
SWIFT_LINE = 65  # :86: text is cut into 65-character lines; a full line may split a word
_TAG_LINE = re.compile(r"^:(?P<tag>\d\d[A-Z]?|NS):")
_ENVELOPE = re.compile(r"^\{\d:")
_MESSAGE_END = re.compile(r"^-(\}|XXX)?(\{5:.*)?\s*$")
_HEAD_STATEMENT = re.compile(r"(?m)^:20:")
_HEAD_BODY = re.compile(r"(?m)^:(25|28C?|60[FM]?|61):")
_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
_ASN_BANK = re.compile(r"\{1:F01ASNBNL|^:25:NL\d\dASNB", re.MULTILINE)


# -- named bank quirks, in the library's processor / tag mechanism --------------------------------


AFTER_CLOSING = "after_closing_balance"


def closing_balance_post_processor(
    transactions: mt940.models.Transactions,
    tag: mt940.tags.Tag,
    tag_dict: dict[str, Any],
    result: dict[str, Any],
) -> dict[str, Any]:
    """Remember that the statement (or page, for :62M:) has closed."""
    transactions.data[AFTER_CLOSING] = True
    return result


def statement_line_post_processor(
    transactions: mt940.models.Transactions,
    tag: mt940.tags.Tag,
    tag_dict: dict[str, Any],
    result: dict[str, Any],
) -> dict[str, Any]:
    """A :61: after a :62M: / :60M: page break opens the statement again."""
    transactions.data[AFTER_CLOSING] = False
    return result


def statement_information_post_processor(
    transactions: mt940.models.Transactions,
    tag: mt940.tags.Tag,
    tag_dict: dict[str, Any],
    result: dict[str, Any],
) -> dict[str, Any]:
    """An `:86:` after the closing balance (ING, ABN AMRO) describes the statement, not its
    last line: keep it on the statement and give the transaction nothing."""
    if transactions.data.get(AFTER_CLOSING):
        transactions.data["statement_information"] = tag_dict.get("transaction_details", "")
        return {}
    return result


def tilde_subfields_pre_processor(
    transactions: mt940.models.Transactions,
    tag: mt940.tags.Tag,
    tag_dict: dict[str, Any],
) -> dict[str, Any]:
    """Polish banks (PKO BP, ING Śląski, Pekao) write the German `?20` subfields as `~20`."""
    details = tag_dict.get("transaction_details")
    if isinstance(details, str) and re.match(r"^\d{3}~\d{2}", details):
        tag_dict["transaction_details"] = details.replace("~", "?")
    return tag_dict


SLASH_KEYS = (
    "TRTP|IBAN|BIC|NAME|EREF|REMI|CNTP|MARF|CSID|ORDP|BENM|ID|ADDR|PURP|RTRN|ULTC|ULTD|ULTB|"
    "SVCL|BUSP|ISDT|PREF|EXCH|CHGS|OCMT|ACCW|SVWZ"
)
_SLASH_FIELD = re.compile(rf"/({SLASH_KEYS})/")


def slash_subfields_post_processor(
    transactions: mt940.models.Transactions,
    tag: mt940.tags.Tag,
    tag_dict: dict[str, Any],
    result: dict[str, Any],
) -> dict[str, Any]:
    """Dutch SEPA `:86:` (ING, Rabobank, ABN AMRO, Triodos): `/EREF/…//CNTP/IBAN/BIC/NAME/…`
    or `/TRTP/…/IBAN/…/NAME/…/REMI/…`. Files the fields under the `slash_` keys."""
    details = result.get("transaction_details")
    if not isinstance(details, str):
        return result
    text = join_swift_lines(details.splitlines())
    if not text.startswith("/") or len(_SLASH_FIELD.findall(text)) < 2:
        return result
    parts = _SLASH_FIELD.split(text)
    fields = {key: value.strip("/ ") for key, value in zip(parts[1::2], parts[2::2], strict=True)}
    if "CNTP" in fields:  # IBAN/BIC/NAME/CITY
        cntp = [*fields["CNTP"].split("/"), "", "", ""]
        fields.setdefault("IBAN", cntp[0])
        fields.setdefault("BIC", cntp[1])
        fields.setdefault("NAME", cntp[2])
    for party in ("BENM", "ORDP"):  # //NAME/x/ID/y nested inside
        if party in fields and "NAME" not in fields:
            fields["NAME"] = fields[party]
    if "REMI" in fields:  # USTD//free text  or  STRD/CUR/issuer/reference
        remi = fields["REMI"]
        remi = re.sub(r"^USTD/+", "", remi)
        remi = re.sub(r"^STRD/+CUR/+[^/]*/+", "", remi)
        fields["REMI"] = remi.strip("/ ")
    result.update({f"slash_{key.lower()}": value for key, value in fields.items() if value})
    return result


@dataclass(frozen=True)
class Dialect:
    """How one family of banks writes MT940, as the library's tags and processors."""

    name: str
    tags: Mapping[int | str, mt940.tags.Tag] = field(default_factory=dict)

    def parse(self, text: str) -> list[mt940.models.Transactions]:
        defaults = mt940.models.Transactions.DEFAULT_PROCESSORS
        processors: dict[str, list[Callable[..., dict[str, Any]]]] = {
            "post_statement": [*defaults["post_statement"], statement_line_post_processor],
            "pre_transaction_details": [tilde_subfields_pre_processor],
            "post_transaction_details": [
                *defaults["post_transaction_details"],
                slash_subfields_post_processor,
                statement_information_post_processor,
            ],
            **{
                f"post_{slug}": [*defaults[f"post_{slug}"], closing_balance_post_processor]
                for slug in (
                    "closing_balance",
                    "intermediate_closing_balance",
                    "final_closing_balance",
                )
            },
        }
        return mt940.parse_statements(
            text, processors=processors, tags=dict(self.tags), options=OPTIONS
        )


STANDARD = Dialect("standard")
# ASN Bank puts the counterparty IBAN (up to 34 characters) in the :61: customer reference.
ASN_BANK = Dialect("asn", {61: mt940.tags.StatementASNB()})
# GLS / Atruvia and others send customer references longer than 16 characters.
LONG_REFERENCE = Dialect("long-reference", {61: mt940.tags.StatementGLS()})


def choose_dialect(text: str) -> Dialect:
    """By the sending bank in the SWIFT envelope, else by the account's IBAN."""
    head = text[:2000]
    if _ASN_BANK.search(head):
        return ASN_BANK
    return STANDARD


# -- the importer ----------------------------------------------------------------------------------


class Mt940Importer:
    name = "mt940"
    description = "SWIFT MT940 bank statement (several statements, accounts, currencies)"
    default_side = Side.BANK

    def identify(self, path: Path) -> bool:
        try:
            with path.open("rb") as handle:
                head = handle.read(8192).decode("latin-1")
        except OSError:
            return False
        return bool(_HEAD_STATEMENT.search(head) and _HEAD_BODY.search(head))

    def extract(self, path: Path) -> Extraction:
        lines = message_lines(decode(path.read_bytes()))
        statements = parse(path, lines)
        if not statements:
            raise IngestError("no statement (:20:) in this file", file=path)
        starts = lines_of(lines, "20")
        line_of_61 = lines_of(lines, "61")
        if len(line_of_61) != sum(len(statement) for statement in statements):
            line_of_61 = []  # then a line's position in the file is the best we can say
        is_mt942 = any(_TAG_LINE.match(line) and line[1:3] in ("13", "34", "90") for line in lines)
        extraction = Extraction(entries=[], view=SignView.BOOKS)
        ids = UniqueIds()
        position = 0
        for number, statement in enumerate(statements):
            balance = statement_balance(statement)
            if balance.closing is None and not is_mt942:
                start = _nth(starts, number)
                if number == len(statements) - 1:
                    raise IngestError(
                        "the last statement has no closing balance (:62F:); the file looks "
                        "truncated",
                        file=path,
                        line=start,
                        value=statement.data.get("transaction_reference"),
                    )
                extraction.warnings.append(
                    f"statement {balance.label} (line {start}) has no closing balance (:62F:)"
                )
            movement = Decimal(0)
            for transaction in statement:
                line = line_of_61[position] if line_of_61 else position + 1
                position += 1
                entry = to_entry(transaction, balance, ids=ids, file=path, line=line)
                movement += entry.amount
                extraction.entries.append(entry)
            if balance.opening is not None or balance.closing is not None:
                extraction.balances.append(with_movement(balance, movement))
        return extraction


def decode(data: bytes) -> str:
    """MT940 is UTF-8 at newer banks and Latin-1/Windows-1252 at older ones."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def message_lines(text: str) -> list[str]:
    """The file's lines with everything outside a statement blanked (SWIFT envelope `{1:…}{4:`,
    `-}` trailers, bank header lines such as ING's `0000 01INGBNL2AXXXX00001` or ABN AMRO's
    `ABNANL2A` / `940`), so nothing of it sticks to a tag. Line numbers stay as in the file."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    inside = False
    kept = []
    for line in lines:
        if _ENVELOPE.match(line):
            rest = line.rsplit("{4:", 1)[1] if "{4:" in line else ""
            inside = bool(rest.strip())
            kept.append(rest if inside else "")
            continue
        if _TAG_LINE.match(line):
            inside = True
        elif _MESSAGE_END.match(line):
            inside = False
            kept.append("")
            continue
        kept.append(line if inside else "")
    return kept


@contextmanager
def quiet_library() -> Iterator[None]:
    """mt940 logs every tag it cannot match at ERROR; we raise those as IngestError instead,
    and a failed try with the standard dialect is no error at all when the next one reads it."""
    logger = logging.getLogger("mt940")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def parse(path: Path, lines: list[str]) -> list[mt940.models.Transactions]:
    with quiet_library():
        return _parse(path, lines)


def _parse(path: Path, lines: list[str]) -> list[mt940.models.Transactions]:
    text = "\n".join(lines)
    dialect = choose_dialect(text)
    try:
        return dialect.parse(text)
    except RuntimeError as error:
        first = error
    except (ValueError, ArithmeticError, KeyError, TypeError) as error:
        raise IngestError(f"not a readable MT940 statement ({error})", file=path) from error
    if dialect is STANDARD:
        try:
            return LONG_REFERENCE.parse(text)
        except (RuntimeError, ValueError, ArithmeticError, KeyError, TypeError):
            pass
    raise _tag_error(first, path, lines) from first


def _tag_error(error: RuntimeError, path: Path, lines: list[str]) -> IngestError:
    """mt940 raises RuntimeError(message, tag, value) for a tag whose text it cannot read."""
    args = error.args
    if len(args) >= 3 and isinstance(args[2], str):
        tag_id, value = str(getattr(args[1], "id", "")), args[2]
        first_line = value.split("\n", 1)[0]
        for number, line in enumerate(lines, start=1):
            if line.startswith(f":{tag_id}") and first_line in line:
                return IngestError(
                    f"cannot read :{tag_id}: field", file=path, line=number, value=first_line
                )
        return IngestError(f"cannot read :{tag_id}: field", file=path, value=first_line)
    return IngestError(f"not a readable MT940 statement ({error})", file=path)


def lines_of(lines: list[str], tag: str) -> list[int]:
    return [number for number, line in enumerate(lines, start=1) if line.startswith(f":{tag}:")]


def _nth(numbers: list[int], index: int) -> int:
    return numbers[index] if index < len(numbers) else 0


def statement_balance(statement: mt940.models.Transactions) -> StatementBalance:
    data = statement.data
    currency = statement.currency or ""
    account = account_of(str(data.get("account_identification") or ""), currency)
    opening = _first(
        data, "final_opening_balance", "opening_balance", "intermediate_opening_balance"
    )
    closing = _first(
        data, "final_closing_balance", "closing_balance", "intermediate_closing_balance"
    )
    number = "/".join(
        str(part) for part in (data.get("statement_number"), data.get("sequence_number")) if part
    )
    label = " ".join(
        part for part in (account, currency, f"no. {number}" if number else "") if part
    )
    return StatementBalance(
        account=account,
        currency=currency,
        opening=_amount(opening),
        closing=_amount(closing),
        movement=Decimal(0),
        opening_date=_date(opening),
        closing_date=_date(closing),
        label=label,
    )


def account_of(identification: str, currency: str) -> str:
    """`:25:` as the bank writes it, less a leading slash and a trailing currency code
    (`NL69INGB0123456789EUR`)."""
    account = identification.strip().lstrip("/")  # Polish banks write :25:/PL61…
    if currency and account.upper().endswith(currency.upper()) and len(account) > len(currency):
        account = account[: -len(currency)].rstrip(" /")
    return account


def _first(data: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if data.get(key) is not None:
            return data[key]
    return None


def _amount(balance: Any) -> Decimal | None:
    if balance is None:
        return None
    return money(Decimal(balance.amount.amount), balance.amount.currency or "")


def _date(balance: Any) -> date | None:
    return (
        None
        if balance is None or balance.date is None
        else date.fromordinal(balance.date.toordinal())
    )


def to_entry(
    transaction: mt940.models.Transaction,
    statement: StatementBalance,
    *,
    ids: UniqueIds,
    file: Path,
    line: int,
) -> Entry:
    data = transaction.data
    amount_model = data["amount"]
    currency = amount_model.currency or statement.currency
    amount = money(Decimal(amount_model.amount), currency)
    value_date = _as_date(data["date"])
    booking_date = _as_date(data["entry_date"]) if data.get("entry_date") else value_date
    details = details_text(data)
    bank_reference = _text(data.get("bank_reference"))
    natural = bank_reference if is_reference(bank_reference) else ""
    key = natural or fingerprint(
        statement.account,
        currency,
        booking_date,
        value_date,
        amount,
        data.get("id"),
        data.get("customer_reference"),
        details,
    )
    return Entry(
        id=ids(key),
        date=booking_date,
        amount=amount,
        currency=currency,
        reference=reference_of(data, bank_reference),
        counterparty=counterparty_of(data),
        description=description_of(data, details),
        account=statement.account,
        source_file=file.name,
        source_line=line,
        raw=MappingProxyType(raw_of(data)),
    )


def _as_date(value: Any) -> date:
    return date(value.year, value.month, value.day)


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def join_swift_lines(lines: list[str]) -> str:
    """Undo the 65-column wrap: a full line runs on into the next, a shorter one ended a phrase."""
    text = ""
    runs_on = False
    for raw_line in lines:
        line = raw_line.rstrip()
        if not line.strip():
            continue
        if runs_on:
            text += line
        else:
            text = f"{text} {line.strip()}" if text else line.strip()
        runs_on = len(line) >= SWIFT_LINE
    return text


def details_text(data: Mapping[str, Any]) -> str:
    details = data.get("transaction_details")
    return join_swift_lines(details.splitlines()) if isinstance(details, str) else ""


def reference_of(data: Mapping[str, Any], bank_reference: str) -> str:
    # A German :61: reference `KREF+` continued in the :86: KREF subfield; ASN Bank's IBAN.
    customer_reference = re.sub(r"^KREF\+\s*", "", _text(data.get("customer_reference")))
    if _IBAN.match(customer_reference):
        customer_reference = ""
    return first_reference(
        (
            _text(data.get("end_to_end_reference")),
            _text(data.get("slash_eref")),
            customer_reference,
            bank_reference,
        )
    )


def counterparty_of(data: Mapping[str, Any]) -> str:
    """The ?32/?33 name, the Dutch /NAME/, else the :61: supplementary line when it is a name
    (ASN Bank) rather than an account number (old Rabobank)."""
    supplementary = _text(data.get("extra_details"))
    if _IBAN.match(supplementary.replace(" ", "")) or not re.search(r"[^\W\d_]", supplementary):
        supplementary = ""
    for candidate in (data.get("applicant_name"), data.get("slash_name"), supplementary):
        text = _text(candidate)
        if text:
            return text
    return ""


def description_of(data: Mapping[str, Any], details: str) -> str:
    for candidate in (
        data.get("purpose"),
        data.get("slash_remi"),
        details,
        data.get("posting_text"),
    ):
        text = _text(candidate)
        if text:
            return text
    return ""


_RAW_NAMES = {"date": "value_date", "id": "transaction_type"}


def raw_of(data: Mapping[str, Any]) -> dict[str, str]:
    """The library's fields for the line, as text (`date` is the value date)."""
    raw = {}
    for key, value in data.items():
        if value is None or value == "":
            continue
        if isinstance(value, mt940.models.Amount):
            text = format(Decimal(value.amount), "f")
        elif isinstance(value, date):
            text = date(value.year, value.month, value.day).isoformat()
        else:
            text = str(value)
        raw[_RAW_NAMES.get(key, key)] = text
    return raw
