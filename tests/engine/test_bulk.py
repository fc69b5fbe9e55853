"""The bulk parts (uniqueness rule, preparation), on frames small enough to check by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from duizhang.engine.frames import (
    frame_from_entries,
    memo_numbers_by_row,
    prepare,
    with_blocks,
    with_tails_that_meet,
)
from duizhang.engine.normalize import (
    CUT_SHORT,
    branch_place,
    cut_list,
    description_keys,
    joined_fours,
    memo_numbers,
    other_branches,
    reference_key,
    store_in_memo,
)
from duizhang.engine.options import MatchOptions
from duizhang.engine.records import Entry
from duizhang.engine.select import select_unique
from duizhang.engine.stages import (
    _HASH,
    _at_most,
    _joined,
    _reference_keys,
    key_pairs,
    one_customers_sum,
)


def candidates(*rows: tuple[int, int, float]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["l", "r", "score"], orient="row")


def pairs(frame: pl.DataFrame) -> list[tuple[int, int]]:
    return sorted(frame.select("l", "r").iter_rows())


def test_a_pair_best_for_both_entries_is_accepted_its_rivals_are_not() -> None:
    accepted, ambiguous = select_unique(candidates((1, 10, 0.0), (1, 11, 5.0), (2, 11, 1.0)))
    assert pairs(accepted) == [(1, 10), (2, 11)]
    assert pairs(ambiguous) == []


def test_a_tie_is_a_suggestion_never_a_link() -> None:
    accepted, ambiguous = select_unique(candidates((1, 10, 3.0), (1, 11, 3.0)))
    assert pairs(accepted) == []
    assert pairs(ambiguous) == [(1, 10), (1, 11)]


def test_within_the_margin_is_a_tie_beyond_it_a_choice() -> None:
    close = candidates((1, 10, 1.0), (1, 11, 3.0))
    assert pairs(select_unique(close, margin=2.0)[0]) == []
    assert pairs(select_unique(close, margin=2.0)[1]) == [(1, 10), (1, 11)]
    assert pairs(select_unique(close, margin=1.5)[0]) == [(1, 10)]


def test_elimination_makes_a_neighbour_unique_in_a_later_round() -> None:
    # right 10 is the clear best of left 1; once they leave, left 2 has only right 11
    rows = candidates((1, 10, 0.0), (2, 10, 1.0), (2, 11, 4.0), (3, 11, 4.5))
    accepted, ambiguous = select_unique(rows)
    assert pairs(accepted) == [(1, 10), (2, 11)]
    assert pairs(ambiguous) == []
    # with one round only, left 2 and left 3 still compete for right 11
    accepted, ambiguous = select_unique(rows, rounds=1)
    assert pairs(accepted) == [(1, 10)]
    assert pairs(ambiguous) == [(2, 11), (3, 11)]


def test_accepted_rows_keep_every_column_of_the_candidate() -> None:
    rows = candidates((1, 10, 0.0)).with_columns(rule=pl.lit("exact"))
    accepted, _ = select_unique(rows)
    assert accepted.to_dicts() == [{"l": 1, "r": 10, "score": 0.0, "rule": "exact"}]


def test_prepare_finds_each_document_number_once_per_entry() -> None:
    entries = [
        Entry(
            id="B1",
            date=date(2026, 10, 6),
            amount=Decimal("-5515.50"),
            reference="INV-2026-000123",
            description="发票号 2026000123 及 FP-456 货款",
        )
    ]
    frame, _ = with_blocks(
        prepare(frame_from_entries(entries)), prepare(frame_from_entries([])), by_customer=False
    )
    keys = sorted(_reference_keys(frame).select("key", "form").iter_rows())
    assert keys == [("123", "reference"), ("2026000123", "reference"), ("456", "description")]


def prepared(*references: str) -> pl.DataFrame:
    """Prepared entries that differ only in their reference."""
    entries = [
        Entry(id=f"E{n}", date=date(2026, 10, 1), amount=Decimal(1), reference=reference)
        for n, reference in enumerate(references)
    ]
    return prepare(frame_from_entries(entries))


def test_a_tail_meets_a_whole_long_number_never_another_tail() -> None:
    left, right = with_blocks(
        prepared("26322000000248692705", "26322000000248632572"),
        # a 20-digit bank serial that ends like the second invoice, and the first one's tail
        prepared("16022784734848632572", "48692705"),
        by_customer=False,
    )
    assert pairs(key_pairs(left, right)) == [(0, 1)]


def test_long_numbers_the_other_side_quotes_are_documents_bank_serials_are_not() -> None:
    invoices = [f"263220000002486{n:05d}" for n in range(40)]
    serials = [f"160227847348{n:08d}" for n in range(40)]
    # the bank quotes two of forty invoices by their tails: a numbering it uses
    left, right = with_tails_that_meet(
        prepared(*invoices), prepared(*serials, "48600003", "No.48600007")
    )
    assert left["key_tail"].drop_nulls().to_list() == ["48600003", "48600007"]
    assert left["doc_tails"].list.len().sum() == 40
    assert right["key_tail"].drop_nulls().to_list() == []
    assert right["doc_tails"].drop_nulls().to_list() == []


def test_one_column_of_two_numberings_quotes_each_on_its_own() -> None:
    # our invoices' e-invoice numbers and our receipts' bank serials in one reference column:
    # the bank quotes two of forty invoices, and the serials' tails are no documents
    invoices = [f"263220000002486{n:05d}" for n in range(40)]
    serials = [f"202605047423273{n:05d}" for n in range(40)]
    left, _ = with_tails_that_meet(
        prepared(*invoices, *serials), prepared("48600003", "No.48600007", "货款")
    )
    assert left["doc_tails"].drop_nulls().len() == 40
    assert left["doc_tails"].drop_nulls().list.first().str.starts_with("486").all()


def test_memo_numbers_row_by_row_are_those_of_each_memo_in_order() -> None:
    memos = [
        "付发票7、39、233款 XS2508-0075",
        "2531 2000 0000 0197 0500",  # one e-invoice number in fours
        "请款单6787 0258 8176",  # an odd number of groups: read both ways
        "0261 6166 0261-6169 货款",
        "000003294677/000003294680",
        "钢材 421件",
        None,
    ]
    frame = pl.DataFrame({"desc": memos}, schema={"desc": pl.String})
    by_row = memo_numbers_by_row(frame)
    as_lists = frame.select("desc", number=memo_numbers(pl.col("desc"))).explode("number")
    assert by_row.rows() == as_lists.drop_nulls("number").rows()
    assert by_row.filter(pl.col("desc") == memos[1])["number"].to_list() == ["25312000000001970500"]


def test_prepare_counts_the_short_document_numbers_a_memo_writes() -> None:
    memos = ["付发票123、124、125款", "钢材 421件", "25312000000005060960", "", "付XS2508-0075款"]
    entries = [
        Entry(id=f"E{n}", date=date(2026, 10, 1), amount=Decimal(1), description=memo)
        for n, memo in enumerate(memos)
    ]
    # a quantity is no document number, nor a long (e-invoice) one a short one
    assert prepare(frame_from_entries(entries))["listed"].to_list() == [3, 0, 0, 0, 1]


def test_an_entry_s_documents_are_its_reference_tail_then_those_of_its_memo() -> None:
    invoices = [
        Entry(
            id=f"E{n}",
            date=date(2026, 10, 1),
            amount=Decimal(1),
            reference=f"263220000002486{n:05d}",
            # the first reverses the last, and names it
            description="红冲 26322000000248600039" if n == 0 else "",
        )
        for n in range(40)
    ]
    left, _ = with_tails_that_meet(
        prepare(frame_from_entries(invoices)), prepared("48600003", "48600039")
    )
    assert left["doc_tails"][0].to_list() == ["48600000", "48600039"]
    assert left["doc_tails"][1].to_list() == ["48600001"]


def test_a_number_that_is_the_tail_of_a_quoted_e_invoice_names_an_invoice() -> None:
    invoices = [f"263220000002486{n:05d}" for n in range(40)]
    left, right = with_tails_that_meet(
        prepared(*invoices), prepared("48600003", "48600017", "No.48600007", "PO6847717")
    )
    assert left["names_invoice"].all()
    # 48600017 is quoted by no one, but it is the tail of one of our invoices; PO6847717 is not
    assert right["names_invoice"].to_list() == [True, True, True, False]


@pytest.mark.parametrize(
    ("memo", "numbers"),
    [
        ("汇入汇款 HK 2531 2000 0000 0325 4870", ["25312000000003254870"]),
        ("发票 0261 6166 0261 6169 0261 6170", ["2616166", "2616169", "2616170"]),
        (
            "发票25312000000003259680/25312000000003259683",
            ["25312000000003259680", "25312000000003259683"],
        ),
        ("付发票7、39、233款 2026-00123", ["202600123", "233", "7", "39"]),
        ("XS2508_0194 代诚信付货款", ["XS25080194"]),
        # three groups: a number of its own and one written 4-4, or the other way round
        ("请款单6787 0258 8176等2张", ["67870258", "8176", "6787", "2588176"]),
        # a quantity with its unit is no number; a verb after a number is no unit
        ("销售出库 钢材 421件 发票46172510", ["46172510"]),
        ("0259 5460 支付货款", ["2595460"]),
        # serials without their zeros, listed with slashes
        ("付款 发票XS2508-4/XS2506-15款", ["XS25084", "XS250615"]),
        # a lettered number with a space or a slash for its dash
        ("材料款 PO8557176 XS2506 2271", ["PO8557176", "XS25062271"]),
        ("货款 XS2509 17747,XS2506_17708", ["XS250917747", "XS250617708"]),
        ("大额来账 材料款 XS2507/3635", ["XS25073635"]),
        # numbers written 4-4 with a dash, listed with slashes
        ("采购款 0058-4180/0058-4183/0058 4186", ["584180", "584183", "584186"]),
        # with a space or a dash between the halves, one after the other
        (
            "付货款 0059 1550 0059 1552 0059-1554 0059 1556",
            ["591550", "591552", "591554", "591556"],
        ),
    ],
)
def test_memo_numbers_are_read_as_people_group_and_list_them(memo: str, numbers: list[str]) -> None:
    keys = pl.DataFrame({"memo": [memo]}).select(description_keys(pl.col("memo")))["memo"]
    assert sorted(keys[0]) == sorted(numbers)


@pytest.mark.parametrize(
    ("memo", "read"),
    [
        # cut inside its last number: the fragment goes, the list goes on
        ("转账 经办人谢秀 0059 6512、0059 6513、0059", "转账 经办人谢秀 0059 6512、0059 6513…"),
        (
            "HK XS2508-3715；XS2509-3636；XS2507-3707；X",
            "HK XS2508-3715；XS2509-3636；XS2507-3707…",
        ),
        ("货款 发票01961655、961656、01961659、96166", "货款 发票01961655、961656、01961659…"),
        # numbers written alike, short ones among them: no cut
        ("发票00596512、13、14", "发票00596512、13、14"),
        ("付发票123、124款", "付发票123、124款"),
        ("发票0258-8352、0258-8354", "发票0258-8352、0258-8354"),
        # a slash after a long number lists, one inside a lettered number does not
        ("25312000000001999592/2531200000000199959", "25312000000001999592…"),
        ("XS25073363,XS2506 3425,XS2509/3292,XS250", "XS25073363,XS2506 3425,XS2509/3292…"),
        ("大额来账 材料款 XS2507/3635", "大额来账 材料款 XS2507/3635"),
        # and one after a lettered number's serial lists
        ("货款 发票XS2507-3641/XS2508-3575/XS2", "货款 发票XS2507-3641/XS2508-3575…"),
        # letters glued to the first number make it no longer than the others
        ("材料款 INVXS2508-0075/XS2507-0096", "材料款 INVXS2508-0075/XS2507-0096"),
        ("9月份货款 FPXS2506-0213,XS2506-0215", "9月份货款 FPXS2506-0213,XS2506-0215"),
        # a long number grouped in fours, or written out, and a space after it
        ("对账款 2531 2000 0000 0505 9278/2531 2000", "对账款 2531 2000 0000 0505 9278…"),
        ("业务款 25312000000005060960 2531200000", "业务款 25312000000005060960…"),
        ("25312000000005060960 25312000000005060963", "25312000000005060960 25312000000005060963"),
        # an e-invoice number cut short at the end, written whole or in fours; whole ones, and
        # 8-digit numbers written 4-4, are no cut
        ("对账款 FK2025081443 发票2531200000000195185", "对账款 FK2025081443 发票…"),
        ("合同款 发票2531 2000 0000 0195 671", "合同款 发票…"),
        ("支付货款 2531 2000 0000 0197 0424", "支付货款 2531 2000 0000 0197 0424"),
        ("发票25312000000001951854", "发票25312000000001951854"),
        ("发票 2059 1550 2059 1552", "发票 2059 1550 2059 1552"),
        # numbers of one length with spaces between them, the last shorter; numbers of several
        # lengths (a request number, then an invoice's) are no list
        ("FP02605804 02605807 02605810 02605811 02", "FP02605804 02605807 02605810 02605811…"),
        ("发票号02592412 02592415 02592417 0259241", "发票号02592412 02592415 02592417…"),
        ("往来款 02595037 02595038 02595040", "往来款 02595037 02595038 02595040"),
        ("超级网银 付货款 FK2025090163 0270-6103", "超级网银 付货款 FK2025090163 0270-6103"),
        ("对公转账 FK2025091624 02607932 02", "对公转账 FK2025091624 02607932 02"),
    ],
)
def test_a_list_cut_at_the_banks_field_width_loses_its_fragment_and_stays_open(
    memo: str, read: str
) -> None:
    assert cut_list(memo) == read


@pytest.mark.parametrize(
    ("memo", "read"),
    [
        (
            "设备款 2531 2000 0000 0195 2723 2531 2000 0000 0195 2727",
            "设备款 25312000000001952723 25312000000001952727",
        ),
        # the last one cut short stays as it was written, for `cut_list`
        ("付材料款 2531 2000 0000 0195 8503 2531 2000", "付材料款 25312000000001958503 2531 2000"),
        # 8-digit numbers written 4-4, and one e-invoice number alone: left as they are
        ("发票 0261 6166 0261 6169 0261 6170", "发票 0261 6166 0261 6169 0261 6170"),
        ("尾款 2531 2000 0000 0195 2901", "尾款 2531 2000 0000 0195 2901"),
    ],
)
def test_e_invoice_numbers_listed_in_fours_are_written_whole(memo: str, read: str) -> None:
    assert joined_fours(memo) == read


def test_a_list_of_e_invoice_numbers_in_fours_cut_short_names_each_and_stays_open() -> None:
    entries = [
        Entry(
            id="B1",
            date=date(2025, 9, 19),
            amount=Decimal("-66598.27"),
            description="付材料款 2531 2000 0000 0195 8503 2531 2000",
        )
    ]
    frame = prepare(frame_from_entries(entries))
    assert frame["desc"].to_list() == ["付材料款 25312000000001958503" + CUT_SHORT]
    assert frame["key_memo"].to_list() == [["25312000000001958503"]]


@pytest.mark.parametrize(
    ("memo", "read"),
    [
        # cut short at the end, written whole or in fours, after a word or a space
        ("对账款 FK2025081443 发票2531200000000195185", "对账款 FK2025081443 发票…"),
        ("合同款 发票2531 2000 0000 0195 671", "合同款 发票…"),
        ("2531200000000195185", "…"),
        # whole, though they end in a run of 12 to 19 digits too
        ("发票25312000000001951854", "发票25312000000001951854"),
        ("支付货款 2531 2000 0000 0197 0424", "支付货款 2531 2000 0000 0197 0424"),
    ],
)
def test_prepare_reads_an_e_invoice_number_cut_at_the_memos_end(memo: str, read: str) -> None:
    entries = [Entry(id="B1", date=date(2025, 9, 19), amount=Decimal("-10"), description=memo)]
    assert prepare(frame_from_entries(entries))["desc"].to_list() == [read]


def test_a_lettered_serial_in_a_memo_meets_it_written_without_its_zeros() -> None:
    entries = [
        Entry(id=f"E{n}", date=date(2025, 7, 4), amount=Decimal("-5800"), description=memo)
        for n, memo in enumerate(("收金鹏农业7月月费 单号XS2509-0030", "XS2509-30 付月费"))
    ]
    ours, theirs = prepare(frame_from_entries(entries))["key_memo"].to_list()
    assert "XS250930" in set(ours) & set(theirs)


def test_full_width_references_meet_their_ascii_forms() -> None:
    def rkeys(*references: str) -> list[str]:
        entries = [
            Entry(id=f"E{n}", date=date(2026, 10, 1), amount=Decimal(1), reference=reference)
            for n, reference in enumerate(references)
        ]
        return prepare(frame_from_entries(entries))["rkey"].to_list()

    assert rkeys("ＦＰ１２３", "inv 00123", "INV-2026-000123") == ["123", "123", "2026000123"]
    assert rkeys("inv 00123", "INV-2026-000123") == ["123", "2026000123"]  # ASCII only


def test_keys_that_collide_in_their_hash_are_counted_and_joined_by_their_texts() -> None:
    # every row given one hash: the worst collision there could be
    keys = ("blk", "key")
    ours = pl.DataFrame(
        {"row": [0, 1, 2, 3], "blk": [1, 1, 1, 2], "key": ["7", "7", "8", "7"], _HASH: [0] * 4}
    )
    theirs = pl.DataFrame({"row": [5, 6], "blk": [1, 2], "key": ["8", "7"], _HASH: [0] * 2})
    assert sorted(_at_most(ours, keys, 1)["row"].to_list()) == [2, 3]
    assert sorted(_at_most(ours, keys, 2)["row"].to_list()) == [0, 1, 2, 3]
    joined = _joined(ours, theirs, keys)
    assert joined.columns == ["row", "blk", "key", "row_r"]
    assert sorted(joined.select("row", "row_r").iter_rows()) == [(2, 5), (3, 6)]


def test_a_reference_loses_up_to_two_prefixes_with_their_separators() -> None:
    written = [
        "INV-2026-000123",
        "发票号: No.123",
        "发票号：NO. 0123",
        "INV INV INV 7",
        "NOTE 5",
        "FP",
    ]
    keys = pl.DataFrame({"ref": written}).select(reference_key(pl.col("ref")))["ref"]
    assert keys.to_list() == ["2026000123", "123", "123", "INV7", "TE5", ""]


def test_an_ascii_reference_gets_the_same_key_on_the_ascii_path() -> None:
    every_character = "".join(map(chr, range(128)))
    written = [
        "INV-2026-000123",
        "inv no. 0123",
        " NO.#7 / REF_8 ",
        "FP(12)[3]`4'5\"6",
        f"DOC{every_character}9",
        *every_character,
    ]
    frame = pl.DataFrame({"ref": written})
    general = frame.select(reference_key(pl.col("ref")))
    assert frame.select(reference_key(pl.col("ref"), ascii_only=True)).equals(general)


@pytest.mark.parametrize(
    ("a", "b", "place_a", "other"),
    [
        ("嘉兴天成环保科技有限公司历下", "嘉兴天成环保科技有限公司滨江", "历下", True),
        ("嘉兴天成环保科技有限公司历下店", "嘉兴天成环保科技有限公司历下", "历下", False),
        ("上海宏达机械有限公司苏州分公司", "上海宏达机械有限公司苏州分", "苏州", False),
        ("中国银行股份有限公司苏州分行", "中国银行股份有限公司无锡分行", "苏州", True),
        ("上海宏达机械有限公司苏州分公司", "上海宏达机械有限公司苏", "苏州", False),  # cut short
        ("上海宏达机械有限公司苏州分公司", "上海宏达机械有限公司", "苏州", False),  # store unsaid
        ("天成（义乌）家具集团有限责任公司", "SHANGHAI HONGDA CO., LTD.", None, False),
    ],
)
def test_a_branch_or_store_is_read_after_the_legal_form_and_two_differ_only_when_both_known(
    a: str, b: str, place_a: str | None, other: bool
) -> None:
    read = pl.DataFrame({"a": [a], "b": [b]}).select(
        place_a=branch_place(pl.col("a")), place_b=branch_place(pl.col("b"))
    )
    assert read["place_a"].item() == place_a
    assert read.select(other_branches(pl.col("place_a"), pl.col("place_b"))).item() is other


def _open(*rows: tuple[int, str, str, str]) -> pl.DataFrame:
    """Open entries (row, customer, amount, day) in the columns the stages read."""
    return pl.DataFrame(
        [
            (row, cust, int(Decimal(amount) * 10_000), date.fromisoformat(day), "")
            for row, cust, amount, day in rows
        ],
        schema={
            "row": pl.Int64,
            "cust": pl.String,
            "amt": pl.Int64,
            "date": pl.Date,
            "name": pl.String,
        },
        orient="row",
    )


def test_a_line_of_no_customer_takes_one_customers_sum_only_where_nothing_contests_it() -> None:
    invoices = _open(
        (1, "C1", "-1210.00", "2026-10-02"),
        (2, "C1", "-3345.67", "2026-10-03"),
        (3, "C1", "-999.99", "2026-10-03"),
        (4, "C2", "-500.01", "2026-09-20"),  # a week and more before C2's other one
        (5, "C2", "-700.00", "2026-10-05"),
        (6, "C3", "-2000.32", "2026-10-03"),
        (7, "C3", "-209.66", "2026-10-04"),
    )
    lines = _open(
        (10, "", "-4555.67", "2026-10-06"),  # 1 + 2
        (11, "", "-4345.66", "2026-10-06"),  # 2 + 3: shares 2 with the line above
        (12, "", "-1200.01", "2026-10-06"),  # 4 + 5, booked too far apart
        (13, "", "-2209.98", "2026-10-06"),  # 6 + 7
    )
    options = MatchOptions(round_lag=(0, 5))
    found = one_customers_sum(lines, invoices, "right", options)
    assert found.select("one", "members").rows() == [(13, [6, 7])]
    alone = one_customers_sum(lines.filter(pl.col("row") == 10), invoices, "right", options)
    assert alone.select("one", "members", "cust").rows() == [(10, [1, 2], "C1")]


@pytest.mark.parametrize(
    ("memo", "store"),
    [
        ("收天成环保萧山店9月服务费", "萧山"),
        ("滨江店9月管理费", "滨江"),
        ("天河店 管理费", "天河"),
        ("收恒达酒店货款", None),  # a hotel's name, no month after it
        ("月费", None),
    ],
)
def test_a_memo_names_a_store_before_the_month_it_pays(memo: str, store: str | None) -> None:
    read = pl.DataFrame({"memo": [memo]}).select(store_in_memo(pl.col("memo")))
    assert read.item() == store
