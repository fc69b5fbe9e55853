from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client


def test_superuser_configures_sources_but_cannot_write_entries(bank, customer):
    client = Client()
    client.force_login(User.objects.create_superuser("admin", password="x"))

    assert client.get("/admin/ledger/source/add/").status_code == 200
    assert client.get("/admin/customers/customer/").status_code == 200
    assert client.get("/admin/ledger/entry/").status_code == 200
    assert client.get("/admin/ledger/entry/add/").status_code == 403
    assert client.get("/admin/ledger/importbatch/add/").status_code == 403
