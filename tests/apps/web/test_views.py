"""Staff pages through the test client: login, language, access, home balances, import flow."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from duizhang.apps.accounts.roles import Role
from duizhang.apps.customers.models import CommunicationLog
from duizhang.apps.ledger.models import Entry, ImportBatch
from duizhang.apps.ledger.services import entries_import

LEDGER = (
    "id,date,amount,currency,reference,counterparty,description,customer\n"
    "记-001,2026-07-03,1128500.00,CNY,FP001,上海明远,开票,C001\n"
    "记-002,2026-07-15,86000.00,CNY,FP002,苏州恒通,开票,C002\n"
    "记-003,2026-07-28,-128500.00,CNY,B001,上海明远,收款,C001\n"
    "记-004,2026-08-05,45600.105,CNY,FP003,上海明远,开票,C001\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, source, content: str, name: str = "ledger.csv"):
    return client.post(
        "/imports/new/",
        {
            "source": source.pk,
            "format": "auto",
            "file": SimpleUploadedFile(name, content.encode("utf-8"), "text/csv"),
        },
    )


def test_login_page_is_chinese_by_default(db):
    page = Client().get("/login/").content.decode()

    assert '<html lang="zh-hans">' in page
    assert "<h1>登录</h1>" in page and "用户名" in page and "密码" in page


def test_an_english_browser_still_gets_chinese_until_the_user_switches(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/login/").content.decode()

    assert '<html lang="zh-hans">' in page and "<h1>登录</h1>" in page


def test_language_switch_to_english(db):
    client = Client()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})

    assert response.status_code == 302 and response["Location"] == "/login/"
    page = client.get("/login/").content.decode()
    assert "<h1>Log in</h1>" in page and "User name" in page and "登录" not in page


def test_login_with_password_lands_on_home(make_user, customer):
    make_user(Role.CASHIER)
    client = Client()

    response = client.post("/login/", {"username": "cashier", "password": "pw-for-tests"})

    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/").status_code == 200


def test_anonymous_is_sent_to_login(db):
    response = Client().get("/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/")


def test_home_lists_customers_with_exact_balances(
    ledger, customer, other_customer, make_user, tmp_path
):
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    entries_import(source=ledger, path=path, uploaded_by=None)

    page = _client_for(make_user(Role.REVIEWER)).get("/").content.decode()

    assert "上海明远贸易有限公司" in page and "苏州恒通电子有限公司" in page
    # 1,128,500.00 - 128,500.00 + 45,600.105 (rounded half up for display)
    assert "1,045,600.11 CNY" in page
    assert "86,000.00 CNY" in page
    assert "ledger.csv" in page  # recent imports


def test_portal_user_is_refused_every_staff_page(make_user, customer):
    client = _client_for(make_user(Role.CUSTOMER, name="customer1", customer=customer))

    for url in ("/", f"/customers/{customer.pk}/", "/imports/new/"):
        assert client.get(url).status_code == 403, url


def test_auditor_reads_but_cannot_import(ledger, customer, other_customer, make_user):
    client = _client_for(make_user(Role.AUDITOR))

    assert client.get(f"/customers/{customer.pk}/").status_code == 200
    assert client.get("/imports/new/").status_code == 403
    assert _upload(client, ledger, LEDGER).status_code == 403
    assert (ImportBatch.objects.count(), Entry.objects.count()) == (0, 0)


def test_import_preview_then_confirm(ledger, customer, other_customer, make_user, settings):
    client = _client_for(make_user(Role.CASHIER))

    response = _upload(client, ledger, LEDGER)
    assert response.status_code == 302
    preview_url = response["Location"]
    preview = client.get(preview_url).content.decode()
    assert Entry.objects.count() == 0  # preview writes nothing
    assert "ledger.csv" in preview and "1,128,500.00 CNY" in preview
    assert "FP001" in preview and "FP003" in preview and "已存在" in preview

    confirmed = client.post(preview_url)

    assert (confirmed.status_code, confirmed["Location"]) == (302, "/")
    batch = ImportBatch.objects.get()
    assert batch.uploaded_by is not None
    assert (batch.file_name, batch.new_count, batch.uploaded_by.username) == (
        "ledger.csv",
        4,
        "cashier",
    )
    assert Entry.objects.count() == 4
    home = client.get("/").content.decode()
    assert "ledger.csv: 4 lines, 4 new, 0 already present" in home
    assert client.post(preview_url).status_code == 302  # the token is spent
    assert ImportBatch.objects.count() == 1


def test_preview_says_when_the_file_was_imported_before(
    ledger, customer, other_customer, make_user
):
    client = _client_for(make_user(Role.CASHIER))
    client.post(_upload(client, ledger, LEDGER)["Location"])

    preview = client.get(_upload(client, ledger, LEDGER)["Location"]).content.decode()

    assert "该文件已于" in preview and "再次导入不会新增任何内容" in preview


def test_bad_file_shows_the_row_and_writes_nothing(ledger, customer, make_user, settings):
    client = _client_for(make_user(Role.CASHIER))
    bad = "id,date,amount,customer\nA1,2026-07-01,100.00,C001\nA2,2026-07-02,一百,C001\n"

    response = _upload(client, ledger, bad)

    page = response.content.decode()
    assert response.status_code == 400
    assert "文件无法导入，未写入任何数据。" in page
    assert "<dt>行号</dt><dd>3</dd>" in page and "<code>一百</code>" in page
    assert (ImportBatch.objects.count(), Entry.objects.count()) == (0, 0)
    assert list((Path(settings.MEDIA_ROOT) / "uploads").iterdir()) == []


def test_customer_page_shows_entries_and_takes_a_note(ledger, customer, make_user, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text(LEDGER.replace(",C002", ",C001"), encoding="utf-8")
    entries_import(source=ledger, path=path, uploaded_by=None)
    client = _client_for(make_user(Role.CASHIER))

    response = client.post(
        f"/customers/{customer.pk}/notes/",
        {"channel": "wechat", "direction": "in", "summary": "客户确认余额"},
    )

    assert response.status_code == 302
    note = CommunicationLog.objects.get()
    assert note.by is not None
    assert (note.channel, note.summary, note.by.username) == ("wechat", "客户确认余额", "cashier")
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "客户确认余额" in page and "微信" in page
    assert "FP003" in page and "45,600.11 CNY" in page
    assert "1,131,600.11 CNY" in page  # balance
    assert f'href="/imports/new/?source={ledger.pk}"' in page
    upload = client.get(f"/imports/new/?source={ledger.pk}").content.decode()
    assert f'<option value="{ledger.pk}" selected>应收账款明细账 · 我方应收账</option>' in upload


def test_auditor_sees_no_note_form_or_import_link_and_cannot_post_a_note(
    ledger, customer, other_customer, make_user, tmp_path
):
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    entries_import(source=ledger, path=path, uploaded_by=None)
    client = _client_for(make_user(Role.AUDITOR))

    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "应收账款明细账" in page  # the source is listed …
    assert "添加记录" not in page and "/imports/new/" not in page  # … read-only, no Import in nav
    response = client.post(
        f"/customers/{customer.pk}/notes/", {"channel": "phone", "direction": "in", "summary": "x"}
    )
    assert response.status_code == 403
    assert CommunicationLog.objects.count() == 0


ODD_TABLE = (
    "流水导出\n记账时间,发生额,对手,备注,流水\n"
    "2026-07-01,1000.00,上海明远,货款,S1\n2026-07-02,-25.00,银行,手续费,S2\n"
)


def test_unknown_table_goes_through_the_column_mapping_screen(bank, make_user):
    client = _client_for(make_user(Role.CASHIER))

    uploaded = _upload(client, bank, ODD_TABLE, name="流水.csv")
    columns_url = uploaded["Location"]
    assert columns_url.endswith("/columns/")
    screen = client.get(columns_url).content.decode()
    assert "上海明远" in screen and '<option value="发生额">发生额</option>' in screen

    mapped = client.post(
        columns_url,
        {
            "header": "2",
            "meaning": "bank",
            "date": "记账时间",
            "amount": "发生额",
            "counterparty": "对手",
            "serial": "流水",
            "description": ["备注"],
        },
    )
    assert mapped.status_code == 302
    preview_url = mapped["Location"]
    assert "-1,000.00 CNY" in client.get(preview_url).content.decode()
    bank.refresh_from_db()
    assert bank.mapping_preset is None  # saved only by the import
    assert client.post(preview_url).status_code == 302

    bank.refresh_from_db()
    assert bank.mapping_preset is not None
    assert (bank.mapping_preset["amount"], bank.mapping_preset["meaning"]) == ("发生额", "bank")
    assert sorted(Entry.objects.values_list("natural_key", "amount")) == [
        ("S1", Decimal("-1000.0000")),
        ("S2", Decimal("25.0000")),
    ]


def test_mapping_screen_asks_for_date_and_one_kind_of_amount(bank, make_user):
    client = _client_for(make_user(Role.CASHIER))
    columns_url = _upload(client, bank, ODD_TABLE, name="流水.csv")["Location"]

    both = client.post(
        columns_url,
        {"header": "2", "meaning": "bank", "date": "记账时间", "amount": "发生额", "debit": "对手"},
    )

    assert both.status_code == 200
    assert "请选择一个金额列，或者借方和贷方两列。" in both.content.decode()
    assert Entry.objects.count() == 0


def test_customer_entries_are_paginated_newest_first(ledger, customer, make_user, tmp_path):
    rows = [f"记-{n:03d},2026-07-{n % 28 + 1:02d},{n}.00,CNY,R{n:03d},,,C001" for n in range(1, 61)]
    path = tmp_path / "many.csv"
    path.write_text(LEDGER.splitlines()[0] + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    entries_import(source=ledger, path=path, uploaded_by=None)
    client = _client_for(make_user(Role.REVIEWER))

    first = client.get(f"/customers/{customer.pk}/").content.decode()
    second = client.get(f"/customers/{customer.pk}/?page=2").content.decode()

    assert first.count("<td>R0") == 50 and second.count("<td>R0") == 10
    assert "第 1 页，共 2 页" in first
    assert "2026-07-28" in first and "2026-07-28" not in second  # newest first
    assert "2026-07-01" in second and "2026-07-01" not in first
