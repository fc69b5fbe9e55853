"""Work on both sides at once.

Most preparation is string functions over one column, which Polars runs on one core; the two
sides' share of it goes side by side on two threads (Polars releases the GIL)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def side_by_side(
    function: Callable[..., T], left_args: tuple[Any, ...], right_args: tuple[Any, ...]
) -> tuple[T, T]:
    """`function(*left_args)` and `function(*right_args)`, the first on a second thread."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        left = thread.submit(function, *left_args)
        right = function(*right_args)
        return left.result(), right
