from __future__ import annotations

import re

import polib

from duizhang.apps.risk.locale import translations
from duizhang.risk import MESSAGES, Kind

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_every_reason_has_a_chinese_text_with_the_same_placeholders() -> None:
    assert set(MESSAGES) == set(Kind)
    for message in MESSAGES.values():
        chinese = translations.ZH[message]
        assert sorted(PLACEHOLDER.findall(chinese)) == sorted(PLACEHOLDER.findall(message))


def test_the_compiled_catalogue_is_current() -> None:
    po = translations.CATALOGUE
    assert po.with_suffix(".mo").read_bytes() == polib.pofile(str(po)).to_binary()
    plain = [e for e in polib.pofile(str(po)) if not e.msgctxt and not e.msgid_plural]
    assert {entry.msgid: entry.msgstr for entry in plain} == translations.ZH
