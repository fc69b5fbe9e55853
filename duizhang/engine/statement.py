"""The balance reconciliation statement (余额调节表), per currency.

Both sides are in the receivable view. Items only one side has booked explain the gap: each
side's balance plus the other side's unmatched items, and the left side less the differences
its groups carry (fees, rounding, typing errors, which the left side has yet to book), gives
the adjusted balances; they agree by construction, and `agrees` checks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

REASONS = ("missing", "timing", "duplicate")


@dataclass(frozen=True, slots=True)
class BalanceStatement:
    currency: str
    left_balance: Decimal
    right_balance: Decimal
    unmatched_left: dict[str, Decimal] = field(default_factory=dict)  # by reason
    unmatched_right: dict[str, Decimal] = field(default_factory=dict)
    group_differences: Decimal = Decimal(0)

    @property
    def adjusted_left(self) -> Decimal:
        return (
            self.left_balance
            + sum(self.unmatched_right.values(), Decimal(0))
            - self.group_differences
        )

    @property
    def adjusted_right(self) -> Decimal:
        return self.right_balance + sum(self.unmatched_left.values(), Decimal(0))

    @property
    def agrees(self) -> bool:
        return self.adjusted_left == self.adjusted_right

    def as_json(self) -> dict[str, object]:
        def text(value: Decimal) -> str:
            return "0" if value == 0 else format(value, "f")

        return {
            "currency": self.currency,
            "left_balance": text(self.left_balance),
            "right_balance": text(self.right_balance),
            "gap": text(self.left_balance - self.right_balance),
            "unmatched_left": {
                reason: text(self.unmatched_left.get(reason, Decimal(0))) for reason in REASONS
            },
            "unmatched_right": {
                reason: text(self.unmatched_right.get(reason, Decimal(0))) for reason in REASONS
            },
            "group_differences": text(self.group_differences),
            "adjusted_left": text(self.adjusted_left),
            "adjusted_right": text(self.adjusted_right),
            "agrees": self.agrees,
        }


def render(
    statement: BalanceStatement, *, left_name: str = "left", right_name: str = "right"
) -> str:
    """The statement as a cashier prints it: two columns, each side adjusted by the other's items."""

    def money(value: Decimal) -> str:
        return f"{value:,.2f}" if value == value.quantize(Decimal("0.01")) else f"{value:,f}"

    label = {
        "missing": "not booked there",
        "timing": "timing (next period)",
        "duplicate": "duplicates",
    }
    width = 34
    lines = [
        f"余额调节表 Balance reconciliation ({statement.currency})",
        f"{'':<{width}}{left_name:>20}{right_name:>20}",
        f"{'balance':<{width}}{money(statement.left_balance):>20}{money(statement.right_balance):>20}",
    ]
    for reason in REASONS:
        on_right = statement.unmatched_right.get(reason, Decimal(0))
        on_left = statement.unmatched_left.get(reason, Decimal(0))
        if on_right:
            lines.append(
                f"{'+ ' + right_name + ' only: ' + label[reason]:<{width}}{money(on_right):>20}{'':>20}"
            )
        if on_left:
            lines.append(
                f"{'+ ' + left_name + ' only: ' + label[reason]:<{width}}{'':>20}{money(on_left):>20}"
            )
    if statement.group_differences:
        lines.append(
            f"{'- differences in linked groups':<{width}}{money(statement.group_differences):>20}{'':>20}"
        )
    lines.append(
        f"{'adjusted balance':<{width}}{money(statement.adjusted_left):>20}{money(statement.adjusted_right):>20}"
    )
    lines.append(
        "the adjusted balances agree" if statement.agrees else "THE ADJUSTED BALANCES DO NOT AGREE"
    )
    return "\n".join(lines)
