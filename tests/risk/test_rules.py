"""Worked examples, one customer (上海明远贸易, credit limit 300,000.00 CNY) at a time."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from duizhang.engine.records import Side
from duizhang.risk import CustomerFacts, Kind, Line, RiskOptions, Severity, assess
from tests.risk.conftest import MakeLine

TYPICAL: tuple[str, ...] = ("-10000.00", "-12000.00", "-9800.00", "-11500.00", "-10500.00")
TYPICAL += ("-13000.00", "-9900.00", "-10800.00", "-12500.00", "-11000.00")


def monthly(line: MakeLine, amounts: tuple[str, ...], **kwargs: object) -> list[Line]:
    """One bank payment every ten days from 2026-07-01, ids B0, B1, …"""
    start = date(2026, 7, 1)
    return [
        line(f"B{index}", str(start + timedelta(days=10 * index)), amount, **kwargs)
        for index, amount in enumerate(amounts)
    ]


def found(customer: CustomerFacts, lines: list[Line], kind: Kind, **options: object) -> list:
    return [
        (finding.lines, finding.reason.text())
        for finding in assess(customer, lines, RiskOptions(**options))  # type: ignore[arg-type]
        if finding.kind == kind
    ]


def test_a_payment_ten_times_the_usual_is_large(mingyuan: CustomerFacts, line: MakeLine) -> None:
    lines = [*monthly(line, TYPICAL), line("BX", "2026-11-01", "-128500.00")]

    findings = [f for f in assess(mingyuan, lines) if f.kind == Kind.LARGE_AMOUNT]

    assert [(f.lines, f.severity) for f in findings] == [(("bank/BX",), Severity.MEDIUM)]
    # median of 9,800 … 13,000 is (10,800 + 11,000) / 2; log10 median 4.0374, MAD 0.0396 below
    # the 0.05 floor, so z = 0.6745 × (5.1089 − 4.0374) / 0.05 = 14.45
    assert findings[0].reason.text() == (
        "Payment of 128,500.00 CNY is 11.8 times the median 10,900.00 of this customer's 10 "
        "earlier payments: robust z-score of the log amount 14.45 (MAD 0.040) is above 3.5."
    )


def test_large_needs_history_and_a_real_outlier(mingyuan: CustomerFacts, line: MakeLine) -> None:
    nine = [*monthly(line, TYPICAL[:9]), line("BX", "2026-11-01", "-128500.00")]
    # 18,000: z = 0.6745 × (4.2553 − 4.0374) / 0.05 = 2.94; 21,800 gives 4.06 and is flagged
    moderate = [*monthly(line, TYPICAL), line("BX", "2026-11-01", "-18000.00")]
    larger = [*monthly(line, TYPICAL), line("BX", "2026-11-01", "-21800.00")]

    assert found(mingyuan, nine, Kind.LARGE_AMOUNT) == []  # nine earlier payments are too few
    assert found(mingyuan, moderate, Kind.LARGE_AMOUNT) == []
    assert [lines for lines, _ in found(mingyuan, larger, Kind.LARGE_AMOUNT)] == [("bank/BX",)]


def test_a_customer_with_wide_spread_is_not_flagged(
    mingyuan: CustomerFacts, line: MakeLine
) -> None:
    spread: tuple[str, ...] = ("-1000.00", "-50000.00", "-3000.00", "-120000.00", "-8000.00")
    spread += ("-90000.00", "-2000.00", "-60000.00", "-15000.00", "-30000.00")
    lines = [*monthly(line, spread), line("BX", "2026-11-01", "-128500.00")]

    assert found(mingyuan, lines, Kind.LARGE_AMOUNT) == []


def test_one_invoice_number_twice_in_a_source(mingyuan: CustomerFacts, line: MakeLine) -> None:
    ours = {"side": Side.OURS, "source": "ledger"}
    lines = [
        line("V1", "2026-07-03", "128500.00", reference="FP2026000001", **ours),
        line("V2", "2026-07-05", "45600.00", reference="FP2026000002", **ours),
        line("V3", "2026-07-09", "45600.00", reference=" fp2026000002 ", **ours),
        # a payment quoting its invoice's number is not a duplicate
        line("V4", "2026-07-28", "-128500.00", reference="FP2026000001", **ours),
        # the same number in another source is that source's business
        line("B1", "2026-07-28", "-128500.00", reference="FP2026000001"),
    ]

    findings = [f for f in assess(mingyuan, lines) if f.kind == Kind.DUPLICATE_REFERENCE]

    assert [(f.lines, f.severity) for f in findings] == [
        (("ledger/V2", "ledger/V3"), Severity.HIGH)
    ]
    assert findings[0].reason.text() == (
        "Document number FP2026000002 appears on 2 lines of the same source: "
        "2026-07-05 45,600.00 CNY (#3); 2026-07-09 45,600.00 CNY (#4)."
    )


def test_the_same_amount_paid_twice_within_days(mingyuan: CustomerFacts, line: MakeLine) -> None:
    lines = [
        line("B1", "2026-10-10", "-23800.00"),
        line("B2", "2026-10-14", "-23800.00"),
        line("B3", "2026-11-13", "-23800.00"),  # a month later: the next instalment
        line("B4", "2026-11-14", "-23800.01"),  # a cent apart is another amount
    ]

    assert found(mingyuan, lines, Kind.REPEATED_AMOUNT) == [
        (
            ("bank/B1", "bank/B2"),
            "23,800.00 CNY was paid on 2026-10-10 and again on 2026-10-14, 4 days apart "
            "(the limit is 7 days).",
        )
    ]
    assert found(mingyuan, lines, Kind.REPEATED_AMOUNT, repeat_days=3) == []


def test_payers_that_are_not_the_customer(mingyuan: CustomerFacts, line: MakeLine) -> None:
    lines = [
        line("B1", "2026-07-28", "-128500.00", payer="上海明远贸易有限责任公司"),
        line("B2", "2026-08-02", "-4500.00", payer="明远贸易"),  # an alias
        line("B3", "2026-08-03", "-4500.00", payer="ＳＨＡＮＧＨＡＩ明远贸易（集团）有限公司"),
        line("B4", "2026-09-02", "-45585.00", payer="赵红"),  # the owner's own account
        line("B5", "2026-09-03", "-800.00", payer="上海明远科技有限公司"),
        line("B6", "2026-09-04", "300.00", payer="赵红"),  # money out is no payment
        line("V1", "2026-09-02", "-45585.00", payer="赵红", side=Side.OURS),  # bank only
        line("B7", "2026-09-05", "-100.00", payer=""),
    ]

    assert found(mingyuan, lines, Kind.NAME_MISMATCH) == [
        (
            ("bank/B4",),
            "Payer 赵红 does not match the customer: the closest of its names, "
            "上海明远贸易有限公司, scores 0, below 85.",
        ),
        (
            ("bank/B5",),
            "Payer 上海明远科技有限公司 does not match the customer: the closest of its names, "
            "上海明远贸易有限公司, scores 67, below 85.",
        ),
    ]


def test_round_amount_only_when_unusual(mingyuan: CustomerFacts, line: MakeLine) -> None:
    odd = ("-10234.50", "-9876.00", "-11020.00", "-10500.00", "-12345.67")
    unusual = [*monthly(line, odd), line("BX", "2026-09-01", "-50000.00")]
    habit = [*monthly(line, ("-20000.00",) * 5), line("BX", "2026-09-01", "-50000.00")]
    young = [*monthly(line, odd[:4]), line("BX", "2026-09-01", "-50000.00")]

    assert found(mingyuan, unusual, Kind.ROUND_AMOUNT) == [
        (
            ("bank/BX",),
            "Payment of 50,000.00 CNY is a multiple of 10,000; only 0 of this customer's 5 "
            "earlier payments were (0%).",
        )
    ]
    assert found(mingyuan, habit, Kind.ROUND_AMOUNT) == []  # always pays round amounts
    assert found(mingyuan, young, Kind.ROUND_AMOUNT) == []  # four earlier payments: too few


def test_out_of_hours_only_when_unusual(mingyuan: CustomerFacts, line: MakeLine) -> None:
    office = [time(9, 30), time(10, 5), time(14, 0), time(16, 45), time(11, 20), time(23, 0)]
    day = monthly(line, TYPICAL[:6], at=None)
    timed = [
        Line(key=item.key, source=item.source, side=item.side, entry=item.entry, at=at)
        for item, at in zip(day, office, strict=True)
    ]
    untimed = line("B9", "2026-09-20", "-10100.00")  # no time: not counted either way
    late = line("BX", "2026-09-25", "-10300.00", at=time(2, 14, 5))
    night_owl = [
        Line(key=item.key, source=item.source, side=item.side, entry=item.entry, at=time(22))
        for item in day
    ]

    assert found(mingyuan, [*timed, untimed, late], Kind.OUT_OF_HOURS) == [
        (
            ("bank/B5",),  # the first late one, after five in office hours
            "Payment of 13,000.00 CNY arrived at 23:00:00 (Asia/Shanghai), outside 08:00–20:00; "
            "only 0 of this customer's 5 earlier payments with a time did (0%).",
        ),
        (
            ("bank/BX",),
            "Payment of 10,300.00 CNY arrived at 02:14:05 (Asia/Shanghai), outside 08:00–20:00; "
            "only 1 of this customer's 6 earlier payments with a time did (17%).",
        ),
    ]
    assert found(mingyuan, [*night_owl, late], Kind.OUT_OF_HOURS) == []


def test_over_the_credit_limit_names_the_line_that_crossed_it(
    mingyuan: CustomerFacts, line: MakeLine
) -> None:
    ours = {"side": Side.OURS, "source": "ledger"}
    over = [
        line("V1", "2026-07-03", "200000.00", reference="FP1", **ours),
        line("V2", "2026-07-08", "150000.00", reference="FP2", **ours),
        line("B1", "2026-07-09", "-500000.00"),  # the bank is not the receivables ledger
        line("V3", "2026-07-10", "9000.00", currency="USD", reference="FP3", **ours),
    ]
    paid_down = [*over, line("V4", "2026-07-20", "-100000.00", reference="R1", **ours)]
    again = [*paid_down, line("V5", "2026-08-01", "80000.00", reference="FP5", **ours)]

    first = [f for f in assess(mingyuan, over) if f.kind == Kind.OVER_CREDIT_LIMIT]
    later = [f for f in assess(mingyuan, again) if f.kind == Kind.OVER_CREDIT_LIMIT]

    assert [(f.lines, f.severity) for f in first] == [(("ledger/V2",), Severity.HIGH)]
    assert first[0].reason.text() == (
        "Open receivable of 350,000.00 CNY is over the credit limit of 300,000.00 CNY by "
        "50,000.00; over the limit since 2026-07-08 (FP2)."
    )
    assert found(mingyuan, paid_down, Kind.OVER_CREDIT_LIMIT) == []
    assert [f.lines for f in later] == [("ledger/V5",)]
    assert later[0].fingerprint != first[0].fingerprint
    no_limit = CustomerFacts(code="C001", name=mingyuan.name, credit_limit=Decimal(0))
    assert found(no_limit, over, Kind.OVER_CREDIT_LIMIT) == []


def test_running_again_finds_the_same_fingerprints(mingyuan: CustomerFacts, line: MakeLine) -> None:
    lines = [
        *monthly(line, TYPICAL),
        line("BX", "2026-11-01", "-128500.00", payer="赵红"),
        line("BY", "2026-11-03", "-128500.00"),
    ]

    first = assess(mingyuan, lines)
    again = assess(mingyuan, list(reversed(lines)))

    assert [f.kind for f in first] == [
        Kind.REPEATED_AMOUNT,
        Kind.LARGE_AMOUNT,
        Kind.LARGE_AMOUNT,
        Kind.NAME_MISMATCH,
    ]
    assert [f.fingerprint for f in again] == [f.fingerprint for f in first]
    assert len({f.fingerprint for f in first}) == 4


def test_payment_sides_decide_which_books_count(mingyuan: CustomerFacts, line: MakeLine) -> None:
    lines = [
        line("V1", "2026-10-10", "-23800.00", side=Side.OURS),
        line("V2", "2026-10-12", "-23800.00", side=Side.OURS),
        line("C1", "2026-10-10", "-23800.00", side=Side.CUSTOMER),
        line("C2", "2026-10-12", "-23800.00", side=Side.CUSTOMER),
    ]

    assert [lines for lines, _ in found(mingyuan, lines, Kind.REPEATED_AMOUNT)] == [
        ("ours/V1", "ours/V2")
    ]
    only_bank = found(mingyuan, lines, Kind.REPEATED_AMOUNT, payment_sides=frozenset({Side.BANK}))
    assert only_bank == []
