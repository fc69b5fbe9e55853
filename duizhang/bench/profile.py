"""The difficulty mix of a generated ledger pair; `DEFAULT` is documented in docs.md.

Shares are relative weights of *events* (one event = one true group or one leftover entry);
probabilities inside an event are independent per row unless said otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

# Reference styles on the bank side; index = style number in the generator.
REFERENCE_STYLES = (
    "exact",  # INV-2026-000123
    "no_dash",  # INV2026000123
    "digits",  # 000123
    "stripped",  # 123
    "fp",  # FP123
    "in_description",  # reference empty or a bank serial; 付发票123款 in the description
    "lost",  # reference empty or a bank serial; 货款 in the description
)

# Other ways of writing the invoice number, drawn by `Profile.reference_forms` for a bank line
# that names its invoice; index + 1 = form number in the generator (0 keeps the style's form).
REFERENCE_FORMS = (
    "number_sign",  # No.000123
    "fp_year",  # FP-2026-123
    "slashes",  # INV/2026/000123
    "label",  # 发票号码:123 in the description
    "full_width",  # 付发票１２３款 in the description (typed with a Chinese input method)
    "order",  # 单号123 in the description
    "english_memo",  # INVOICE 123 PAYMENT in the description
)

# How an amount is mistyped in a `typo` group; probabilities in `Profile.typo_kinds`.
TYPO_KINDS = (
    "swap",  # two adjacent digits swapped: 1243.50 for 1234.50
    "wrong_digit",  # one digit wrong: 1284.50
    "dropped_digit",  # one digit left out: 124.50
    "unit",  # an extra zero, the amount ten times too large: 12345.00
)


@dataclass(frozen=True)
class Profile:
    name: str = "default"
    period_start: date = date(2026, 1, 1)
    period_end: date = date(2026, 6, 30)
    lines_per_customer: int = 150
    # event mix (relative weights)
    one_to_one: float = 0.66
    recurring: float = 0.12  # monthly fees: one per contract and month, equal amounts
    partial: float = 0.02  # an invoice paid in 2-3 parts, each part its own 1:1 group
    one_to_many: float = 0.02  # one ledger line, 2-4 bank receipts
    many_to_one: float = 0.035  # 2-8 ledger lines, one bank receipt
    fee: float = 0.03  # the bank deducted a fee from the receipt
    rounding: float = 0.015  # a few cents of difference
    typo: float = 0.006  # transposed digits in one amount, reference still recognisable
    timing_right: float = 0.008  # bank receipt in the last days, booked by us next period
    missing_left: float = 0.01
    missing_right: float = 0.01
    duplicate: float = 0.01  # a 1:1 line repeated on its own side
    # bank date = ledger date + shift days; probabilities for shift_from, shift_from + 1, ... days
    shift: tuple[float, ...] = (0.35, 0.3, 0.15, 0.1, 0.06, 0.04)
    shift_from: int = 0  # negative: the bank books some receipts before we do
    # probabilities of REFERENCE_STYLES on the bank side
    reference_styles: tuple[float, ...] = (0.25, 0.05, 0.1, 0.05, 0.1, 0.15, 0.3)
    bank_serial: float = 0.5  # a style without the invoice in `reference` carries a bank serial
    reference_forms: tuple[float, ...] = ()  # REFERENCE_FORMS on lines naming their invoice
    reference_typo: float = 0.01  # two adjacent digits of the invoice number swapped
    left_reference_lost: float = 0.02
    # probabilities of names.VARIANTS for the bank counterparty
    counterparty_variants: tuple[float, ...] = (
        0.45,
        0.08,
        0.1,
        0.04,
        0.05,
        0.07,
        0.05,
        0.05,
        0.03,
        0.08,
    )
    right_customer: float = 0.97  # the bank line carries the customer code
    # a bank line naming neither its invoice nor a recognisable payer (empty, pinyin initials,
    # the parent company) keeps its customer code, or nothing would tell whose it is
    nameless_keeps_code: float = 0.0
    refund: float = 0.02  # a 1:1 event that is a refund (positive amount)
    round_amount: float = 0.35  # an invoice amount in whole hundreds or thousands
    combined_sizes: tuple[float, ...] = (0.35, 0.25, 0.15, 0.1, 0.07, 0.05, 0.03)  # 2..8
    combined_same_day: float = 0.7  # all ledger lines of a combined payment on one day
    combined_spread: int = 3  # ledger lines of a spread combined payment up to N days earlier
    combined_fee: float = 0.15
    # a combined receipt for this many invoices or more, or for invoices booked more than
    # combined_listed_span days apart, lists its invoices (remittance advice)
    combined_listed_from: int = 9
    combined_listed_span: int = 99
    combined_partial: float = 0.0  # one invoice of the combined payment only partly paid
    split_sizes: tuple[float, ...] = (0.6, 0.3, 0.1)  # 2..4 bank receipts
    fee_fixed: float = 0.5  # a fixed fee rather than a rate
    fee_fixed_yuan: tuple[float, ...] = (5, 10, 15, 20, 25, 30, 35, 40, 45, 50)
    fee_fixed_weights: tuple[float, ...] = (3, 3, 1, 2, 1, 1, 1, 1, 1, 2)
    fee_rates_bp: tuple[float, ...] = (10,)  # rate fees in basis points, equally likely
    rounding_cents: int = 5  # rounding differences of 1..N cents
    typo_kinds: tuple[float, ...] = (1.0,)  # probabilities of TYPO_KINDS
    # a few very large customers (5-20 postings a day) take this share of the events
    big_customers: float = 0.0
    big_customer_lines: int = 2500  # lines per very large customer: sets how many there are
    recurring_equal: float = 0.0  # a contract with the amount of the customer's first contract
    timing_days: int = 5  # entries whose counterpart is next period fall in the last N days
    missing_gap: int = 7  # genuinely missing entries are dated before the last N days


def with_settings(profile: Profile, settings: list[str]) -> Profile:
    """`profile` with `name=value` settings: numbers, comma-separated tuples, ISO dates.

    >>> with_settings(DEFAULT, ["fee=0.05", "shift=0.5,0.5"]).shift
    (0.5, 0.5)
    """
    kinds = {item.name: type(getattr(profile, item.name)) for item in fields(profile)}
    changes: dict[str, object] = {}
    for setting in settings:
        name, _, text = setting.partition("=")
        kind = kinds.get(name)
        if kind is None or not text:
            raise ValueError(f"{setting!r}: expected NAME=VALUE with NAME one of {sorted(kinds)}")
        if kind is tuple:
            changes[name] = tuple(float(part) for part in text.split(","))
        elif kind is date:
            changes[name] = date.fromisoformat(text)
        else:
            changes[name] = kind(text)
    return replace(profile, **changes)  # type: ignore[arg-type]


DEFAULT = Profile()

# Different noise for held-out checks: other shares, lags and reference habits, same ranges.
HELDOUT = Profile(
    name="heldout",
    period_start=date(2026, 7, 1),
    period_end=date(2026, 9, 30),
    lines_per_customer=120,
    one_to_one=0.6,
    recurring=0.15,
    partial=0.03,
    one_to_many=0.025,
    many_to_one=0.04,
    fee=0.04,
    rounding=0.01,
    typo=0.008,
    timing_right=0.012,
    missing_left=0.012,
    missing_right=0.015,
    duplicate=0.012,
    shift=(0.2, 0.3, 0.2, 0.15, 0.1, 0.05),
    reference_styles=(0.15, 0.08, 0.12, 0.08, 0.12, 0.15, 0.3),
    reference_typo=0.02,
    left_reference_lost=0.04,
    counterparty_variants=(0.35, 0.1, 0.12, 0.05, 0.06, 0.08, 0.06, 0.06, 0.04, 0.08),
    right_customer=0.93,
    round_amount=0.45,
    combined_sizes=(0.25, 0.25, 0.15, 0.12, 0.1, 0.08, 0.05),
    combined_same_day=0.5,
)

# A third mix, written apart from the engine's tuning: the bank sometimes books first, lags up
# to a week, other reference and name habits, larger and wider combined payments, other fees,
# other typing errors, a few very large customers. docs.md describes it.
HELDOUT2 = Profile(
    name="heldout2",
    period_start=date(2026, 10, 1),
    period_end=date(2026, 12, 31),
    lines_per_customer=100,
    one_to_one=0.58,
    recurring=0.12,
    partial=0.03,
    one_to_many=0.02,
    many_to_one=0.05,
    fee=0.05,
    rounding=0.02,
    typo=0.012,
    timing_right=0.01,
    missing_left=0.012,
    missing_right=0.012,
    duplicate=0.01,
    shift=(0.04, 0.08, 0.18, 0.22, 0.16, 0.1, 0.08, 0.06, 0.05, 0.03),
    shift_from=-2,
    reference_styles=(0.12, 0.04, 0.08, 0.06, 0.08, 0.12, 0.3),
    reference_forms=(0.05, 0.05, 0.05, 0.05, 0.04, 0.04, 0.04),
    reference_typo=0.015,
    left_reference_lost=0.03,
    counterparty_variants=(
        0.3,
        0.06,
        0.08,
        0.03,
        0.04,
        0.05,
        0.05,
        0.04,
        0.03,
        0.08,
        0.05,
        0.07,
        0.06,
        0.06,
    ),
    right_customer=0.9,
    nameless_keeps_code=1.0,
    refund=0.04,
    round_amount=0.4,
    combined_sizes=(0.2, 0.2, 0.15, 0.13, 0.12, 0.1, 0.1),
    combined_same_day=0.4,
    combined_spread=10,
    combined_fee=0.2,
    combined_listed_from=4,
    combined_listed_span=3,
    combined_partial=0.15,
    fee_fixed_yuan=(10, 15, 25),
    fee_fixed_weights=(1, 1, 1),
    fee_rates_bp=(5, 10, 20),
    rounding_cents=9,
    typo_kinds=(0.25, 0.3, 0.25, 0.2),
    big_customers=0.12,
    recurring_equal=0.3,
    timing_days=7,
    missing_gap=10,
)

PROFILES = {profile.name: profile for profile in (DEFAULT, HELDOUT, HELDOUT2)}
