"""Compile the portal's zh_Hans catalogue (django.po → django.mo) with polib; no GNU gettext.

The .po is the source: after changing strings, run `django-admin makemessages -l zh_Hans
--no-location` in duizhang/apps/portal (needs xgettext), translate, then
    python duizhang/apps/portal/locale/compile.py
"""

from __future__ import annotations

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent / "zh_Hans" / "LC_MESSAGES" / "django.po"

if __name__ == "__main__":
    polib.pofile(str(CATALOGUE)).save_as_mofile(str(CATALOGUE.with_suffix(".mo")))
