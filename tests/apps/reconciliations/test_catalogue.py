"""The app's zh_Hans catalogue: the .po holds every translation of translations.py, the .mo is
compiled from it, and the pages come out in Chinese."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polib
from django.utils import translation

import duizhang.apps.reconciliations as package

LOCALE = Path(package.__file__).parent / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _translations():
    spec = importlib.util.spec_from_file_location("translations", LOCALE / "translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_po_and_mo_are_up_to_date() -> None:
    catalogue = polib.pofile(str(PO))
    source = _translations()

    assert {e.msgid: e.msgstr for e in catalogue if not e.msgid_plural} == source.ZH
    assert PO.with_suffix(".mo").read_bytes() == catalogue.to_binary()


def test_strings_come_out_in_chinese() -> None:
    with translation.override("zh-hans"):
        assert translation.gettext("Balance reconciliation statement") == "余额调节表"
        assert translation.gettext("A comment is required for every manual decision.") == (
            "每项手工处理都必须填写备注。"
        )
