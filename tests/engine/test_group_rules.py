"""The rules that decide which combined payments are linked and which are only suggested.

Each test is a small accounting scenario and a near-identical one that the rule treats the
other way, so that removing the rule fails the test. Amounts are in the receivable view:
the payments received that our ledger (left) and the bank (right) record are both −.
Entries whose id starts with `bg-` are background: another customer's invoices paid one to one,
there only so that both sides write one numbering or the bank lag can be learned; `links` and
`reasons` leave them out.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import pytest

from duizhang.engine import groups
from duizhang.engine.match import MatchResult, match
from duizhang.engine.options import MatchOptions
from duizhang.engine.records import Entry
from tests.engine.entries import entry as any_entry

D = Decimal
OCTOBER = MatchOptions(period_end=date(2026, 10, 31))


# most scenarios are one customer's
entry = partial(any_entry, customer="C1")


def links(result: MatchResult) -> list[tuple[str, tuple[str, ...], tuple[str, ...], Decimal]]:
    return [
        (g.rule, g.left_ids, g.right_ids, g.difference)
        for g in result.groups
        if not g.left_ids[0].startswith("bg-")
    ]


def suggested(result: MatchResult) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [(s.rule, s.left_ids, s.right_ids) for s in result.suggestions]


def reasons(result: MatchResult) -> list[tuple[str, str, str]]:
    return [(u.side, u.id, u.reason) for u in result.unmatched if not u.id.startswith("bg-")]


def numbered_pairs(count: int = 5) -> tuple[list[Entry], list[Entry]]:
    """Another customer's invoices, each paid by a bank line that names it (`付发票501款`):
    both sides write our invoice numbers."""
    ledger = [
        entry(f"bg-L{n}", "2026-10-02", f"-{n}.00", f"INV-2026-{n:06d}", customer="C0")
        for n in range(501, 501 + count)
    ]
    bank = [
        entry(f"bg-B{n}", "2026-10-03", f"-{n}.00", description=f"付发票{n}款", customer="C0")
        for n in range(501, 501 + count)
    ]
    return ledger, bank


# 1. Group candidates follow the usual bank lag


def test_a_combined_payment_is_found_among_the_postings_the_bank_lag_points_to() -> None:
    members = [
        entry("L1", "2026-10-07", "-1200.00"),
        entry("L2", "2026-10-07", "-3350.00"),
        entry("L3", "2026-10-07", "-965.50"),
    ]
    # the customer keeps booking: sixteen postings in the two days after the receipt
    later = [entry(f"L{n}", f"2026-10-{11 + n % 2}", f"-{2000 + n}.{n:02d}") for n in range(4, 20)]
    bank = [entry("B1", "2026-10-10", "-5515.50")]
    later_left = [("left", f"L{n}", "missing") for n in range(4, 20)]

    # the bank books 0 to 3 days after us: the postings 3 days before come first
    result = match(
        members + later, bank, MatchOptions(period_end=date(2026, 10, 31), round_lag=(0, 3))
    )
    assert links(result) == [("many_to_one", ("L1", "L2", "L3"), ("B1",), D(0))]
    assert reasons(result) == later_left

    # no lag known: the nearest sixteen postings (all after the receipt) are the candidates
    # (and an earlier posting keeps the month's open postings from adding up to the receipt)
    earlier = entry("L0", "2026-10-01", "-777.77")
    result = match([earlier, *members, *later], bank, OCTOBER)
    assert links(result) == []
    assert reasons(result) == [
        ("left", "L0", "missing"),
        ("left", "L1", "missing"),
        ("left", "L2", "missing"),
        ("left", "L3", "missing"),
        *later_left,
        ("right", "B1", "missing"),
    ]


# 2. All members on one day beat members spread over days; a tie is only suggested


def test_of_two_sets_that_add_up_the_one_booked_on_one_day_wins() -> None:
    bank = [entry("B1", "2026-10-06", "-3235.00")]
    spread = [entry("L3", "2026-10-02", "-1235.00"), entry("L4", "2026-10-04", "-2000.00")]
    one_day = [entry("L1", "2026-10-03", "-1234.56"), entry("L2", "2026-10-03", "-2000.44")]
    result = match(one_day + spread, bank, OCTOBER)
    assert links(result) == [("many_to_one", ("L1", "L2"), ("B1",), D(0))]
    assert reasons(result) == [("left", "L3", "missing"), ("left", "L4", "missing")]
    assert result.groups[0].evidence["members_on_one_day"] is True

    # the same two sets, both spread over days: equally plausible, nothing is linked
    both_spread = [entry("L1", "2026-10-03", "-1234.56"), entry("L2", "2026-10-04", "-2000.44")]
    result = match(both_spread + spread, bank, OCTOBER)
    assert links(result) == []
    assert suggested(result) == [
        ("many_to_one", ("L1", "L2"), ("B1",)),
        ("many_to_one", ("L3", "L4"), ("B1",)),
    ]
    assert [reason for *_, reason in reasons(result)] == ["missing"] * 5


# 3. A member an equal open amount could replace makes the group a coin toss


def test_a_member_that_an_equal_posting_on_the_same_day_could_replace_is_a_coin_toss() -> None:
    # A busy customer: only the three nearest postings are candidates, so the second ¥6,000.37
    # is in no subset found; the rule still sees it as an equally plausible replacement.
    # (The postings name their invoices: two lines alike in everything would be copies.)
    options = MatchOptions(
        period_end=date(2026, 10, 31), max_group_candidates=3, max_tolerance_candidates=3
    )
    bank = [entry("B1", "2026-10-06", "-7735.18")]
    needed = [
        entry("L1", "2026-10-05", "-1234.56", "INV-2026-000600"),
        entry("L2", "2026-10-05", "-6000.37", "INV-2026-000601"),
        entry("L4", "2026-10-05", "-500.25", "INV-2026-000603"),
    ]

    result = match(
        [*needed, entry("L3", "2026-10-05", "-6000.37", "INV-2026-000602")], bank, options
    )
    assert links(result) == []
    assert suggested(result) == [("many_to_one", ("L1", "L2", "L4"), ("B1",))]
    assert [reason for *_, reason in reasons(result)] == ["missing"] * 5

    # the other ¥6,000.37 booked days earlier: swapping it in would spread the group
    result = match(
        [*needed, entry("L3", "2026-10-01", "-6000.37", "INV-2026-000602")], bank, options
    )
    assert links(result) == [("many_to_one", ("L1", "L2", "L4"), ("B1",), D(0))]
    assert reasons(result) == [("left", "L3", "missing")]


# 4. Where both sides write one numbering, numbers that differ contradict a group


def test_a_receipt_naming_an_invoice_is_not_grouped_with_postings_of_other_invoices() -> None:
    background_ledger, background_bank = numbered_pairs()
    postings = [
        entry("L1", "2026-10-03", "-1234.56", "INV-2026-000263"),
        entry("L2", "2026-10-03", "-4280.94", "INV-2026-000301"),
    ]

    def receipt(memo: str) -> list[Entry]:
        return [entry("B1", "2026-10-05", "-5515.50", description=memo)]

    # invoice 900 is neither 263 nor 301 (nor one slip from them): two different events
    result = match(background_ledger + postings, background_bank + receipt("付发票900款"), OCTOBER)
    assert links(result) == []
    assert suggested(result) == [("many_to_one", ("L1", "L2"), ("B1",))]
    assert [reason for *_, reason in reasons(result)] == ["missing"] * 3

    # 623 is 263 with two digits swapped: likely the same invoice, no contradiction
    result = match(background_ledger + postings, background_bank + receipt("付发票623款"), OCTOBER)
    assert links(result) == [("many_to_one", ("L1", "L2"), ("B1",), D(0))]
    assert reasons(result) == []

    # without a shared numbering (the bank's numbers are its own) 900 says nothing either way
    result = match(postings, receipt("付发票900款"), OCTOBER)
    assert links(result) == [("many_to_one", ("L1", "L2"), ("B1",), D(0))]


# 5. A receipt that lists its invoices pays those, never one numbered otherwise


def test_a_receipt_listing_its_invoices_does_not_take_another_in_place_of_an_open_one() -> None:
    background_ledger, background_bank = numbered_pairs()
    postings = [
        entry("L1", "2026-10-03", "-1234.56", "INV-2026-000101"),
        entry("L2", "2026-10-03", "-2100.00", "INV-2026-000102"),
        entry("L3", "2026-10-03", "-2344.57", "INV-2026-000105"),
    ]
    receipt = entry("B1", "2026-10-05", "-3579.13", description="付发票101、102款")

    # 101 + 105 add up, but 102 is listed and still open
    result = match(background_ledger + postings, [*background_bank, receipt], OCTOBER)
    assert links(result) == []
    assert suggested(result) == [
        ("reference_amount_differs", ("L1",), ("B1",)),
        ("reference_amount_differs", ("L2",), ("B1",)),
        ("many_to_one", ("L1", "L3"), ("B1",)),
    ]
    assert [reason for *_, reason in reasons(result)] == ["missing"] * 4

    # 102 was paid the day before by a receipt of its own: 101 + 105 still is not what B1 lists
    paid_102 = entry("B2", "2026-10-04", "-2100.00", description="付发票102款")
    result = match(background_ledger + postings, [*background_bank, paid_102, receipt], OCTOBER)
    assert links(result) == [("reference", ("L2",), ("B2",), D(0))]
    assert ("many_to_one", ("L1", "L3"), ("B1",)) in suggested(result)

    # the same receipt listing 101 and 105 pays those two
    listing_105 = entry("B1", "2026-10-05", "-3579.13", description="付发票101、105款")
    result = match(background_ledger + postings, [*background_bank, listing_105], OCTOBER)
    assert links(result) == [("many_to_one", ("L1", "L3"), ("B1",), D(0))]


def test_a_list_of_short_invoice_numbers_names_each_of_them() -> None:
    background_ledger, background_bank = numbered_pairs()
    postings = [
        entry("L7", "2026-10-03", "-1234.56", "INV-2026-000007"),
        entry("L39", "2026-10-03", "-2100.00", "INV-2026-000039"),
        entry("L40", "2026-10-03", "-2100.00", "INV-2026-000040"),
    ]
    # 7 and 39 in a list are invoice numbers, not quantities: L40 cannot stand in for L39
    receipt = entry("B1", "2026-10-05", "-3334.56", description="付发票7、39款")

    result = match(background_ledger + postings, [*background_bank, receipt], OCTOBER)
    assert links(result) == [("many_to_one", ("L7", "L39"), ("B1",), D(0))]

    unlisted = entry("B1", "2026-10-05", "-3334.56", description="付款")
    result = match(background_ledger + postings, [*background_bank, unlisted], OCTOBER)
    assert links(result) == []


# 6. A receipt a digit away from the invoice it names, that a group also explains, is a question


def test_a_receipt_naming_one_of_two_invoices_that_add_up_and_a_digit_away_is_suggested() -> None:
    invoice_17 = entry("L17", "2026-10-03", "-7000.00", "INV-2026-000017")
    # booked the day after 17 (booked with it, the pair settles it: see 6a)
    invoice_18 = entry("L18", "2026-10-04", "-10000.00")
    bank = [entry("B1", "2026-10-05", "-17000.00", "INV-2026-000017")]

    # 17000.00 pays 17 and 18 together, or is 7000.00 with a digit typed twice
    result = match([invoice_17, invoice_18], bank, OCTOBER)
    assert links(result) == []
    assert suggested(result) == [
        ("many_to_one", ("L17", "L18"), ("B1",)),
        ("amount_typo", ("L17",), ("B1",)),
    ]

    # with no invoice 18 open, 17000.00 for 7000.00 is a digit typed twice
    result = match([invoice_17], bank, OCTOBER)
    assert links(result) == [("amount_typo", ("L17",), ("B1",), D("10000.00"))]
    assert result.groups[0].evidence["amount_error"] == "digit dropped or added"

    # a receipt naming both invoices pays both
    invoice_18 = entry("L18", "2026-10-03", "-10000.00", "INV-2026-000018")
    naming_both = [entry("B1", "2026-10-05", "-17000.00", description="付发票17、18款")]
    result = match([invoice_17, invoice_18], naming_both, OCTOBER)
    assert links(result) == [("many_to_one", ("L17", "L18"), ("B1",), D(0))]


# 6a. ... unless the invoices were booked on one day and nothing else open could stand in


@pytest.mark.parametrize(("stand_in", "linked"), [(False, True), (True, False)])
def test_a_receipt_naming_the_first_of_the_invoices_of_one_day_pays_them_not_a_typo(
    stand_in: bool, linked: bool
) -> None:
    # 17 and 18 were booked together; the receipt names 17 and is exactly their total. It also
    # reads as 7000.00 with a digit typed twice, but invoices booked together are paid together
    invoices = [
        entry("L17", "2026-10-03", "-7000.00", "INV-2026-000017"),
        entry("L18", "2026-10-03", "-10000.00"),
    ]
    # another open 10000.00 in reach could be the second invoice as well: a question again
    other = [entry("L19", "2026-10-04", "-10000.00")] if stand_in else []
    bank = [entry("B1", "2026-10-05", "-17000.00", "INV-2026-000017")]

    result = match([*invoices, *other], bank, OCTOBER)
    group = ("many_to_one", ("L17", "L18"), ("B1",), D(0))
    assert links(result) == ([group] if linked else [])
    if not linked:
        assert ("amount_typo", ("L17",), ("B1",)) in suggested(result)


@pytest.mark.parametrize(
    ("other_amount", "receipt_amount", "linked"),
    [("-1000.00", "-13589.25", True), ("-9000.00", "-21589.25", False)],
)
def test_a_receipt_that_reads_as_the_named_invoice_with_two_digits_transposed_stays_a_question(
    other_amount: str, receipt_amount: str, linked: bool
) -> None:
    # 12589.25 and another invoice booked together. 13589.25 reads as 12589.25 with a digit
    # wrong, and the day's two invoices make it up: they settle it. 21589.25 is 12589.25 with
    # its first two digits transposed, the commonest slip: the 9000.00 (a multiple of 9) that
    # makes up the difference may be chance
    invoices = [
        entry("L17", "2026-10-03", "-12589.25", "INV-2026-000017"),
        entry("L18", "2026-10-03", other_amount),
    ]
    bank = [entry("B1", "2026-10-05", receipt_amount, "INV-2026-000017")]

    result = match(invoices, bank, OCTOBER)
    group = ("many_to_one", ("L17", "L18"), ("B1",), D(0))
    assert links(result) == ([group] if linked else [])
    if not linked:
        assert ("amount_typo", ("L17",), ("B1",)) in suggested(result)


def test_the_invoices_of_one_day_yield_to_another_payment_that_needs_one_of_them() -> None:
    invoices = [
        entry("L17", "2026-10-03", "-7000.00", "INV-2026-000017"),
        entry("L18", "2026-10-03", "-10000.00"),
        entry("L20", "2026-10-03", "-2345.67"),
    ]
    # 12345.67 is 10000.00 + 2345.67 and nothing else: it needs L18, and the receipt naming 17
    # is then 7000.00 with a digit typed twice
    bank = [
        entry("B1", "2026-10-05", "-17000.00", "INV-2026-000017"),
        entry("B2", "2026-10-05", "-12345.67"),
    ]
    result = match(invoices, bank, OCTOBER)
    assert links(result) == [
        ("many_to_one", ("L18", "L20"), ("B2",), D(0)),
        ("amount_typo", ("L17",), ("B1",), D("10000.00")),
    ]


# 7. The timing window is at least the usual bank lag


def paid_with_lags(count: int, latest: int = 7) -> tuple[list[Entry], list[Entry]]:
    """`count` invoices paid under their own number, the bank booking 0 to `latest` days later."""
    ledger, bank = [], []
    for n in range(count):
        booked = date(2026, 9, 1) + timedelta(days=n % 20)
        amount, reference = f"-{1000 + n}.00", f"INV-2026-{n:06d}"
        paid = booked + timedelta(days=n % (latest + 1))
        ledger.append(entry(f"bg-L{n}", booked.isoformat(), amount, reference, customer="C0"))
        bank.append(entry(f"bg-B{n}", paid.isoformat(), amount, reference, customer="C0"))
    return ledger, bank


@pytest.mark.parametrize(
    ("exact_links", "days_before", "reason"),
    [
        (200, 6, "timing"),
        # with lags up to 7 days, a counterpart of a line 7 days before the end falls inside
        # the period: that line is missing, not a timing difference
        (200, 7, "missing"),
        (200, 12, "missing"),
        # too few exact links to learn a lag from: the window is timing_days (5)
        (199, 6, "missing"),
    ],
)
def test_a_posting_within_the_usual_bank_lag_of_the_period_end_is_timing(
    exact_links: int, days_before: int, reason: str
) -> None:
    ledger, bank = paid_with_lags(exact_links)
    period_end = date(2026, 10, 31)
    open_posting = entry("L1", (period_end - timedelta(days=days_before)).isoformat(), "-4321.09")
    result = match([*ledger, open_posting], bank, MatchOptions(period_end=period_end))
    assert len(result.groups) == exact_links
    assert reasons(result) == [("left", "L1", reason)]


def test_a_long_tail_of_late_bookings_makes_a_timing_difference_no_more_than_a_week_long() -> None:
    # one customer in twenty books at month end, weeks after the bank: the central 99 % of
    # the lags reach 25 days, but a posting ten days before the end is missing, not in transit
    ledger, bank = paid_with_lags(200)
    for n in range(10):
        booked, paid = date(2026, 9, 1), date(2026, 9, 26)
        amount, reference = f"-{5000 + n}.00", f"INV-2026-{900 + n:06d}"
        ledger.append(entry(f"late-L{n}", booked.isoformat(), amount, reference, customer="C0"))
        bank.append(entry(f"late-B{n}", paid.isoformat(), amount, reference, customer="C0"))
    period_end = date(2026, 10, 31)
    postings = [
        entry("L1", (period_end - timedelta(days=10)).isoformat(), "-4321.09"),
        entry("L2", (period_end - timedelta(days=6)).isoformat(), "-4321.19"),
    ]
    result = match([*ledger, *postings], bank, MatchOptions(period_end=period_end))
    assert len(result.groups) == 210
    assert reasons(result) == [("left", "L1", "missing"), ("left", "L2", "timing")]


def test_a_customer_booking_two_weeks_late_has_its_lag_learned_from_the_numbers_it_quotes() -> None:
    # their ledger writes its own vouchers as references and our invoice number in the memo:
    # no exact links, but the shared numbers show they book 10 to 15 days after us
    ours, theirs = [], []
    for n in range(240):
        booked = date(2026, 8, 1) + timedelta(days=n % 30)
        amount, number = f"{1000 + n}.{n % 100:02d}", f"26322000000249{n:06d}"
        ours.append(entry(f"bg-L{n}", booked.isoformat(), amount, number, customer="C0"))
        late = booked + timedelta(days=10 + n % 6)
        memo = f"采购 发票号{number[-8:]}"
        theirs.append(
            entry(
                f"bg-B{n}",
                late.isoformat(),
                amount,
                f"记-2026-{n:04d}",
                description=memo,
                customer="C0",
            )
        )
    ours.append(entry("L1", "2026-09-01", "7321.45", customer="C1"))
    theirs.append(entry("B1", "2026-09-15", "7321.45", customer="C1"))
    result = match(ours, theirs, MatchOptions(period_end=date(2026, 9, 30)))
    assert links(result) == [("amount_date", ("L1",), ("B1",), D(0))]


# 8. Amount-and-date links: different documents are two events, a transposition is one


def test_our_voucher_number_and_the_payers_order_number_are_two_numberings_not_two_events() -> None:
    background_ledger, background_bank = numbered_pairs()
    posting = entry("L1", "2026-10-05", "-6177.60", "记-13271")
    receipt = entry("B1", "2026-10-05", "-6177.60", description="对公转账 7月对账款 PO6847717")
    result = match([*background_ledger, posting], [*background_bank, receipt], OCTOBER)
    assert links(result) == [("amount_date", ("L1",), ("B1",), D(0))]


def test_same_amount_and_date_under_different_invoice_numbers_is_only_a_suggestion() -> None:
    background_ledger, background_bank = numbered_pairs()
    posting = entry("L1", "2026-10-05", "-3456.78", "INV-2026-000263")

    def receipt(memo: str) -> Entry:
        return entry("B1", "2026-10-06", "-3456.78", description=memo)

    result = match(
        [*background_ledger, posting], [*background_bank, receipt("付发票900款")], OCTOBER
    )
    assert links(result) == []
    assert suggested(result) == [("amount_date", ("L1",), ("B1",))]
    assert reasons(result) == [("left", "L1", "missing"), ("right", "B1", "missing")]

    result = match(
        [*background_ledger, posting], [*background_bank, receipt("付发票623款")], OCTOBER
    )
    assert links(result) == [("amount_date", ("L1",), ("B1",), D(0))]
    assert reasons(result) == []


@pytest.mark.parametrize(
    ("memo", "linked"),
    [
        # the number of the payer's own payment request or purchase order contradicts nothing
        ("网银跨行 货款 请款单7770", True),
        ("对公转账 8月对账款 采购订单282249", True),
        # a number of our invoices, another one's, does
        ("网银跨行 货款 发票7770", False),
    ],
)
def test_a_receipt_quoting_the_payers_own_request_pairs_with_an_invoice_on_amount_and_date(
    memo: str, linked: bool
) -> None:
    background_ledger, background_bank = numbered_pairs()
    posting = entry("L1", "2026-10-05", "-5164.12", "INV-2026-000831")
    receipt = entry("B1", "2026-10-06", "-5164.12", description=memo)

    result = match([*background_ledger, posting], [*background_bank, receipt], OCTOBER)
    pair = ("amount_date", ("L1",), ("B1",))
    assert links(result) == ([(*pair, D(0))] if linked else [])
    assert suggested(result) == ([] if linked else [pair])


# 9. A bank line without a customer code belongs to the customer whose invoices it names


def test_a_bank_line_without_a_customer_is_grouped_with_the_invoices_it_names() -> None:
    background_l, background_b = numbered_pairs()
    ledger = [
        entry("L1", "2026-10-07", "-1234.56", "INV-2026-000701", customer="C7"),
        entry("L2", "2026-10-07", "-2100.44", "INV-2026-000702", customer="C7"),
    ]
    bank = [
        entry("B1", "2026-10-08", "-3335.00", description="付发票000701、000702款", customer="")
    ]
    ledger, bank = [*background_l, *ledger], [*background_b, *bank]

    result = match(ledger, bank, OCTOBER)

    assert links(result) == [("many_to_one", ("L1", "L2"), ("B1",), D("0"))]


def test_a_bank_line_naming_invoices_of_two_customers_stays_without_one() -> None:
    background_l, background_b = numbered_pairs()
    ledger = [
        entry("L1", "2026-10-07", "-1234.56", "INV-2026-000701", customer="C7"),
        entry("L2", "2026-10-07", "-2100.44", "INV-2026-000702", customer="C8"),
    ]
    bank = [
        entry("B1", "2026-10-08", "-3335.00", description="付发票000701、000702款", customer="")
    ]
    ledger, bank = [*background_l, *ledger], [*background_b, *bank]

    result = match(ledger, bank, OCTOBER)

    assert links(result) == []


# 10. Receipts that together pay one invoice name that invoice if they name any


def unnamed_receipts() -> list[Entry]:
    """Bank lines of another customer that name no document and match nothing: the bank side
    names documents far less often than the ledger, as a bank statement does."""
    return [entry(f"bg-X{n}", "2026-10-05", f"-{n}7.31", customer="C0") for n in range(1, 5)]


def test_receipts_naming_another_invoice_do_not_pay_this_one() -> None:
    background_l, background_b = numbered_pairs(8)
    posting = entry("L1", "2026-10-07", "-5526.94", "INV-2026-000707")
    receipts = [
        entry("B1", "2026-10-08", "-5000.00", "No.000714"),
        entry("B2", "2026-10-09", "-526.94", description="付发票707款"),
    ]

    bank = [*background_b, *unnamed_receipts(), *receipts]

    result = match([*background_l, posting], bank, OCTOBER)

    # not the group: the receipt that names invoice 707 is read as a mistyped payment of it
    assert links(result) == [("amount_typo", ("L1",), ("B2",), D("-5000.00"))]
    assert ("right", "B1", "missing") in reasons(result)


def test_receipts_naming_the_invoice_or_nothing_pay_it_together() -> None:
    background_l, background_b = numbered_pairs(8)
    posting = entry("L1", "2026-10-07", "-5526.94", "INV-2026-000707")
    # (1826.94 is no typing error of 5526.94: see 6 for a receipt that reads as one)
    receipts = [
        entry("B1", "2026-10-08", "-3700.00"),
        entry("B2", "2026-10-09", "-1826.94", description="付发票707款"),
    ]

    bank = [*background_b, *unnamed_receipts(), *receipts]

    result = match([*background_l, posting], bank, OCTOBER)

    assert links(result) == [("one_to_many", ("L1",), ("B1", "B2"), D("0"))]


# 11. A fee in whole yuan between amounts in whole yuan is no evidence for a group


def test_whole_yuan_receipts_a_whole_yuan_fee_away_are_only_suggested() -> None:
    posting = entry("L1", "2026-10-07", "-5000.00")
    receipts = [entry("B1", "2026-10-08", "-3900.00"), entry("B2", "2026-10-08", "-1085.00")]

    result = match([posting], receipts, OCTOBER)

    assert links(result) == []
    assert ("one_to_many", ("L1",), ("B1", "B2")) in suggested(result)


def test_receipts_with_cents_a_whole_yuan_fee_away_are_linked_with_the_fee() -> None:
    posting = entry("L1", "2026-10-07", "-5000.50")
    receipts = [entry("B1", "2026-10-08", "-3900.25"), entry("B2", "2026-10-08", "-1085.25")]

    result = match([posting], receipts, OCTOBER)

    assert links(result) == [("one_to_many", ("L1",), ("B1", "B2"), D("-15.00"))]


@pytest.mark.parametrize(
    ("first", "second", "linked"),
    [("-11000.00", "-11000.02", False), ("-7654.32", "-14345.70", True)],
)
def test_round_receipts_a_rounding_away_from_a_round_posting_are_only_suggested(
    first: str, second: str, linked: bool
) -> None:
    # 11,000.00 + 11,000.02 is 22,000.00 but for two cents: round amounts meeting by chance;
    # 7,654.32 + 14,345.70 carry their own cents, and the two cents are rounding
    posting = entry("L1", "2026-10-07", "-22000.00")
    receipts = [entry("B1", "2026-10-08", first), entry("B2", "2026-10-08", second)]

    result = match([posting], receipts, OCTOBER)

    group = ("one_to_many", ("L1",), ("B1", "B2"))
    assert links(result) == ([(*group, D("0.02"))] if linked else [])
    if not linked:
        assert group in suggested(result)


# 12. Round members that other round open entries could replace make the group a guess


def test_round_members_that_other_round_postings_add_up_to_leave_the_group_a_suggestion() -> None:
    # A busy customer: only the three nearest postings are candidates, so 1800.00 + 1300.00 is
    # in no subset found; the rule still sees that they add up to the 3100.00 as plausibly.
    # The bank books 0 to 3 days after us.
    options = MatchOptions(period_end=date(2026, 10, 31), max_group_candidates=3, round_lag=(0, 3))
    bank = [entry("B1", "2026-10-07", "-6206.78")]
    members = [
        entry("L1", "2026-10-05", "-2139.11"),
        entry("L2", "2026-10-05", "-967.67"),
        entry("L3", "2026-10-05", "-3100.00"),
    ]

    # 6206.78 is 2139.11 + 967.67 + 3100.00, or the same with 1800.00 + 1300.00 booked that day
    result = match(
        [*members, entry("L4", "2026-10-05", "-1800.00"), entry("L5", "2026-10-05", "-1300.00")],
        bank,
        options,
    )
    assert links(result) == []
    assert suggested(result) == [("many_to_one", ("L1", "L2", "L3"), ("B1",))]
    assert [reason for *_, reason in reasons(result)] == ["missing"] * 6

    # no other round postings open: the 3100.00 is the one paid
    result = match(members, bank, options)
    assert links(result) == [("many_to_one", ("L1", "L2", "L3"), ("B1",), D(0))]
    assert suggested(result) == []
    assert reasons(result) == []

    # the 1800.00 and 1300.00 booked the week before, outside the lag and its 2 days of slack
    result = match(
        [*members, entry("L4", "2026-10-01", "-1800.00"), entry("L5", "2026-10-01", "-1300.00")],
        bank,
        options,
    )
    assert links(result) == [("many_to_one", ("L1", "L2", "L3"), ("B1",), D(0))]
    assert reasons(result) == [("left", "L4", "missing"), ("left", "L5", "missing")]


@pytest.mark.parametrize(
    ("named", "twin", "linked"),
    [
        (("2345", "2345", "2345"), False, True),
        (("2345", "2346", "2347"), False, False),
        (("2345", "2345", "2345"), True, False),
    ],
)
def test_round_parts_that_all_name_one_invoice_make_up_the_receipt_they_add_up_to(
    named: tuple[str, str, str], twin: bool, linked: bool
) -> None:
    # our ledger's receipt names nothing; the bank's three round parts, booked on three days,
    # each quote an invoice: the same one (parts of one payment) or three (round amounts that
    # add up by chance); or a second receipt of the amount is open in the ledger, two weeks
    # later: which of the two the parts paid is a guess
    ledger = [entry("L1", "2026-10-08", "-51100.00", description="银行收款")]
    if twin:
        ledger.append(entry("L2", "2026-10-22", "-51100.00", description="银行收款"))
    bank = [
        entry(f"B{n}", f"2026-10-0{5 + n}", amount, description=f"付发票{invoice}款")
        for n, (amount, invoice) in enumerate(
            zip(("-42000.00", "-2000.00", "-7100.00"), named, strict=True)
        )
    ]

    result = match(ledger, bank, OCTOBER)
    group = ("one_to_many", ("L1",), ("B0", "B1", "B2"), D(0))
    assert links(result) == ([group] if linked else [])


# 13. A fee or rounding pair must be believable from both entries


def test_a_fee_pair_the_receipt_could_make_with_another_equal_posting_is_a_suggestion() -> None:
    # The bank books 0 to 3 days after us: L2, four days before the receipt, lies a day outside
    # the lag. Seen from L2 the receipt is too far for a fee; seen from L1 it is the only
    # candidate; seen from the receipt, L1 and L2 are both ¥6,000.00 less a ¥25.00 fee.
    options = MatchOptions(period_end=date(2026, 10, 31), round_lag=(0, 3))
    paid = entry("L1", "2026-10-03", "-6000.00")
    bank = [entry("B1", "2026-10-05", "-5975.00")]

    result = match([paid, entry("L2", "2026-10-01", "-6000.00")], bank, options)
    assert links(result) == []
    assert suggested(result) == [("tolerance", ("L1",), ("B1",))]
    assert reasons(result) == [
        ("left", "L1", "missing"),
        ("left", "L2", "missing"),
        ("right", "B1", "missing"),
    ]

    # only one ¥6,000.00 open: the receipt paid it, less a ¥25.00 fee
    result = match([paid], bank, options)
    assert links(result) == [("tolerance", ("L1",), ("B1",), D("-25.00"))]
    assert suggested(result) == []
    assert reasons(result) == []

    # the other ¥6,000.00 booked six days before the receipt: out of reach of it
    result = match([paid, entry("L2", "2026-09-29", "-6000.00")], bank, options)
    assert links(result) == [("tolerance", ("L1",), ("B1",), D("-25.00"))]
    assert reasons(result) == [("left", "L2", "missing")]


# 14. Within reach, a day or two of lag does not make one member likelier than an equal one


@pytest.mark.parametrize("other_day", ["2026-10-04", "2026-10-03", "2026-10-10"])
def test_an_equal_member_a_day_or_two_further_from_the_usual_lag_is_as_plausible(
    other_day: str,
) -> None:
    # 200 invoices of another customer paid 0 to 3 days after we booked them: the usual lag.
    # The members were booked on two days, so neither choice is all on one day.
    background_l, background_b = paid_with_lags(200, latest=3)
    members = [entry("L1", "2026-10-05", "-1234.56"), entry("L2", "2026-10-06", "-200.00")]
    bank = [*background_b, entry("B1", "2026-10-08", "-1434.56")]

    # the other ¥200.00 lies 1 or 2 days outside the lag (4 or 5 days before the receipt, or
    # 2 days after it): within reach, which of the two was paid is a guess
    result = match([*background_l, *members, entry("L3", other_day, "-200.00")], bank, OCTOBER)
    assert links(result) == []
    assert len(result.groups) == 200  # the background, one to one
    assert suggested(result) == [
        ("many_to_one", ("L1", "L2"), ("B1",)),
        ("many_to_one", ("L1", "L3"), ("B1",)),
    ]
    assert [reason for *_, reason in reasons(result)] == ["missing"] * 4


def test_an_equal_member_outside_the_reach_of_the_receipt_leaves_the_group_linked() -> None:
    background_l, background_b = paid_with_lags(200, latest=3)
    members = [entry("L1", "2026-10-05", "-1234.56"), entry("L2", "2026-10-06", "-200.00")]
    bank = [*background_b, entry("B1", "2026-10-08", "-1434.56")]

    # the other ¥200.00 six days before the receipt: 3 days outside the lag, beyond its slack
    result = match([*background_l, *members, entry("L3", "2026-10-02", "-200.00")], bank, OCTOBER)
    assert links(result) == [("many_to_one", ("L1", "L2"), ("B1",), D(0))]
    assert suggested(result) == []
    assert reasons(result) == [("left", "L3", "missing")]


def test_a_combined_payment_booked_beyond_the_usual_lag_is_linked_where_nothing_nearer_adds_up() -> (
    None
):
    background_l, background_b = paid_with_lags(200, latest=3)
    # booked a week before the receipt: 4 days outside the lag, beyond its slack; and a
    # posting of the month that is no member (the month's open postings add up to nothing)
    members = [entry("L1", "2026-10-01", "-1234.56"), entry("L2", "2026-10-06", "-200.37")]
    other = entry("L0", "2026-10-04", "-777.77")
    bank = [*background_b, entry("B1", "2026-10-08", "-1434.93")]

    result = match([*background_l, other, *members], bank, OCTOBER)
    assert links(result) == [("many_to_one", ("L1", "L2"), ("B1",), D(0))]

    # an equal posting as far away could be the one paid: the search judges its group over
    # the wider reach it was found in
    twin = entry("L3", "2026-10-02", "-1234.56")
    result = match([*background_l, other, *members, twin], bank, OCTOBER)
    assert links(result) == []
    assert suggested(result) == [
        ("many_to_one", ("L1", "L2"), ("B1",)),
        ("many_to_one", ("L2", "L3"), ("B1",)),
    ]


# 15. A reference a slip away does not take an invoice that another receipt names exactly


def test_an_invoice_a_receipt_names_is_not_taken_by_a_reference_a_slip_away() -> None:
    background_l, background_b = numbered_pairs()
    invoices = [
        entry("L1", "2026-10-18", "-7000.00", "INV-2026-011063"),
        entry("L2", "2026-10-18", "-8000.00", "INV-2026-011072"),
    ]
    # the bank's 011036 is 011063 with two digits swapped, or another invoice's payment
    slipped = entry("B1", "2026-10-20", "-7000.00", "INV/2026/011036")
    listing = entry("B2", "2026-10-21", "-15000.00", description="付发票11063、11072款")

    result = match([*background_l, *invoices], [*background_b, slipped, listing], OCTOBER)
    assert links(result) == [("many_to_one", ("L1", "L2"), ("B2",), D(0))]
    assert reasons(result) == [("right", "B1", "missing")]

    # with no receipt naming 011063, the slip is read as a typing error of it
    result = match([*background_l, invoices[0]], [*background_b, slipped], OCTOBER)
    assert links(result) == [("reference", ("L1",), ("B1",), D(0))]


# 16. A fee at a usual rate is linked beyond the absolute tolerance, within the relative one


def test_a_receipt_short_by_a_usual_fee_rate_is_linked_however_large_the_fee() -> None:
    posting = entry("L1", "2026-10-02", "-106522.80")
    # 0.2% of 106,522.80 is 213.05: more than the 50.00 tolerance, but the shape of a bank fee
    receipt = entry("B1", "2026-10-03", "-106309.75")

    result = match([posting], [receipt], OCTOBER)
    assert links(result) == [("tolerance", ("L1",), ("B1",), D("-213.05"))]

    # 213.00 short is no usual rate of the amount: only the tolerance could excuse it
    result = match([posting], [entry("B1", "2026-10-03", "-106309.80")], OCTOBER)
    assert links(result) == []


@pytest.mark.parametrize("amount", ["-7000.00", "-7000.35"])
def test_an_invoice_two_receipts_name_is_not_taken_by_a_nameless_one_of_its_amount(
    amount: str,
) -> None:
    background_l, background_b = numbered_pairs()
    invoice = entry("L1", "2026-10-25", amount, "INV-2026-053115")
    parts = [
        entry("B1", "2026-10-26", "-2689.00", "INV-2026-053115"),
        entry("B2", "2026-10-27", "-1944.00", description="付发票53115款"),
    ]
    # a customer's other payment of the same amount, naming nothing
    nameless = entry("B3", "2026-10-29", amount)

    # the invoice is being paid in parts (the rest still to come): not by B3
    result = match([*background_l, invoice], [*background_b, *parts, nameless], OCTOBER)
    assert links(result) == []

    # named by one receipt only, the nameless payment of its amount is its likeliest match;
    # not for a round amount, which recurs: one receipt's claim is enough to make it a question
    result = match([*background_l, invoice], [*background_b, parts[0], nameless], OCTOBER)
    round_amount = amount.endswith("00.00")
    assert links(result) == ([] if round_amount else [("amount_date", ("L1",), ("B3",), D(0))])


# 17. The invoice a receipt names anchors the payment: its companions may lie further out


@pytest.mark.parametrize(
    ("companion_booked", "linked"), [("2026-10-02", True), ("2026-09-28", False)]
)
def test_a_receipt_naming_one_invoice_finds_a_companion_booked_a_week_before(
    companion_booked: str, linked: bool
) -> None:
    background_l, background_b = paid_with_lags(200, latest=3)  # the bank books 0-3 days later
    named = entry("L1", "2026-10-10", "-4321.09", "INV-2026-000901")
    companion = entry("L2", companion_booked, "-1234.56", "INV-2026-000902")
    # names the first invoice only; ten days from the companion, past the usual 0-3 + 2 days
    receipt = entry("B1", "2026-10-12", "-5555.65", "INV-2026-000901")

    result = match([*background_l, named, companion], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", ("L1", "L2"), ("B1",), D(0))
    assert links(result) == ([group] if linked else [])
    if not linked:  # two weeks out is past even the wider reach
        assert ("reference_amount_differs", ("L1",), ("B1",)) in suggested(result)


@pytest.mark.parametrize(
    ("unnamed_booked", "linked"),
    # nine days before the receipt; two weeks, past the reach of a receipt naming its first
    # invoice but within the group window, as far as the listed ones may lie; six weeks
    [("2026-10-03", True), ("2026-09-28", True), ("2026-08-31", False)],
)
def test_a_receipt_listing_invoices_finds_the_rest_in_a_posting_that_lost_its_number(
    unnamed_booked: str, linked: bool
) -> None:
    background_l, background_b = paid_with_lags(200, latest=3)  # the bank books 0-3 days later
    listed = [
        entry("L1", "2026-10-08", "-4321.09", "INV-2026-000101"),
        entry("L2", "2026-10-09", "-1000.00", "INV-2026-000102"),
    ]
    # invoice 103, posted without its number
    unnamed = entry("L3", unnamed_booked, "-2345.67")
    receipt = entry("B1", "2026-10-12", "-7666.76", description="付发票101、102、103款")

    result = match([*background_l, *listed, unnamed], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", ("L1", "L2", "L3"), ("B1",), D(0))
    assert links(result) == ([group] if linked else [])


# 18. A candidate naming another document does not make a unique one ambiguous


def test_a_receipt_naming_another_invoice_does_not_compete_for_a_posting() -> None:
    background_l, background_b = numbered_pairs()
    posting = entry("L1", "2026-10-01", "-10000.00", "INV-2026-000650")
    plain = entry("B1", "2026-10-02", "-10000.00")
    # the same amount the same day, but for invoice 4210: another event
    other = entry("B2", "2026-10-02", "-10000.00", "FP-2026-4210")

    result = match([*background_l, posting], [*background_b, plain, other], OCTOBER)
    assert links(result) == [("amount_date", ("L1",), ("B1",), D(0))]
    assert reasons(result) == [("right", "B2", "missing")]

    # two receipts naming nothing (a bank serial is no document): a tie, only suggested
    serial = entry("B2", "2026-10-02", "-10000.00", "2026123456789012")
    result = match([*background_l, posting], [*background_b, plain, serial], OCTOBER)
    assert links(result) == []


# 19. Entries a receipt's list rules out neither rival nor replace the members it allows


@pytest.mark.parametrize(("other_reference", "linked"), [("INV-2026-000008", True), ("", False)])
def test_a_posting_numbered_outside_the_list_does_not_stand_in_for_an_unnumbered_member(
    other_reference: str, linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    listed = [
        entry("L1", "2026-10-01", "-19463.20", "INV-2026-000122"),
        entry("L2", "2026-10-02", "-14000.00", "INV-2026-000002"),
    ]
    # invoice 261, posted without its number, and another 8000.00
    unnumbered = entry("L3", "2026-10-01", "-8000.00")
    other = entry("L4", "2026-10-02", "-8000.00", other_reference)
    receipt = entry("B1", "2026-10-03", "-41463.20", description="付发票2、122、261款")

    result = match([*background_l, *listed, unnumbered, other], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", ("L1", "L2", "L3"), ("B1",), D(0))
    # invoice 8 is not on the list; an unnumbered 8000.00 could be invoice 261 as well as L3
    assert links(result) == ([group] if linked else [])


# 20. The invoices a receipt lists add up to it, though many other sets do as well


def test_a_receipt_listing_invoices_that_add_up_to_it_is_linked_among_many_round_sets() -> None:
    background_l, background_b = numbered_pairs()
    # seven invoices the receipt lists, and unnumbered postings of the same round amounts that
    # make up the same total in many other ways: a search that stops after its first few sets
    # finds those, not the list
    listed = [
        entry(f"L{n}", "2026-10-05", f"-{n}00.00", f"INV-2026-{700 + n:06d}") for n in range(1, 8)
    ]
    others = [entry(f"X{n}", "2026-10-05", f"-{n}00.00") for n in range(1, 8)]
    numbers = "、".join(str(700 + n) for n in range(1, 8))
    receipt = entry("B1", "2026-10-06", "-2800.00", description=f"付发票{numbers}款")

    result = match([*background_l, *listed, *others], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", tuple(f"L{n}" for n in range(1, 8)), ("B1",), D(0))
    assert links(result) == [group]


# 21. The invoices a receipt names, within a fee of it, anchor the payment


def test_a_receipt_listing_invoices_less_a_fee_is_linked_among_many_round_sets() -> None:
    background_l, background_b = numbered_pairs()
    listed = [
        entry(f"L{n}", "2026-10-05", f"-{n}00.00", f"INV-2026-{700 + n:06d}") for n in range(1, 8)
    ]
    listed[0] = entry("L1", "2026-10-05", "-123.45", "INV-2026-000701")
    others = [entry(f"X{n}", "2026-10-05", f"-{n}00.00") for n in range(1, 8)]
    numbers = "、".join(str(700 + n) for n in range(1, 8))
    # 2823.45 of invoices, 15.00 deducted by the bank
    receipt = entry("B1", "2026-10-06", "-2808.45", description=f"付发票{numbers}款")

    result = match([*background_l, *listed, *others], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", tuple(f"L{n}" for n in range(1, 8)), ("B1",), D("-15.00"))
    assert links(result) == [group]


@pytest.mark.parametrize(
    ("named_amount", "companion_amount", "receipt_amount", "linked"),
    [("-4321.09", "-1234.56", "-5540.65", True), ("-4321.00", "-1235.00", "-5541.00", False)],
)
def test_a_receipt_naming_one_invoice_finds_a_companion_a_fee_short_outside_the_usual_lag(
    named_amount: str, companion_amount: str, receipt_amount: str, linked: bool
) -> None:
    background_l, background_b = paid_with_lags(200, latest=3)  # the bank books 0-3 days later
    named = entry("L1", "2026-10-10", named_amount, "INV-2026-000901")
    # seven days before the receipt, past the usual 0-3 days that a difference must keep to
    companion = entry("L2", "2026-10-05", companion_amount, "INV-2026-000902")
    # names the first invoice only, and 15.00 less than the two: a bank fee
    receipt = entry("B1", "2026-10-12", receipt_amount, "INV-2026-000901")

    result = match([*background_l, named, companion], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", ("L1", "L2"), ("B1",), D("-15.00"))
    # with every amount in whole yuan, 15.00 short is no fee's shape: any posting of 1235.00
    # beside the named invoice would make it
    assert links(result) == ([group] if linked else [])


# 22. A fee in whole yuan that leaves the cents as they were passes the relative tolerance


@pytest.mark.parametrize(
    ("posted", "received", "linked"),
    [("-1044.19", "-1019.19", True), ("-1044.00", "-1019.00", False)],
)
def test_a_receipt_short_by_a_whole_yuan_fee_keeping_its_cents_is_linked(
    posted: str, received: str, linked: bool
) -> None:
    # 25.00 is 2.4% of 1044.19, beyond the 1% relative tolerance, within the 50.00 one
    result = match(
        [entry("L1", "2026-10-02", posted)], [entry("B1", "2026-10-03", received)], OCTOBER
    )
    group = ("tolerance", ("L1",), ("B1",), D("-25.00"))
    assert links(result) == ([group] if linked else [])


@pytest.mark.parametrize(
    ("invoice", "received", "rival", "linked"),
    [
        # a round invoice, received short by the bank's ¥50: 2.5% of it
        ("-2000.00", "-1950.00", None, True),
        # a round receipt is as likely a payment of its own
        ("-1230.00", "-1200.00", None, False),
        # another posting within ¥50 of the invoice could be its payment as well
        ("-2000.00", "-1950.00", "-1960.00", False),
    ],
)
def test_a_round_invoice_received_short_by_a_whole_yuan_fee_is_linked_where_alone(
    invoice: str, received: str, rival: str | None, linked: bool
) -> None:
    bank = [entry("B1", "2026-10-03", received)]
    if rival is not None:
        bank.append(entry("B2", "2026-10-03", rival))
    result = match([entry("L1", "2026-10-02", invoice)], bank, OCTOBER)
    difference = D(invoice) - D(received)
    assert links(result) == ([("tolerance", ("L1",), ("B1",), difference)] if linked else [])


# 23. A member with an identical copy beside it could be either of the two


@pytest.mark.parametrize("copied", [False, True])
def test_a_group_member_with_an_identical_posting_beside_it_is_a_coin_toss(copied: bool) -> None:
    postings = [
        entry("L1", "2026-10-05", "-3210.55"),
        entry("L2", "2026-10-05", "-6000.00"),
    ]
    # the same posting again (same day, amount and payer, no number): a second invoice of
    # 6000.00 booked without its number, or a copy; which of the two this payment settled is
    # a guess
    copy = [entry("L3", "2026-10-05", "-6000.00")] if copied else []
    receipt = entry("B1", "2026-10-06", "-9210.55")

    result = match([*postings, *copy], [receipt], OCTOBER)
    group = ("many_to_one", ("L1", "L2"), ("B1",), D(0))
    assert links(result) == ([] if copied else [group])


@pytest.mark.parametrize("copied", [False, True])
def test_a_posting_paid_in_parts_with_an_identical_posting_beside_it_is_a_coin_toss(
    copied: bool,
) -> None:
    posting = entry("L1", "2026-10-05", "-7000.00")
    copy = [entry("L2", "2026-10-05", "-7000.00")] if copied else []
    receipts = [entry("B1", "2026-10-06", "-3103.00"), entry("B2", "2026-10-07", "-3897.00")]

    result = match([posting, *copy], receipts, OCTOBER)
    group = ("one_to_many", ("L1",), ("B1", "B2"), D(0))
    assert links(result) == ([] if copied else [group])


# 24. The invoice a receipt names, open nowhere, may be the member posted without its number


@pytest.mark.parametrize(("named_open", "linked"), [(False, True), (True, False)])
def test_a_receipt_naming_an_invoice_posted_without_its_number_is_grouped_with_it(
    named_open: bool, linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    # invoice 301 posted without its number, and invoice 377 beside it
    unnumbered = entry("L1", "2026-10-05", "-2345.67")
    companion = entry("L2", "2026-10-05", "-1234.56", "INV-2026-000377")
    # an open posting of invoice 301 elsewhere: then 301 is that one, and L1 another invoice
    elsewhere = [entry("L3", "2026-10-20", "-999.99", "INV-2026-000301")] if named_open else []
    receipt = entry("B1", "2026-10-06", "-3580.23", "INV-2026-000301")
    # the bank's other open lines name nothing, as most bank lines do
    unnamed = [entry(f"X{n}", "2026-10-09", f"-{n}11.11", customer="C9") for n in range(1, 5)]

    result = match(
        [*background_l, unnumbered, companion, *elsewhere],
        [*background_b, receipt, *unnamed],
        OCTOBER,
    )
    group = ("many_to_one", ("L1", "L2"), ("B1",), D(0))
    assert links(result) == ([group] if linked else [])


# 25. The postings booked with the invoice a receipt names come first among its candidates


@pytest.mark.parametrize(
    ("companions_booked", "linked"), [("2026-10-08", True), ("2026-10-12", False)]
)
def test_a_receipt_naming_one_invoice_finds_its_companions_booked_the_same_day_at_a_busy_customer(
    companions_booked: str, linked: bool
) -> None:
    background_l, background_b = paid_with_lags(200, latest=3)  # the bank books 0-3 days later
    named = entry("L1", "2026-10-08", "-4321.09", "INV-2026-000901")
    companions = [
        entry("L2", companions_booked, "-1234.56", "INV-2026-000912"),
        entry("L3", companions_booked, "-2718.28", "INV-2026-000923"),
        entry("L4", companions_booked, "-1414.21", "INV-2026-000934"),
    ]
    # (numbered apart: not a batch numbered on from the one named, `_named_run`)
    # a busy customer: twenty other postings booked nearer the receipt crowd out the nearest
    # candidates; the three companions booked with the named invoice are found all the same
    # (booked after the receipt, they are further from the named invoice than the busy ones)
    busy = [
        entry(
            f"X{n}", f"2026-10-{10 + n % 2}", f"-{3000 + 37 * n}.{n:02d}", f"INV-2026-{950 + n:06d}"
        )
        for n in range(20)
    ]
    receipt = entry("B1", "2026-10-11", "-9688.14", "INV-2026-000901")

    result = match([*background_l, named, *companions, *busy], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", ("L1", "L2", "L3", "L4"), ("B1",), D(0))
    assert links(result) == ([group] if linked else [])


# 26. A group reading whose member another group took leaves the typing error the one reading


@pytest.mark.parametrize(("other_payment", "linked"), [(True, True), (False, False)])
def test_a_mistyped_receipt_is_linked_once_the_group_that_also_reads_it_is_ruled_out(
    other_payment: bool, linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    invoice = entry("L1", "2026-10-05", "-639.78", "INV-2026-012393")
    # 7639.78 for 639.78 reads as a digit typed too many, or as the invoice with the 7000.00
    receipt = entry("B1", "2026-10-06", "-7639.78", description="发票号012393货款")
    # booked the day before the invoice (on its day, the group would settle it: see 6a)
    round_posting = entry("L2", "2026-10-04", "-7000.00")
    # another payment that needs the 7000.00: with it, the group reading is gone
    other = [entry("L3", "2026-10-05", "-1234.56")]
    other_receipt = [entry("B2", "2026-10-06", "-8234.56")] if other_payment else []

    result = match(
        [*background_l, invoice, round_posting, *other],
        [*background_b, receipt, *other_receipt],
        OCTOBER,
    )
    typo = ("amount_typo", ("L1",), ("B1",), D("7000.00"))
    assert (typo in links(result)) == linked
    if not linked:
        assert ("many_to_one", ("L1", "L2"), ("B1",)) in suggested(result)


@pytest.mark.parametrize(("received", "linked"), [("-2529.01", True), ("-2529.00", False)])
def test_a_receipt_listing_invoices_short_by_a_whole_yuan_fee_keeping_its_cents_is_linked(
    received: str, linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    listed = [
        entry("L1", "2026-10-05", "-500.00", "INV-2026-019131"),
        entry("L2", "2026-10-05", "-500.00", "INV-2026-019168"),
        entry("L3", "2026-10-05", "-477.27", "INV-2026-019259"),
        entry("L4", "2026-10-05", "-1096.74", "INV-2026-019299"),
    ]
    # 2574.01 of invoices, 45.00 deducted: 1.8 %, past the relative tolerance, but the cents
    # are kept; 45.01 short is no such fee
    receipt = entry("B1", "2026-10-05", received, description="付发票19131、19168、19259、19299款")

    result = match([*background_l, *listed], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", ("L1", "L2", "L3", "L4"), ("B1",), D("-45.00"))
    assert links(result) == ([group] if linked else [])


@pytest.mark.parametrize(
    ("amounts", "received", "linked"),
    [
        (("-4321.09", "-1234.56", "-2000.35"), "-7546.00", True),
        (("-4321.00", "-1235.00", "-2000.00"), "-7546.00", False),
    ],
)
def test_a_receipt_naming_one_invoice_finds_two_companions_a_fee_short_outside_the_usual_lag(
    amounts: tuple[str, str, str], received: str, linked: bool
) -> None:
    background_l, background_b = paid_with_lags(200, latest=3)  # the bank books 0-3 days later
    named = entry("L1", "2026-10-10", amounts[0], "INV-2026-000901")
    # a week before the receipt, past the usual 0-3 days that a difference must keep to
    companions = [
        entry("L2", "2026-10-05", amounts[1], "INV-2026-000902"),
        entry("L3", "2026-10-05", amounts[2], "INV-2026-000903"),
    ]
    # names the first invoice only, and 10.00 less than the three: a bank fee; with every
    # amount in whole yuan, 10.00 short is no fee's shape
    receipt = entry("B1", "2026-10-12", received, "INV-2026-000901")

    result = match([*background_l, named, *companions], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", ("L1", "L2", "L3"), ("B1",), D("-10.00"))
    assert links(result) == ([group] if linked else [])


# 27. A customer that pays everything it has open, less a fee


@pytest.mark.parametrize(("other_open", "linked"), [(False, True), (True, False)])
def test_a_receipt_paying_everything_open_in_reach_less_a_fee_is_linked(
    other_open: bool, linked: bool
) -> None:
    background_l, background_b = paid_with_lags(200, latest=3)  # the bank books 0-3 days later
    # five invoices over four days, the earliest five days before the receipt: past the usual
    # 0-3 days that a difference must keep to, within the reach of a payment booked over days
    postings = [
        entry("L1", "2026-10-07", "-1203.17"),
        entry("L2", "2026-10-08", "-845.60"),
        entry("L3", "2026-10-09", "-2210.05"),
        entry("L4", "2026-10-09", "-399.99"),
        entry("L5", "2026-10-10", "-1777.77"),
    ]
    # another open posting in reach: the five are no longer everything the customer owes
    other = [entry("L6", "2026-10-08", "-3131.31")] if other_open else []
    # 6436.58 of invoices, 30.00 deducted by the bank
    receipt = entry("B1", "2026-10-12", "-6406.58")

    result = match([*background_l, *postings, *other], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", ("L1", "L2", "L3", "L4", "L5"), ("B1",), D("-30.00"))
    assert links(result) == ([group] if linked else [])


@pytest.mark.parametrize(
    ("amounts", "received", "reference", "linked"),
    [
        (("-1203.17", "-845.60", "-2210.05"), "-4243.82", "", True),
        # every amount in whole yuan: 15.00 short is no fee's shape, though the receipt names
        # the first invoice
        (("-1200.00", "-846.00", "-2213.00"), "-4244.00", "INV-2026-000701", False),
    ],
)
def test_a_receipt_paying_the_invoices_of_one_day_less_a_fee_is_linked(
    amounts: tuple[str, str, str], received: str, reference: str, linked: bool
) -> None:
    background_l, background_b = paid_with_lags(200, latest=3)  # the bank books 0-3 days later
    # three invoices booked five days before the receipt, past the usual 0-3 days that a
    # difference must keep to, and other open postings on other days
    day = [
        entry(f"L{n}", "2026-10-07", amount, f"INV-2026-{700 + n:06d}")
        for n, amount in enumerate(amounts, start=1)
    ]
    others = [
        entry("X1", "2026-10-09", "-3131.31", "INV-2026-000801"),
        entry("X2", "2026-10-10", "-777.70", "INV-2026-000802"),
    ]
    # 15.00 deducted by the bank, whose other open lines name nothing, as most bank lines do
    receipt = entry("B1", "2026-10-12", received, reference)
    unnamed = [entry(f"Y{n}", "2026-10-09", f"-{n}11.11", customer="C9") for n in range(1, 5)]

    result = match([*background_l, *day, *others], [*background_b, receipt, *unnamed], OCTOBER)
    group = ("many_to_one", ("L1", "L2", "L3"), ("B1",), D("-15.00"))
    assert links(result) == ([group] if linked else [])


# 28. Round postings that add up to a member are no rival where they would be no reading


@pytest.mark.parametrize(("received", "linked"), [("-17980.00", True), ("-17999.97", False)])
def test_round_postings_that_would_make_a_whole_yuan_fee_do_not_rival_a_fee_pair(
    received: str, linked: bool
) -> None:
    posting = entry("L1", "2026-10-05", "-18000.00")
    # 10000.00 + 8000.00 add up to the posting: with 17980.00 received that reading is a
    # whole-yuan "fee" between whole-yuan amounts, which is no reading at all; with 17999.97,
    # three cents of rounding, it is as good as the posting
    others = [entry("L2", "2026-10-05", "-10000.00"), entry("L3", "2026-10-05", "-8000.00")]
    receipt = entry("B1", "2026-10-07", received)

    result = match([posting, *others], [receipt], OCTOBER)
    difference = D(received) - D("-18000.00")
    group = ("tolerance", ("L1",), ("B1",), -difference)
    assert links(result) == ([group] if linked else [])


# 29. The invoices a bank line lists tell its customer better than a short payer name


@pytest.mark.parametrize(("listed", "linked"), [(True, True), (False, False)])
def test_a_bank_line_listing_one_customers_invoices_is_that_customers_whatever_its_name(
    listed: bool, linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    ledger = [
        entry("L1", "2026-10-07", "-1234.56", "INV-2026-000701", customer="C7"),
        entry("L2", "2026-10-07", "-2100.44", "INV-2026-000702", customer="C7"),
    ]
    # another company's lines tie the short name 康宁软件 to C8
    named_c8 = [
        Entry(
            id=f"N{n}",
            date=date(2026, 10, 2),
            amount=D(f"-{n}99.99"),
            counterparty="康宁软件",
            customer="C8",
        )
        for n in range(1, 3)
    ]
    memo = "付发票000701、000702款" if listed else "货款"
    bank = [
        Entry(
            id="B1",
            date=date(2026, 10, 8),
            amount=D("-3335.00"),
            description=memo,
            counterparty="康宁软件",
        )
    ]
    ledger, bank = [*background_l, *ledger], [*background_b, *named_c8, *bank]

    result = match(ledger, bank, OCTOBER)
    group = ("many_to_one", ("L1", "L2"), ("B1",), D("0"))
    # without the list the name makes it C8's, and C7's invoices are not in its reach
    assert links(result) == ([group] if linked else [])


# 30. A receipt naming one invoice of a payment booked over more than a week anchors the rest


@pytest.mark.parametrize(
    ("named", "alternative", "linked"),
    [(True, False, True), (True, True, False), (False, False, False)],
)
def test_a_named_invoice_anchors_three_companions_booked_over_more_than_a_week(
    named: bool, alternative: bool, linked: bool
) -> None:
    # the receipt names INV-2026-000201; three more invoices make up the rest exactly, one of
    # them booked two weeks before the receipt: beyond the usual reach, within a named one's
    # (numbered apart: not a batch numbered on from the one named, `_named_run`)
    invoices = [
        entry("L1", "2026-10-01", "-1234.56", "INV-2026-000201"),
        entry("L2", "2026-09-30", "-2345.67", "INV-2026-000222"),
        entry("L3", "2026-10-02", "-3456.78", "INV-2026-000243"),
        entry("L4", "2026-09-27", "-3000.00", "INV-2026-000264"),
    ]
    # round postings that make 3000.00 as well, booked as far out: which of them the payment
    # settled is a guess
    others = (
        [
            entry("L5", "2026-09-26", "-1000.00", "INV-2026-000285"),
            entry("L6", "2026-09-25", "-2000.00", "INV-2026-000306"),
        ]
        if alternative
        else []
    )
    reference = "INV-2026-000201" if named else ""
    bank = [entry("B1", "2026-10-11", "-10037.01", reference)]

    result = match([*invoices, *others], bank, OCTOBER)
    group = ("many_to_one", ("L1", "L2", "L3", "L4"), ("B1",), D(0))
    assert links(result) == ([group] if linked else [])


# 31. Equal amounts that pair up in only one way are paired that way


@pytest.mark.parametrize(
    ("second_booked", "other_reading", "linked"),
    [("2026-10-04", False, True), ("2026-10-02", False, False), ("2026-10-04", True, False)],
)
def test_equal_round_amounts_that_pair_up_in_only_one_way_are_linked_that_way(
    second_booked: str, other_reading: bool, linked: bool
) -> None:
    background_l, background_b = paid_with_lags(200, latest=3)  # the bank books 0-3 days later
    # two invoices and two receipts of 5,000.00: a round amount, so the date gap ranks nothing.
    # The receipt of the 2nd can only pay the invoice of the 1st (the other was booked after
    # it); the receipt of the 4th then pays the other. Booked on the 2nd, either receipt could
    # pay either invoice: a question.
    ledger = [entry("L1", "2026-10-01", "-5000.00"), entry("L2", second_booked, "-5000.00")]
    bank = [entry("B1", "2026-10-02", "-5000.00"), entry("B2", "2026-10-04", "-5000.00")]
    # a receipt of 7,000.00 that an invoice of 5,000.00 and one of 2,000.00 may have made up
    # (only a suggestion): an invoice of 5,000.00 may belong there, and the pairing is a guess
    other = (
        ([entry("L3", "2026-10-03", "-2000.00")], [entry("B3", "2026-10-04", "-7000.00")])
        if other_reading
        else ([], [])
    )

    result = match([*background_l, *ledger, *other[0]], [*background_b, *bank, *other[1]], OCTOBER)
    pairs = [
        ("amount_date", ("L1",), ("B1",), D(0)),
        ("amount_date", ("L2",), ("B2",), D(0)),
    ]
    assert links(result) == (pairs if linked else [])
    if not linked:
        assert {("amount_date", ("L1",), ("B1",)), ("amount_date", ("L2",), ("B2",))} <= set(
            suggested(result)
        )


# 32. An entry that another open entry names belongs with that one, not in this group


@pytest.mark.parametrize(
    ("claimant_customer", "linked"),
    # no other receipt; one of C1's own naming invoice 702; one without customer code, placed
    # in C1 only by the number it names (a mistyped number would put it there as well)
    [(None, True), ("C1", False), ("", True)],
)
def test_an_invoice_another_open_receipt_names_is_no_member_of_a_nameless_receipt(
    claimant_customer: str | None, linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    ledger = [
        entry("L1", "2026-10-05", "-3123.45", "INV-2026-000701"),
        entry("L2", "2026-10-05", "-4876.55", "INV-2026-000702"),
    ]
    # a receipt naming nothing adds up to invoices 701 and 702
    receipt = entry("B1", "2026-10-06", "-8000.00")
    # another receipt names invoice 702 and pays it less more than a fee: both stay open, and
    # invoice 702 is that receipt's to settle
    other = (
        []
        if claimant_customer is None
        else [
            entry(
                "B2",
                "2026-10-07",
                "-4800.00",
                description="付发票702款",
                customer=claimant_customer,
            )
        ]
    )

    result = match([*background_l, *ledger], [*background_b, receipt, *other], OCTOBER)
    group = ("many_to_one", ("L1", "L2"), ("B1",), D(0))
    assert links(result) == ([group] if linked else [])
    if not linked:
        assert ("many_to_one", ("L1", "L2"), ("B1",)) in suggested(result)
        assert ("reference_amount_differs", ("L2",), ("B2",)) in suggested(result)


# 33. Equal amounts, each named by (or naming) another open entry, are two payments


@pytest.mark.parametrize(
    ("both_claimed", "amount", "linked"),
    [
        (False, "-2110.35", True),
        (True, "-2110.35", False),
        # a round amount recurs: the receipt listing the invoice is claim enough
        (False, "-2110.00", False),
    ],
)
def test_equal_amounts_that_each_belong_with_another_open_entry_are_not_paired(
    both_claimed: bool, amount: str, linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    # invoice ...6327, which a receipt listing it (for a different total) names
    ledger = [entry("L1", "2026-10-04", amount, "25312000000005016327")]
    bank = [entry("B9", "2026-10-04", "-9876.54", description="合同款 25312000000005016327")]
    # a receipt of its amount four days later; where it names another e-invoice, posted for
    # 3,000.00, it belongs with that one (without a number it is free to pair)
    memo = "结算款 25312000000005018612" if both_claimed else "结算款"
    bank.append(entry("B1", "2026-10-08", amount, description=memo))
    if both_claimed:
        ledger.append(entry("L3", "2026-10-08", "-3000.00", "25312000000005018612"))

    result = match([*background_l, *ledger], [*background_b, *bank], OCTOBER)
    pair = ("amount_date", ("L1",), ("B1",), D(0))
    assert links(result) == ([pair] if linked else [])
    if not linked:
        assert ("amount_date", ("L1",), ("B1",)) in suggested(result)


def unpaired(count: int) -> tuple[list[Entry], list[Entry]]:
    """`count` ledger lines and as many bank lines, spread over October, that pair with nothing
    and are larger than any scenario's amount (a payment platform's block is full of them)."""
    ledger = [
        entry(f"bg-L{n}", f"2026-10-{1 + n % 28:02d}", f"-{100000 + 7 * n}.13")
        for n in range(count)
    ]
    bank = [
        entry(f"bg-B{n}", f"2026-10-{1 + n % 28:02d}", f"-{500000 + 7 * n}.29")
        for n in range(count)
    ]
    return ledger, bank


# 34. A crowded block is searched only for the targets that name their invoices, and only for
# groups of what they name


@pytest.mark.parametrize(
    ("crowd", "linked"),
    [
        # a customer's usual block: a receipt is searched among every open entry in reach
        (10, ["B1", "B2", "B3"]),
        # a payment platform's or a very busy customer's: thousands of open lines, and a sum of
        # them fits almost anything: B3 names nothing, B2's rest in whole yuan may be anyone's
        (groups.MAX_BLOCK_ENTRIES + 1, ["B1"]),
    ],
)
def test_in_a_crowded_block_only_groups_of_the_invoices_a_receipt_names_are_linked(
    crowd: int, linked: list[str]
) -> None:
    ledger, bank = unpaired(crowd)
    ledger += [
        entry("L1", "2026-10-05", "-1200.45", "INV-2026-000101"),
        entry("L2", "2026-10-05", "-3350.10", "INV-2026-000102"),
        entry("L3", "2026-10-12", "-2222.22", "INV-2026-000301"),
        entry("L4", "2026-10-12", "-1111.00"),
        entry("L5", "2026-10-20", "-2468.24", "INV-2026-000501"),
        entry("L6", "2026-10-20", "-1357.13", "INV-2026-000601"),
    ]
    bank += [
        entry("B1", "2026-10-07", "-4550.55", description="付发票101、102款"),
        entry("B2", "2026-10-14", "-3333.22", description="付发票301款"),
        entry("B3", "2026-10-22", "-3825.37", description="货款"),
    ]
    groups_of = {
        "B1": ("many_to_one", ("L1", "L2"), ("B1",), D(0)),
        "B2": ("many_to_one", ("L3", "L4"), ("B2",), D(0)),
        "B3": ("many_to_one", ("L5", "L6"), ("B3",), D(0)),
    }

    result = match(ledger, bank, OCTOBER)

    assert links(result) == [groups_of[receipt] for receipt in linked]


# 34b. In a crowded block the rest of a receipt naming one invoice may be one entry in cents


@pytest.mark.parametrize(
    ("rest", "linked"),
    # the rest to the cent, in cents: few entries of a quarter have that amount; in whole yuan
    # (or whole hundreds) many may
    [("-1111.11", True), ("-1111.00", False)],
)
def test_in_a_crowded_block_a_named_invoice_and_one_entry_in_cents_make_a_group(
    rest: str, linked: bool
) -> None:
    crowd = groups.MAX_BLOCK_ENTRIES + 1
    ledger, bank = unpaired(crowd)
    ledger += [
        entry("L1", "2026-10-12", "-2222.22", "INV-2026-000301"),
        entry("L2", "2026-10-12", rest),
    ]
    total = Decimal("-2222.22") + Decimal(rest)
    bank.append(entry("B1", "2026-10-14", str(total), description="付发票301款"))

    result = match(ledger, bank, OCTOBER)

    group = ("many_to_one", ("L1", "L2"), ("B1",), D(0))
    assert links(result) == ([group] if linked else [])


# 35. A receipt naming an invoice that cannot be one of its members is searched for no group


@pytest.mark.parametrize(
    ("memo", "linked"),
    # the invoice it names is larger than the receipt (a part payment); it names none
    [("付发票703款", False), ("货款", True)],
)
def test_a_receipt_naming_an_invoice_larger_than_itself_is_offered_no_group(
    memo: str, linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    ledger = [
        entry("L1", "2026-10-05", "-1234.56", "INV-2026-000701"),
        entry("L2", "2026-10-05", "-1765.44", "INV-2026-000702"),
        entry("L3", "2026-10-05", "-5436.20", "INV-2026-000703"),
    ]
    # pays 3,000 of invoice 703; invoices 701 and 702 happen to add up to 3,000 too
    receipt = entry("B1", "2026-10-06", "-3000.00", description=memo)

    result = match([*background_l, *ledger], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", ("L1", "L2"), ("B1",))
    assert links(result) == ([(*group, D(0))] if linked else [])
    if not linked:
        # a group without the invoice it names is never linked, nor worth a suggestion; the
        # part payment of the invoice it names stays before the cashier
        assert group not in suggested(result)
        assert ("reference_amount_differs", ("L3",), ("B1",)) in suggested(result)


# 36. A receipt for more invoices than a group holds: every open line of the days it names


@pytest.mark.parametrize(
    ("stray", "linked"),
    # the ten lines of our voucher are the day's only open ones; an eleventh line that day
    [(False, True), (True, False)],
)
def test_a_receipt_for_a_voucher_of_ten_invoice_lines_takes_every_line_of_their_day(
    stray: bool, linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    lines = [
        entry(
            f"L{n}", "2026-10-12", f"-{1000 + 137 * n}.{11 * n:02d}", f"INV-2026-{800 + 11 * n:06d}"
        )
        for n in range(10)
    ]
    others = [entry("L99", "2026-10-12", "-512.34", "INV-2026-000899")] if stray else []
    total = sum(line.amount for line in lines)
    # the bank cuts its memo at its field width, inside the list of invoices
    receipt = entry("B1", "2026-10-13", str(total), description="货款 发票800、811、82")

    result = match([*background_l, *lines, *others], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", tuple(f"L{n}" for n in range(10)), ("B1",), D(0))
    assert (group in links(result)) is linked


# 37. A receipt naming its first invoice and how many it pays: the invoices numbered next


@pytest.mark.parametrize(
    ("numbers", "received", "linked"),
    # five invoices issued one after another; the third of them paid already, the next open
    # one issued long after; the bank's fee of ¥15.00 taken from the payment
    [
        ((26, 28, 30, 34, 37), "-17000.00", True),
        ((26, 28, 34, 37, 941), "-17000.00", False),
        ((26, 28, 30, 34, 37), "-16985.00", True),
    ],
)
def test_a_receipt_for_its_first_invoice_and_four_more_takes_the_next_four_by_number(
    numbers: tuple[int, ...], received: str, linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    amounts = ("-3000.00", "-4400.00", "-1500.00", "-6100.00", "-2000.00")
    invoices = [
        entry(f"L{n}", "2026-10-12", amount, f"2531200000000{3265500 + n}")
        for n, amount in zip(numbers, amounts, strict=True)
    ]
    # round open amounts that make up the same total in other ways
    others = [
        entry("L90", "2026-10-11", "-4500.00"),
        entry("L91", "2026-10-12", "-6000.00"),
        entry("L92", "2026-10-13", "-1400.00"),
    ]
    receipt = entry("B1", "2026-10-13", received, description="货款 25312000000003265526等5张")

    result = match([*background_l, *invoices, *others], [*background_b, receipt], OCTOBER)
    fee = D("-17000.00") - D(received)
    group = ("many_to_one", tuple(sorted(f"L{n}" for n in numbers)), ("B1",), fee)
    assert (group in links(result)) is linked


# 38. Round invoices that are all a day's bookings: paid together, not adding up by chance


@pytest.mark.parametrize(
    ("other", "linked"),
    [
        (None, True),
        # another open posting that day: which of the day's postings were paid is a guess
        (("left", "2026-10-12", "-512.34"), False),
        # bank lines of one member's amount, within its reach: it may be paid one to one
        (("right", "2026-10-13", "-3500.00"), False),
    ],
)
def test_round_invoices_that_are_the_whole_of_a_days_bookings_are_paid_together(
    other: tuple[str, str, str] | None, linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    invoices = [entry("L1", "2026-10-12", "-4300.00"), entry("L2", "2026-10-12", "-3500.00")]
    receipt = entry("B1", "2026-10-13", "-7800.00", description="货款")
    ledger, bank = [*background_l, *invoices], [*background_b, receipt]
    if other is not None:
        side, day, amount = other
        (ledger if side == "left" else bank).append(entry("X1", day, amount))
    if other is not None and other[0] == "right":
        # and another a day later: neither is paired one to one with the member, a tie
        bank.append(entry("X2", "2026-10-14", "-3500.00", description="货款"))

    result = match(ledger, bank, OCTOBER)
    group = ("many_to_one", ("L1", "L2"), ("B1",), D(0))
    assert (group in links(result)) is linked
    if not linked:
        assert ("many_to_one", ("L1", "L2"), ("B1",)) in suggested(result)


# 39. A payer name stays its company's when that company now and then pays another's invoice


@pytest.mark.parametrize(("own_lines", "linked"), [(19, True), (3, False)])
def test_a_payer_name_ties_to_its_customer_though_it_once_paid_another_customers_invoice(
    own_lines: int, linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    parent = "金盛集团有限公司"
    # the group's own receipts, under its customer code C8
    own = [
        entry(f"bg-N{n}", "2026-10-02", f"-{n}99.99", customer="C8", counterparty=parent)
        for n in range(1, own_lines + 1)
    ]
    # once it paid two invoices of its subsidiary C7: the invoices it lists place that line
    # with C7, under the parent's name
    subsidiary = [
        entry("L8", "2026-10-05", "-1800.00", "INV-2026-000708", customer="C7"),
        entry("L9", "2026-10-05", "-3200.00", "INV-2026-000709", customer="C7"),
    ]
    on_behalf = entry(
        "B9",
        "2026-10-06",
        "-5000.00",
        description="代付发票708、709款",
        customer="",
        counterparty=parent,
    )
    invoices = [
        entry("L1", "2026-10-07", "-1234.56", "INV-2026-000711", customer="C8"),
        entry("L2", "2026-10-07", "-2095.44", "INV-2026-000712", customer="C8"),
    ]
    # a combined payment without a customer code or an invoice number, in whole tens: no sum
    # across customers places it either (`stages.one_customers_sum`)
    receipt = entry(
        "B1", "2026-10-08", "-3330.00", description="货款", customer="", counterparty=parent
    )

    result = match(
        [*background_l, *subsidiary, *invoices],
        [*background_b, *own, on_behalf, receipt],
        OCTOBER,
    )
    group = ("many_to_one", ("L1", "L2"), ("B1",), D("0"))
    # a name that 19 of 20 lines tie to C8 is C8's; with 3 of 4, it is no one's
    assert (group in links(result)) is linked
    assert ("many_to_one", ("L8", "L9"), ("B9",), D("0")) in links(result)


# 40. A payment naming nothing, for a batch of invoices numbered one after another (连号)


@pytest.mark.parametrize(
    ("numbers", "linked"),
    # five invoices issued in one batch; or five issued weeks apart to this customer
    [((801, 802, 804, 805, 807), True), ((801, 830, 862, 901, 944), False)],
)
def test_a_payment_naming_nothing_takes_a_batch_of_invoices_numbered_one_after_another(
    numbers: tuple[int, ...], linked: bool
) -> None:
    # only the three postings nearest the bank's usual lag are candidates for a plain sum
    options = replace(OCTOBER, max_group_candidates=3)
    background_l, background_b = numbered_pairs()
    amounts = ("-1234.56", "-2345.67", "-3456.78", "-4567.89", "-5678.90")
    invoices = [
        entry(f"L{n}", "2026-10-12", amount, f"INV-2026-{n:06d}")
        for n, amount in zip(numbers, amounts, strict=True)
    ]
    # another open invoice that day, of another batch
    stray = entry("L999", "2026-10-12", "-987.65", "INV-2026-000999")
    receipt = entry("B1", "2026-10-13", "-17283.80", description="货款")

    result = match([*background_l, *invoices, stray], [*background_b, receipt], options)
    group = ("many_to_one", tuple(sorted(f"L{n}" for n in numbers)), ("B1",), D(0))
    assert (group in links(result)) is linked


@pytest.mark.parametrize(
    ("numbers", "neighbour", "linked"),
    [
        # a whole batch of three: no open invoice numbered just before or after it
        ((811, 812, 814), 960, True),
        # part of a longer run: the invoice numbered next is open too
        ((811, 812, 814), 816, False),
        # a run of two
        ((811, 812), 960, False),
    ],
)
def test_round_invoices_of_a_whole_batch_are_paid_together(
    numbers: tuple[int, ...], neighbour: int, linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    amounts = ("-4300.00", "-3500.00", "-2200.00")
    invoices = [
        entry(f"L{n}", "2026-10-12", amount, f"INV-2026-{n:06d}")
        for n, amount in zip(numbers, amounts, strict=False)
    ]
    # other open invoices of other days, and one more of their day: not the whole of a day
    others = [
        entry("L901", "2026-10-11", "-1500.00", "INV-2026-000901"),
        entry("L902", "2026-10-12", "-987.65", f"INV-2026-{neighbour:06d}"),
    ]
    total = sum(invoice.amount for invoice in invoices)
    receipt = entry("B1", "2026-10-13", str(total), description="货款")

    result = match([*background_l, *invoices, *others], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", tuple(f"L{n}" for n in numbers), ("B1",), D(0))
    assert (group in links(result)) is linked


# 41. A receipt listing the first invoices of a batch, its memo cut: the batch numbered on


@pytest.mark.parametrize(
    ("numbers", "linked"),
    # six invoices issued in one batch; or the last three issued long after the first
    [((701, 702, 704, 705, 707, 708), True), ((701, 702, 704, 755, 757, 758), False)],
)
def test_a_receipt_listing_the_first_invoices_of_a_batch_takes_the_batch_numbered_on(
    numbers: tuple[int, ...], linked: bool
) -> None:
    background_l, background_b = numbered_pairs()
    amounts = ("-1200.00", "-3400.00", "-560.00", "-2100.00", "-980.00", "-4700.00")
    invoices = [
        entry(f"L{n}", "2026-10-12", amount, f"INV-2026-{n:06d}")
        for n, amount in zip(numbers, amounts, strict=True)
    ]
    # round open amounts that make up the rest in other ways
    others = [entry("L90", "2026-10-12", "-7780.00"), entry("L91", "2026-10-11", "-3080.00")]
    # the bank cut its memo after the first three numbers
    receipt = entry("B1", "2026-10-13", "-12940.00", description="货款 发票701、702、704、70")

    result = match([*background_l, *invoices, *others], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", tuple(sorted(f"L{n}" for n in numbers)), ("B1",), D(0))
    assert (group in links(result)) is linked


# 42. An invoice booked twice in a run of numbers the receipt reads: the original is paid


def test_an_invoice_booked_twice_within_the_run_a_receipt_counts_is_paid_once() -> None:
    background_l, background_b = numbered_pairs()
    amounts = ("-3000.00", "-4400.00", "-1500.00", "-6100.00", "-2000.00")
    invoices = [
        entry(f"L{n}", "2026-10-12", amount, f"2531200000000{3265500 + n}")
        for n, amount in zip((26, 28, 30, 34, 37), amounts, strict=True)
    ]
    # the third invoice posted twice: same day, amount and number
    copy = entry("L30b", "2026-10-12", "-1500.00", "25312000000003265530")
    receipt = entry("B1", "2026-10-13", "-17000.00", description="货款 25312000000003265526等5张")

    result = match([*background_l, *invoices, copy], [*background_b, receipt], OCTOBER)
    group = ("many_to_one", ("L26", "L28", "L30", "L34", "L37"), ("B1",), D(0))
    assert group in links(result)
    assert ("left", "L30b", "duplicate") in reasons(result)
