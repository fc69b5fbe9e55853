from __future__ import annotations

from decimal import Decimal

import pytest

from duizhang.ingest.einvoice.page_text import words_to_amount


@pytest.mark.parametrize(
    ("words", "amount"),
    [
        ("壹拾叁圆整", Decimal("13")),
        ("叁万圆整", Decimal("30000")),
        ("贰万伍仟贰佰伍拾肆圆陆角贰分", Decimal("25254.62")),
        ("叁佰壹拾捌圆整", Decimal("318")),
        ("壹仟零伍元零伍分", Decimal("1005.05")),
        ("壹亿贰仟万圆整", Decimal("120000000")),
        ("ⓧ负壹佰圆整", Decimal("-100")),
    ],
)
def test_amount_in_words(words: str, amount: Decimal) -> None:
    assert words_to_amount(words) == amount


@pytest.mark.parametrize("words", ["", "13.00", "壹拾叁圆X"])
def test_not_an_amount_in_words(words: str) -> None:
    assert words_to_amount(words) is None
