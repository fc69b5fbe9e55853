"""Which side pays: told by who names documents, else by who is short of a fee."""

from __future__ import annotations

import polars as pl
import pytest

from duizhang.engine.numbers import paying_side
from duizhang.engine.options import MatchOptions

YUAN = 10_000  # amounts are in 1/10000 units


def sides(
    amounts: list[tuple[int, int]], *, left_named: bool = True, right_named: bool = True
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """A ledger and a bank statement whose entries pair up by row (one document number each),
    with the two amounts (yuan) of each pair."""
    rows = list(range(len(amounts)))

    def frame(values: list[int], named: bool) -> pl.DataFrame:
        docs = [[f"{row:06d}"] if named else None for row in rows]
        return pl.DataFrame(
            {"row": rows, "amt": [-value * YUAN for value in values], "docs": docs},
            schema={"row": pl.Int64, "amt": pl.Int64, "docs": pl.List(pl.String)},
        )

    left = frame([ours for ours, _ in amounts], left_named)
    right = frame([theirs for _, theirs in amounts], right_named)
    keyed = pl.DataFrame({"l": rows, "r": rows}, schema={"l": pl.Int64, "r": pl.Int64})
    return left, right, keyed


def test_the_side_that_names_documents_far_less_often_pays() -> None:
    left, right, keyed = sides([(1000, 1000)] * 5, right_named=False)
    assert paying_side(left, right, keyed, MatchOptions()) == "right"


@pytest.mark.parametrize(
    ("amounts", "paying"),
    [
        # the bank received 10 yuan less than the invoice, twenty times: fees taken on the way
        ([(1000, 990)] * 20, "right"),
        # the ledger holds the smaller amounts
        ([(990, 1000)] * 20, "left"),
        # too few pairs a fee apart to tell
        ([(1000, 990)] * 19, None),
        # either way alike
        ([(1000, 990)] * 10 + [(990, 1000)] * 10, None),
        # amounts further apart than a fee (part payments) say nothing
        ([(1000, 500)] * 20, None),
    ],
)
def test_where_both_name_documents_the_side_short_of_a_fee_pays(
    amounts: list[tuple[int, int]], paying: str | None
) -> None:
    left, right, keyed = sides(amounts)
    assert paying_side(left, right, keyed, MatchOptions()) == paying
