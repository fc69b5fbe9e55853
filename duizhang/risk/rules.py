"""The rules: each reads one customer's lines (and facts) and returns findings with reasons.

Every rule is a pure function of the data: the same lines always give the same findings, so the
rules can run again after every import and over the whole history. "Earlier" means earlier in
(date, time of day, line in file) order; a payment is judged against what came before it.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import time
from decimal import Decimal
from statistics import median
from types import MappingProxyType

from duizhang.engine.money import quantize
from duizhang.engine.records import Side
from duizhang.risk.names import closest_name
from duizhang.risk.options import RiskOptions
from duizhang.risk.records import CustomerFacts, Finding, Kind, Line, Reason, Severity

MESSAGES: dict[Kind, str] = {
    Kind.LARGE_AMOUNT: (
        "Payment of %(amount)s %(currency)s is %(ratio)s times the median %(median)s of this "
        "customer's %(count)s earlier payments: robust z-score of the log amount %(score)s (MAD"
        " %(mad)s) is above %(threshold)s."
    ),
    Kind.DUPLICATE_REFERENCE: (
        "Document number %(reference)s appears on %(count)s lines of the same source: %(lines)s."
    ),
    Kind.REPEATED_AMOUNT: (
        "%(amount)s %(currency)s was paid on %(first)s and again on %(second)s, %(days)s days "
        "apart (the limit is %(limit)s days)."
    ),
    Kind.NAME_MISMATCH: (
        "Payer %(payer)s does not match the customer: the closest of its names, %(closest)s, "
        "scores %(score)s, below %(threshold)s."
    ),
    Kind.ROUND_AMOUNT: (
        "Payment of %(amount)s %(currency)s is a multiple of %(unit)s; only %(hits)s of this "
        "customer's %(count)s earlier payments were (%(share)s%%)."
    ),
    Kind.OUT_OF_HOURS: (
        "Payment of %(amount)s %(currency)s arrived at %(time)s (Asia/Shanghai), outside "
        "%(start)s–%(end)s; only %(hits)s of this customer's %(count)s earlier payments with a "
        "time did (%(share)s%%)."
    ),
    Kind.OVER_CREDIT_LIMIT: (
        "Open receivable of %(balance)s %(currency)s is over the credit limit of %(limit)s "
        "%(currency)s by %(excess)s; over the limit since %(date)s (%(reference)s)."
    ),
}

# Iglewicz and Hoaglin: 0.6745 × (x − median) / MAD is comparable to a standard score.
_MAD_SCALE = Decimal("0.6745")


def _money(amount: Decimal, currency: str) -> str:
    return f"{quantize(abs(amount), currency):,}"


def _reason(kind: Kind, **params: object) -> Reason:
    return Reason(
        MESSAGES[kind], MappingProxyType({name: str(value) for name, value in params.items()})
    )


def _order(line: Line) -> tuple[object, ...]:
    return (line.entry.date, line.at or time.min, line.entry.source_line, line.key)


def _payment_histories(
    lines: Sequence[Line], options: RiskOptions
) -> Iterator[tuple[Line, list[Line]]]:
    """Each payment in the payment books with the customer's earlier payments in the same books
    and currency (the last `history_window` of them)."""
    groups: dict[tuple[Side, str], list[Line]] = defaultdict(list)
    for line in sorted(lines, key=_order):
        if line.is_payment and line.side in options.payment_sides:
            groups[(line.side, line.entry.currency)].append(line)
    for group in groups.values():
        for index, line in enumerate(group):
            yield line, group[max(0, index - options.history_window) : index]


def large_amounts(
    customer: CustomerFacts, lines: Sequence[Line], options: RiskOptions
) -> list[Finding]:
    findings = []
    log10 = {line.key: abs(line.entry.amount).log10() for line in lines if line.is_payment}
    for line, history in _payment_histories(lines, options):
        if len(history) < options.large_min_history:
            continue
        logs = [log10[earlier.key] for earlier in history]
        centre = median(logs)
        mad = median(abs(value - centre) for value in logs)
        scale = max(mad, options.large_mad_floor)
        score = _MAD_SCALE * (log10[line.key] - centre) / scale
        if score <= options.large_z:
            continue
        typical = median(abs(earlier.entry.amount) for earlier in history)
        currency = line.entry.currency
        findings.append(
            Finding(
                Kind.LARGE_AMOUNT,
                Severity.MEDIUM,
                customer.code,
                (line.key,),
                _reason(
                    Kind.LARGE_AMOUNT,
                    amount=_money(line.entry.amount, currency),
                    currency=currency,
                    ratio=(abs(line.entry.amount) / typical).quantize(Decimal("0.1")),
                    median=_money(typical, currency),
                    count=len(history),
                    score=score.quantize(Decimal("0.01")),
                    mad=mad.quantize(Decimal("0.001")),
                    threshold=options.large_z,
                ),
            )
        )
    return findings


def _reference_key(reference: str) -> str:
    return "".join(unicodedata.normalize("NFKC", reference).casefold().split())


def duplicate_references(
    customer: CustomerFacts, lines: Sequence[Line], options: RiskOptions
) -> list[Finding]:
    """One document number on two or more lines of one source, in the same direction (an invoice
    and the payment quoting its number are not duplicates)."""
    groups: dict[tuple[str, bool, str], list[Line]] = defaultdict(list)
    for line in sorted(lines, key=_order):
        key = _reference_key(line.entry.reference)
        if key and line.entry.amount != 0:
            groups[(line.source, line.is_payment, key)].append(line)
    findings = []
    for group in groups.values():
        if len(group) < 2:
            continue
        first = group[0].entry
        findings.append(
            Finding(
                Kind.DUPLICATE_REFERENCE,
                Severity.HIGH,
                customer.code,
                tuple(line.key for line in group),
                _reason(
                    Kind.DUPLICATE_REFERENCE,
                    reference=first.reference.strip(),
                    count=len(group),
                    lines="; ".join(
                        f"{line.entry.date:%Y-%m-%d} {_signed(line)} (#{line.entry.source_line})"
                        for line in group
                    ),
                ),
            )
        )
    return findings


def _signed(line: Line) -> str:
    sign = "-" if line.entry.amount < 0 else ""
    return f"{sign}{_money(line.entry.amount, line.entry.currency)} {line.entry.currency}"


def repeated_amounts(
    customer: CustomerFacts, lines: Sequence[Line], options: RiskOptions
) -> list[Finding]:
    """A payment of exactly the amount of an earlier payment at most `repeat_days` before it."""
    findings = []
    for line, history in _payment_histories(lines, options):
        twin = next(
            (
                earlier
                for earlier in reversed(history)
                if earlier.entry.amount == line.entry.amount
                and (line.entry.date - earlier.entry.date).days <= options.repeat_days
            ),
            None,
        )
        if twin is None:
            continue
        currency = line.entry.currency
        findings.append(
            Finding(
                Kind.REPEATED_AMOUNT,
                Severity.MEDIUM,
                customer.code,
                (twin.key, line.key),
                _reason(
                    Kind.REPEATED_AMOUNT,
                    amount=_money(line.entry.amount, currency),
                    currency=currency,
                    first=f"{twin.entry.date:%Y-%m-%d}",
                    second=f"{line.entry.date:%Y-%m-%d}",
                    days=(line.entry.date - twin.entry.date).days,
                    limit=options.repeat_days,
                ),
            )
        )
    return findings


def name_mismatches(
    customer: CustomerFacts, lines: Sequence[Line], options: RiskOptions
) -> list[Finding]:
    """Bank payments whose payer is neither the customer's name nor one of its aliases."""
    names = (customer.name, *customer.aliases)
    findings = []
    for line in sorted(lines, key=_order):
        payer = line.entry.counterparty.strip()
        if line.side != Side.BANK or not line.is_payment or not payer:
            continue
        closest, score = closest_name(payer, names)
        if score >= options.name_threshold:
            continue
        findings.append(
            Finding(
                Kind.NAME_MISMATCH,
                Severity.MEDIUM,
                customer.code,
                (line.key,),
                _reason(
                    Kind.NAME_MISMATCH,
                    payer=payer,
                    closest=closest,
                    score=round(score),
                    threshold=round(options.name_threshold),
                ),
            )
        )
    return findings


def _unusual(
    options: RiskOptions,
    lines: Sequence[Line],
    test: Callable[[Line], bool | None],
) -> Iterator[tuple[Line, int, int]]:
    """Payments for which `test` is True while it was True for at most `unusual_share` of the
    customer's earlier payments (those where `test` is not None), with (hits, considered)."""
    for line, history in _payment_histories(lines, options):
        if not test(line):
            continue
        results = [result for result in map(test, history) if result is not None]
        hits = sum(results)
        if len(results) >= options.unusual_min_history and Decimal(hits) <= (
            options.unusual_share * len(results)
        ):
            yield line, hits, len(results)


def round_amounts(
    customer: CustomerFacts, lines: Sequence[Line], options: RiskOptions
) -> list[Finding]:
    def is_round(line: Line) -> bool:
        return line.entry.amount % options.round_unit == 0

    return [
        Finding(
            Kind.ROUND_AMOUNT,
            Severity.LOW,
            customer.code,
            (line.key,),
            _reason(
                Kind.ROUND_AMOUNT,
                amount=_money(line.entry.amount, line.entry.currency),
                currency=line.entry.currency,
                unit=f"{options.round_unit:,}",
                hits=hits,
                count=count,
                share=round(100 * hits / count),
            ),
        )
        for line, hits, count in _unusual(options, lines, is_round)
    ]


def out_of_hours(
    customer: CustomerFacts, lines: Sequence[Line], options: RiskOptions
) -> list[Finding]:
    def outside(line: Line) -> bool | None:
        if line.at is None:
            return None
        return not options.business_start <= line.at < options.business_end

    return [
        Finding(
            Kind.OUT_OF_HOURS,
            Severity.LOW,
            customer.code,
            (line.key,),
            _reason(
                Kind.OUT_OF_HOURS,
                amount=_money(line.entry.amount, line.entry.currency),
                currency=line.entry.currency,
                time=f"{line.at:%H:%M:%S}" if line.at else "",
                start=f"{options.business_start:%H:%M}",
                end=f"{options.business_end:%H:%M}",
                hits=hits,
                count=count,
                share=round(100 * hits / count),
            ),
        )
        for line, hits, count in _unusual(options, lines, outside)
    ]


def over_credit_limit(
    customer: CustomerFacts, lines: Sequence[Line], options: RiskOptions
) -> list[Finding]:
    """Our receivables ledger's balance in the customer's currency above its credit limit. The
    finding names the line that last took the balance over the limit, so paying down and going
    over again is a new finding, while staying over is the same one."""
    limit = customer.credit_limit
    if limit <= 0:
        return []
    balance = Decimal(0)
    crossing: Line | None = None
    for line in sorted(lines, key=_order):
        if line.side != Side.OURS or line.entry.currency != customer.currency:
            continue
        before, balance = balance, balance + line.entry.amount
        if before <= limit < balance:
            crossing = line
    if balance <= limit or crossing is None:
        return []
    currency = customer.currency
    return [
        Finding(
            Kind.OVER_CREDIT_LIMIT,
            Severity.HIGH,
            customer.code,
            (crossing.key,),
            _reason(
                Kind.OVER_CREDIT_LIMIT,
                balance=_money(balance, currency),
                currency=currency,
                limit=_money(limit, currency),
                excess=_money(balance - limit, currency),
                date=f"{crossing.entry.date:%Y-%m-%d}",
                reference=crossing.entry.reference or f"#{crossing.entry.source_line}",
            ),
        )
    ]


RULES: tuple[Callable[[CustomerFacts, Sequence[Line], RiskOptions], list[Finding]], ...] = (
    over_credit_limit,
    duplicate_references,
    repeated_amounts,
    large_amounts,
    name_mismatches,
    round_amounts,
    out_of_hours,
)
