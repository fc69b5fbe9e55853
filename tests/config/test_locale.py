"""The zh_Hans catalogues: every .mo is compiled from its .po, nothing is untranslated or fuzzy,
and every translatable string in the code (templates and Python) has a Chinese translation.

The .po files are the source (edited by hand); `make messages` compiles them with polib. The
extractor below is a small stand-in for `makemessages` (which needs GNU gettext): ast for Python,
regular expressions for templates, converting {% blocktranslate %} bodies the way Django does.
"""

from __future__ import annotations

import ast
import re
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from duizhang.config.env import ROOT_DIR
from duizhang.risk import MESSAGES, Kind

PACKAGE = ROOT_DIR / "duizhang"
COMPILER = runpy.run_path(str(PACKAGE / "locale" / "compile_messages.py"))
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class Msg(NamedTuple):
    context: str | None
    msgid: str
    plural: str | None
    where: str


def catalogues() -> list[polib.POFile]:
    return [polib.pofile(str(po)) for po, _ in COMPILER["catalogues"]()]


def translated() -> dict[tuple[str | None, str], str]:
    """(context, msgid) → Chinese, from every catalogue (plural forms: the one form Chinese has)."""
    found: dict[tuple[str | None, str], str] = {}
    for catalogue in catalogues():
        for entry in catalogue.translated_entries():
            text = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
            found[(entry.msgctxt, entry.msgid)] = text
    return found


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT_DIR)) if path.is_relative_to(ROOT_DIR) else path.name


# --- Python: _(), gettext(), gettext_lazy(), pgettext*(), ngettext*(), npgettext*() -------------

SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop"}
CONTEXT = {"pgettext", "pgettext_lazy"}
PLURAL = {"ngettext", "ngettext_lazy"}
CONTEXT_PLURAL = {"npgettext", "npgettext_lazy"}


def _strings(args: list[ast.expr], count: int) -> list[str] | None:
    values = [a.value for a in args[:count] if isinstance(a, ast.Constant)]
    strings = [v for v in values if isinstance(v, str)]
    return strings if len(values) == count and len(strings) == count else None


def python_messages(path: Path) -> Iterator[Msg]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        where = f"{_shown(path)}:{node.lineno}"
        if name in SINGULAR and (s := _strings(node.args, 1)):
            yield Msg(None, s[0], None, where)
        elif name in CONTEXT and (s := _strings(node.args, 2)):
            yield Msg(s[0], s[1], None, where)
        elif name in PLURAL and (s := _strings(node.args, 2)):
            yield Msg(None, s[0], s[1], where)
        elif name in CONTEXT_PLURAL and (s := _strings(node.args, 3)):
            yield Msg(s[0], s[1], s[2], where)


# --- Templates: {% translate %}, {% blocktranslate %}, _("…") in filter arguments ----------------

QUOTED = r"""(?:"([^"]*)"|'([^']*)')"""
TRANSLATE = re.compile(
    r"{%\s*(?:translate|trans)\s+" + QUOTED + r"(?:\s+context\s+" + QUOTED + r")?"
)
UNDERSCORE = re.compile(r"\b_\(" + QUOTED + r"\)")
BLOCK = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)\b(?P<options>[^%]*)%}(?P<body>.*?)"
    r"{%\s*(?:endblocktranslate|endblocktrans)\s*%}",
    re.DOTALL,
)
BLOCK_CONTEXT = re.compile(r"\bcontext\s+" + QUOTED)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")
PLURAL_TAG = re.compile(r"{%\s*plural\s*%}")


def _block_msgid(body: str, trimmed: bool) -> str:
    """What Django looks up for a blocktranslate body: % doubled, {{ x }} → %(x)s, trimmed joins lines."""
    text = VARIABLE.sub(lambda m: f"%({m.group(1)})s", body.replace("%", "%%"))
    return re.sub(r"\s*\n\s*", " ", text.strip()) if trimmed else text


def template_messages(path: Path) -> Iterator[Msg]:
    text = path.read_text(encoding="utf-8")

    def where(offset: int) -> str:
        return f"{_shown(path)}:{text.count(chr(10), 0, offset) + 1}"

    for m in TRANSLATE.finditer(text):
        msgid = m.group(1) if m.group(1) is not None else m.group(2)
        context = m.group(3) if m.group(3) is not None else m.group(4)
        yield Msg(context, msgid, None, where(m.start()))
    for m in UNDERSCORE.finditer(text):
        yield Msg(
            None, m.group(1) if m.group(1) is not None else m.group(2), None, where(m.start())
        )
    for m in BLOCK.finditer(text):
        options = m.group("options")
        trimmed = re.search(r"\btrimmed\b", options) is not None
        c = BLOCK_CONTEXT.search(options)
        context = None if c is None else (c.group(1) if c.group(1) is not None else c.group(2))
        parts = PLURAL_TAG.split(m.group("body"), maxsplit=1)
        singular = _block_msgid(parts[0], trimmed)
        plural = _block_msgid(parts[1], trimmed) if len(parts) == 2 else None
        yield Msg(context, singular, plural, where(m.start()))


def code_messages() -> list[Msg]:
    messages: list[Msg] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            messages.extend(python_messages(path))
    for path in sorted(PACKAGE.rglob("templates/**/*")):
        if path.suffix in {".html", ".txt"}:
            messages.extend(template_messages(path))
    return messages


# --- Tests ---------------------------------------------------------------------------------------


def test_every_compiled_catalogue_is_up_to_date() -> None:
    apps = sorted(str(po.relative_to(PACKAGE)) for po, _ in COMPILER["catalogues"]())

    assert "locale/zh_Hans/LC_MESSAGES/django.po" in apps
    assert "apps/reconciliations/locale/zh_Hans/LC_MESSAGES/django.po" in apps
    assert COMPILER["stale"]() == []


def test_no_catalogue_has_untranslated_or_fuzzy_entries() -> None:
    for catalogue in catalogues():
        assert (catalogue.fpath, catalogue.untranslated_entries(), catalogue.fuzzy_entries()) == (
            catalogue.fpath,
            [],
            [],
        )


def test_the_extractor_reads_templates_the_way_django_does(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "{% translate 'Filter' context \"alert list\" %}\n"
        '{% trans "Save" %}{{ x|default:_("None yet") }}\n'
        "{% blocktranslate trimmed with n=a.b %}\n  {{ n }} at 5%\n  left{% endblocktranslate %}\n"
        "{% blocktranslate count days=d %}{{ days }} day{% plural %}{{ days }} days"
        "{% endblocktranslate %}",
        encoding="utf-8",
    )
    found = [
        (m.context, m.msgid, m.plural, m.where.rsplit(":", 1)[1]) for m in template_messages(page)
    ]

    assert found == [
        ("alert list", "Filter", None, "1"),
        (None, "Save", None, "2"),
        (None, "None yet", None, "2"),
        (None, "%(n)s at 5%% left", None, "3"),
        (None, "%(days)s day", "%(days)s days", "6"),
    ]


def test_every_translatable_string_in_the_code_has_a_chinese_translation() -> None:
    known = translated()
    messages = code_messages()
    missing = sorted(
        {f"{m.where}: {m.msgid!r}" for m in messages if (m.context, m.msgid) not in known}
    )

    assert len(messages) > 900
    assert missing == []


def test_no_two_catalogues_translate_a_message_differently() -> None:
    """Django merges every catalogue into one, so only one of two different wordings would show."""
    wordings: dict[tuple[str | None, str], set[str]] = {}
    for catalogue in catalogues():
        for entry in catalogue.translated_entries():
            text = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
            wordings.setdefault((entry.msgctxt, entry.msgid), set()).add(text)

    assert {key: texts for key, texts in wordings.items() if len(texts) > 1} == {}


def test_pages_show_the_projects_wording_not_djangos() -> None:
    """Django's own catalogues (admin, auth) outrank the apps' ("Filter" would be 过滤器 there)."""
    known = translated()
    shown: dict[str, str] = {}
    with translation.override("zh-hans"):
        for m in code_messages():
            if m.plural is not None:
                text = (
                    translation.npgettext(m.context, m.msgid, m.plural, 1)
                    if m.context
                    else (translation.ngettext(m.msgid, m.plural, 1))
                )
            else:
                text = (
                    translation.pgettext(m.context, m.msgid)
                    if m.context
                    else translation.gettext(m.msgid)
                )
            if text != known[(m.context, m.msgid)]:
                shown[f"{m.where}: {m.msgid!r}"] = text

    assert shown == {}


def test_risk_reasons_keep_their_placeholders_in_chinese() -> None:
    """The rules' reasons (duizhang.risk.MESSAGES) are formatted after translation."""
    known = translated()

    assert set(MESSAGES) == set(Kind)
    for message in MESSAGES.values():
        assert sorted(PLACEHOLDER.findall(known[(None, message)])) == sorted(
            PLACEHOLDER.findall(message)
        )


def test_strings_come_out_in_chinese() -> None:
    with translation.override("zh-hans"):
        assert translation.gettext("Balance reconciliation statement") == "余额调节表"
        assert translation.gettext("Audit log") == "审计日志"
        assert translation.pgettext("alert list", "Filter") == "筛选"


@pytest.mark.django_db
def test_pages_render_in_chinese_by_default(client) -> None:
    from django.contrib.auth.models import User

    from duizhang.apps.accounts.roles import Role, role_group

    auditor = User.objects.create_user("auditor1")
    auditor.groups.add(role_group(Role("auditor")))
    client.force_login(auditor)

    audit = client.get(reverse("audit:records")).content.decode()
    reconciliations = client.get(reverse("reconciliations:list")).content.decode()

    assert "<h1>审计日志</h1>" in audit and "<button>筛选</button>" in audit
    assert "Audit log" not in audit and "Filter" not in audit
    assert "还没有对账。" in reconciliations and "No reconciliations yet." not in reconciliations
