"""Normal forms of references and counterparty names, as Polars expressions.

Both sides of a reconciliation write the same document number differently (`INV-000123`,
`inv 123`, `发票号：123`, a number inside the memo) and the same company differently
(`上海某某贸易有限公司`, `上海某某贸易有限责任公司`, `某某贸易`). The engine compares normal forms.
"""

from __future__ import annotations

import functools
import re

import polars as pl
from rapidfuzz import fuzz

# Words in front of a document number that carry no identity. Longest first: the regex
# alternation takes the first that fits.
_REFERENCE_PREFIXES = (
    "增值税专用发票",
    "增值税普通发票",
    "电子发票",
    "发票号码",
    "发票代码",
    "发票号",
    "发票",
    "票号",
    "单号",
    "凭证号",
    "流水号",
    "合同号",
    "INVOICE",
    "INV",
    "FP",
    "NO",
    "REF",
    "DOC",
    "VCH",
    "PZ",
)
# Up to two of them (`发票号: No.123`), each with the separators after it, in one pass.
_PREFIXES = "^(?:(?:" + "|".join(_REFERENCE_PREFIXES) + r")[\s.:#\-_/№]*){1,2}"
_SEPARATORS = r"[\s\-_/\\.:#,，。：；;()\[\]（）【】'\"`№]+"
# The same for texts known to be ASCII, where only ASCII ones can occur: a shorter alternation,
# and the separators dropped as literal characters, at half the cost of the class.
_ASCII_PREFIXES = (
    "^(?:(?:"
    + "|".join(prefix for prefix in _REFERENCE_PREFIXES if prefix.isascii())
    + r")[\s.:#\-_/]*){1,2}"
)
_ASCII_SEPARATORS = dict.fromkeys("\t\n\v\f\r -_/\\.:#,;()[]'\"`", "")

# A number this long is quoted by its last `TAIL_DIGITS` digits (`发票号49612510` for the 20-digit
# e-invoice number 26322000000249612510; an 8-digit invoice number of the old kind is whole).
LONG_NUMBER_DIGITS = 12
TAIL_DIGITS = 8

# Legal-form words and decorations that differ between how two ledgers write one company.
_NAME_NOISE = (
    r"股份有限公司|有限责任公司|有限公司|股份公司|集团公司|分公司|公司|集团|"
    r"\bCO\b|\bCORP\b|\bCORPORATION\b|\bLTD\b|\bLIMITED\b|\bINC\b|\bLLC\b|\bGROUP\b|\bCOMPANY\b"
)


def reference_key(text: pl.Expr, *, ascii_only: bool = False) -> pl.Expr:
    """`INV-000123`, `inv 123`, `发票号：123` → `123`; empty when nothing identifying is left.

    `ascii_only`: the caller knows every text is ASCII, which NFKC leaves as it is."""
    cleaned = text.fill_null("")
    if ascii_only:
        cleaned = cleaned.str.to_uppercase().str.strip_chars().str.replace(_ASCII_PREFIXES, "")
        cleaned = cleaned.str.replace_many(_ASCII_SEPARATORS)
    else:
        cleaned = cleaned.str.normalize("NFKC").str.to_uppercase().str.strip_chars()
        cleaned = cleaned.str.replace(_PREFIXES, "").str.replace_all(_SEPARATORS, "")
    return cleaned.str.strip_chars_start("0")


def key_forms(key: pl.Expr) -> pl.Expr:
    """A reference key and its shorter forms: the serial after a year (`2026000123` → `123`)
    and the last run of digits (`A2026B0123` → `123`), so that `INV-2026-000123`, `000123`
    and `FP123` meet. Empty forms are dropped."""
    forms = pl.concat_list(key, year_serial(key).fill_null(""), last_digits(key).fill_null(""))
    return forms.list.unique(maintain_order=True).list.filter(pl.element() != "")


def year_serial(key: pl.Expr) -> pl.Expr:
    """The serial after a year: `2026000123` → `123`; null when the key is not year + serial.

    A test and a slice (the year is four characters): capturing a group costs Polars more."""
    year_and_serial = key.str.contains(r"^20\d\d\d{3,}$")
    return pl.when(year_and_serial).then(key.str.slice(4)).str.strip_chars_start("0")


def short_year_serial(reference: pl.Expr) -> pl.Expr:
    """A serial of one or two digits written apart from its year after a prefix: `FP-2026-14`
    → `14` (run together, `FP202614` is no year + serial; `2026-05` is a month); else null."""
    return reference.str.extract(r"[A-Za-z][\s\-_/.#:]*20\d\d[\s\-_/.]+0*([1-9]\d?)\s*$")


def unpadded_serial(reference: pl.Expr) -> pl.Expr:
    """A lettered number's serial without its zeros, in reference-key form: `XS2508-0004` →
    `XS25084`, as a payer quotes it (`XS2508-4`); null for other references."""
    padded = r"^\s*([A-Za-z]+\d+)[-_]0+([1-9]\d*)\s*$"
    return pl.when(reference.str.contains(padded)).then(
        reference_key(reference.str.replace(padded, "${1}${2}"))
    )


def tail(key: pl.Expr) -> pl.Expr:
    """The last `TAIL_DIGITS` digits of a long number (`26322000000249612510` → `49612510`), as
    a customer quotes a 20-digit e-invoice number; null for a shorter key, or a tail of zeros."""
    long = key.str.contains(rf"^\d{{{LONG_NUMBER_DIGITS},}}$")
    cut = key.str.slice(-TAIL_DIGITS).str.strip_chars_start("0")
    return pl.when(long & (cut.str.len_chars() >= TAIL_DIGITS - 2)).then(cut)


def last_digits(key: pl.Expr) -> pl.Expr:
    """The last run of digits: `A2026B0123` → `123`; null when the key ends in a letter."""
    return key.str.extract(r"\d+$", group_index=0).str.strip_chars_start("0")


# Document numbers are at most this long; longer digit runs are bank serials.
DOCUMENT_NUMBER_CHARS = 10
# A voucher number as a ledger writes its reference (`记-9892`, `银收-0012`, `转-202609-0105`):
# the book's own numbering of its postings, which no payer ever quotes. It names no document.
_VOUCHER_KEY = r"^(?:记|收|付|转|现收|现付|银收|银付)\d"


def is_document_number(key: pl.Expr) -> pl.Expr:
    """Whether a key (`reference_key`) can be a document number: short, and no voucher's."""
    return key.str.len_chars().is_between(1, DOCUMENT_NUMBER_CHARS) & ~key.str.contains(
        _VOUCHER_KEY
    )


def description_keys(text: pl.Expr) -> pl.Expr:
    """Document numbers written inside a memo: runs of at least three digits (separators inside
    the run allowed, `2024-00123`, `XS2508_0194`), with any letters glued in front, in
    reference-key form."""
    return memo_numbers(text).list.eval(reference_key(pl.element())).list.unique().list.drop_nulls()


# A quantity with its unit (`钢材 421件`, `导轨 314吨`) is no document number.
# The unit follows at once: `0259 5460 支付货款` is a number and a verb.
_QUANTITY = (
    r"\d+(?:\.\d+)?(?:件|米|台|吨|套|个|箱|只|根|卷|桶|袋|瓶|块|片|张|公斤|千克|平方米|㎡|KG|PCS)"
)


def memo_numbers(text: pl.Expr) -> pl.Expr:
    """The runs of `description_keys` as written (`2024-00123`), before the reference-key form,
    and the short numbers of a list (`付发票7、39、233款`): there the 、 says they are numbers
    of documents, not quantities. A long number written in groups of four digits for the eye
    (`2531 2000 0000 0197 0500`, a 20-digit e-invoice number) is one run, not five, and so is a
    lettered one with a space for its dash (`XS2506 2271`, `XS2509 17747`); long numbers listed
    with slashes (`000003294677/000003294680`, `0058-4180/0058-4183`) are several, not one.

    As a list per memo; `frames.memo_numbers_by_row` reads a column of them faster."""
    return memo_runs(text).list.eval(split_run(pl.element()).str.split(" ").explode())


def memo_runs(text: pl.Expr) -> pl.Expr:
    """A memo's runs of digits as written, and after them the short numbers of its list: the
    numbers of `memo_numbers` before the runs in groups of four are read (`split_run`)."""
    upper = text.fill_null("").str.normalize("NFKC").str.to_uppercase()
    upper = upper.str.replace_all(_QUANTITY, " ")
    upper = upper.str.replace_all(r"(\d{6}|\d{4}-\d{4})/", "${1} ")
    # a lettered number may end in a serial without its zeros (`XS2508-4`)
    runs = upper.str.extract_all(
        r"(?-u:\b)\d{4}(?:[ \-]\d{4})+(?-u:\b)|[A-Z]{1,4}\d{4} \d{4,6}(?-u:\b)"
        r"|[A-Z]*\d[\d\-/_]*\d\d(?:[-_]\d{1,3}(?-u:\b))?"
    )
    listed = (
        upper.str.extract_all(r"\d+(?:、\d+)+")
        .list.eval(pl.element().str.split("、").explode())
        .list.filter(pl.element().str.len_chars() <= 2)
    )
    return runs.list.concat(listed)


def in_groups(run: pl.Expr) -> pl.Expr:
    """Whether `split_run` may read a run otherwise than as written: it holds a space, it is
    digits in fours joined by dashes, or its length is that of an odd number of groups (24
    characters among them). Most runs are none of these: one number as written."""
    length = run.str.len_chars()
    return (
        run.str.contains(" ")
        | run.str.contains(r"^\d{4}(?:-\d{4})+$")
        | ((length % 10 == 4) & (length > 4))
    )


def split_run(written: pl.Expr) -> pl.Expr:
    """The numbers a run of `memo_runs` holds, separated by spaces. Five groups of four digits
    are one e-invoice number, unless every other group repeats the first (the prefix of 8-digit
    numbers); other runs are 8-digit numbers written 4-4 (with a space or a dash), one after
    the other (`0261 6166 0261-6169`); an odd number of groups is read both ways, as the first
    group may be a number of its own (`请款单6787 0258 8176`)."""
    run = (
        pl.when(written.str.contains(r"^\d{4}(?:[ \-]\d{4})+$"))
        .then(written.str.replace_all("-", " "))
        .otherwise(written)
    )
    paired = run.str.replace_all(r"(\d{4}) (\d{4})", "${1}${2}")
    odd = (run.str.len_chars() % 10 == 4) & (run.str.len_chars() > 4)
    shifted = (
        run.str.slice(0, 4) + " " + run.str.slice(5).str.replace_all(r"(\d{4}) (\d{4})", "${1}${2}")
    )
    first = run.str.slice(0, 4)
    prefixed = (run.str.slice(10, 4) == first) & (run.str.slice(20, 4) == first)
    return (
        pl.when((run.str.len_chars() == 24) & ~prefixed)
        .then(run.str.replace_all(" ", ""))
        .when(odd)
        .then(paired + " " + shifted)
        .otherwise(paired)
    )


# `发票2589883等6张` (and five more: six in all), `共6张` (six in all): how many documents a memo
# says it pays; `等` also says its list is not complete, and so does a list cut short (`…`,
# `cut_list`).
_DECLARED_COUNT = r"[等共]\s*(\d{1,2})\s*[张笔份]"
# The mark `cut_list` leaves where a bank cut a memo inside its list.
CUT_SHORT = "…"
_MORE_THAN_LISTED = rf"等\s*\d{{1,2}}\s*[张笔份]|{CUT_SHORT}$"
# What separates the numbers of a list (`发票0123、0124、0125`); a space only after a long
# number (`25312000000005060960 25312000000005060963`), as the eye groups one in fours with
# spaces (`0059 6512`); a slash after a long one (`000003294677/000003294680`, `0505 9278/`)
# or after a lettered one's serial (`XS2507-3641/XS2508-3575`), not inside a lettered one
# (`XS2507/3635`).
_LIST_SEPARATOR = re.compile(
    r"[、,，；;]|(?<=\d{6})/|(?<=\d \d{4})/|(?<=\d-\d{4})/|(?<=\d{12}) (?=\d)"
)
_NUMBER_AT_END = re.compile(r"[A-Za-z0-9][A-Za-z0-9 \-/_]*$")
_FRAGMENT = re.compile(r"[A-Za-z0-9\-]+")
# Only a memo ending in a list separator and a number can end in a fragment.
ENDS_IN_LIST = r"(?:[、,，；;]|\d{4}/|\d{7} )\s*[A-Za-z0-9][A-Za-z0-9 \-]*$"
# Numbers of seven to eleven digits one after another with spaces (`02605804 02605807
# 02605811`), the last perhaps cut short (`_cut_in_spaced_list`).
_SPACED_NUMBERS = re.compile(r"(?<![0-9A-Za-z])\d{7,11}(?: \d{7,11})+ \d+$")


# Six or more groups of four digits: several 20-digit e-invoice numbers written for the eye.
_FOURS = re.compile(r"(?<![0-9A-Za-z])\d{4}(?: \d{4}){5,}(?![0-9])")
FOURS = r"\d{4}(?: \d{4}){5}"


def joined_fours(memo: str) -> str:
    """A memo with each list of e-invoice numbers written in groups of four (`2531 2000 0000 0195
    2723 2531 2000 0000 0195 2727`) written as whole numbers (`25312000000001952723
    25312000000001952727`): five groups make one while the next five begin as the first did
    (the year and region of the numbering). What is left, a number cut short, stays as it
    was, for `cut_list`. Runs of other numbers in fours (`0261 6166 0261 6169`) are left alone."""

    def joined(run: re.Match[str]) -> str:
        groups = run.group().split(" ")
        if groups[0] != groups[5]:
            return run.group()
        numbers = []
        start = 0
        while start + 5 <= len(groups) and groups[start] == groups[0]:
            numbers.append("".join(groups[start : start + 5]))
            start += 5
        return " ".join([*numbers, *groups[start:]])

    return _FOURS.sub(joined, memo)


# An e-invoice number (20 digits, the first two the year's: `25…`) cut short at the end of a
# memo, written whole or in fours: `发票2531200000000195185`, `发票2531 2000 0000 0195 671`.
_CUT_E_INVOICE = re.compile(
    r"(?<![0-9A-Za-z])(?<!\d )(?:2\d{11,18}|2\d{3}(?: \d{4}){2,3}(?: \d{1,3})?)$"
)
# The same for Polars, whose regex has no look-behind: what stands before the number, spelled
# out (a whole 20-digit number ends in a run of 12 to 19 digits too; it must not pass).
CUT_E_INVOICE = r"(?:^|^ |[^0-9A-Za-z ]|[^0-9] )(?:2\d{11,18}|2\d{3}(?: \d{4}){2,3}(?: \d{1,3})?)$"


def cut_list(memo: str) -> str:
    """A memo that a bank cut at its field width inside a list of numbers (`经办人谢秀
    0059 6512、0059 6513、0059`), its last number of fewer digits than every other one of the
    list (letters glued to one, `INVXS2508-0075/XS2507-0096`, make it no longer a number), at
    the end of numbers of one length written with spaces (`02605807 02605811 02`), or inside an
    e-invoice number (`发票2531200000000195185`), with that number read as `…`: the
    fragment is no document (`0059` may begin any number), and the list goes on beyond it.
    Other memos are returned as they are."""
    for reading in (_cut_in_list, _cut_in_spaced_list, _cut_e_invoice):
        cut = reading(memo)
        if cut != memo:
            return cut
    return memo


def _cut_in_list(memo: str) -> str:
    parts = _LIST_SEPARATOR.split(memo)
    last = parts[-1].replace(" ", "")
    if len(parts) < 2 or not _FRAGMENT.fullmatch(last):
        return memo
    earlier = [_NUMBER_AT_END.search(part.strip()) for part in parts[:-1]]
    digits = [_digits(found.group()) for found in earlier if found]
    if not digits or _digits(last) >= min(digits):
        return memo
    return memo[: len(memo) - len(parts[-1])].rstrip("、,，/；; ") + CUT_SHORT


def _cut_in_spaced_list(memo: str) -> str:
    """A memo ending in numbers of one length written with spaces between them, the last one
    shorter (`付发票02605804 02605807 02605811 02`): cut inside it. Numbers of several lengths
    one after another (a request number, then an invoice's) are no list."""
    run = _SPACED_NUMBERS.search(memo)
    if run is None:
        return memo
    *whole, last = run.group().split(" ")
    if len({len(number) for number in whole}) > 1 or len(last) >= len(whole[0]):
        return memo
    return memo[: run.end() - len(last)].rstrip() + CUT_SHORT


def _digits(text: str) -> int:
    return sum(character.isdigit() for character in text)


def _cut_e_invoice(memo: str) -> str:
    cut_number = _CUT_E_INVOICE.search(memo)
    if cut_number is None or _pairs_of_fours(cut_number.group()):
        return memo
    return memo[: cut_number.start()].rstrip() + CUT_SHORT


def _pairs_of_fours(run: str) -> bool:
    """Whether groups of four repeat the first every other one: 8-digit numbers written 4-4
    (`2059 1550 2059 1552`), not a long number."""
    groups = run.split(" ")
    return len(groups) >= 3 and groups[0] == groups[2]


def declared_count(text: pl.Expr) -> pl.Expr:
    """How many documents a memo says it pays; null where it says nothing."""
    return text.str.extract(_DECLARED_COUNT, 1).cast(pl.Int32)


def more_than_listed(text: pl.Expr) -> pl.Expr:
    """Whether a memo says it pays more documents than it names (`发票2589883等6张`)."""
    return text.fill_null("").str.contains(_MORE_THAN_LISTED)


def document_keys(reference: pl.Expr, description: pl.Expr) -> pl.Expr:
    """Every key form of the reference and of the numbers in the memo, as one list."""
    from_reference = key_forms(reference_key(reference))
    from_memo = (
        description_keys(description)
        .list.eval(key_forms(pl.element()))
        .list.eval(pl.element().explode())
    )
    return pl.concat_list(from_reference, from_memo).list.unique(maintain_order=True)


def name_key(text: pl.Expr) -> pl.Expr:
    """`上海某某贸易有限责任公司（集团）` → `上海某某贸易`; `ACME Trading Co., Ltd.` → `ACMETRADING`."""
    upper = text.fill_null("").str.normalize("NFKC").str.to_uppercase()
    without_brackets = upper.str.replace_all(r"\((?:集团|总部|本部|中国)\)", "")
    without_forms = without_brackets.str.replace_all(r"[.,]", " ").str.replace_all(_NAME_NOISE, "")
    letters = without_forms.str.replace_all(r"[^\p{L}\p{N}]+", "")
    # a bank field cut at a fixed length leaves part of the legal form: `上海宏达机械有`
    return letters.str.replace(r"(?:股份?|有限?责?任?公?|股份有限?公?)$", "")


# The words after a place that make a company's name its branch's (上海永安能源有限公司苏州分公司).
BRANCH_WORDS = r"分公司|分行|分厂|办事处"


def branch_place(text: pl.Expr) -> pl.Expr:
    """The place a company's branch or store is named by, after its legal form:
    `嘉兴天成环保科技有限公司历下` and `…有限公司历下店` → `历下`, `…有限公司苏州分公司` → `苏州`;
    null for a name without one. A bank field cut short (`…苏州分`) keeps its place."""
    return (
        text.fill_null("")
        .str.normalize("NFKC")
        .str.extract(rf"公司(\p{{Han}}{{1,6}}?)(?:{BRANCH_WORDS}|分店|门店|店|分)?$", 1)
    )


def store_in_memo(text: pl.Expr) -> pl.Expr:
    """The store a memo names before the month it pays (`收天成环保萧山店9月服务费`,
    `滨江店9月管理费` → `萧山`, `滨江`); null for none. Only so: `恒达酒店货款` names a hotel."""
    # most memos name no store: the literal test skips them for a fraction of the regex's cost
    return pl.when(text.str.contains("店", literal=True)).then(
        text.str.extract(r"(\p{Han}{2})店(?:\d|\s|$)", 1)
    )


def other_branches(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """Whether two `branch_place`s name different branches of one company: both known, and
    neither the other cut short."""
    return a.is_not_null() & b.is_not_null() & ~a.str.starts_with(b) & ~b.str.starts_with(a)


@functools.lru_cache(maxsize=65_536)
def names_alike(a: str, b: str, threshold: float) -> bool:
    """Normalised names that could be one company; True when either is unknown. One name inside
    the other (`宏达机械` in `上海宏达机械`) counts as alike."""
    if not a or not b:
        return True
    if min(len(a), len(b)) >= 2 and (a in b or b in a):
        return True
    return abbreviates(a, b) or fuzz.ratio(a, b) >= threshold


# The shortest name that may abbreviate another (`abbreviates`).
ABBREVIATION_CHARS = 3


def abbreviates(a: str, b: str) -> bool:
    """Whether the shorter of two normalised names (three characters or more) is the longer one
    with characters left out, as a company is called by its city and trade name: `惠州华茂` for
    `惠州市华茂物业管理`, which shares too few characters with it for `fuzz.ratio`."""
    short, long = sorted((a, b), key=len)
    if len(short) < ABBREVIATION_CHARS:
        return False
    rest = iter(long)
    return all(char in rest for char in short)
