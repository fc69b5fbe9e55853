from pathlib import Path

import pytest

from duizhang.engine.frames import read_canonical_frame
from duizhang.ingest.base import IngestError


def _csv(tmp_path: Path, *amounts: str) -> Path:
    path = tmp_path / "ours.csv"
    rows = "".join(f"L{n},2026-10-05,{amount}\n" for n, amount in enumerate(amounts))
    path.write_text("id,date,amount\n" + rows, encoding="utf-8")
    return path


def test_amounts_read_exactly_in_ten_thousandths(tmp_path: Path) -> None:
    path = _csv(tmp_path, "1200.00", "-12.5", "+.5", "7.", "-0.0001", "92233720368547.7580")

    frame = read_canonical_frame(path)

    assert frame["amt"].to_list() == [
        12_000_000,
        -125_000,
        5_000,
        70_000,
        -1,
        922_337_203_685_477_580,
    ]


@pytest.mark.parametrize("amount", ["12.3x", "1.23456", "1e5", "99999999999999999999.00"])
def test_an_amount_that_is_not_a_plain_decimal_is_refused_by_line(
    tmp_path: Path, amount: str
) -> None:
    path = _csv(tmp_path, "1.00", amount)

    with pytest.raises(IngestError, match="line 3, column amount: not a plain decimal"):
        read_canonical_frame(path)
