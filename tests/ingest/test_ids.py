from duizhang.ingest.ids import UniqueIds, fingerprint


def test_fingerprint_is_stable_and_field_sensitive() -> None:
    assert fingerprint("2026-10-05", "12.00", "咖啡") == fingerprint("2026-10-05", "12.00", "咖啡")
    assert fingerprint("2026-10-05", "12.00", "咖啡") != fingerprint("2026-10-05", "12.0", "咖啡")
    assert fingerprint("a", "bc") != fingerprint("ab", "c")


def test_repeated_keys_get_occurrence_suffixes() -> None:
    ids = UniqueIds()
    assert [ids("x"), ids("y"), ids("x"), ids("x")] == ["x", "y", "x#2", "x#3"]
