import bisect

from hypothesis import given
from hypothesis import strategies as st

from duizhang.engine import groups


@given(
    values=st.lists(st.integers(min_value=-50, max_value=50), max_size=30).map(sorted),
    x=st.integers(min_value=-60, max_value=60),
    bounds=st.tuples(st.integers(0, 30), st.integers(0, 30)),
)
def test_the_search_bisects_as_the_standard_library_does(
    values: list[int], x: int, bounds: tuple[int, int]
) -> None:
    lo, hi = min(bounds[0], len(values)), min(bounds[1], len(values))
    assert groups.bisect_left(values, x) == bisect.bisect_left(values, x)
    assert groups.bisect_right(values, x) == bisect.bisect_right(values, x)
    assert groups.bisect_left(values, x, lo, hi) == bisect.bisect_left(values, x, lo, hi)
    assert groups.bisect_right(values, x, lo, hi) == bisect.bisect_right(values, x, lo, hi)


def test_a_rival_of_an_earlier_round_stays_while_its_entries_are_open() -> None:
    a, b, c, d = (groups.Item(row, 0, amount, "") for row, amount in enumerate((3, 4, 5, 2)))
    still_open = groups._Side([a, b, d])  # c was linked to another target since
    found: list[tuple[groups.Item, ...]] = [(a, b)]
    earlier = [(a, b), (b, d, a), (c, d)]
    assert groups.with_open_rivals(found, earlier, still_open) == [(a, b), (b, d, a)]
    assert groups.with_open_rivals(found, None, still_open) == [(a, b)]
