"""Accounting scenarios a cashier meets, each with the exact links and leftovers expected.

Amounts are in the receivable view: invoices +, payments received −.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from duizhang.engine.match import MatchResult, match
from duizhang.engine.options import MatchOptions
from duizhang.engine.records import Entry
from tests.engine.entries import entry

D = Decimal


def links(result: MatchResult) -> list[tuple[str, tuple[str, ...], tuple[str, ...], Decimal]]:
    return [(g.rule, g.left_ids, g.right_ids, g.difference) for g in result.groups]


def reasons(result: MatchResult) -> list[tuple[str, str, str]]:
    return [(u.side, u.id, u.reason) for u in result.unmatched]


def test_one_payment_for_three_invoices_less_a_15_yuan_bank_fee() -> None:
    ledger = [
        entry("L1", "2026-10-03", "-1200.00", "INV-2026-000101", customer="C1"),
        entry("L2", "2026-10-03", "-3350.00", "INV-2026-000102", customer="C1"),
        entry("L3", "2026-10-04", "-980.50", "INV-2026-000103", customer="C1"),
    ]
    bank = [entry("B1", "2026-10-06", "-5515.50", "2026771234567", customer="C1")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [("many_to_one", ("L1", "L2", "L3"), ("B1",), D("-15.00"))]
    assert result.unmatched == []
    assert result.groups[0].evidence["group_size"] == 3


def test_a_fee_fit_from_receipts_a_week_apart_is_no_link() -> None:
    # 和信 pays 27,091.28 naming the first invoice of a list the bank cut short. That invoice and
    # two receipts booked four and seven days later come to within ¥27.00 of it: allowed a fee,
    # the receipts of a few weeks fit almost any sum. What was paid together was booked together
    # (or is named, or counted: `等3张`).
    ledger = [
        entry("L1", "2025-08-20", "-4911.01", "25312000000005030547", customer="C1"),
        entry("L2", "2025-08-24", "-11409.55", "25312000000005005818", customer="C1"),
        entry("L3", "2025-08-27", "-10743.72", "25312000000004965788", customer="C1"),
    ]
    bank = [
        entry(
            "B1",
            "2025-08-22",
            "-27091.28",
            "16025749810118154450",
            description="货款 发票号码25312000000005030547；253120000000",
            customer="C1",
        )
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2025, 9, 30)))
    assert result.groups == []
    # the fit is put to the cashier, beside the invoice the payment names
    assert sorted((s.rule, s.left_ids, s.right_ids) for s in result.suggestions) == [
        ("many_to_one", ("L1", "L2", "L3"), ("B1",)),
        ("reference_amount_differs", ("L1",), ("B1",)),
    ]


def test_a_ledger_voucher_number_names_no_document_to_contradict_a_payment() -> None:
    # the ledger books the receipt under its voucher number 记-9892; the settlement names invoice
    # 02691701, which the ledger never posted with its number. A voucher number is the book's own
    # numbering, not an invoice: the two, of one day, are a 0.6 % fee apart, and nothing
    # contradicts them.
    ledger = [
        entry("L1", "2025-09-02", "-1310.44", "02691650", customer="C1"),
        entry(
            "L2", "2025-09-22", "-8013.50", "记-9892", description="回款 星辰生物", customer="C1"
        ),
    ]
    bank = [
        entry("B1", "2025-09-03", "-1310.44", "", description="付款 FP:02691650", customer="C1"),
        entry(
            "B2", "2025-09-22", "-7965.42", "", description="商户结算 FP:02691701", customer="C1"
        ),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2025, 9, 30)))
    assert links(result) == [
        ("reference", ("L1",), ("B1",), D(0)),
        ("tolerance", ("L2",), ("B2",), D("-48.08")),
    ]


def test_a_person_paying_a_customers_invoices_by_their_last_six_digits_pays_that_customer() -> None:
    # 顾秀明 pays two invoices of C1, one written whole, one by its last six digits: the whole one
    # places the payment with C1, and there 966871 ends invoice 01966871
    ledger = [
        entry("L1", "2025-07-23", "-1909.30", "01966871", customer="C1"),
        entry("L2", "2025-07-23", "-44170.74", "01966875", customer="C1"),
        entry("L3", "2025-07-01", "-500.00", "01966001", counterparty="顾家", customer="C2"),
    ]
    bank = [
        entry(
            "B1",
            "2025-07-23",
            "-46080.04",
            counterparty="顾秀明",
            description="小额来账 设备款 966871/01966875",
        ),
        entry("B2", "2025-07-01", "-500.00", "01966001", customer="C2"),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2025, 7, 31)))
    assert [(g.left_ids, g.right_ids) for g in result.groups if "B1" in g.right_ids] == [
        (("L1", "L2"), ("B1",))
    ]


def test_a_listed_payment_less_a_fee_links_though_one_invoice_lost_its_number() -> None:
    # 德胜包装 pays four invoices booked over eight days, less a ¥10 fee, and lists them all;
    # our ledger lost the number of one (a posting without its reference). Three of the four
    # named, the fourth the rest within the fee: the payment's own list, not a chance fit.
    ledger = [
        entry("L1", "2026-10-04", "-4856.54", "INV-2026-002423", customer="C1"),
        entry("L2", "2026-10-06", "-5130.17", "INV-2026-003585", customer="C1"),
        entry("L3", "2026-10-10", "-2829.24", "", description="收款", customer="C1"),
        entry("L4", "2026-10-12", "-2586.97", "INV-2026-007836", customer="C1"),
    ]
    bank = [
        entry(
            "B1",
            "2026-10-15",
            "-15392.92",
            "2026013075289702",
            description="付发票2423、3585、6478、7836款",
            customer="C1",
        )
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert [(g.rule, g.left_ids, g.right_ids) for g in result.groups] == [
        ("many_to_one", ("L1", "L2", "L3", "L4"), ("B1",))
    ]
    assert result.groups[0].difference == Decimal("-10.00")


def test_transposed_digits_under_the_same_invoice_number_link_with_the_difference_flagged() -> None:
    ledger = [entry("L1", "2026-10-05", "-3456.00", "INV-2026-000007", customer="C1")]
    bank = [entry("B1", "2026-10-06", "-3546.00", "FP7", customer="C1")]
    result = match(ledger, bank)
    assert links(result) == [("amount_typo", ("L1",), ("B1",), D("90.00"))]
    assert result.groups[0].evidence["amount_error"] == "transposed digits"


def test_two_equal_recurring_amounts_either_side_of_a_receipt_are_suggested_not_linked() -> None:
    ledger = [
        entry("L1", "2026-10-01", "-5000.00", customer="C1"),
        entry("L2", "2026-10-03", "-5000.00", customer="C1"),
    ]
    bank = [entry("B1", "2026-10-02", "-5000.00", customer="C1")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert result.groups == []
    assert reasons(result) == [
        ("left", "L1", "missing"),
        ("left", "L2", "missing"),
        ("right", "B1", "missing"),
    ]
    assert [(s.left_ids, s.right_ids) for s in result.suggestions] == [
        (("L1",), ("B1",)),
        (("L2",), ("B1",)),
    ]


@pytest.mark.parametrize(
    ("store_l1", "store_l2", "linked"),
    [
        ("历下", "滨江", True),  # the stores both sides name
        ("历下店", "滨江分公司", True),  # written with 店 or as a branch
        ("", "", False),  # the ledger names the company only: which store paid is a guess
    ],
)
def test_a_chains_stores_paying_equal_fees_meet_by_the_store_their_names_give(
    store_l1: str, store_l2: str, linked: bool
) -> None:
    # one customer, two stores, the same monthly fee booked on the same day: 滨江's payment
    # is not 历下's
    company = "嘉兴天成环保科技有限公司"
    ledger = [
        entry("L1", "2025-09-12", "-5800.00", counterparty=company + store_l1, customer="C1"),
        entry("L2", "2025-09-12", "-5800.00", counterparty=company + store_l2, customer="C1"),
    ]
    bank = [
        entry("B1", "2025-09-12", "-5800.00", counterparty=company + "历下", customer="C1"),
        entry("B2", "2025-09-12", "-5800.00", counterparty=company + "滨江", customer="C1"),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2025, 9, 30)))
    expected = [("amount_date", ("L1",), ("B1",), D(0)), ("amount_date", ("L2",), ("B2",), D(0))]
    assert links(result) == (expected if linked else [])
    assert len(result.suggestions) == (0 if linked else 4)


def test_a_chains_stores_named_in_the_memo_before_the_month_meet_as_by_name() -> None:
    # the ledger names the company only, the store in the memo; the bank one in its payer name
    # and the other in its memo (`收恒达酒店货款` names a hotel, not a store: no month follows)
    company = "嘉兴天成环保科技有限公司"
    ledger = [
        entry(
            "L1",
            "2025-09-12",
            "-5800.00",
            counterparty=company,
            description="收历下店9月服务费",
            customer="C1",
        ),
        entry(
            "L2",
            "2025-09-12",
            "-5800.00",
            counterparty=company,
            description="收滨江店9月服务费",
            customer="C1",
        ),
    ]
    bank = [
        entry("B1", "2025-09-12", "-5800.00", counterparty=company + "历下", customer="C1"),
        entry(
            "B2",
            "2025-09-12",
            "-5800.00",
            counterparty=company,
            description="滨江店9月服务费",
            customer="C1",
        ),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2025, 9, 30)))
    assert links(result) == [
        ("amount_date", ("L1",), ("B1",), D(0)),
        ("amount_date", ("L2",), ("B2",), D(0)),
    ]


def test_monthly_equal_amounts_link_by_date() -> None:
    ledger = [entry(f"L{m}", f"2026-0{m}-01", "-800.00", customer="C1") for m in (1, 2, 3)]
    bank = [entry(f"B{m}", f"2026-0{m}-02", "-800.00", customer="C1") for m in (1, 2, 3)]
    result = match(ledger, bank)
    assert links(result) == [("amount_date", (f"L{m}",), (f"B{m}",), D(0)) for m in (1, 2, 3)]


def test_a_receipt_on_the_period_end_without_its_booking_is_timing() -> None:
    ledger = [entry("L1", "2026-10-10", "-700.00", "INV-2026-000001", customer="C1")]
    bank = [
        entry("B1", "2026-10-11", "-700.00", "INV-2026-000001", customer="C1"),
        entry("B2", "2026-10-31", "-2300.00", "INV-2026-000002", customer="C1"),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [("exact", ("L1",), ("B1",), D(0))]
    assert reasons(result) == [("right", "B2", "timing")]


def test_an_invoice_younger_than_the_customers_booking_lag_is_timing_a_receipt_is_not() -> None:
    # this customer books our invoices 9 to 12 days after we do, and pays a day before our
    # bank shows it; ten days before the period end, our invoice is in transit in its books,
    # while a receipt of ours without its payment is missing: it pays before we receive
    invoices = [
        entry(
            f"L{n}",
            f"2026-07-{2 * n + 1:02d}",
            f"{1000 + 37 * n}.45",
            f"INV-2026-0001{n:02d}",
            customer="C1",
        )
        for n in range(10)
    ]
    booked = [
        entry(
            f"R{n}",
            f"2026-07-{2 * n + 10 + n % 4:02d}",
            f"{1000 + 37 * n}.45",
            f"INV-2026-0001{n:02d}",
            customer="C1",
        )
        for n in range(10)
    ]
    receipts = [
        entry(
            f"P{n}",
            f"2026-08-{2 * n + 2:02d}",
            f"-{2000 + 41 * n}.17",
            f"SKD202608-000{n}",
            customer="C1",
        )
        for n in range(10)
    ]
    paid = [
        entry(
            f"Q{n}",
            f"2026-08-{2 * n + 1:02d}",
            f"-{2000 + 41 * n}.17",
            f"付-202608-00{n}1",
            customer="C1",
        )
        for n in range(10)
    ]
    open_items = [
        entry("L20", "2026-09-20", "5123.45", "INV-2026-000120", customer="C1"),
        entry("P20", "2026-09-20", "-6123.17", "SKD202609-0020", customer="C1"),
    ]
    result = match(
        [*invoices, *receipts, *open_items],
        [*booked, *paid],
        MatchOptions(period_end=date(2026, 9, 30)),
    )
    assert len(result.groups) == 20
    assert reasons(result) == [("left", "L20", "timing"), ("left", "P20", "missing")]


def test_a_line_posted_twice_is_a_duplicate_and_the_statement_still_agrees() -> None:
    ledger = [
        entry("L1", "2026-10-10", "-700.00", "INV-2026-000001", customer="C1", description="收款"),
        entry(
            "L2", "2026-10-10", "-700.00", "INV-2026-000001", customer="C1", description="收货款"
        ),
        entry("L3", "2026-10-12", "-99.00", customer="C1"),
    ]
    bank = [entry("B1", "2026-10-11", "-700.00", "000001", customer="C1")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [("reference", ("L1",), ("B1",), D(0))]
    assert reasons(result) == [("left", "L2", "duplicate"), ("left", "L3", "missing")]
    statement = result.statements[0]
    assert (statement.left_balance, statement.right_balance) == (D("-1499.00"), D("-700.00"))
    assert statement.unmatched_left == {
        "missing": D("-99.00"),
        "timing": D(0),
        "duplicate": D("-700.00"),
    }
    assert (statement.adjusted_left, statement.adjusted_right, statement.agrees) == (
        D("-1499.00"),
        D("-1499.00"),
        True,
    )


def test_one_invoice_booked_twice_on_both_sides_links_once_and_leaves_both_copies() -> None:
    # we invoiced INV-2026-000001 twice and the customer paid it twice: the second bookings are
    # two duplicates to clear, not a second event they settle between them
    ledger = [
        entry("L1", "2026-10-10", "-700.00", "INV-2026-000001", customer="C1"),
        entry("L2", "2026-10-10", "-700.00", "INV-2026-000001", customer="C1"),
    ]
    bank = [
        entry("B1", "2026-10-11", "-700.00", "INV-2026-000001", customer="C1"),
        entry("B2", "2026-10-11", "-700.00", "INV-2026-000001", customer="C1"),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [("exact", ("L1",), ("B1",), D(0))]
    assert reasons(result) == [("left", "L2", "duplicate"), ("right", "B2", "duplicate")]
    assert [(s.left_ids, s.right_ids) for s in result.suggestions] == [(("L2",), ("B2",))]


def _customer_ledger_booked_twice(second_day: str, second_voucher: str) -> MatchResult:
    # the customer's payables ledger (right) books our invoice 49612510 twice, the copy under a
    # new voucher number; the invoice number is only in the memo
    ledger = [entry("L1", "2026-08-03", "23456.78", "26322000000249612510", customer="C1")]
    memo = "采购原材料 发票号49612510"
    theirs = [
        entry("R1", "2026-08-05", "23456.78", "记-202608-0123", customer="C1", description=memo),
        entry("R2", second_day, "23456.78", second_voucher, customer="C1", description=memo),
    ]
    return match(ledger, theirs, MatchOptions(period_end=date(2026, 8, 31)))


def test_an_invoice_booked_again_days_later_under_a_new_voucher_is_a_duplicate() -> None:
    result = _customer_ledger_booked_twice("2026-08-07", "记-202608-0131")
    assert links(result) == [("reference", ("L1",), ("R1",), D(0))]
    assert reasons(result) == [("right", "R2", "duplicate")]


def test_an_invoice_booked_twice_on_one_day_links_the_lower_voucher_number() -> None:
    # the two lines differ in their voucher numbers only: the lower one is the original
    result = _customer_ledger_booked_twice("2026-08-05", "记-202608-0119")
    assert links(result) == [("reference", ("L1",), ("R2",), D(0))]
    assert reasons(result) == [("right", "R1", "duplicate")]


@pytest.mark.parametrize(
    ("references", "bank_reference", "linked", "second"),
    [
        # the cashier entered the bank's receipt twice: the same serial, payer, memo and amount,
        # the second time two days later
        (
            ("25312000000003274375", "25312000000003274375"),
            "",
            ("amount_date", ("L1",), ("B1",), D(0)),
            "duplicate",
        ),
        # each under the invoice it settles; the bank names the first one's invoice, so these
        # numbers are documents: the second receipt is another invoice's, still unpaid, not the
        # first booked twice
        (
            ("INV-2026-479252", "INV-2026-482758"),
            "INV-2026-479252",
            ("exact", ("L1",), ("B1",), D(0)),
            "missing",
        ),
    ],
)
def test_two_receipts_alike_days_apart_are_one_booked_twice_unless_their_numbers_tell_apart(
    references: tuple[str, str],
    bank_reference: str,
    linked: tuple[str, tuple[str, ...], tuple[str, ...], Decimal],
    second: str,
) -> None:
    receipt = {
        "customer": "C1",
        "counterparty": "徐州金辉包装有限公司",
        "description": "收金辉包装货款",
    }
    ledger = [
        entry("L1", "2025-07-08", "-7626.28", references[0], **receipt),
        entry("L2", "2025-07-10", "-7626.28", references[1], **receipt),
    ]
    bank = [entry("B1", "2025-07-10", "-7626.28", bank_reference, customer="C1")]
    result = match(ledger, bank, MatchOptions(period_end=date(2025, 7, 31)))
    assert links(result) == [linked]
    assert reasons(result) == [("left", "L2", second)]


def test_a_weekly_rent_under_one_contract_number_is_four_payments_not_one_booked_again() -> None:
    # both sides book the same memo every week: the customer's ledger shows the contract as
    # often as ours, so these are four payments, each linked
    ledger = [
        entry(
            f"L{week}",
            f"2026-10-{2 + 7 * week:02d}",
            "-1234.56",
            f"SKD202610-0{week}11",
            customer="C1",
            description="收租金 合同HT2026001",
        )
        for week in range(4)
    ]
    theirs = [
        entry(
            f"R{week}",
            f"2026-10-{1 + 7 * week:02d}",
            "-1234.56",
            f"付-202610-00{week}7",
            customer="C1",
            description="付租金 合同HT2026001",
        )
        for week in range(4)
    ]
    result = match(ledger, theirs, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [("reference", (f"L{week}",), (f"R{week}",), D(0)) for week in range(4)]
    assert result.unmatched == []


def test_a_round_amount_under_a_memo_without_a_document_number_repeated_is_no_copy() -> None:
    # two receipts of one round amount, days apart, both 收货款: two payments as likely as one
    # booked twice; which of them the customer's payment is stays a question
    ledger = [
        entry(
            "L1", "2026-10-01", "-5000.00", "SKD202610-00011", customer="C1", description="收货款"
        ),
        entry(
            "L2", "2026-10-03", "-5000.00", "SKD202610-00035", customer="C1", description="收货款"
        ),
    ]
    bank = [entry("B1", "2026-10-02", "-5000.00", customer="C1")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert result.groups == []
    assert reasons(result) == [
        ("left", "L1", "missing"),
        ("left", "L2", "missing"),
        ("right", "B1", "missing"),
    ]


def test_a_receipt_to_the_cent_keyed_in_again_under_a_new_number_is_the_duplicate() -> None:
    # we booked the customer's one payment of 100,203.78 twice, two days apart, each time under
    # a new receipt number: the first booked is the one paid, the second is booked twice
    receipt = {
        "customer": "C1",
        "counterparty": "银川万邦机电有限公司",
        "description": "网银来账 万邦",
    }
    ledger = [
        entry("L1", "2026-04-20", "-100203.78", "SKD202604-01419", **receipt),
        entry("L2", "2026-04-22", "-100203.78", "SKD202604-01787", **receipt),
    ]
    theirs = [
        entry(
            "R1", "2026-04-19", "-100203.78", "付-202604-0034", customer="C1", description="付货款"
        )
    ]
    result = match(ledger, theirs, MatchOptions(period_end=date(2026, 4, 30)))
    assert links(result) == [("amount_date", ("L1",), ("R1",), D(0))]
    assert reasons(result) == [("left", "L2", "duplicate")]
    assert result.groups[0].method.endswith(
        "the one entry alike it booked after it is booked twice"
    )


def test_an_invoice_the_customer_books_again_two_weeks_later_without_its_number_is_a_duplicate() -> (
    None
):
    # the customer's ledger books our invoice on the 5th and, under a new voucher and the same
    # memo, again on the 18th; the first is linked, so the one left over is booked twice
    ledger = [entry("L1", "2026-08-03", "23456.78", "26322000000249612510", customer="C1")]
    theirs = [
        entry(
            "R1", "2026-08-05", "23456.78", "记-202608-0123", customer="C1", description="采购轴承"
        ),
        entry(
            "R2", "2026-08-18", "23456.78", "记-202608-0170", customer="C1", description="采购轴承"
        ),
    ]
    result = match(ledger, theirs, MatchOptions(period_end=date(2026, 8, 31)))
    assert links(result) == [("amount_date", ("L1",), ("R1",), D(0))]
    assert reasons(result) == [("right", "R2", "duplicate")]


def test_one_receipt_voucher_settling_two_equal_invoices_a_line_each_is_two_events() -> None:
    # the customer paid two invoices of 4,836.50 at once; our receipt is booked under one
    # voucher, a line per invoice: the same reference, day and amount, but each memo names
    # another invoice, so neither line is a copy of the other
    ledger = [
        entry(
            f"L{line}",
            "2026-10-12",
            "-4836.50",
            "SKD202610-00417",
            customer="C1",
            description=f"收货款 核销发票{number}",
        )
        for line, number in ((1, "46032818"), (2, "46032819"))
    ]
    theirs = [entry("R1", "2026-10-11", "-9673.00", "付-202610-0031", customer="C1")]
    result = match(ledger, theirs, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [("many_to_one", ("L1", "L2"), ("R1",), D(0))]
    assert result.unmatched == []


def test_two_equal_payments_without_a_number_on_both_sides_are_two_events() -> None:
    ledger = [entry(f"L{n}", "2026-10-10", "-700.00", customer="C1") for n in (1, 2)]
    bank = [entry(f"B{n}", "2026-10-11", "-700.00", customer="C1") for n in (1, 2)]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [
        ("amount_date", ("L1",), ("B1",), D(0)),
        ("amount_date", ("L2",), ("B2",), D(0)),
    ]


def test_names_written_differently_still_meet() -> None:
    ledger = [entry("L1", "2026-10-10", "-1234.56", counterparty="上海宏达机械有限公司")]
    bank = [entry("B1", "2026-10-12", "-1234.56", counterparty="上海宏达机械有限责任公司")]
    other = [entry("B1", "2026-10-12", "-1234.56", counterparty="北京恒通电子有限公司")]
    assert links(match(ledger, bank)) == [("amount_date", ("L1",), ("B1",), D(0))]
    assert match(ledger, other).groups == []


def test_a_receipt_without_customer_code_is_placed_by_its_payer_name() -> None:
    ledger = [
        entry("L1", "2026-10-10", "-1234.56", counterparty="上海宏达机械有限公司", customer="C1"),
        entry("L2", "2026-10-10", "-500.00", counterparty="上海宏达机械有限公司", customer="C1"),
    ]
    bank = [
        entry("B1", "2026-10-11", "-1234.56", counterparty="上海宏达机械有限责任公司"),
        entry("B2", "2026-10-11", "-500.00", counterparty="上海宏达机械有限公司", customer="C1"),
    ]
    result = match(ledger, bank)
    assert links(result) == [
        ("amount_date", ("L1",), ("B1",), D(0)),
        ("amount_date", ("L2",), ("B2",), D(0)),
    ]


@pytest.mark.parametrize("coded", [True, False])
def test_a_bank_statement_without_customer_codes_is_matched_customer_by_customer(
    coded: bool,
) -> None:
    # Our ledger codes its customers (or, an ERP export, names them from master data: the names
    # stand in for codes), the bank's export names the payers only. Each payer's lines join its
    # customer's block, so that two busy customers are searched apart: 宏达's one receipt for
    # two invoices is found among 2,600 open lines a side, more than the group search takes on
    # in one block.
    names = {"C1": "上海宏达机械有限公司", "C2": "北京远航科技有限公司"}
    code = {customer: customer if coded else "" for customer in names}
    open_invoices = [
        entry(
            f"L{customer}-{n}",
            f"2026-10-{n % 28 + 1:02d}",
            f"{1000 + n}.{n % 97:02d}",
            counterparty=name,
            customer=code[customer],
        )
        for customer, name in names.items()
        for n in range(1300)
    ]
    unknown_receipts = [
        entry(
            f"B{customer}-{n}",
            f"2026-10-{n % 28 + 1:02d}",
            f"-{5000 + n}.{n % 89:02d}",
            counterparty=name,
        )
        for customer, name in names.items()
        for n in range(1300)
    ]
    ledger = [
        *open_invoices,
        entry("P1", "2026-10-20", "-87.15", counterparty=names["C1"], customer=code["C1"]),
        entry("P2", "2026-10-20", "-45.38", counterparty=names["C1"], customer=code["C1"]),
    ]
    bank = [
        *unknown_receipts,
        entry("R1", "2026-10-21", "-132.53", counterparty="上海宏达机械有限责任公司"),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [("many_to_one", ("P1", "P2"), ("R1",), D(0))]


def test_entries_of_no_known_customer_on_both_sides_are_not_summed_into_a_group() -> None:
    # two lines of our ledger and a bank receipt, none with a customer or a payer name: the two
    # add up to the receipt, but they may be any customers' (a sum of strangers' entries fits
    # almost any amount); one to one they would still meet
    ledger = [
        entry("L1", "2026-10-08", "-1000.00", customer="C1", counterparty="上海宏达机械有限公司"),
        entry("L2", "2026-10-08", "-3000.00", customer="C2", counterparty="北京远航科技有限公司"),
        entry("U1", "2026-10-09", "-1234.50"),
        entry("U2", "2026-10-09", "-765.50"),
    ]
    bank = [entry("B1", "2026-10-10", "-2000.00")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == []
    assert ("right", "B1", "missing") in reasons(result)


def test_a_payer_name_the_ledger_never_writes_is_learned_from_the_invoice_it_once_named() -> None:
    # The bank writes 安达's English name. One of its receipts names our invoice, which places
    # it with 安达 (C1), and with it every line of that name: its receipt naming nothing is
    # 安达's, not 远航's, though both have 2,345.67 open that day.
    payer = "WUHAN ANDA COMMERCE CO., LTD."
    ledger = [
        entry("L1", "2026-10-08", "-1000.00", "INV-2026-000101", customer="C1"),
        entry(
            "L2", "2026-10-09", "-2345.67", counterparty="武汉安达商贸有限责任公司", customer="C1"
        ),
        entry("L3", "2026-10-09", "-2345.67", counterparty="北京远航科技有限公司", customer="C2"),
    ]
    bank = [
        entry("B1", "2026-10-08", "-1000.00", "INV-2026-000101", counterparty=payer),
        entry("B2", "2026-10-10", "-2345.67", counterparty=payer),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [
        ("exact", ("L1",), ("B1",), D(0)),
        ("amount_date", ("L2",), ("B2",), D(0)),
    ]


def test_a_nameless_bank_line_against_one_customers_ledger_is_that_customers() -> None:
    # the ledger holds one customer code, the bank line neither a code nor a payer name: nothing
    # says it is another's (a payer name would: `..._its_payer_abbreviates_to`)
    ledger = [
        entry("L1", "2026-10-03", "-1200.00", "INV-2026-000101", customer="C1"),
        entry("L2", "2026-10-03", "-3350.00", "INV-2026-000102", customer="C1"),
    ]
    bank = [entry("B1", "2026-10-05", "-4550.00", "2026771234567")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [("many_to_one", ("L1", "L2"), ("B1",), D(0))]


@pytest.mark.parametrize(
    ("other_customers_invoice", "linked"),
    [
        ("-2345.67", True),  # no other sum makes 4,555.67
        ("-1210.00", False),  # C2's 1,210.00 + 3,345.67 makes it too: whose payment is a guess
    ],
)
def test_a_bank_line_of_no_customer_pays_the_one_customers_invoices_that_sum_to_it(
    other_customers_invoice: str, linked: bool
) -> None:
    # neither a customer code nor a payer name nor a number: only the sum of one customer's
    # open invoices of a few days tells whose it is, when no other customer's sum fits
    ledger = [
        entry("L1", "2026-10-02", "-1210.00", "INV-2026-000101", customer="C1"),
        entry("L2", "2026-10-03", "-3345.67", "INV-2026-000102", customer="C1"),
        entry("L3", "2026-10-03", "-3345.67", "INV-2026-000201", customer="C2"),
        entry("L4", "2026-10-04", other_customers_invoice, "INV-2026-000202", customer="C2"),
        entry("L5", "2026-10-04", "-800.00", "INV-2026-000203", customer="C2"),
    ]
    bank = [
        entry("B1", "2026-10-06", "-4555.67", "2026771234567"),
        entry("B2", "2026-10-06", "-800.00", "2026771234568", customer="C2"),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    paid = ("many_to_one", ("L1", "L2"), ("B1",), D(0))
    assert (paid in links(result)) is linked
    assert ("amount_date", ("L5",), ("B2",), D(0)) in links(result)
    assert len(links(result)) == (2 if linked else 1)


@pytest.mark.slow
def test_two_processes_give_the_same_result_as_one() -> None:
    ledger = [
        entry(
            f"L{n}",
            f"2026-10-{n + 1:02d}",
            f"-{100 + n}.00",
            f"INV-2026-{n:06d}",
            customer=f"C{n % 3}",
        )
        for n in range(12)
    ]
    bank = [
        entry(f"B{n}", f"2026-10-{n + 2:02d}", f"-{100 + n}.00", f"{n:06d}", customer=f"C{n % 3}")
        for n in range(0, 12, 2)
    ]
    options = MatchOptions(period_end=date(2026, 10, 31))
    one = match(ledger, bank, options)
    two = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31), jobs=2))
    assert len(one.groups) == 6
    assert two == one


@pytest.mark.parametrize(
    ("first", "second", "total"),
    [
        ("-5000.00", "-7000.00", "-12000.00"),  # whole hundreds
        ("-3220.00", "-1180.00", "-4400.00"),  # whole tens: as easily a coincidence
    ],
)
def test_round_amounts_that_happen_to_add_up_are_only_suggested(
    first: str, second: str, total: str
) -> None:
    # not all that was booked that day (`test_group_rules`, 38: those would be paid together)
    ledger = [
        entry("L1", "2026-10-03", first, "INV-2026-000201", customer="C1"),
        entry("L2", "2026-10-03", second, "INV-2026-000202", customer="C1"),
        entry("L3", "2026-10-03", "-856.42", "INV-2026-000203", customer="C1"),
    ]
    bank = [entry("B1", "2026-10-05", total, "2026771234567", customer="C1")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert result.groups == []
    assert [(s.rule, s.left_ids, s.right_ids) for s in result.suggestions] == [
        ("many_to_one", ("L1", "L2"), ("B1",))
    ]
    named = [entry("B1", "2026-10-05", total, "", description="付发票201、202款", customer="C1")]
    result = match(ledger, named, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [("many_to_one", ("L1", "L2"), ("B1",), D("0"))]


def test_a_round_amount_links_on_date_only_within_the_lag_the_exact_links_show() -> None:
    options = MatchOptions(period_end=date(2026, 10, 31), round_lag=(0, 3))
    ledger = [
        entry("L1", "2026-10-10", "-8000.00", "INV-2026-000301", customer="C1"),
        entry("L2", "2026-10-10", "-8123.45", "INV-2026-000302", customer="C1"),
    ]
    bank = [
        entry("B1", "2026-10-16", "-8000.00", customer="C1"),
        entry("B2", "2026-10-16", "-8123.45", customer="C1"),
    ]
    result = match(ledger, bank, options)
    assert links(result) == [("amount_date", ("L2",), ("B2",), D("0"))]
    assert reasons(result) == [("left", "L1", "missing"), ("right", "B1", "missing")]


@pytest.mark.parametrize(
    ("again", "paid", "linked"),
    [
        # the customer's usual order, booked three times: a payment a week later may be any
        ("-2345.67", "2026-10-16", False),
        # ... but within the lag the exact links show it is this one's
        ("-2345.67", "2026-10-12", True),
        # an amount booked once links a week later too
        ("-1234.50", "2026-10-16", True),
    ],
)
def test_an_amount_that_recurs_links_on_date_only_within_the_usual_lag(
    again: str, paid: str, linked: bool
) -> None:
    options = MatchOptions(period_end=date(2026, 10, 31), round_lag=(0, 3))
    ledger = [
        entry("L1", "2026-10-09", "-2345.67", customer="C1"),
        # far from the payment: never its candidates
        entry("L2", "2026-10-27", again, customer="C1"),
        entry("L3", "2026-10-30", again, customer="C1"),
    ]
    bank = [entry("B1", paid, "-2345.67", customer="C1")]

    result = match(ledger, bank, options)

    assert links(result) == ([("amount_date", ("L1",), ("B1",), D("0"))] if linked else [])
    if not linked:
        assert ("right", "B1", "missing") in reasons(result)
        assert [(s.left_ids, s.right_ids) for s in result.suggestions] == [(("L1",), ("B1",))]


def test_a_reference_one_slip_away_links_but_one_sharing_only_the_year_does_not() -> None:
    options = MatchOptions(period_end=date(2026, 11, 30))
    ledger = [entry("L1", "2026-10-01", "-4321.56", "INV-2026-012004", customer="C1")]
    slipped = [entry("B1", "2026-10-20", "-4321.56", "INV-2026-012040", customer="C1")]
    assert links(match(ledger, slipped, options)) == [("reference", ("L1",), ("B1",), D("0"))]
    other = [entry("B1", "2026-10-20", "-4321.56", "INV-2026-010046", customer="C1")]
    result = match(ledger, other, options)
    assert result.groups == []
    assert reasons(result) == [("left", "L1", "missing"), ("right", "B1", "missing")]


def test_a_lettered_invoice_number_quoted_without_its_zeros_names_that_invoice() -> None:
    # three weeks apart: only the number can link them
    ledger = [entry("L1", "2026-10-01", "-479.69", "XS2508-0004", customer="C1")]
    bank = [entry("B1", "2026-10-22", "-479.69", description="付款 发票XS2508-4", customer="C1")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [("reference", ("L1",), ("B1",), D(0))]


@pytest.mark.parametrize(
    ("others", "linked"),
    [
        # the customer's one number that ends in 254480
        ("25312000000003261117", True),
        # two of its numbers end so: six digits do not tell which
        ("25312000000007254480", False),
    ],
)
def test_a_memo_quoting_the_last_six_digits_of_an_invoice_names_the_one_that_ends_so(
    others: str, linked: bool
) -> None:
    # three weeks apart: only the number can link them
    ledger = [
        entry("L1", "2026-10-01", "-6720.48", "25312000000003254480", customer="C1"),
        entry("L2", "2026-10-01", "-1800.00", others, customer="C1"),
    ]
    bank = [entry("B1", "2026-10-22", "-6720.48", description="付货款 尾号254480", customer="C1")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == ([("reference", ("L1",), ("B1",), D(0))] if linked else [])


def test_an_invoice_quoted_by_six_digits_and_named_by_eight_elsewhere_is_one_document() -> None:
    # our receipt of the invoice names it by its last eight digits: still one number ends in
    # 112524; the customer's posting of the invoice quotes six
    ours = [
        entry("I1", "2026-04-03", "15504.73", "26322000000246112524", customer="C1"),
        entry(
            "R1",
            "2026-05-18",
            "-15504.73",
            "SKD202605-01350",
            customer="C1",
            description="网银来账 核销发票46112524",
        ),
    ]
    theirs = [
        entry(
            "B1",
            "2026-04-25",
            "15504.73",
            "记-202604-0126",
            customer="C1",
            description="采购紧固件 发票尾号112524",
        )
    ]
    result = match(ours, theirs, MatchOptions(period_end=date(2026, 5, 31)))
    assert ("reference", ("I1",), ("B1",), D(0)) in links(result)


@pytest.mark.parametrize(
    ("memo", "third", "linked"),
    [
        # by eight and six digits
        ("往来款 03260255；260259；260261", "25312000000003260261", True),
        # written out, the third never booked: another e-invoice that fills the gap is not it
        (
            "发票25312000000003260255/25312000000003260259/25312000000003260261 设备款",
            "25312000000003258814",
            False,
        ),
    ],
)
def test_a_receipt_listing_e_invoices_pays_those_and_no_other(
    memo: str, third: str, linked: bool
) -> None:
    ledger = [
        entry("L1", "2026-10-10", "-14400.37", "25312000000003260255", customer="C1"),
        entry("L2", "2026-10-10", "-11800.41", "25312000000003260259", customer="C1"),
        entry("L3", "2026-10-10", "-4590.12", third, customer="C1"),
    ]
    bank = [entry("B1", "2026-10-10", "-30790.90", description=memo, customer="C1")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    group = ("many_to_one", ("L1", "L2", "L3"), ("B1",), D(0))
    assert links(result) == ([group] if linked else [])


def test_a_short_invoice_number_written_after_the_year_names_that_invoice() -> None:
    # FP-2026-14 is invoice 14; a ledger of the same numbering would otherwise read it as
    # another document and only suggest the pair
    invoices = [
        entry("bg-L1", "2026-10-01", "-1501.00", "INV-2026-000501", customer="C0"),
        entry("bg-L2", "2026-10-01", "-1502.00", "INV-2026-000502", customer="C0"),
        entry("L1", "2026-10-01", "-19648.78", "INV-2026-000014", customer="C1"),
    ]
    bank = [
        entry("bg-B1", "2026-10-02", "-1501.00", "FP501", customer="C0"),
        entry("bg-B2", "2026-10-02", "-1502.00", "FP502", customer="C0"),
        entry("B1", "2026-10-02", "-19648.78", "FP-2026-14", customer="C1"),
    ]
    result = match(invoices, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert ("reference", ("L1",), ("B1",), D(0)) in links(result)

    # run together, FP202614 is no year and serial: another document, only suggested
    bank[2] = entry("B1", "2026-10-02", "-19648.78", "FP202614", customer="C1")
    result = match(invoices, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert [link for link in links(result) if link[1] == ("L1",)] == []


@pytest.mark.parametrize(
    "quoted",
    [
        "应付瑞丰货款 48692705",
        "发票号:48692705",
        "付款 2632 2000 0002 4869 2705",
        "No.26322000000248692705",
    ],
)
def test_a_customer_quoting_the_last_digits_of_a_20_digit_e_invoice_number_names_that_invoice(
    quoted: str,
) -> None:
    # two equal monthly amounts: only the number, as the customer's ledger writes it, says which
    ours = [
        entry("L1", "2026-10-05", "6696.38", "26322000000248632572", customer="C1"),
        entry("L2", "2026-10-10", "6696.38", "26322000000248692705", customer="C1"),
    ]
    theirs = [
        entry("B1", "2026-10-10", "6696.38", "转-202610-0230", description=quoted, customer="C1"),
        entry(
            "B2",
            "2026-10-10",
            "6696.38",
            "转-202610-0212",
            description="购入电缆 发票48632572",
            customer="C1",
        ),
    ]
    result = match(ours, theirs, MatchOptions(period_end=date(2026, 10, 31)))
    assert sorted(links(result)) == [
        ("reference", ("L1",), ("B2",), D(0)),
        ("reference", ("L2",), ("B1",), D(0)),
    ]


@pytest.mark.parametrize(
    ("booked", "linked"),
    [
        # listed invoices booked five to seven weeks before the total: linked however long open
        (
            (
                ("L1", "2026-05-22", "26322000000247092556"),
                ("L3", "2026-06-16", "26322000000247592557"),
            ),
            True,
        ),
        # we never booked the second listed invoice; another of its amount, not on the list,
        # must not stand in for it
        (
            (
                ("L1", "2026-05-22", "26322000000247092556"),
                ("L4", "2026-06-20", "26322000000247172653"),
            ),
            False,
        ),
    ],
)
def test_a_monthly_total_pays_the_invoices_it_lists_and_no_other(
    booked: tuple[tuple[str, str, str], ...], linked: bool
) -> None:
    amounts = ("21057.55", "3179.82")
    ours = [
        entry(id_, day, amount, number, customer="C1")
        for (id_, day, number), amount in zip(booked, amounts, strict=True)
    ]
    theirs = [
        entry(
            "B1",
            "2026-06-30",
            "24237.37",
            "记-202606-0141",
            description="6月采购汇总 共2张 发票号47092556/47592557",
            customer="C1",
        )
    ]
    result = match(ours, theirs, MatchOptions(period_end=date(2026, 6, 30)))
    ids = tuple(id_ for id_, _, _ in booked)
    assert links(result) == ([("many_to_one", ids, ("B1",), D(0))] if linked else [])


@pytest.mark.parametrize(
    ("postings", "memo", "total", "paid"),
    [
        # every open invoice of the month up to the total's day, weeks after the first of them
        (
            (
                ("L1", "2026-09-07", "34582.52", "26322000000249252949"),
                ("L2", "2026-09-14", "31025.28", "26322000000249392966"),
                ("L3", "2026-09-25", "30250.10", "26322000000249612674"),
                ("L4", "2026-09-29", "41471.00", "26322000000249692665"),
            ),
            "9月发票汇总",
            "137328.90",
            ("L1", "L2", "L3", "L4"),
        ),
        # two more are still open: the count says there are three
        (
            (
                ("I1", "2026-09-08", "134492.60", "26322000000249272511"),
                ("I4", "2026-09-10", "5000.33", "26322000000249302511"),
                ("I2", "2026-09-16", "90196.60", "26322000000249432510"),
                ("I5", "2026-09-20", "7777.77", "26322000000249552512"),
                ("I3", "2026-09-28", "52606.02", "26322000000249672510"),
            ),
            "9月货款汇总 共3张",
            "277295.22",
            ("I1", "I2", "I3"),
        ),
    ],
)
def test_a_monthly_total_without_numbers_pays_the_months_open_invoices(
    postings: tuple[tuple[str, str, str, str], ...],
    memo: str,
    total: str,
    paid: tuple[str, ...],
) -> None:
    # the customer books one total for the month's invoices
    ours = [entry(*posting, customer="C1") for posting in postings]
    theirs = [entry("B1", "2026-09-30", total, "记-202609-0046", description=memo, customer="C1")]
    result = match(ours, theirs, MatchOptions(period_end=date(2026, 9, 30)))
    assert links(result) == [("many_to_one", paid, ("B1",), D(0))]


def test_an_invoice_another_receipt_names_is_no_member_of_a_sum_that_does_not() -> None:
    # USD 300 was paid by the receipt that names CI25-1927 (less a 35-dollar bank charge); the
    # unnamed 960 is not 300 + 660 however well they add up
    ours = [
        entry("L1", "2026-07-08", "-300.00", "CI25-1927", currency="USD", customer="C1"),
        entry("L2", "2026-07-09", "-660.00", "CI25-1199", currency="USD", customer="C1"),
    ]
    theirs = [
        entry(
            "B1",
            "2026-07-08",
            "-265.00",
            description="发票号码CI25-1927 PAYMENT",
            currency="USD",
            customer="C1",
        ),
        entry("B2", "2026-07-10", "-960.00", description="/RFB/", currency="USD", customer="C1"),
    ]
    result = match(ours, theirs, MatchOptions(period_end=date(2026, 7, 31)))
    assert [link for link in links(result) if "B2" in link[2]] == []


def e_invoices_quoted_whole() -> tuple[list[Entry], list[Entry]]:
    """Three of our 20-digit e-invoices, each paid by a receipt that writes its number out."""
    ours = [
        entry(f"bg-L{n}", "2026-10-01", f"{1000 + n}.17", f"2531200000000501{n:04d}", customer="C1")
        for n in range(3)
    ]
    theirs = [
        entry(
            f"bg-B{n}",
            "2026-10-02",
            f"{1000 + n}.17",
            description=f"货款 {ours[n].reference}",
            customer="C1",
        )
        for n in range(3)
    ]
    return ours, theirs


@pytest.mark.parametrize(
    ("postings", "receipt", "paid"),
    [
        # two other invoices that happen to add up to the receipt naming invoice ...5028828
        (
            (
                ("L1", "2026-10-05", "1128.06", "25312000000005018927"),
                ("L2", "2026-10-05", "1882.50", "25312000000005018931"),
            ),
            ("2026-10-06", "3010.56", "网银跨行 付款 发票号码25312000000005028828"),
            [],
        ),
        # an equal amount under invoice ...016327 beside the named ...018612, booked a cent apart
        (
            (
                ("L1", "2026-10-04", "2110.00", "25312000000005016327"),
                ("L2", "2026-10-08", "2110.01", "25312000000005018612"),
            ),
            ("2026-10-08", "2110.00", "结算款 INV-:25312000000005018612"),
            [("amount_typo", ("L2",), ("B1",), D("0.01"))],
        ),
        # a receipt of invoice ...018927's amount and day that names another of our invoices by
        # its last 8 digits (bg-L2, paid already): a number of ours, not the payer's own
        (
            (("L1", "2026-10-05", "4321.56", "25312000000005018927"),),
            ("2026-10-05", "4321.56", "货款 票号尾05010002"),
            [],
        ),
    ],
)
def test_a_receipt_naming_an_e_invoice_in_full_pays_that_one_and_no_other(
    postings: tuple[tuple[str, str, str, str], ...],
    receipt: tuple[str, str, str],
    paid: list[tuple[str, tuple[str, ...], tuple[str, ...], Decimal]],
) -> None:
    # the bank writes our 20-digit numbers out whole: two e-invoice numbers are two invoices
    ours, theirs = e_invoices_quoted_whole()
    ours += [entry(*posting, customer="C1") for posting in postings]
    day, amount, memo = receipt
    theirs.append(entry("B1", day, amount, description=memo, customer="C1"))
    result = match(ours, theirs, MatchOptions(period_end=date(2026, 10, 31)))
    assert [link for link in links(result) if "B1" in link[2]] == paid


@pytest.mark.parametrize(
    ("other_payer", "linked"),
    [("沈阳时代餐饮管理股份有限公司", True), ("昆明和平物流有限公司", False)],
)
def test_a_receipt_without_customer_meets_only_the_customers_its_payer_name_fits(
    other_payer: str, linked: bool
) -> None:
    # two customers each have 21,000.00 open; the bank line has no customer code, and its short
    # payer name 昆明和平 fits the first customer's name, not 沈阳时代's: outside one customer
    # code a different name is a different payer. A second 昆明和平 makes it a question.
    ledger = [
        entry(
            "L1",
            "2026-10-10",
            "-21000.00",
            counterparty="昆明和平装饰工程股份有限公司",
            customer="C1",
        ),
        entry("L2", "2026-10-12", "-21000.00", counterparty=other_payer, customer="C2"),
    ]
    bank = [entry("B1", "2026-10-13", "-21000.00", counterparty="昆明和平")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == ([("amount_date", ("L1",), ("B1",), D(0))] if linked else [])
    if not linked:
        assert [(s.left_ids, s.right_ids) for s in result.suggestions] == [
            (("L1",), ("B1",)),
            (("L2",), ("B1",)),
        ]


@pytest.mark.parametrize(
    ("payer", "linked"),
    [("惠州市华茂物业管理有限责任公司", True), ("惠州市华源物业管理有限公司", False)],
)
def test_a_receipt_without_customer_meets_the_customer_its_payer_abbreviates_to(
    payer: str, linked: bool
) -> None:
    # our ledger calls the customer by its city and trade name; the bank writes the payer's
    # full name, which shares too few characters with it to score as alike
    ledger = [
        entry("L1", "2026-10-10", "-43353.19", counterparty="惠州华茂", customer="C1"),
        entry("L2", "2026-10-09", "-1200.00", counterparty="惠州华茂", customer="C1"),
    ]
    bank = [entry("B1", "2026-10-10", "-43353.19", counterparty=payer)]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == ([("amount_date", ("L1",), ("B1",), D(0))] if linked else [])


@pytest.mark.parametrize(
    ("payer", "linked"), [("长春晨光五金有限公司", True), ("济南盛世电气有限公司", False)]
)
def test_a_ledger_line_without_payer_goes_by_its_customers_name_across_customers(
    payer: str, linked: bool
) -> None:
    # the ledger line names no payer, but its customer's other lines do; a bank line without a
    # customer code from another company is not its payment for having the same amount
    ledger = [
        entry("L1", "2026-10-10", "-5600.00", description="收晨光五金款", customer="C1"),
        entry("L2", "2026-10-02", "-880.00", counterparty="长春晨光五金有限公司", customer="C1"),
    ]
    bank = [entry("B1", "2026-10-11", "-5600.00", counterparty=payer)]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == ([("amount_date", ("L1",), ("B1",), D(0))] if linked else [])


def test_a_receipt_placed_by_a_short_name_two_customers_share_meets_the_other_one() -> None:
    # 万通商贸 is how the bank writes both 合肥万通商贸 and 沈阳万通商贸; a receipt naming an
    # invoice of the second taught the engine the short name as the second's, but the receipt
    # of 2,530.38 that names nothing is the first's: its block had no counterpart, so it meets
    # every customer's leftovers, as a receipt without a customer code does
    ledger = [
        entry(
            "L1",
            "2026-07-03",
            "-2530.38",
            "INV-2026-001652",
            counterparty="合肥万通商贸有限责任公司",
            customer="C1",
        ),
        entry(
            "L2",
            "2026-07-10",
            "-3000.00",
            "INV-2026-007108",
            counterparty="沈阳万通商贸有限责任公司",
            customer="C2",
        ),
    ]
    bank = [
        entry("B1", "2026-07-08", "-2530.38", counterparty="万通商贸", description="往来款"),
        entry(
            "B2",
            "2026-07-11",
            "-3000.00",
            counterparty="万通商贸",
            description="付发票INV-2026-007108款",
        ),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 7, 31)))
    assert sorted(link[1:3] for link in links(result)) == [
        (("L1",), ("B1",)),
        (("L2",), ("B2",)),
    ]


def test_a_receipt_placed_by_its_full_name_stays_with_its_customer() -> None:
    # 绍兴六合化工 is one customer's name in full; that its block has no counterpart does not
    # make the receipt the payment of another customer our ledger calls 六合
    ledger = [
        entry("L1", "2026-07-01", "-1000.00", counterparty="绍兴六合化工有限公司", customer="C1"),
        entry("L2", "2026-07-09", "-20300.00", counterparty="六合", customer="C2"),
    ]
    bank = [entry("B1", "2026-07-08", "-20300.00", counterparty="绍兴六合化工有限公司")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 7, 31)))
    assert links(result) == []


@pytest.mark.parametrize(
    ("customer_name", "payer", "rival"),
    [
        # a short form (city and trade name), short for 惠州华茂科技 as well
        ("惠州市华茂物业管理有限公司", "惠州华茂", "惠州华茂科技有限公司"),
        # a branch (分公司): the company's name and a place; the same name under a second code
        ("上海永安能源有限公司", "上海永安能源有限公司苏州分公司", "上海永安能源有限公司"),
        # an English name: city and trade name in pinyin, the rest translated; 佛山远航物流
        # spells the same
        ("佛山远航商贸有限公司", "FOSHAN YUANHANG COMMERCE CO., LTD.", "佛山远航物流有限公司"),
    ],
)
@pytest.mark.parametrize("alone", [True, False])
def test_a_statement_without_codes_places_a_payer_by_how_its_name_reads(
    customer_name: str, payer: str, rival: str, alone: bool
) -> None:
    # the bank's export carries no customer codes; only the customer's block searches the two
    # invoices the receipt pays together. A second customer the name reads as just as well
    # leaves it placed nowhere.
    ledger = [
        entry("L1", "2026-10-08", "-1000.00", counterparty=customer_name, customer="C1"),
        entry("L2", "2026-10-08", "-2345.67", counterparty=customer_name, customer="C1"),
        entry("L3", "2026-10-02", "-880.00", counterparty="昆明和平物流有限公司", customer="C2"),
    ]
    if not alone:
        ledger.append(entry("L4", "2026-10-03", "-770.00", counterparty=rival, customer="C3"))
    bank = [entry("B1", "2026-10-09", "-3345.67", counterparty=payer)]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == ([("many_to_one", ("L1", "L2"), ("B1",), D(0))] if alone else [])


def test_a_coded_statements_line_without_a_code_is_placed_by_its_short_name_too() -> None:
    # the bank's lines carry customer codes, but for this one: its payer's short name places it
    # with its customer, whose block then searches the invoices it pays together
    ledger = [
        entry(
            "L1", "2026-10-08", "-1000.00", counterparty="惠州市华茂物业管理有限公司", customer="C1"
        ),
        entry(
            "L2", "2026-10-08", "-2345.67", counterparty="惠州市华茂物业管理有限公司", customer="C1"
        ),
        entry("L3", "2026-10-02", "-880.00", counterparty="昆明和平物流有限公司", customer="C2"),
    ]
    bank = [
        entry("B1", "2026-10-09", "-3345.67", counterparty="惠州华茂"),
        entry("B2", "2026-10-03", "-880.00", counterparty="昆明和平物流有限公司", customer="C2"),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert sorted(links(result)) == [
        ("amount_date", ("L3",), ("B2",), D(0)),
        ("many_to_one", ("L1", "L2"), ("B1",), D(0)),
    ]


@pytest.mark.parametrize("payer", ["上海永安能源科技有限公司", "上海永安能源科技发展有限公司"])
def test_a_name_that_goes_on_otherwise_than_with_a_branch_is_another_company(payer: str) -> None:
    ledger = [
        entry("L1", "2026-10-08", "-1000.00", counterparty="上海永安能源有限公司", customer="C1"),
        entry("L2", "2026-10-08", "-2345.67", counterparty="上海永安能源有限公司", customer="C1"),
    ]
    bank = [entry("B1", "2026-10-09", "-3345.67", counterparty=payer)]
    assert links(match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))) == []


@pytest.mark.parametrize(
    ("sale", "settled", "memo", "rival", "linked"),
    [
        # WeChat Pay (财付通) settles a sale the next day less its 0.38 %, in its own name: no
        # customer code, no payer, no document
        ("-1354.48", "-1349.33", "T+1结算", False, True),
        # a second customer's sale of the same amount those days could be the one settled
        ("-1354.48", "-1349.33", "T+1结算", True, False),
        # a sale in whole tens: a busy customer's round receipts make up a rate's amount by chance
        ("-1350.00", "-1344.87", "T+1结算", False, False),
        # a settlement that names a document is the documents' to place, not the amount's
        ("-1354.48", "-1349.33", "T+1结算 XS2509-0048", False, False),
    ],
)
def test_a_payment_platforms_settlement_meets_the_sale_less_its_fee(
    sale: str, settled: str, memo: str, rival: bool, linked: bool
) -> None:
    ledger = [
        entry(
            "L1",
            "2026-09-25",
            sale,
            counterparty="泉州聚源印务有限责任公司",
            description="收泉州聚源货款(线上)",
            customer="C1",
        )
    ]
    if rival:
        ledger.append(
            entry("L2", "2026-09-24", sale, counterparty="宝丰食品有限公司", customer="C2")
        )
    bank = [
        entry("B1", "2026-09-26", settled, counterparty="财付通支付科技有限公司", description=memo)
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 9, 30)))
    fee = D(sale) - D(settled)
    assert links(result) == ([("tolerance", ("L1",), ("B1",), fee)] if linked else [])
    if rival:
        assert sorted(s.left_ids for s in result.suggestions) == [("L1",), ("L2",)]


def _paid_by_number() -> tuple[list[Entry], list[Entry]]:
    """Four invoices of customer C1 and the bank lines naming them: the two sides write one
    numbering."""
    ledger = [
        entry(f"L{n}", "2026-10-08", f"-{n}123.45", f"INV-2026-00010{n}", customer="C1")
        for n in range(1, 5)
    ]
    bank = [
        entry(f"B{n}", "2026-10-09", f"-{n}123.45", f"INV-2026-00010{n}", customer="C1")
        for n in range(1, 5)
    ]
    return ledger, bank


@pytest.mark.parametrize(
    ("named", "linked"), [("INV-2026-004711", False), ("INV-2026-000200", True)]
)
def test_a_receipt_without_customer_naming_another_invoice_is_no_payment_of_this_one(
    named: str, linked: bool
) -> None:
    # the bank line has no customer code and no payer; it names an invoice that is not the open
    # one of 7,000.00. The numbering is the files' own, not that of the few entries left over
    # for the pass across customers (whose numbers, by then, found nothing).
    ledger, bank = _paid_by_number()
    ledger.append(entry("L5", "2026-10-10", "-7000.00", "INV-2026-000200", customer="C2"))
    bank.append(entry("B5", "2026-10-11", "-7000.00", named))
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert [link[1:3] for link in links(result) if link[2] == ("B5",)] == (
        [(("L5",), ("B5",))] if linked else []
    )
    if not linked:
        assert [(s.left_ids, s.right_ids) for s in result.suggestions] == [(("L5",), ("B5",))]


@pytest.mark.parametrize(("numbered_rival", "linked"), [(True, False), (False, True)])
def test_without_a_customer_a_rival_ruled_out_by_its_number_still_makes_it_a_question(
    numbered_rival: bool, linked: bool
) -> None:
    # two customers each have 6,000.00 open, one under another invoice's number, one without a
    # number; the bank line, without customer code or payer, names a third invoice. Ruling out
    # the numbered one would hand the receipt to whichever happens to have no number.
    ledger, bank = _paid_by_number()
    if numbered_rival:
        ledger.append(entry("L5", "2026-10-10", "-6000.00", "INV-2026-000200", customer="C2"))
    ledger.append(entry("L6", "2026-10-10", "-6000.00", customer="C3"))
    bank.append(entry("B5", "2026-10-11", "-6000.00", "INV-2026-004711"))
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert [link[1:3] for link in links(result) if link[2] == ("B5",)] == (
        [(("L6",), ("B5",))] if linked else []
    )
    if not linked:
        assert (("L6",), ("B5",)) in [(s.left_ids, s.right_ids) for s in result.suggestions]


def _paid_by_another_company(*payers: tuple[str, str]) -> tuple[list[Entry], list[Entry]]:
    """Invoice 00584195 of 嘉兴明达物流 (C1), and the bank lines of `payers` (bank id, customer
    code of the payer) that pay 4,400.00 under its number: 八方电子 (C2) pays for 明达物流.
    Each payer also pays an invoice of its own, under its own code."""
    ledger = [
        entry(
            "L1", "2026-09-11", "-4400.00", "00584195", counterparty="嘉兴明达物流", customer="C1"
        )
    ]
    bank = []
    for n, (bank_id, code) in enumerate(payers, start=2):
        ledger.append(
            entry(
                f"L{n}", "2026-09-01", f"-{n}50.00", f"0058300{n}", counterparty=code, customer=code
            )
        )
        bank.append(entry(f"B{n}", "2026-09-02", f"-{n}50.00", f"0058300{n}", customer=code))
        bank.append(
            entry(
                bank_id,
                "2026-09-11",
                "-4400.00",
                "16021254964505619633",
                counterparty="八方电子有限公司",
                description="00584195 代明达物流支付货款",
                customer=code,
            )
        )
    return ledger, bank


def test_an_invoice_paid_by_another_customer_under_its_number_links_across_customers() -> None:
    # 八方电子 (customer C2) pays our invoice 00584195 of 嘉兴明达物流 (C1) and names it: the bank
    # line sits in C2's block and never meets the invoice there. A cashier links an exact
    # invoice number with its exact amount, whoever paid.
    ledger, bank = _paid_by_another_company(("B1", "C2"))
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 9, 30)))
    assert links(result) == [
        ("exact", ("L2",), ("B2",), D(0)),
        ("third_party", ("L1",), ("B1",), D(0)),
    ]
    assert result.unmatched == []
    assert result.groups[1].evidence["customers"] == ["C1", "C2"]


def test_an_invoice_number_two_other_customers_pay_in_full_is_only_a_question() -> None:
    # two payers of other customers each pay 4,400.00 under invoice 00584195: which of them paid
    # it is not for the engine to guess
    ledger, bank = _paid_by_another_company(("B1", "C2"), ("B9", "C3"))
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 9, 30)))
    assert [link for link in links(result) if "L1" in link[1]] == []
    assert [
        (s.rule, s.left_ids, s.right_ids) for s in result.suggestions if "L1" in s.left_ids
    ] == [("third_party", ("L1",), ("B1",)), ("third_party", ("L1",), ("B9",))]


def test_a_short_invoice_serial_another_customer_names_links_nothing_across_customers() -> None:
    # `123` is invoice 123 to C1 and may be anything to another payer (its own order number):
    # only a number long enough to be ours wherever it stands links across customers
    ledger = [entry("L1", "2026-09-11", "-4400.00", "INV-123", customer="C1")]
    bank = [entry("B1", "2026-09-11", "-4400.00", "", description="付发票123款", customer="C2")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 9, 30)))
    assert result.groups == []
    assert result.suggestions == []
    assert reasons(result) == [("left", "L1", "missing"), ("right", "B1", "missing")]


def test_an_invoice_another_company_pays_by_number_is_not_its_customers_receipt_of_that_sum() -> (
    None
):
    # 泰和能源 (C2) pays our invoice 25312000000002009687 of 卓越机械 (C1) for it; 卓越机械 also
    # pays a ¥3,220.00 of no number that week. In C1's block the invoice meets only that receipt,
    # but the number says whose it is: the invoice goes with 泰和能源's payment across customers.
    number = "25312000000002009687"
    ledger = [entry("L1", "2025-07-31", "-3220.00", number, customer="C1")]
    bank = [
        entry("B1", "2025-07-29", "-3220.00", "16021234622557195728", customer="C1"),
        entry(
            "B2",
            "2025-07-31",
            "-3220.00",
            number,
            description="代卓越机械支付货款",
            customer="C2",
        ),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2025, 9, 30)))
    assert links(result) == [("third_party", ("L1",), ("B2",), D(0))]
    assert reasons(result) == [("right", "B1", "missing")]


def test_a_deposit_and_a_balance_of_one_sum_under_one_invoice_pair_by_date() -> None:
    # 22,850.00 paid twice under invoice 25312000000001952901, a month apart: the ledger carries
    # the number as the reference of the balance and in the memo of the deposit, the bank in the
    # reference of the deposit and spaced out in the memo of the balance. Equal references alone
    # would pair the deposit's receipt with the balance's booking.
    number = "25312000000001952901"
    ledger = [
        entry(
            "L1", "2025-08-25", "-22850.00", description=f"收四方医药预付款 {number}", customer="C1"
        ),
        entry("L2", "2025-09-29", "-22850.00", number, description="收四方医药尾款", customer="C1"),
    ]
    bank = [
        entry("B1", "2025-08-24", "-22850.00", number, description="预付款", customer="C1"),
        entry(
            "B2",
            "2025-09-29",
            "-22850.00",
            "16027000849752251124",
            description="尾款 2531 2000 0000 0195 2901",
            customer="C1",
        ),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2025, 9, 30)))
    assert sorted((g.left_ids, g.right_ids) for g in result.groups) == [
        (("L1",), ("B1",)),
        (("L2",), ("B2",)),
    ]


def test_a_round_amount_weeks_apart_links_only_for_a_customer_booked_that_late() -> None:
    # C2's receipts are booked up to three weeks after the bank's, C1's within a day: the two
    # files' lag spans three weeks, but a round 6,000.00 of C1 two weeks apart is another payment
    start = date(2026, 9, 1)
    ledger, bank = [], []
    for n in range(210):
        customer, lag = ("C1", n % 2) if n < 150 else ("C2", n % 21)
        booked = date.fromordinal(start.toordinal() + n % 28)
        paid = date.fromordinal(booked.toordinal() - lag)
        amount, reference = f"-{1000 + n}.{n % 97:02d}", f"INV-2026-{n:06d}"
        ledger.append(entry(f"bg-L{n}", booked.isoformat(), amount, reference, customer=customer))
        bank.append(entry(f"bg-B{n}", paid.isoformat(), amount, reference, customer=customer))
    for customer in ("C1", "C2"):
        ledger.append(entry(f"L-{customer}", "2026-10-20", "-6000.00", customer=customer))
        bank.append(entry(f"B-{customer}", "2026-10-06", "-6000.00", customer=customer))
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert [link for link in links(result) if link[1][0].startswith("L-")] == [
        ("amount_date", ("L-C2",), ("B-C2",), D(0))
    ]
    assert ("left", "L-C1", "missing") in reasons(result)


@pytest.mark.parametrize(
    ("memo", "amount", "paid"),
    [
        # two invoices as it says, not the one it names with two others that add up as well
        ("付款 0258-8352等2张", "-3484.67", [("many_to_one", ("L1", "L2"), ("B1",), D(0))]),
        # saying nothing: the invoice numbered next, not the two after it that skip it
        ("付款 0258-8352", "-3484.67", [("many_to_one", ("L1", "L2"), ("B1",), D(0))]),
        # a list that says it is not complete does not rule out the invoices it leaves out
        (
            "付款 发票0258-8352、0258-8354等3张",
            "-4943.35",
            [("many_to_one", ("L1", "L2", "L3"), ("B1",), D(0))],
        ),
    ],
)
def test_a_receipt_that_says_how_many_invoices_it_pays_pays_that_many(
    memo: str, amount: str, paid: list[tuple[str, tuple[str, ...], tuple[str, ...], Decimal]]
) -> None:
    ledger = [
        entry("L1", "2026-10-10", "-1025.99", "02588352", customer="C1"),
        entry("L2", "2026-10-10", "-2458.68", "02588354", customer="C1"),
        entry("L3", "2026-10-10", "-1458.68", "02588356", customer="C1"),
        entry("L4", "2026-10-10", "-1000.00", "02588358", customer="C1"),
    ]
    bank = [entry("B1", "2026-10-10", amount, description=memo, customer="C1")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == paid


@pytest.mark.parametrize(
    ("paid", "linked"),
    [
        ("-59230.00", True),  # the yuan under ten dropped (抹零)
        ("-59239.00", True),  # the jiao and fen dropped
        ("-59200.00", False),  # a whole-hundred payment is one of its own far more often
        ("-59231.00", False),  # not a rounding of 59,239.12
    ],
)
def test_a_payment_rounded_down_links_to_the_amount_it_rounds(paid: str, linked: bool) -> None:
    ledger = [entry("L1", "2026-10-10", "-59239.12", customer="C1")]
    bank = [entry("B1", "2026-10-10", paid, customer="C1")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == (
        [("tolerance", ("L1",), ("B1",), D("-59239.12") - D(paid))] if linked else []
    )


@pytest.mark.parametrize(
    ("settled", "rate"),
    [("-606.34", "0.6 %"), ("-607.68", "0.38 %"), ("-606.65", "0.55 %")],
)
def test_a_payment_platform_settlement_less_its_merchant_rate_links(
    settled: str, rate: str
) -> None:
    # ¥610.00 received through WeChat Pay or Alipay, settled less the merchant's rate
    ledger = [entry("L1", "2026-10-10", "-610.00", customer="C1")]
    bank = [
        entry("B1", "2026-10-11", settled, counterparty="财付通支付科技有限公司", customer="C1")
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [("tolerance", ("L1",), ("B1",), D("-610.00") - D(settled))], rate


@pytest.mark.parametrize(
    ("received", "linked"),
    [("-5337.67", True), ("-5392.13", True), ("-5360.00", False)],  # 2 %, 1 %, neither
)
def test_a_payment_less_a_cash_discount_under_the_invoice_number_links(
    received: str, linked: bool
) -> None:
    # the customer pays invoice 46792514 of ¥5,446.60 less a discount for paying early
    ours = [
        entry(
            "R1",
            "2026-05-18",
            received,
            "SKD202605-01341",
            customer="C1",
            description="收货款 发票46792514",
        )
    ]
    theirs = [
        entry(
            "B1",
            "2026-05-18",
            "-5446.60",
            "记-202605-0103",
            customer="C1",
            description="付货款 发票46792514 扣现金折扣",
        )
    ]
    result = match(ours, theirs, MatchOptions(period_end=date(2026, 5, 31)))
    expected = [("tolerance", ("R1",), ("B1",), D(received) - D("-5446.60"))]
    assert links(result) == (expected if linked else [])


@pytest.mark.parametrize("memo", ["退货冲减应付 原发票46592518", "退货冲减应付 原FP46592518"])
def test_a_credit_note_meets_the_customer_posting_that_names_the_invoice_it_reverses(
    memo: str,
) -> None:
    # our credit note has an e-invoice number of its own; the customer names the original
    ours = [
        entry("I1", "2026-05-10", "1494.40", "26322000000246592518", customer="C1"),
        entry("C1", "2026-05-20", "-1494.40", "26322000000247052510", customer="C1"),
    ]
    theirs = [
        entry(
            "B1",
            "2026-05-11",
            "1494.40",
            "记-202605-0011",
            customer="C1",
            description="采购 发票46592518",
        ),
        entry("B2", "2026-05-27", "-1494.40", "转-202605-0108", customer="C1", description=memo),
    ]
    result = match(ours, theirs, MatchOptions(period_end=date(2026, 5, 31)))
    assert ("amount_date", ("C1",), ("B2",), D(0)) in links(result)


def test_a_payment_of_more_invoices_than_a_group_holds_takes_the_named_ones_voucher() -> None:
    # nine invoices booked as one voucher on the 29th, paid on the 16th under the first one's
    # number and their count; a group holds eight at most
    amounts = ["1408.47", "3551.80", "3031.75", "1496.68", "3949.44"]
    amounts += ["4967.04", "3396.12", "1332.69", "1374.10"]
    ledger = [
        entry(f"L{n}", "2026-09-29", f"-{amount}", f"0258{8872 + n:04d}", customer="C1")
        for n, amount in enumerate(amounts)
    ]
    total = -sum(D(amount) for amount in amounts)
    memo = "材料款 采购订单183485 0258 8872等9张"
    bank = [entry("B1", "2026-09-16", str(total), customer="C1", description=memo)]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    assert links(result) == [("many_to_one", tuple(e.id for e in ledger), ("B1",), D(0))]


@pytest.mark.parametrize(
    ("memo", "linked"),
    [
        # the bank cut its memo at the field width inside the third number: the list goes on
        ("网银跨行 货款 经办人谢秀 发票0258-8352、0258-8354、0258", True),
        # a whole list of two leaves the third invoice out
        ("网银跨行 货款 经办人谢秀 发票0258-8352、0258-8354", False),
    ],
)
def test_a_list_the_bank_cut_short_does_not_rule_out_the_invoices_beyond_the_cut(
    memo: str, linked: bool
) -> None:
    ledger = [
        entry("L1", "2026-10-10", "-1025.99", "02588352", customer="C1"),
        entry("L2", "2026-10-10", "-2458.68", "02588354", customer="C1"),
        entry("L3", "2026-10-11", "-1458.68", "02588356", customer="C1"),
        entry("L4", "2026-10-11", "-1000.00", "02588358", customer="C1"),
    ]
    bank = [entry("B1", "2026-10-10", "-4943.35", description=memo, customer="C1")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 10, 31)))
    paid = [("many_to_one", ("L1", "L2", "L3"), ("B1",), D(0))]
    assert links(result) == (paid if linked else [])


@pytest.mark.parametrize(
    ("paid", "linked"),
    [
        (["11815.68", "2230.20", "4511.43", "2750.58"], True),
        # the others all in whole tens: round amounts make up a round rest in many ways
        (["11815.68", "2230.00", "4510.00", "2750.00"], False),
    ],
)
def test_a_payment_that_names_its_first_invoice_and_their_count_is_found_on_a_busy_day(
    paid: list[str], linked: bool
) -> None:
    # four invoices paid under the first one's number and their count; the same day holds ten
    # pairs of postings, booked before the other three, that each make up the rest with it
    rest = sum(D(amount) for amount in paid[1:])
    pairs = [D("1203.17") + 311 * n for n in range(10)]
    others = [amount for first in pairs for amount in (first, rest - first)]
    amounts = [paid[0], *(str(amount) for amount in others), *paid[1:]]
    ledger = [
        entry(f"L{n}", "2026-07-21", f"-{amount}", f"0202{3941 + n:04d}", customer="C1")
        for n, amount in enumerate(amounts)
    ]
    total = -sum(D(amount) for amount in paid)
    memo = "跨行来账 转账 INV-25312000000002023941等4张"
    bank = [entry("B1", "2026-07-20", str(total), customer="C1", description=memo)]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 7, 31)))
    group = ("many_to_one", ("L0", "L21", "L22", "L23"), ("B1",), D(0))
    assert links(result) == ([group] if linked else [])


def test_a_receipt_quoting_serials_without_their_zeros_pays_the_invoices_a_memo_names() -> None:
    # one invoice posted under its number, the other with its number in the memo only
    ledger = [
        entry("L1", "2026-09-19", "-20721.35", "XS2509-0279", customer="C1"),
        entry(
            "L2", "2026-09-22", "-46718.02", description="收9月货款 发票XS2507-0300", customer="C1"
        ),
        entry("L3", "2026-09-22", "-3110.57", "XS2509-0281", customer="C1"),
    ]
    bank = [
        entry(
            "B1",
            "2026-09-19",
            "-67439.37",
            description="付货款 发票XS2507-300、XS2509-279",
            customer="C1",
        )
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 9, 30)))
    assert links(result) == [("many_to_one", ("L1", "L2"), ("B1",), D(0))]


def test_a_round_invoice_another_receipt_names_is_not_paired_on_amount_and_date() -> None:
    # the payment platform's settlement names the invoice, less its 0.38 %; a payment of the
    # same round amount without a number, days away, is some other invoice's
    ledger = [entry("L1", "2026-07-17", "-3400.00", "25312000000005034522", customer="C1")]
    bank = [
        entry("B1", "2026-07-13", "-3400.00", description="转账", customer="C1"),
        entry(
            "B2",
            "2026-07-16",
            "-3387.08",
            description="货款 FP:25312000000005034522",
            customer="C1",
        ),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 7, 31)))
    assert [(rule, left, right) for rule, left, right, _ in links(result)] == [
        ("tolerance", ("L1",), ("B2",))
    ]


def test_a_payer_without_customer_code_names_its_invoices_by_six_digits() -> None:
    # the bank line carries no customer code; its payer's name is the customer's, and the six
    # digits it quotes end that customer's invoices, not the other one of the same amount
    payer = "南昌海川环保科技股份有限公司"
    ledger = [
        entry("L1", "2026-09-29", "-46329.68", "25312000000001973185", customer="C1"),
        entry("L2", "2026-09-29", "-16018.42", "25312000000001973190", customer="C1"),
        entry("L3", "2026-09-29", "-16018.42", "25312000000001973194", customer="C1"),
    ]
    memo = "9月货款 973185/973190"
    bank = [
        entry("B1", "2026-09-29", "-62348.10", counterparty=payer, description=memo),
        entry("B2", "2026-09-02", "-1200.00", counterparty=payer, customer="C1"),
    ]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 9, 30)))
    assert links(result) == [("many_to_one", ("L1", "L2"), ("B1",), D(0))]


def test_a_payment_quoting_its_own_payment_request_is_no_other_invoices_payment() -> None:
    # our receipt of 34,382.75 came in two transfers; the second quotes the payer's own
    # payment request (请款单4543), which is none of our invoices (the bank quotes our
    # e-invoice numbers elsewhere: they are documents, and two documents would be two events)
    ledger = [
        entry("L1", "2026-07-28", "-34382.75", "25312000000001969704", customer="C1"),
        entry("L9", "2026-07-20", "-5120.33", "25312000000001969710", customer="C1"),
    ]
    bank = [
        entry("B1", "2026-07-27", "-22600.00", description="材料款", customer="C1"),
        entry(
            "B2", "2026-07-27", "-11782.75", description="跨行来账 转账 请款单4543", customer="C1"
        ),
        entry("B9", "2026-07-20", "-5120.33", description="货款 发票01969710", customer="C1"),
    ]
    options = MatchOptions(period_end=date(2026, 7, 31), numbering=True)
    result = match(ledger, bank, options)
    assert ("one_to_many", ("L1",), ("B1", "B2"), D(0)) in links(result)


@pytest.mark.parametrize(
    ("received", "linked"),
    [
        # the bank took ¥40 on the way
        ("-4850.00", True),
        # ¥40 more than the invoice arrived: no fee, another payment
        ("-4930.00", False),
    ],
)
def test_a_fee_in_whole_yuan_only_lowers_what_the_bank_receives(
    received: str, linked: bool
) -> None:
    ledger = [entry("L1", "2026-07-09", "-4890.00", "INV-2026-001281", customer="C1")]
    bank = [entry("B1", "2026-07-06", received, description="货款", customer="C1")]
    result = match(ledger, bank, MatchOptions(period_end=date(2026, 7, 31)))
    fee = [("tolerance", ("L1",), ("B1",), D("-4890.00") - D(received))]
    assert links(result) == (fee if linked else [])
