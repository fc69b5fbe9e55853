"""Does a payer's name belong to the customer? Plain-string twin of the engine's `name_key`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz

_BRACKETED = re.compile(r"\((?:集团|总部|本部|中国)\)")
_LEGAL_FORMS = re.compile(
    r"股份有限公司|有限责任公司|有限公司|股份公司|集团公司|分公司|公司|集团|"
    r"\bCO\b|\bCORP\b|\bCORPORATION\b|\bLTD\b|\bLIMITED\b|\bINC\b|\bLLC\b|\bGROUP\b|\bCOMPANY\b"
)
_NOT_LETTERS = re.compile(r"[\W_]+")
_CUT_FORM = re.compile(r"(?:股份?|有限?责?任?公?|股份有限?公?)$")  # a bank field cut short


def name_key(name: str) -> str:
    """`上海某某贸易有限责任公司（集团）` → `上海某某贸易`; `ACME Trading Co., Ltd.` → `ACMETRADING`."""
    upper = unicodedata.normalize("NFKC", name).upper()
    without_forms = _LEGAL_FORMS.sub(
        "", _BRACKETED.sub("", upper).replace(".", " ").replace(",", " ")
    )
    return _CUT_FORM.sub("", _NOT_LETTERS.sub("", without_forms))


def name_similarity(payer: str, name: str) -> float:
    """0–100. One normalised name inside the other (`明远贸易` in `上海明远贸易`) scores 100."""
    a, b = name_key(payer), name_key(name)
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) >= 2 and (a in b or b in a):
        return 100.0
    return float(fuzz.ratio(a, b))


def closest_name(payer: str, names: Iterable[str]) -> tuple[str, float]:
    """The customer's name or alias most like `payer`, and its score; ("", 0) for no names."""
    scored = [(name, name_similarity(payer, name)) for name in names if name]
    return max(scored, key=lambda pair: pair[1], default=("", 0.0))
