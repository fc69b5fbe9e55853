"""The compiled catalogue is committed (machines may lack GNU gettext); it must match the .po."""

from __future__ import annotations

import runpy

from duizhang.config.env import ROOT_DIR

SCRIPT = ROOT_DIR / "duizhang" / "locale" / "compile_messages.py"


def test_compiled_messages_are_up_to_date():
    compiler = runpy.run_path(str(SCRIPT))

    assert [po.parent.parent.name for po, _ in compiler["catalogues"]()] == ["zh_Hans"]
    assert compiler["stale"]() == []


def test_every_message_is_translated():
    import polib

    po = polib.pofile(str(ROOT_DIR / "duizhang/locale/zh_Hans/LC_MESSAGES/django.po"))

    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
